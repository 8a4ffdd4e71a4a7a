#!/bin/bash
# vm-mode: fast
# The strict profile lets nothing out that no rule allows, however a raw
# socket builds it (issue 17, point 1): truncated TCP, UDP and SCTP headers,
# a TCP ACK or RST not sent by a TCP socket, a non-first fragment, an
# unknown protocol, a long IPv6 extension chain, a truncated one. Without
# the module every probe reaches the peer (so the listener can see a leak);
# with profile=strict, no rules and no daemon, none does. Then a rule
# without a port allows the owner's unparsed packets, and the desktop
# profile's unparsed policy (allow) lets them out.
set -euo pipefail
. "$E7_SRCDIR/tests/vm/module/common.sh"
trap 'e7_cleanup peer' EXIT

e7_netns_add peer 1
PROBE=(python3 "$E7M_DIR/rawprobe.py")
mapfile -t NAMES < <("${PROBE[@]}" names)
# The probes that only a broken or raw-made header lets out (the issue's).
MUST=(v4-tcp-4-bytes v4-udp-6-bytes v4-sctp-6-bytes v4-tcp-ack v6-tcp-4-bytes
	v6-udp-6-bytes v6-12-dstopts-tcp-ack v6-truncated-dstopts)

# probe: sends every probe once, prints what the peer saw ("seen N: names").
probe() {
	ip netns exec peer "${PROBE[@]}" listen e7n1 3 >/tmp/listen.out &
	local listener=$! n
	for ((n = 0; n < 50; n++)); do
		grep -q listening /tmp/listen.out && break
		sleep 0.1
	done
	"${PROBE[@]}" send 198.18.1.1 198.18.1.2 2001:2:0:1::1 2001:2:0:1::2 >/tmp/send.out
	wait "$listener"
	grep '^seen' /tmp/listen.out
}

# Neighbours first (a datagram to each address), so that no probe waits
# for ARP or ND.
python3 -c '
import socket, time
for fam, addr in ((socket.AF_INET, "198.18.1.2"), (socket.AF_INET6, "2001:2:0:1::2")):
    socket.socket(fam, socket.SOCK_DGRAM).sendto(b"hello", (addr, 9))
time.sleep(0.5)'
ip neigh show dev e7h1 | grep -q 198.18.1.2 || e7_fail "no neighbour entry for the peer"
seen=$(probe)
e7_log "without the module: $seen"
for p in "${MUST[@]}"; do
	[[ " $seen " == *" $p "* ]] || e7_fail "without the module $p did not arrive ($seen): the test cannot see that leak"
done

e7_load profile=strict
seen=$(probe)
e7_log "strict, no rules, no daemon: $seen ($(stat unparsed) unparsed)"
[[ $seen == "seen 0:" ]] || e7_fail "the strict profile let probes out: $seen"
# Unparsed: the five cut transport headers and the truncated extension
# header (a raw TCP ACK is parsed: a flow of its own).
(($(stat unparsed) >= 6)) || e7_fail "unparsed packets not counted: $(stat unparsed)"

# A rule without a port decides the owner's unparsed packets.
nl add action=allow path="$PY" >/dev/null
seen=$(probe)
e7_log "strict, allow $PY (any port): $seen"
[[ $seen == "seen ${#NAMES[@]}:"* ]] || e7_fail "an allow rule without a port did not let $PY's probes out: $seen"
nl flush
# A rule with a port cannot match a packet whose port is unknown.
nl add action=allow path="$PY" proto=tcp port=7001 >/dev/null
seen=$(probe)
e7_log "strict, allow $PY tcp port 7001: $seen"
for p in v4-tcp-4-bytes v6-tcp-4-bytes v4-tcp-fragment v6-tcp-fragment; do
	[[ " $seen " != *" $p "* ]] || e7_fail "a rule with a port let $p out: $seen"
done
nl flush
e7_unload

# The desktop profile: the unparsed policy allows, and says so in the count.
e7_load
seen=$(probe)
e7_log "desktop, no daemon: $seen"
for p in "${MUST[@]}"; do
	[[ " $seen " == *" $p "* ]] || e7_fail "desktop: $p did not arrive ($seen)"
done
nl config unparsed=block
seen=$(probe)
e7_log "desktop, unparsed=block: $seen"
for p in v4-tcp-4-bytes v4-udp-6-bytes v4-sctp-6-bytes v6-tcp-4-bytes v6-udp-6-bytes v6-truncated-dstopts; do
	[[ " $seen " != *" $p "* ]] || e7_fail "unparsed=block let $p out: $seen"
done
