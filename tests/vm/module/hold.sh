#!/bin/bash
# vm-mode: fast
# vm-timeout: 500
# Held flows: unknown flows are held while a daemon is subscribed, PENDING
# events carry the owner, a VERDICT releases (allow) or fails (block) them
# at once, the timeout and nodaemon policies apply, held flows can be
# dumped, 1000 concurrent unknown flows are all held and released, and
# unloading with held packets resolves them.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap 'e7_cleanup ns2' EXIT
e7_netns_add ns2 2
e7_serve ns2 tcp 7001
e7_serve ns2 udp 7002
H4=198.18.2.2 H6=2001:2:0:2::2
nl config hold_timeout_ms=5000 timeout=block
# The echo servers may accept (incoming flows would be held and asked too).
nl add action=allow dir=in path="$(readlink -f /usr/bin/socat)" >/dev/null

DPID=
daemon_start() { # ANSWER [ARGS...]
	python3 "$E7M_DIR/e7nl.py" daemon --answer "$@" --seconds 300 >/tmp/daemon.out 2>&1 &
	DPID=$!
	for _ in $(seq 100); do grep -q ready /tmp/daemon.out && break; sleep 0.05; done
	grep -q ready /tmp/daemon.out || e7_fail "test daemon did not start: $(cat /tmp/daemon.out)"
	[[ $(nl config | sed -n 's/^daemon=//p') == 1 ]] || e7_fail "module does not see the daemon"
}
daemon_stop() { kill "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null || true; }

daemon_start allow
for t in "tcp $H4 7001" "tcp $H6 7001" "udp $H4 7002" "udp $H6 7002" "cudp $H4 7002"; do
	# shellcheck disable=SC2086
	expect_ok "held and released: $t" client $t
done
expect_ok "ping4 held and released" client ping $H4 0 3
expect_ok "ping6 held and released" client ping $H6 0 3
grep -q "^EV_PENDING .*uid=0 proto=6 dir=1 .*remote_port=7001 .*path=$PY cmdline='python3 $E7M_DIR/e7client.py tcp $H4 7001'" /tmp/daemon.out ||
	e7_fail "PENDING event lacks the owner: $(grep EV_PENDING /tmp/daemon.out | head -3)"
grep -q "^EV_PENDING .*proto=58 " /tmp/daemon.out || e7_fail "no ICMPv6 PENDING event"
(($(stat released) >= 7)) || e7_fail "released packets not counted"
grep "^VERDICT" /tmp/daemon.out | awk '{ sub("us", "", $5); s += $5; n++ } END { if (n) printf "verdict round trip: mean %.0f us over %d verdicts\n", s / n, n }'
# A connection released by a verdict (no rule: "allow once") stays released
# when the ruleset changes under it: its later packets are not held and it
# is not asked about again.
SOCAT=$(readlink -f /usr/bin/socat)
e7_serve ns2 tcp 7003
out=$({
	echo first
	sleep 2
	nl add action=allow path=/usr/bin/e7-unrelated >/dev/null
	sleep 1
	echo second
	sleep 1
} | timeout 30 "$SOCAT" -t5 - TCP:$H4:7003) || true
[[ $out == $'first\nsecond' ]] || e7_fail "released connection after a rule change echoed '$out'"
n=$(grep -c "^EV_PENDING .*remote_port=7003 .*path=$SOCAT" /tmp/daemon.out || true)
((n == 1)) || e7_fail "the released connection was held and asked $n times: $(grep EV_PENDING /tmp/daemon.out | tail -3)"
e7_log "a connection released once kept passing after a rule change (asked once)"
daemon_stop

# Blocked by verdict: the connect fails at once.
daemon_start block
out=$(client tcp $H4 7001 5 2>&1) && e7_fail "blocked verdict let tcp through: $out"
e7_log "tcp blocked by verdict: $out"
(($(ms_of "$out") < 2000)) || e7_fail "blocked connect took too long: $out"
expect_err any "udp blocked by verdict" client udp $H4 7002 1
daemon_stop

# Timeout policy.
daemon_start none
nl config hold_timeout_ms=500 timeout=block
out=$(client tcp $H4 7001 5 2>&1) && e7_fail "timeout=block let tcp through: $out $(cat /tmp/daemon.out)"
e7_log "timeout=block: $out"
(($(ms_of "$out") < 2500)) || e7_fail "timeout block took too long: $out"
nl config timeout=allow
out=$(client tcp $H4 7001 5) || e7_fail "timeout=allow blocked: $out"
(($(ms_of "$out") >= 400)) || e7_fail "timeout=allow did not hold: $out"
e7_log "timeout=allow: $out"
(($(stat timed_out) >= 2)) || e7_fail "timeouts not counted"
grep -q "^EV_RESOLVED .*reason=5" /tmp/daemon.out || e7_fail "no RESOLVED event for a timeout"

# Held flows can be listed and decided one by one.
nl config hold_timeout_ms=10000
client tcp $H4 7001 8 >/tmp/c.out 2>&1 &
cpid=$!
for _ in $(seq 50); do nl flows | grep -q . && break; sleep 0.1; done
line=$(nl flows | head -1)
[[ $line == *"path=$PY"* ]] || e7_fail "flow dump: $line"
fid=$(sed 's/^id=\([0-9]*\) .*/\1/' <<<"$line")
nl verdict "$fid" allow
wait $cpid || e7_fail "flow allowed by id failed: $(cat /tmp/c.out)"
expect_err ENOENT "verdict for a decided flow" nl verdict "$fid" allow
daemon_stop

# No daemon, strict: fail closed at once.
nl config nodaemon=block
expect_err ECONNREFUSED "nodaemon=block" client tcp $H4 7001
nl config nodaemon=allow

# 1000 concurrent unknown flows (300 on the debug kernel, whose checkers
# make 1000 outlast any sensible hold timeout; the paths are the same).
n=1000
[[ $E7_KVER == *debug* ]] && n=300
nl config hold_timeout_ms=60000 timeout=block
daemon_start allow
t0=$(date +%s%N)
out=$(client many $H4 7001 $n 90) || e7_fail "$n held flows: $out (daemon: $(grep -c VERDICT /tmp/daemon.out) verdicts)"
e7_log "$n concurrent unknown flows: $out in $((($(date +%s%N) - t0) / 1000000)) ms"
daemon_stop
nl stats | grep -E "^(held|released|overflow|events)" | tr '\n' ' '
echo

# Unload with held packets: they are resolved by the timeout policy (allow here).
nl config timeout=allow
daemon_start none
upids=()
for i in 1 2 3 4 5; do
	client tcp $H4 7001 20 >/tmp/u$i.out 2>&1 &
	upids+=($!)
done
for _ in $(seq 50); do (($(nl flows | wc -l) >= 5)) && break; sleep 0.1; done
(($(nl flows | wc -l) >= 5)) || e7_fail "flows not held before unload"
# The daemon stays subscribed: once it leaves, the nodaemon policy would
# resolve the flows before the unload does.
rmmod eftirlit7
daemon_stop
wait "${upids[@]}" || true
for i in 1 2 3 4 5; do
	grep -q "^ok" /tmp/u$i.out || e7_fail "flow $i not released at unload: $(cat /tmp/u$i.out)"
done
e7_log "held flows resolved at unload: $(cat /tmp/u*.out | tr '\n' ' ')"
e7_log "hold checks passed"
