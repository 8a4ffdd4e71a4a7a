#!/bin/bash
# vm-mode: fast
# vm-timeout: 400
# Enforcement: rules by program (exact, prefix, any), protocol, CIDR, port,
# uid; TCP/UDP/ICMP over IPv4 and IPv6; block wins ties; blocked TCP
# connects fail at once; a connected UDP socket's sendto() elsewhere is its
# own flow; block-all; a rule change cuts an established flow; a child
# namespace is filtered too.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap 'e7_cleanup ns1' EXIT
e7_netns_add ns1 1
e7_serve ns1 tcp 7001
e7_serve ns1 udp 7002
H4=198.18.1.2 H6=2001:2:0:1::2

# No daemon, desktop profile: unknown flows pass by the nodaemon policy.
expect_ok "tcp4 unknown, no daemon" client tcp $H4 7001
expect_ok "udp6 unknown, no daemon" client udp $H6 7002
(($(stat nodaemon) >= 2)) || e7_fail "nodaemon policy not counted"

fast_fail() { # ERRNO DESC CMD...: must fail within one second
	local want=$1 desc=$2 out
	shift 2
	if out=$("$@" 2>&1); then e7_fail "$desc: expected $want, got: $out"; fi
	[[ $out == *"$want"* ]] || e7_fail "$desc: expected $want, got: $out"
	(($(ms_of "$out") < 1000)) || e7_fail "$desc: took too long: $out"
	e7_log "$desc: $out"
}

# Exact program rules, each protocol and family.
id=$(nl add action=block path="$PY" proto=tcp)
fast_fail ECONNREFUSED "tcp4 blocked by exact rule" client tcp $H4 7001
fast_fail ECONNREFUSED "tcp6 blocked by exact rule" client tcp $H6 7001
expect_ok "udp4 not covered by a tcp rule" client udp $H4 7002
nl del "$id"
expect_ok "tcp4 allowed again after delete" client tcp $H4 7001
id=$(nl add action=block path="$PY" proto=udp)
fast_fail EPERM "udp4 blocked" client udp $H4 7002
fast_fail EPERM "udp6 blocked (connected)" client cudp $H6 7002
nl del "$id"
expect_ok "ping4 before the icmp rule" client ping $H4 0
id=$(nl add action=block path="$PY" proto=icmp)
fast_fail EPERM "ping4 blocked" client ping $H4 0
fast_fail EPERM "ping6 blocked by an icmp rule" client ping $H6 0
nl del "$id"
expect_ok "ping6 after delete" client ping $H6 0

# A connected UDP socket that sendto()s another address opens a flow of its
# own: the peer's cached verdict does not cover it.
expect_ok "udp4 connected socket, sendto() another port, no rule" client cudpto $H4 7002 7003
nl add action=block path="$PY" proto=udp port=7003 >/dev/null
fast_fail EPERM "udp4 connected socket, sendto() a blocked port" client cudpto $H4 7002 7003
fast_fail EPERM "udp6 connected socket, sendto() a blocked port" client cudpto $H6 7002 7003
nl flush

# Directory prefix, and a more specific exact allow beating it.
pfx=$(dirname "$PY")/
id=$(nl add action=block path="$pfx")
fast_fail ECONNREFUSED "tcp4 blocked by prefix $pfx" client tcp $H4 7001
id2=$(nl add action=allow path="$PY" proto=tcp)
expect_ok "exact allow beats prefix block" client tcp $H4 7001
nl flush

# Any program: CIDR + port; uid; ties.
nl add action=block addr=198.18.1.0/24 proto=tcp port=7000-7010 >/dev/null
fast_fail ECONNREFUSED "tcp4 blocked by CIDR/port rule" client tcp $H4 7001
expect_ok "tcp6 outside the IPv4 CIDR" client tcp $H6 7001
nl flush
nl add action=block addr=2001:2:0:1::/64 >/dev/null
fast_fail EPERM "udp6 blocked by IPv6 CIDR" client udp $H6 7002
nl flush
nl add action=block uid=1500 >/dev/null
fast_fail ECONNREFUSED "uid 1500 blocked" e7_as_user e7test python3 "$E7M_DIR/e7client.py" tcp $H4 7001
expect_ok "root not covered by the uid rule" client tcp $H4 7001
nl flush
nl add action=allow path="$PY" proto=tcp >/dev/null
nl add action=block path="$PY" proto=tcp >/dev/null
fast_fail ECONNREFUSED "block wins a tie" client tcp $H4 7001
nl flush

# block-all drops everything, including ICMP and flows with rules.
nl add action=allow path="$PY" >/dev/null
nl mode block-all
expect_err any "ping4 under block-all" client ping $H4 0 1
fast_fail ECONNREFUSED "tcp4 under block-all" client tcp $H4 7001
(($(stat block_all_drop) > 0)) || e7_fail "block-all drops not counted"
nl mode disabled
expect_ok "disabled passes" client tcp $H4 7001
nl mode ask
nl flush

# A rule change cuts an established flow on its next packet.
nl add action=allow path="$PY" proto=tcp >/dev/null
client stream $H4 7001 8 >/tmp/stream.out 2>&1 &
spid=$!
for _ in $(seq 50); do grep -q connected /tmp/stream.out && break; sleep 0.1; done
sleep 0.5
t0=$(date +%s%N)
nl add action=block path="$PY" proto=tcp port=7001 >/dev/null
wait $spid && e7_fail "established flow survived a block rule: $(cat /tmp/stream.out)"
t1=$(date +%s%N)
grep -q "^error" /tmp/stream.out || e7_fail "stream: $(cat /tmp/stream.out)"
e7_log "established flow cut $(((t1 - t0) / 1000000)) ms after the rule: $(tr '\n' ' ' </tmp/stream.out)"
(((t1 - t0) / 1000000 < 3000)) || e7_fail "cut took too long"
nl flush

# A child namespace is filtered by its own hooks.
socat TCP6-LISTEN:7101,ipv6only=0,reuseaddr,fork PIPE &
e7_wait_port_root() { for _ in $(seq 50); do ss -Hltn "sport = :7101" | grep -q . && return; sleep 0.1; done; e7_fail "no root listener"; }
e7_wait_port_root
expect_ok "from ns1, no rule" ip netns exec ns1 python3 "$E7M_DIR/e7client.py" tcp 198.18.1.1 7101
nl add action=block path="$PY" proto=tcp >/dev/null
fast_fail ECONNREFUSED "from ns1, blocked" ip netns exec ns1 python3 "$E7M_DIR/e7client.py" tcp 198.18.1.1 7101
fast_fail ECONNREFUSED "from ns1 over IPv6, blocked" ip netns exec ns1 python3 "$E7M_DIR/e7client.py" tcp 2001:2:0:1::1 7101
nl flush
nl stats | tr '\n' ' '
echo
e7_log "flows checks passed"
