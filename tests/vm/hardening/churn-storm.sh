#!/bin/bash
# vm-mode: fast
# vm-timeout: 180
# Rule churn against a connection storm: a churner adds and removes rules at
# up to 10,000 operations per second around a window of 1,000 rules (each
# change bumps the ruleset generation, so every flow is decided again) while 4
# processes connect in a loop, allowed by a rule for their program, and a
# reader dumps the whole ruleset in a loop. No request or dump may fail, no
# dump may list more rules than the table held when it began, connections
# must keep succeeding, the table must end with exactly the rules the churner
# kept (its window, once it filled it). Prints the churn rate reached.
# E7_CHURN_SECONDS long (default 8; tools/stress.sh: 60).
set -eu
. "$E7_SRCDIR/tests/vm/hardening/common.sh"

# The debug kernel churns at 150-300 rules/s: 8 s there too, so that its churner
# fills the window and then deletes.
secs=${E7_CHURN_SECONDS:-8}
e7s_build
e7_load
trap 'e7_cleanup cs' EXIT
e7s_traffic cs 64 7704
nl add action=allow path="$E7S/connstorm" proto=tcp >/dev/null
nl add action=allow dir=in path="$E7S/connstorm" >/dev/null
nl mode deny-unknown
before=$(nl stats | sed -n 's/^rule_lookups=//p')

"$E7S/connstorm" connect -p 4 -t "$((secs + 1))" 198.18.64.2 7704 2001:2:0:64::2 7704 >/tmp/cs.traffic &
storm=$!
rm -f /tmp/cs.stop
(
	n=0 most=0
	while [[ ! -e /tmp/cs.stop ]]; do
		out=$("$E7S/genl-fuzz" --state) || { echo "dump $n failed"; exit 1; }
		c=$(grep -c '^rule' <<<"$out" || true)
		((c > most)) && most=$c
		n=$((n + 1))
	done
	echo "$n dumps, at most $most rules in one"
) >/tmp/cs.dumps &
dumper=$!
sleep 0.5
out=$("$E7S/rulechurn" -k 1000 -r 10000 -b 100 -t "$secs") || e7_fail "rule churn failed: $out"
touch /tmp/cs.stop
wait "$dumper" || e7_fail "a rule dump failed during the churn: $(cat /tmp/cs.dumps)"
e7_log "ruleset dumps during the churn: $(cat /tmp/cs.dumps)"
# The churner's ids only grow and it never holds more than its window: a
# dump that lists more than 1,002 rules chased the rules added during it.
most=$(sed -n 's/.*at most \([0-9]*\) rules.*/\1/p' /tmp/cs.dumps)
((most <= 1002)) || e7_fail "a dump listed $most rules; the table never held more than 1002"
wait "$storm" || e7_fail "no connection attempt: $(cat /tmp/cs.traffic)"
e7_log "rule churn: $out"
e7_log "traffic: $(cat /tmp/cs.traffic)"
lookups=$(($(nl stats | sed -n 's/^rule_lookups=//p') - before))
e7_log "rule lookups during the churn: $lookups"
grep -q ' ok=0 ' /tmp/cs.traffic && e7_fail "no connection succeeded during the churn"
# A lookup that missed the allow rule would block a connect (EPERM or ECONNREFUSED).
grep -q 'EPERM\|ECONNREFUSED' /tmp/cs.traffic && e7_fail "allowed connections were blocked during the churn"
# Every add and delete the churner counted took effect: it kept adds - dels
# rules, which is its window of 1,000 once it got that far.
adds=$(sed -n 's/.* adds=\([0-9]*\) .*/\1/p' <<<"$out")
dels=$(sed -n 's/.* dels=\([0-9]*\) .*/\1/p' <<<"$out")
kept=$((adds - dels))
((adds < 1000 || kept == 1000)) || e7_fail "the churner kept $kept rules, not its window of 1000"
((adds >= 1000)) || e7_log "the churner did not fill its window ($adds adds)"
n=$(nl stats | sed -n 's/^rules_active=//p')
((n == kept + 2)) || e7_fail "$n rules left, expected the churner's $kept and 2"
nl flush
((lookups > 0)) || e7_fail "no rule lookup during the churn"
e7_log "churn against a connection storm passed"
