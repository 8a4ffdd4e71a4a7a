#!/bin/bash
# vm-mode: fast
# The README demo, run inside the VM by tools/demo.sh (and by the test suite,
# so the README stays true): load eftirlit7.ko, allow one program, block
# another, and hold an unknown program's connection until a (test) daemon
# answers. All traffic goes to a test host in a network namespace.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"
say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Load the firewall module into Linux $(uname -r)"
e7_load
trap 'e7_cleanup demo' EXIT
run nl config | grep -E '^(mode|profile|nodaemon|timeout)='

say "A test host, 198.18.1.2, runs an echo server on TCP port 7"
e7_netns_add demo 1
e7_serve demo tcp 7

say "Rules: allow $PY (our client), block $(readlink -f /bin/nc) (netcat)"
run nl add action=allow path="$PY" proto=tcp
run nl add action=block path="$(readlink -f /bin/nc)" proto=tcp
run nl rules

say "The allowed program connects"
out=$(client tcp 198.18.1.2 7) || e7_fail "the allowed client failed: $out"
echo "python3 client: $out (connected, echo received)"

say "The blocked program is refused at once, with no SYN retries"
start=$(date +%s%N)
if nc -v -w 3 198.18.1.2 7 </dev/null 2>/tmp/nc.err; then
	e7_fail "netcat connected although it is blocked"
fi
ms=$((($(date +%s%N) - start) / 1000000))
echo "netcat: $(cat /tmp/nc.err) after ${ms} ms"
# Refused, not timed out: the SYN was dropped with an error, not retried.
grep -q 'refused' /tmp/nc.err || e7_fail "netcat was not refused: $(cat /tmp/nc.err)"

say "An unknown program is held until the daemon answers (here: a test daemon that allows)"
python3 "$E7M_DIR/e7nl.py" daemon --answer allow --seconds 60 >/tmp/daemon.out 2>&1 &
for _ in $(seq 100); do grep -q ready /tmp/daemon.out && break; sleep 0.05; done
grep -q ready /tmp/daemon.out || e7_fail "the test daemon did not start: $(cat /tmp/daemon.out)"
out=$(socat -t 2 - TCP:198.18.1.2:7 <<<"hello from socat") ||
	e7_fail "held socat flow was not released; test daemon: $(cat /tmp/daemon.out)"
echo "socat got its echo back: $out"
grep EV_PENDING /tmp/daemon.out | head -n 1 | cut -c1-200
grep -q "EV_PENDING .*path=$(readlink -f /usr/bin/socat)" /tmp/daemon.out ||
	e7_fail "no PENDING event for socat"

say "Counters kept by the module"
run nl stats | grep -E '^(flows|held|released|blocked|allowed|nodaemon)[a-z_]*=' || true
say "Demo done"
