#!/bin/bash
# vm-mode: fast
# vm-timeout: 300
# Incoming new connections (LOCAL_IN): "direction in" rules on TCP SYNs to
# a listener and UDP datagrams to a bound socket, IPv4 and IPv6; outgoing
# rules do not touch them; the "incoming" flag turns the check off.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap 'e7_cleanup ns3' EXIT
grep -q " nf_sk_lookup_slow_v4" /proc/kallsyms ||
	e7_skip "kernel $E7_KVER has no nf_socket lookup (CONFIG_NF_SOCKET_IPV4): no incoming filtering"
e7_netns_add ns3 3
socat TCP6-LISTEN:7301,ipv6only=0,reuseaddr,fork PIPE &
socat UDP6-RECVFROM:7302,ipv6only=0,reuseaddr,fork PIPE &
for _ in $(seq 50); do
	ss -Hltn "sport = :7301" | grep -q . && ss -Hlun "sport = :7302" | grep -q . && break
	sleep 0.1
done
L4=198.18.3.1 L6=2001:2:0:3::1
from_ns() { ip netns exec ns3 python3 "$E7M_DIR/e7client.py" "$@"; }

expect_ok "tcp4 in, no rule" from_ns tcp $L4 7301 2
expect_ok "udp6 in, no rule" from_ns udp $L6 7302 2
before=$(stat incoming)
nl add action=block dir=in proto=tcp port=7301 >/dev/null
expect_err TimeoutError "tcp4 in, blocked" from_ns tcp $L4 7301 1
expect_err TimeoutError "tcp6 in, blocked" from_ns tcp $L6 7301 1
expect_ok "udp4 in, not covered by the tcp rule" from_ns udp $L4 7302 2
(($(stat incoming) > before)) || e7_fail "incoming flows not counted"
nl add action=allow dir=in proto=tcp port=7301 addr=198.18.3.2/32 >/dev/null
expect_ok "tcp4 in, allowed by a more specific CIDR rule" from_ns tcp $L4 7301 2
expect_err TimeoutError "tcp6 in, still blocked" from_ns tcp $L6 7301 1
nl flush
nl add action=block dir=in proto=udp port=7302 >/dev/null
expect_err TimeoutError "udp4 in, blocked" from_ns udp $L4 7302 1
expect_err TimeoutError "udp6 in, blocked" from_ns udp $L6 7302 1
nl config flags=log-blocked
expect_ok "udp4 in, incoming flag off" from_ns udp $L4 7302 2
nl config flags=log-blocked,incoming
nl flush
# Program rules for incoming flows: the listener's owner is found by the
# active socket cache (process table walk in a worker) and then cached.
SOCAT=$(readlink -f /usr/bin/socat)
nl add action=block dir=in path="$SOCAT" proto=tcp >/dev/null
expect_err TimeoutError "tcp4 in, socat blocked by a program rule" from_ns tcp $L4 7301 1
expect_err TimeoutError "tcp6 in, socat blocked by a program rule" from_ns tcp $L6 7301 1
nl flush
nl add action=block dir=in path=/usr/bin/nonexistent proto=tcp >/dev/null
expect_ok "tcp4 in, another program's rule" from_ns tcp $L4 7301 2
nl flush
python3 "$E7M_DIR/e7nl.py" daemon --answer allow --seconds 60 >/tmp/in-daemon.out 2>&1 &
dpid=$!
for _ in $(seq 100); do grep -q ready /tmp/in-daemon.out && break; sleep 0.05; done
expect_ok "tcp6 in, held and allowed by the daemon" from_ns tcp $L6 7301 3
grep -q "^EV_PENDING .*proto=6 dir=2 .*local_port=7301 .*path=$SOCAT" /tmp/in-daemon.out ||
	e7_fail "no PENDING event for the incoming flow: $(cat /tmp/in-daemon.out)"
kill $dpid
wait $dpid 2>/dev/null || true

# Outgoing rules of the server program leave its accepted connections alone.
nl add action=block dir=out path="$(readlink -f /usr/bin/socat)" >/dev/null
expect_ok "tcp4 in while socat may not connect out" from_ns tcp $L4 7301 2
nl flush
# One walk serves a server's many sockets: a program with 50 bound UDP
# sockets gets a datagram on each; the walk that finds the owner of the
# first teaches the known socket cache all 50 (before: one walk per socket).
nl add action=allow dir=in path="$PY" >/dev/null
python3 - 7400 50 >/tmp/many.out <<'PY' &
import select, socket, sys, time
base, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", base + i))
    socks.append(s)
print("ready", flush=True)
got, end = set(), time.monotonic() + 20
while len(got) < n and time.monotonic() < end:
    for s in select.select(socks, [], [], 1)[0]:
        s.recv(64)
        got.add(s.getsockname()[1])
print("got", len(got), flush=True)
PY
spid=$!
for _ in $(seq 100); do grep -q ready /tmp/many.out && break; sleep 0.05; done
walks=$(stat owner_walks)
ip netns exec ns3 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(b"x", ("198.18.3.1", 7400 + i))'
wait $spid || true
walks=$(($(stat owner_walks) - walks))
grep -q "^got 50$" /tmp/many.out || e7_fail "50 sockets: $(cat /tmp/many.out)"
e7_log "50 bound sockets of one program, a datagram to each: $walks process-table walk(s)"
((walks <= 3)) || e7_fail "$walks walks of the process table for one program's 50 sockets"
nl flush
# An accepted unicast datagram takes the socket the hook found to udp_rcv()
# (no second lookup); a broadcast one must not: the stack delivers it to
# every bound socket (here two, SO_REUSEADDR), after an allow rule: the
# first datagram and the second, which the flow cache accepts.
nl add action=allow dir=in proto=udp port=7303 >/dev/null
python3 - <<'PY' || e7_fail "a broadcast datagram did not reach both bound sockets"
import socket, subprocess
rx = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 7303))
    s.settimeout(5)
    rx.append(s)
subprocess.run(["ip", "netns", "exec", "ns3", "python3", "-c",
                "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                "s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1); "
                "[s.sendto(b'e7-bcast', ('198.18.3.255', 7303)) for _ in range(2)]"],
               check=True)
for s in rx:
    for _ in range(2):
        assert s.recv(64) == b"e7-bcast"
PY
e7_log "two broadcast datagrams reached both bound sockets"
nl flush
e7_log "incoming checks passed"
