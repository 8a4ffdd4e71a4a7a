#!/bin/bash
# vm-mode: fast
# vm-timeout: 900
# Figures (measured in the TCG guest, so only relative values mean much):
# per-connect cost without the module, with it (new flow: attribution +
# rule lookup), established-flow round trips (cache hits), and the same
# with 10 and with 100,000 rules in the table.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

trap 'e7_cleanup ns5' EXIT
modprobe -a nf_socket_ipv4 nf_socket_ipv6 2>/dev/null || true
e7_netns_add ns5 5
e7_serve ns5 tcp 7501
e7_serve ns5 udp 7502
H4=198.18.5.2
N=${E7_PERF_CONNECTS:-400}

measure() { # LABEL: sequential connects (new flows) and UDP round trips (cached flow)
	local c u
	c=$(client connects $H4 7501 "$N") || e7_fail "$1: connects failed: $c"
	u=$(python3 - $H4 7502 <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((sys.argv[1], int(sys.argv[2])))
n = 2000
t0 = time.monotonic()
for _ in range(n):
    s.send(b"x")
    s.recv(8)
print(f"{(time.monotonic() - t0) * 1e6 / n:.1f} us/round-trip")
PY
) || e7_fail "$1: round trips failed: $u"
	e7_log "PERF $1: new flow ${c#ok } ; established ${u}"
}

measure "no module"
e7_load
nl add action=allow path="$PY" >/dev/null
measure "module, 1 rule"
nl bulk 10 "/opt/p{}/bin/x" action=block
measure "module, 11 rules"
t0=$(date +%s%N)
nl bulk 100000 "/opt/q{}/bin/x" action=block
e7_log "PERF added 100000 rules in $((($(date +%s%N) - t0) / 1000000)) ms"
[[ $(nl stats | sed -n 's/^rules_active=//p') == 100011 ]] || e7_fail "rule count"
measure "module, 100011 rules"
nl bulk 1000 "$(dirname "$PY")/x{}" action=block
measure "module, 101011 rules, 1000 in the program's own directory"
lookups=$(stat rule_lookups) hits=$(stat cache_hits)
e7_log "PERF counters: rule_lookups=$lookups cache_hits=$hits"
((hits > 4 * 2000)) || e7_fail "established flows did not hit the cache ($hits)"
