#!/bin/bash
# vm-mode: fast
# vm-timeout: 200
# A daemon that leaves: flows it was asked about and did not answer get the
# nodaemon policy at once (within the reaper's 100 ms), not the hold
# timeout.  Regression: a daemon that answered one PENDING (the client's
# connect) and closed its socket left the server side's incoming SYN held,
# so the released connect timed out.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap 'e7_cleanup ns3' EXIT
e7_netns_add ns3 3
e7_serve ns3 tcp 7001
nl config hold_timeout_ms=20000 timeout=block nodaemon=allow
[[ $(nl config | sed -n 's/^flags=//p') -ge 8 ]] || e7_fail "incoming filtering is off"
# Kernels without nf_socket (the debug build) do not filter incoming flows:
# there the server side is never held, and only the connect is checked.
INCOMING=1
grep -q " nf_sk_lookup_slow_v4" /proc/kallsyms || INCOMING=
[[ $INCOMING ]] || echo "kernel $E7_KVER has no nf_socket: the server side is not held"

daemon() { # ARGS...: the test daemon in the background, ready
	python3 "$E7M_DIR/e7nl.py" daemon "$@" >/tmp/d.out 2>&1 &
	DPID=$!
	for _ in $(seq 100); do grep -q ready /tmp/d.out && break; sleep 0.05; done
	grep -q ready /tmp/d.out || e7_fail "test daemon did not start: $(cat /tmp/d.out)"
}
held_now() { stat held_now; }

for h in 198.18.3.2 2001:2:0:3::2; do
	# Answers the client's PENDING and exits; the server's incoming SYN is
	# held next (and announced, if the daemon's socket is still open).
	n0=$(stat nodaemon)
	daemon --answer allow --count 1 --match "$PY" --seconds 20
	out=$(client tcp $h 7001 10 2>&1) ||
		e7_fail "$h: connect released by a daemon that left: $out; daemon: $(cat /tmp/d.out)"
	wait $DPID || true
	(($(ms_of "$out") < 5000)) || e7_fail "$h: waited for the hold timeout: $out"
	[[ ! $INCOMING ]] || (($(stat nodaemon) > n0)) || e7_fail "$h: nodaemon policy not counted"
	e7_log "$h: connect released by a daemon that left: $out"
	nl add action=allow dir=in path="$(readlink -f /usr/bin/socat)" >/dev/null

	# A daemon that never answers and is killed while the flow is held:
	# nodaemon=block (IPv4) fails the connect then, nodaemon=allow (IPv6)
	# lets it through then.
	pol=block
	[[ $h == *:* ]] && pol=allow
	nl config nodaemon=$pol
	daemon --answer none --seconds 60
	client tcp $h 7001 10 >/tmp/c.out 2>&1 &
	cpid=$!
	for _ in $(seq 100); do nl flows | grep -q . && break; sleep 0.05; done
	nl flows | grep -q . || e7_fail "$h: flow not held: $(cat /tmp/c.out)"
	t0=$(date +%s%N)
	kill $DPID
	wait $DPID || true
	rc=0
	wait $cpid || rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	out=$(cat /tmp/c.out)
	if [[ $pol == block ]]; then
		((rc != 0)) && [[ $out == *EPERM* ]] || e7_fail "$h: nodaemon=block: $out"
	else
		((rc == 0)) || e7_fail "$h: nodaemon=allow: $out"
	fi
	((ms < 3000)) || e7_fail "$h: nodaemon=$pol took $ms ms after the daemon left: $out"
	e7_log "$h: held, daemon killed, nodaemon=$pol: $out, $ms ms after the kill"
	nl config nodaemon=allow
	[[ $(held_now) == 0 ]] || e7_fail "$h: $(held_now) packets still held"
	nl flush
done
