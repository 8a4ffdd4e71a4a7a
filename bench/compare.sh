#!/bin/bash
# vm-mode: fast
# vm-timeout: 900
# Figures, never pass/fail on timing: every workload of issue 8 with no
# firewall, E7 (module + e7d connected, rules allowing the workload),
# OpenSnitch (nftables backend, a rule allowing the workload) and an A/A
# control (no firewall, scheduled like an arm), in rounds: "none" first, the
# other arms after it in rotating order (PAIRS rounds of SECS-second runs).
# Then the E7-only figures: 10 vs 100,000 rules (RULE_PAIRS pairs), Ask
# latency, module memory, daemon RSS and CPU. build/bench/settings (written by
# bench/prepare --quick) may override these counts for short development runs.
# Raw numbers go to $E7_ARTIFACTS/raw.tsv, the summary to results.md there;
# bench/assemble turns the artifacts of each kernel into bench/RESULTS.md.
# Host preparation (load generator, OpenSnitch unpacked): bench/prepare.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

SECS=1 PAIRS=3 RULE_PAIRS=2 PROCS=1000 STORM_P=200 STORM_C=50 ASKS=100 BIGRULES=100000
# build/bench/settings.KVER (one kernel) or build/bench/settings: overrides.
settings=$E7_SRCDIR/build/bench/settings.$E7_KVER
[[ -f $settings ]] || settings=$E7_SRCDIR/build/bench/settings
# shellcheck disable=SC1090
[[ -f $settings ]] && . "$settings"
W=/tmp/e7bench
RAW=$E7_ARTIFACTS/raw.tsv
FIG=$E7_ARTIFACTS/figures.tsv
H4=198.18.5.2
mkdir -p "$W"
: >"$RAW"
: >"$FIG"

# The load generator runs from tmpfs (exec over 9p would dominate fork+exec).
if [[ -x $E7_SRCDIR/build/bench/e7load ]]; then
	cp "$E7_SRCDIR/build/bench/e7load" "$W/e7load"
else
	e7_log "build/bench/e7load missing (run bench/prepare); compiling it in the guest"
	gcc -O2 -o "$W/e7load" "$E7_SRCDIR/bench/e7load.c" || e7_fail "cannot build e7load"
fi
cp "$W/e7load" "$W/e7ask" # the same program, with no rule: every connect is asked
LOAD=$W/e7load
IPERF=$(readlink -f "$(command -v iperf3)")
OSN=$E7_SRCDIR/build/opensnitch/root
E7D=$E7_BUILDDIR/e7d/e7d
E7CTL=$E7_BUILDDIR/e7ctl/e7ctl
[[ -x $E7D && -x $E7CTL ]] || e7_fail "e7d/e7ctl not built in $E7_BUILDDIR"
[[ -n ${E7_MODULE:-} && -f $E7_MODULE ]] || e7_fail "no eftirlit7.ko for $E7_KVER"

cleanup() {
	[[ -n ${E7D_PID:-} ]] && kill "$E7D_PID" 2>/dev/null
	[[ -n ${OSN_PID:-} ]] && kill "$OSN_PID" 2>/dev/null
	e7_cleanup bn
}
trap cleanup EXIT

sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096 \
	net.ipv4.ip_local_port_range="10000 65000" net.core.wmem_default=1048576
e7_netns_add bn 5
ip netns exec bn sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
# Servers on CPU 0, the load on CPU 1.
e7_on_cpu 0 ip netns exec bn "$LOAD" serve 7501 7502 20000 1000 >"$W/serve.log" 2>&1 &
e7_on_cpu 0 ip netns exec bn iperf3 -s -p 5201 >/dev/null 2>&1 &
e7_wait_port bn tcp 7501
e7_wait_port bn tcp 5201
e7_log "guest: $(nproc) vCPUs, kernel $E7_KVER, $SECS s per measurement, $PAIRS rounds"

busy() { awk '/^cpu / { print ($2 + $3 + $4 + $7 + $8 + $9) * 10000; exit }' /proc/stat; }
proc_cpu_s() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$1/stat"; }
rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }
figure() { # NAME VALUE UNIT [NOTE]
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$FIG"
	e7_log "FIGURE $1 = $2 $3 ${4:-}"
}

