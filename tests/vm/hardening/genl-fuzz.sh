#!/bin/bash
# vm-mode: fast
# vm-timeout: 240
# Generic netlink fuzzing: random and mutated requests to the eftirlit family
# (see tests/stress/genl-fuzz.c), first as the unprivileged user e7test (and
# as root of its own user namespace), then as root with a subscribed daemon
# that never answers (so flows are held and verdicts can reach them), while 2
# processes connect in a loop to a namespace server. Every reply must be clean
# (an errno of the clean set, an ack or well-formed data), the unprivileged
# run must change nothing (mode, flags, config and rules are compared), and
# the module must still filter and unload afterwards. E7_FUZZ_COUNT messages
# per user (default 20000, 4000 on the debug kernel; tools/stress.sh: 100000),
# E7_FUZZ_SEED replays a run (default: random, printed).
set -eu
. "$E7_SRCDIR/tests/vm/hardening/common.sh"

count=${E7_FUZZ_COUNT:-$(e7s_short 20000 4000)}
seed=${E7_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
e7_log "seed $seed, $count messages per user (replay: E7_FUZZ_SEED=$seed)"
total=$((2 * count))
e7s_build
e7_log "helpers built"
e7_load
trap 'touch /tmp/fz.stop; e7_cleanup fz' EXIT
e7s_traffic fz 61 7701
# On a failure: what the module and the server namespace look like.
e7_fail_context() {
	echo "# config: $(nl config | tr '\n' ' ')"
	echo "# stats: $(nl stats | grep -v '=0$' | tr '\n' ' ')"
	echo "# listeners in fz: $(ip netns exec fz ss -Htln | tr '\n' ' ')"
	echo "# processes in fz: $(ip netns pids fz | xargs -r ps -o pid=,stat=,args= -p | tr '\n' ' ')"
	echo "# fz TCP counters: $(ip netns exec fz nstat -az 2>/dev/null |
		grep -E 'TcpExtListen|TcpExtSyncookies|TcpPassiveOpens|TcpAttemptFails|TcpExtTCPAbortOn' | tr -s ' ' | tr '\n' ' ')"
}

# Some state for the unprivileged run to try to change.
nl bulk 50 "/opt/keep{}/" action=block proto=tcp addr=198.18.61.0/24 port=80-90 uid=1500
nl config mode=allow-unknown hold_timeout_ms=1000 flags=log-blocked,incoming
rm -f /tmp/fz.stop
"$E7S/connstorm" connect -p 2 -t 3600 -f /tmp/fz.stop 198.18.61.2 7701 2001:2:0:61::2 7701 >/tmp/fz.traffic &
storm=$!

"$E7S/genl-fuzz" --state >/tmp/fz.before || e7_fail "cannot read the state"
e7_log "state before: $(grep -c '^rule' /tmp/fz.before) rules, $(grep -v '^rule' /tmp/fz.before | tr '\n' ' ')"
e7_as_user e7test "$E7S/genl-fuzz" -u -q -s "$seed" -n "$count" || e7_fail "unprivileged fuzzing (seed $seed)"
"$E7S/genl-fuzz" --state >/tmp/fz.after || e7_fail "cannot read the state"
diff /tmp/fz.before /tmp/fz.after || e7_fail "the unprivileged run changed the state (seed $seed)"
e7_log "unprivileged run: state unchanged"
# Root of its own user namespace: CAP_NET_ADMIN there is not CAP_NET_ADMIN in
# the initial namespace, which the family's admin commands need.
if e7_as_user e7test unshare -Ur true 2>/dev/null; then
	e7_as_user e7test unshare -Ur "$E7S/genl-fuzz" -u -q -s "$((seed + 2))" -n "$((count / 4))" ||
		e7_fail "fuzzing as root of a user namespace (seed $((seed + 2)))"
	"$E7S/genl-fuzz" --state >/tmp/fz.after || e7_fail "cannot read the state"
	diff /tmp/fz.before /tmp/fz.after || e7_fail "root of a user namespace changed the state (seed $((seed + 2)))"
	e7_log "user namespace run: state unchanged"
	total=$((total + count / 4))
else
	e7_log "no unprivileged user namespaces on this kernel: that run is left out"
fi

"$E7S/e7listen" >/tmp/fz.listen &
listener=$!
for _ in $(seq 100); do grep -q ready /tmp/fz.listen && break; sleep 0.05; done
grep -q ready /tmp/fz.listen || e7_fail "the listener did not subscribe"
"$E7S/genl-fuzz" -q -s "$((seed + 1))" -n "$count" || e7_fail "root fuzzing (seed $((seed + 1)))"
kill "$listener"
wait "$listener" || true
e7_log "daemon during the root run: $(tail -n 1 /tmp/fz.listen)"
e7_log "root run done: $(nl stats | grep -E '^(rules_active|packets|allowed|blocked)=' | tr '\n' ' ')"

touch /tmp/fz.stop
wait "$storm" || e7_fail "no connection attempt during the fuzzing"
e7_log "traffic during the fuzzing: $(cat /tmp/fz.traffic)"

# The module still works: a clean ruleset lets the traffic through.
nl flush
nl config profile=desktop mode=allow-unknown flags=incoming
out=$("$E7S/connstorm" connect -t 2 198.18.61.2 7701)
[[ $out == *" ok=0 "* ]] && e7_fail "no connection succeeds after the fuzzing: $out"
e7_log "after the fuzzing: $out"
rmmod eftirlit7 || e7_fail "cannot unload after the fuzzing"
e7_log "genl fuzzing passed: $total messages, seed $seed"
