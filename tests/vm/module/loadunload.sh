#!/bin/bash
# vm-mode: fast
# vm-timeout: 600
# Load and unload the module 15 times under TCP, UDP and ICMP traffic in
# both directions, each load option three times, twice with held packets at
# unload time (hardening/loadunload-churn.sh adds rule churn; make stress
# runs it for 100 cycles).
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

trap 'e7_cleanup ns4' EXIT
modprobe -a nf_socket_ipv4 nf_socket_ipv6 2>/dev/null || true
e7_netns_add ns4 4
e7_serve ns4 tcp 7401
e7_serve ns4 udp 7402
socat TCP6-LISTEN:7403,ipv6only=0,reuseaddr,fork PIPE &
H4=198.18.4.2 H6=2001:2:0:4::2
traffic() { # NAME CMD...
	local name=$1
	shift
	while [[ ! -e /tmp/lu.stop ]]; do "$@" >>"/tmp/lu.$name" 2>&1 || true; done
}
rm -f /tmp/lu.*
traffic tcp4 client tcp $H4 7401 1 &
traffic udp6 client udp $H6 7402 1 &
traffic ping client ping $H4 0 1 &
traffic in6 ip netns exec ns4 python3 "$E7M_DIR/e7client.py" tcp 2001:2:0:4::1 7403 1 &
cycles=15
for i in $(seq 1 $cycles); do
	case $((i % 5)) in
	3) e7_load mode=deny-unknown ;;
	1) e7_load profile=strict ;;
	*) e7_load ;;
	esac
	if ((i % 7 == 0)); then
		# Held packets at unload time.
		nl config hold_timeout_ms=10000 timeout=allow
		python3 "$E7M_DIR/e7nl.py" daemon --answer none --seconds 5 >/dev/null &
		d=$!
		sleep 0.5
		held=$(nl stats | sed -n 's/^held_now=//p')
		e7_log "iteration $i: $held packets held at unload"
		kill $d
		wait $d || true
	else
		nl add action=block path="$PY" proto=udp >/dev/null
		sleep 0.1
	fi
	rmmod eftirlit7 || e7_fail "rmmod failed in iteration $i"
done
touch /tmp/lu.stop
sleep 1.5
for f in /tmp/lu.tcp4 /tmp/lu.udp6 /tmp/lu.ping /tmp/lu.in6; do
	ok=$(grep -c '^ok' "$f" || true)
	e7_log "$f: $ok ok, $(grep -c '^error' "$f" || true) errors"
	((ok > 0)) || e7_fail "no traffic got through in $f"
done
lsmod | grep -q eftirlit7 && e7_fail "module still loaded"
e7_log "$cycles load/unload cycles under traffic passed"
