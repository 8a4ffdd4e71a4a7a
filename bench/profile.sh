#!/bin/bash
# vm-mode: fast
# vm-timeout: 600
# Where E7's cost goes (issue 8's profile for a target not met): each
# per-packet workload runs with no firewall and with the module (rules
# allowing the load), under `perf record -a -e cpu-clock` (a software clock:
# it samples under TCG, where no hardware counter exists). For each run the
# guest CPU per operation is split by symbol; the table is the difference,
# E7 minus none, in microseconds per operation, biggest first; samples in
# the idle loop are left out. Figures only.
# Under QEMU -icount (tools/bench.sh's default) the clock, and so each
# sample, counts guest instructions while the vCPU is busy.
# usage (host): tools/bench.sh --kernels "6.1 6.12" bench/profile.sh
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

SECS=${E7_PROFILE_SECS:-3}
W=/tmp/e7prof
H4=198.18.5.2
mkdir -p "$W"
command -v perf >/dev/null || e7_skip "perf is not installed (Debian package linux-perf)"
[[ -n ${E7_MODULE:-} && -f $E7_MODULE ]] || e7_fail "no eftirlit7.ko for $E7_KVER"
if [[ -x $E7_SRCDIR/build/bench/e7load ]]; then
	cp "$E7_SRCDIR/build/bench/e7load" "$W/e7load"
else
	gcc -O2 -o "$W/e7load" "$E7_SRCDIR/bench/e7load.c" || e7_fail "cannot build e7load"
fi
LOAD=$W/e7load
ON_LOAD_CPU=()
(($(nproc) > 1)) && ON_LOAD_CPU=(taskset -c 1)
trap 'e7_cleanup bn' EXIT

sysctl -qw kernel.perf_event_paranoid=-1 kernel.kptr_restrict=0
sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096 \
	net.ipv4.ip_local_port_range="10000 65000"
e7_netns_add bn 5
ip netns exec bn sysctl -qw net.core.somaxconn=4096
e7_on_cpu 0 ip netns exec bn "$LOAD" serve 7501 7502 20000 1000 >"$W/serve.log" 2>&1 &
e7_wait_port bn tcp 7501

# run ARM WORKLOAD ARGS...: the workload on CPU 1 under perf; the report
# (samples per symbol, both CPUs) and the operation count are kept.
run() {
	local arm=$1 wl=$2 out c0
	shift 2
	c0=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
	perf record -q -a -e cpu-clock -F 1000 -o "$W/$arm-$wl.data" -- \
		"${ON_LOAD_CPU[@]}" "$LOAD" "$@" >"$W/$arm-$wl.out" 2>"$W/$arm-$wl.err" ||
		e7_fail "$arm $wl: perf record failed: $(tail -n 3 "$W/$arm-$wl.err")"
	out=$(grep '^RESULT' "$W/$arm-$wl.out") || e7_fail "$arm $wl: no result"
	out+=" ctxt=$(($(awk '$1 == "ctxt" { print $2 }' /proc/stat) - c0))"
	perf report -q -i "$W/$arm-$wl.data" --stdio -n --sort dso,sym --percent-limit 0 \
		2>/dev/null >"$E7_ARTIFACTS/$arm-$wl.report"
	e7_log "$arm $wl: $out"
	echo "$out" >"$E7_ARTIFACTS/$arm-$wl.result"
}

workloads() {
	run "$1" udp udp $H4 7502 "$SECS"
	run "$1" sendto sendto $H4 20000 1000 "$SECS"
	run "$1" connect connect $H4 7501 "$SECS"
}

workloads none
e7_load
nl add action=allow path="$LOAD" >/dev/null
nl add action=allow path="$LOAD" dir=in >/dev/null
workloads e7
e7_log "module counters: $(nl stats | tr '\n' ' ')"
e7_unload

python3 - "$E7_ARTIFACTS" <<'PY' | tee "$E7_ARTIFACTS/profile.md"
import collections, os, re, sys
art = sys.argv[1]
HZ = 1000  # perf -F: one sample is 1 ms of one CPU
IDLE = re.compile(r"halt|idle|mwait")  # the idle loop is no one's cost

def ctxt_per_op(arm, wl):
    res = open(f"{art}/{arm}-{wl}.result").read()
    return int(re.search(r"ctxt=(\d+)", res).group(1)) / int(re.search(r"ops=(\d+)", res).group(1))

def load(arm, wl):
    ops = int(re.search(r"ops=(\d+)", open(f"{art}/{arm}-{wl}.result").read()).group(1))
    us = collections.Counter()
    for line in open(f"{art}/{arm}-{wl}.report"):
        # "  12.34%  567  [kernel.kallsyms]  [k] symbol"
        m = re.match(r"\s*[\d.]+%\s+(\d+)\s+(\S+)\s+\[.\]\s+(\S+)", line)
        if m:
            n, dso, sym = int(m.group(1)), m.group(2), m.group(3)
            if IDLE.search(sym):
                continue
            if dso == "[unknown]" or sym.startswith("0x"):
                sym = "(unresolved)"
            us[(dso, sym)] += n * 1e6 / HZ / ops
    return ops, us

for wl in ("udp", "sendto", "connect"):
    _, a = load("none", wl)
    _, b = load("e7", wl)
    ta, tb = sum(a.values()), sum(b.values())
    e7own = sum(v for (d, s), v in b.items() if "eftirlit7" in d or s.startswith("e7_"))
    print(f"### {wl}: busy guest CPU per operation {ta:.1f} us (none), {tb:.1f} us (E7), "
          f"ratio {ta / tb:.3f}; E7's own functions {e7own:.1f} us "
          f"({100 * e7own / tb:.1f} % of E7's); context switches per operation "
          f"{ctxt_per_op('none', wl):.3f} (none), {ctxt_per_op('e7', wl):.3f} (E7)\n")
    print("| symbol | module | none us/op | E7 us/op | E7 - none |")
    print("|---|---|---|---|---|")
    keys = set(a) | set(b)
    for k in sorted(keys, key=lambda k: b[k] - a[k], reverse=True)[:15]:
        print(f"| {k[1]} | {k[0]} | {a[k]:.2f} | {b[k]:.2f} | {b[k] - a[k]:+.2f} |")
    print()
PY