# record ROUND ARM WORKLOAD RESULT-LINE
record() {
	local kv=${4#RESULT } ops secs rate bu su err
	eval "$(tr ' ' '\n' <<<"$kv" | sed -n 's/^\(ops\|secs\|rate\|busy_us\|self_us\|errors\)=\(.*\)$/\1=\2/p' |
		sed 's/^busy_us/bu/; s/^self_us/su/; s/^errors/err/')"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$ops" "$secs" "$rate" \
		"$bu" "$su" "$err" >>"$RAW"
	e7_log "$2 r$1 $3: $kv"
}

# load ROUND ARM WORKLOAD ARGS...: one e7load run pinned to CPU 1.
load() {
	local r=$1 arm=$2 wl=$3 out
	shift 3
	out=$(e7_on_cpu 1 "$LOAD" "$@" 2>&1 | grep '^RESULT') ||
		e7_fail "$arm $wl: e7load $* printed no result"
	record "$r" "$arm" "$wl" "$out"
}

# bulk ROUND ARM: one iperf3 stream; rate in Mbit/s, busy per MB.
bulk() {
	local b0 b1 out bps
	b0=$(busy)
	out=$(e7_on_cpu 1 iperf3 -c $H4 -p 5201 -t "$SECS" -J 2>&1) || e7_fail "$2: iperf3: $out"
	b1=$(busy)
	bps=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_sent"]["bits_per_second"])' <<<"$out")
	record "$1" "$2" bulk "$(python3 -c "
b, s, busy = $bps, $SECS, $b1 - $b0
mb = b * s / 8e6
print(f'RESULT ops={mb:.0f} secs={s} rate={b / 1e6:.1f} busy_us={busy / mb:.1f} self_us=0 errors=0')")"
}

# drain: OpenSnitch may still hold a backlog of queued packets from the last
# workload; it must not be charged to the next one.
drain() {
	local n
	# No queue at all (nfnetlink_queue not loaded: no OpenSnitch arm yet).
	[[ -e /proc/net/netfilter/nfnetlink_queue ]] || return 0
	for ((n = 0; n < 300; n++)); do
		awk '{ s += $3 } END { exit s > 0 }' /proc/net/netfilter/nfnetlink_queue 2>/dev/null && return 0
		sleep 0.1
	done
	e7_log "the netfilter queue did not drain in 30 s"
}

# workloads ROUND ARM: the whole table, in a fixed order (TCP connects last,
# so a daemon's CPU over them is one sample).
workloads() {
	bulk "$1" "$2"
	drain
	load "$1" "$2" udp udp $H4 7502 "$SECS"
	drain
	load "$1" "$2" sendto sendto $H4 20000 1000 "$SECS"
	drain
	[[ -n ${E7D_PID:-} ]] && e7d_cpu0=$(proc_cpu_s "$E7D_PID")
	load "$1" "$2" connect connect $H4 7501 "$SECS"
	drain
	load "$1" "$2" procs procs $H4 7501 "$PROCS" "$SECS"
	drain
	load "$1" "$2" storm storm $H4 7501 "$STORM_P" "$STORM_C" "$SECS"
	drain
	return 0
}

