#!/bin/bash
# vm-mode: fast
# The harness works: a netfilter probe loads, sees traffic that a client sends
# to a server in a network namespace, and unloads with a clean kernel log.
set -eu
. "$E7_SRCDIR/tests/vm/lib.sh"
[[ -n $E7_PROBE ]] || e7_fail "the probe module was not built for $E7_KVER"
e7_netns_add srv 1
e7_serve srv tcp 7
insmod "$E7_PROBE"
reply=$(echo hello | socat -t 2 - TCP:198.18.1.2:7)
[[ $reply == hello ]] || e7_fail "echo over TCP returned '$reply'"
reply6=$(echo hello6 | socat -t 2 - TCP6:[2001:2:0:1::2]:7)
[[ $reply6 == hello6 ]] || e7_fail "echo over TCP/IPv6 returned '$reply6'"
seen=$(cat /sys/module/e7probe/parameters/packets)
e7_log "probe counted $seen packets to 198.18.0.0/15"
((seen >= 3)) || e7_fail "probe saw $seen packets, expected at least 3 (SYN, data, ACKs)"
rmmod e7probe
[[ ! -e /sys/module/e7probe ]] || e7_fail "probe still loaded"
