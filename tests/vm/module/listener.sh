#!/bin/bash
# vm-mode: fast
# vm-timeout: 120
# What the stack sends for a connection not yet accepted (the SYN-ACK, and
# the ACK a request socket sends to an out-of-window segment, which 7.x
# sends as the listening socket) is not a flow of the listener's own: under
# block-all or deny-unknown it is dropped at most, and the listener stays
# open. Aborting it would close the listener for good (tcp_abort() stops a
# TCP_LISTEN socket): a genl-fuzz run on 7.2 found its server deaf that
# way. The segments come from an AF_PACKET socket, which no netfilter hook
# sees, so they reach the listener while every program is blocked.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap 'nft delete table ip e7listener 2>/dev/null; e7_cleanup ns9' EXIT
e7_netns_add ns9 9
ip netns exec ns9 socat TCP-LISTEN:7901,reuseaddr,fork PIPE &
e7_wait_port ns9 tcp 7901
mac=$(ip -n ns9 -br link show e7n9 | awk '{ print $3 }')
segment() { python3 "$E7M_DIR/rawprobe.py" tcp e7h9 "$mac" 198.18.9.1 198.18.9.2 7901 "$@"; }
# The host's stack would reset the SYN-ACK to port 40001 and end the
# request before the out-of-window segment arrives.
nft -f - <<'NFT' || e7_fail "cannot add the table that drops the host's resets"
table ip e7listener {
	chain out { type filter hook output priority 0; oifname "e7h9" tcp flags rst drop; }
}
NFT

# The segments the namespace's TCP stack has sent.
out_segs() { ip netns exec ns9 nstat -az TcpOutSegs | awk '/TcpOutSegs/ { print $2 }'; }

# answers MODE COOKIES: a SYN and an out-of-window ACK reach the listener
# in MODE; its answers must not close it.
answers() {
	local sent
	ip netns exec ns9 sysctl -qw net.ipv4.tcp_syncookies="$2"
	sent=$(out_segs)
	nl config mode="$1" flags=
	segment syn 1000
	segment ack 900000000
	sleep 0.5
	nl config mode=allow-unknown
	(($(out_segs) > sent)) || e7_fail "the listener did not answer ($1, syncookies=$2)"
	ip netns exec ns9 ss -Hltn "sport = :7901" | grep -q . ||
		e7_fail "the listener was closed by its own answers ($1, syncookies=$2)"
	expect_ok "connect after the answers ($1, syncookies=$2)" client tcp 198.18.9.2 7901 2
}

answers block-all 1
answers deny-unknown 1
answers block-all 2
(($(stat conn_aborted) == 0)) || e7_fail "a socket was aborted: $(stat conn_aborted)"
e7_log "a listener's answers passed"