### E7: module, e7d on a private bus, rules allowing the workload.
dbus_start() {
	[[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] && return 0
	DBUS_SESSION_BUS_ADDRESS=$(dbus-daemon --config-file=/usr/share/dbus-1/session.conf \
		--fork --print-address=1) || e7_fail "cannot start a dbus-daemon"
	export DBUS_SESSION_BUS_ADDRESS
}

e7d_start() { # RULES-FILE
	dbus_start
	: >"$W/e7d.conf"
	"$E7D" --session -r "$1" -c "$W/e7d.conf" >>"$W/e7d.log" 2>&1 &
	E7D_PID=$!
	local n
	for ((n = 0; n < 300; n++)); do
		gdbus call --session --dest org.eftirlit7.Firewall1 --object-path /org/eftirlit7/Firewall1 \
			--method org.freedesktop.DBus.Properties.Get org.eftirlit7.Firewall1 \
			KernelConnected 2>/dev/null | grep -q true && return 0
		sleep 0.1
	done
	tail -n 20 "$W/e7d.log"
	e7_fail "e7d did not connect to the module"
}

e7d_stop() {
	kill "$E7D_PID" 2>/dev/null || true
	wait "$E7D_PID" 2>/dev/null || true
	E7D_PID=
}

# The servers run in the guest too, in a namespace the module also filters:
# their accepted sockets are incoming flows, allowed like the clients.
printf 'allow any %s\nallow any %s in\nallow tcp %s\nallow tcp %s in\n' \
	"$LOAD" "$LOAD" "$IPERF" "$IPERF" >"$W/rules"
e7_up() {
	e7_load
	e7d_start "$W/rules"
	[[ $("$E7CTL" --session list | wc -l) -ge 4 ]] || e7_fail "e7d has not the bench rules: $("$E7CTL" --session list)"
}
e7_down() { # ROUND: check nothing was held or unidentified, then unload
	local held unid cpu1
	cpu1=$(proc_cpu_s "$E7D_PID")
	nl stats >"$E7_ARTIFACTS/e7-module-stats-r$1.txt"
	"$E7CTL" --session stats >"$E7_ARTIFACTS/e7d-stats-r$1.txt" 2>&1 || true
	held=$(stat held_flows) unid=$(stat unidentified)
	printf '%s\te7\tcheck\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(stat packets)" "$held" \
		"$unid" "$(stat rule_lookups)" "$(stat cache_hits)" "$(echo "$cpu1 - $e7d_cpu0" | bc)" \
		"$(stat events_sent)" >>"$E7_ARTIFACTS/e7-checks.tsv"
	e7_log "e7 r$1: held_flows=$held unidentified=$unid e7d cpu over the TCP workloads $(echo "$cpu1 - $e7d_cpu0" | bc) s"
	e7d_stop
	e7_unload
}

### OpenSnitch, unpacked by bench/prepare, nftables backend, rules allowing the workload.
osn_ok=0
if [[ -x $OSN/usr/bin/opensnitchd ]]; then
	osn_ok=1
	mkdir -p /etc/opensnitchd "$W/osn-rules"
	cp "$OSN/etc/opensnitchd/system-fw.json" /etc/opensnitchd/
	for p in "$LOAD" "$IPERF"; do
		n=e7bench-$(basename "$p")
		cat >"$W/osn-rules/$n.json" <<JSON
{
  "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
  "name": "$n", "enabled": true, "precedence": true,
  "action": "allow", "duration": "always",
  "operator": { "type": "simple", "operand": "process.path", "sensitive": false,
                "data": "$p", "list": [] }
}
JSON
	done
	modprobe -a nf_tables nfnetlink_queue nft_queue nft_ct 2>/dev/null || true
fi

osn_up() { # [LOGLEVEL]: 0 debug (logs every connection), 2 important
	cat >/etc/opensnitchd/default-config.json <<JSON
{ "Server": { "Address": "unix:///tmp/osui.sock", "LogFile": "$W/osn.log" },
  "DefaultAction": "deny", "DefaultDuration": "once", "InterceptUnknown": false,
  "ProcMonitorMethod": "proc", "LogLevel": ${1:-2}, "Firewall": "nftables",
  "Stats": { "MaxEvents": 150, "MaxStats": 25 } }
JSON
	local dbg=
	[[ ${1:-2} == 0 ]] && dbg=-debug
	: >"$W/osn.log"
	LD_LIBRARY_PATH=$OSN/usr/lib/x86_64-linux-gnu "$OSN/usr/bin/opensnitchd" \
		-rules-path "$W/osn-rules" -log-file "$W/osn.log" -process-monitor-method proc \
		$dbg >>"$W/osn.out" 2>&1 &
	OSN_PID=$!
	local n
	for ((n = 0; n < 300; n++)); do
		# A bound queue shows in nfnetlink_queue; give the rules a moment more.
		grep -q "Running on netfilter queue" "$W/osn.log" && grep -q . /proc/net/netfilter/nfnetlink_queue && sleep 1 && return 0
		kill -0 "$OSN_PID" 2>/dev/null || break
		sleep 0.1
	done
	cp "$W/osn.log" "$W/osn.out" "$E7_ARTIFACTS/" 2>/dev/null
	tail -n 30 "$W/osn.log" "$W/osn.out"
	e7_fail "opensnitchd did not start"
}

osn_down() {
	kill "$OSN_PID" 2>/dev/null || true
	wait "$OSN_PID" 2>/dev/null || true
	OSN_PID=
	grep -q . /proc/net/netfilter/nfnetlink_queue && e7_fail "opensnitchd left its queue bound"
	return 0
}

# Prove OpenSnitch is in the path: with debug logging it logs each connection
# it decides, with the rule that allowed it.
if ((osn_ok)); then
	osn_up 0
	e7_on_cpu 1 "$LOAD" connect $H4 7501 1 >/dev/null
	e7_on_cpu 1 "$LOAD" udp $H4 7502 1 >/dev/null
	osn_down
	seen=$(grep -c "$LOAD.*e7bench-e7load" "$W/osn.log" || true)
	cp "$W/osn.log" "$E7_ARTIFACTS/opensnitch-debug.log"
	((seen > 0)) || { tail -n 30 "$W/osn.log"; e7_fail "OpenSnitch logged no connection of $LOAD"; }
	figure opensnitch-log-lines "$seen" "connections" "of e7load, allowed by rule e7bench-e7load in its debug log (1 s TCP + 1 s UDP)"
	figure opensnitch-version "$(dpkg-deb -f "$E7_SRCDIR"/build/opensnitch/debs/opensnitch_*.deb Version 2>/dev/null || echo unknown)" ""
else
	e7_log "OpenSnitch not unpacked (run bench/prepare on the host): its arm is skipped"
fi

### The rounds.
arms=(e7 ctl)
((osn_ok)) && arms=(e7 osn ctl)
for ((r = 1; r <= PAIRS; r++)); do
	workloads "$r" none
	for ((i = 0; i < ${#arms[@]}; i++)); do
		arm=${arms[(i + r - 1) % ${#arms[@]}]}
		case $arm in
		e7) e7_up; workloads "$r" e7; e7_down "$r" ;;
		osn) osn_up; workloads "$r" osn; osn_down ;;
		ctl) workloads "$r" ctl ;;
		esac
	done
done

### 10 vs 100,000 rules (module alone: the allow rules decide every flow),
### then module memory with 100,000 rules and 65,536 flows: Slab + vmalloc.
kmem_kb() {
	sync
	echo 2 >/proc/sys/vm/drop_caches 2>/dev/null || true
	awk '/^(Slab|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo
}
m0=$(kmem_kb)
e7_load
m1=$(kmem_kb)
rules10() {
	nl flush >/dev/null
	nl add action=allow path="$LOAD" >/dev/null
	nl add action=allow path="$LOAD" dir=in >/dev/null
	nl bulk 8 "/opt/p{}/bin/x" action=block >/dev/null
}
for ((r = 1; r <= RULE_PAIRS; r++)); do
	rules10
	load "$r" rules10 connect connect $H4 7501 "$SECS"
	t0=$(date +%s%N)
	nl bulk "$BIGRULES" "/opt/q{}/bin/x" action=block >/dev/null
	((r == 1)) && figure rules-bulk-add-ms "$((($(date +%s%N) - t0) / 1000000))" ms "$BIGRULES rules over genl (python client)"
	[[ $(stat rules_active) == $((BIGRULES + 10)) ]] || e7_fail "rule count $(stat rules_active)"
	load "$r" rules100k connect connect $H4 7501 "$SECS"
done

core=$(($(cat /sys/module/eftirlit7/coresize) / 1024))
m2=$(kmem_kb)
e7_on_cpu 1 "$LOAD" spray $H4 20000 32768 >/dev/null
e7_on_cpu 1 "$LOAD" spray 2001:2:0:5::2 20000 32768 >/dev/null
flows=$(stat flows_active)
m3=$(kmem_kb)
figure module-core-kb "$core" KiB "module text+data (/sys/module/eftirlit7/coresize)"
figure module-mem-loaded-kb "$((m1 - m0))" KiB "Slab+VmallocUsed after insmod, no rules"
figure module-mem-100k-rules-kb "$((m2 - m0))" KiB "with $((BIGRULES + 10)) rules"
figure module-mem-100k-rules-65536-flows-kb "$((m3 - m0))" KiB "after 65,536 UDP destinations (v4 + v6); flows_active=$flows"
e7_unload

### e7d: RSS idle and with 100,000 rules, Ask latency, CPU per 10,000 connects.
e7_load
e7d_start "$W/rules"
sleep 2
figure e7d-rss-idle-kb "$(rss_kb "$E7D_PID")" KiB "the 4 bench rules"
"$E7CTL" --session agent --answer allow --lifetime once >"$W/agent.out" 2>&1 &
apid=$!
for _ in $(seq 100); do grep -q registered "$W/agent.out" && break; sleep 0.1; done
grep -q registered "$W/agent.out" || e7_fail "agent did not register: $(cat "$W/agent.out")"
e7_on_cpu 1 "$W/e7ask" timed $H4 7501 "$ASKS" >"$W/timed.out" || e7_fail "asked connects failed"
kill "$apid"
wait "$apid" 2>/dev/null || true
cp "$W/agent.out" "$W/timed.out" "$E7_ARTIFACTS/"
python3 - "$W/agent.out" "$W/timed.out" "$FIG" <<'PY'
import statistics, sys
agent, timed, fig = sys.argv[1:]
# Only the client's (e7ask's) prompts; each answer follows its ask.
asks, answers, mine = [], [], False
for l in open(agent):
    w = l.split()
    if w and w[0] == "ask":
        mine = w[3].endswith("/e7ask")
        if mine:
            asks.append(int(w[1]))
    elif w and w[0] == "answered" and mine:
        answers.append(int(w[1]))
        mine = False
t = [tuple(map(int, l.split()[1:])) for l in open(timed) if l.startswith("T ")]
if not (len(asks) == len(answers) == len(t)):
    sys.exit(f"asks {len(asks)}, answers {len(answers)}, connects {len(t)} differ")
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
to_ask = [(a - s) / 1000 for a, (s, _) in zip(asks, t)]
to_rel = [(e - a) / 1000 for a, (_, e) in zip(answers, t)]
with open(fig, "a") as f:
    for name, v in (("held-to-ask", to_ask), ("answer-to-release", to_rel)):
        for p in (50, 99):
            f.write(f"{name}-p{p}-ms\t{pct(v, p):.2f}\tms\tover {len(v)} prompted connects\n")
PY
e7d_stop
awk -v n="$BIGRULES" 'BEGIN { for (i = 0; i < n; i++) printf "block tcp /opt/q%d/bin/x\n", i }' >"$W/big-rules"
t0=$(date +%s%N)
e7d_start "$W/big-rules"
for _ in $(seq 600); do [[ $(stat rules_active) -ge $BIGRULES ]] && break; sleep 0.5; done
figure e7d-start-100k-rules-ms "$((($(date +%s%N) - t0) / 1000000))" ms "start to $(stat rules_active) rules in the module"
sleep 1
figure e7d-rss-100k-rules-kb "$(rss_kb "$E7D_PID")" KiB "$BIGRULES rules"
e7d_stop
e7_unload

python3 "$E7_SRCDIR/bench/summarize.py" "$RAW" "$FIG" "$E7_ARTIFACTS/e7-checks.tsv" \
	--kernel "$E7_KVER" --secs "$SECS" --pairs "$PAIRS" --bigrules "$BIGRULES" \
	--icount "${E7_VM_ICOUNT:-}" >"$E7_ARTIFACTS/results.md" ||
	e7_fail "summarize failed"
cat "$E7_ARTIFACTS/results.md"
