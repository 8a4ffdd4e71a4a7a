#!/bin/bash
# vm-mode: system
# vm-timeout: 600
# Prompts end to end: the module holds a flow, e7d asks the agent of the
# socket owner's uid (e7ctl agent as e7test), the answer releases it (allow
# once, allow forever, block), a slow agent times out, and no agent applies
# the policy. e7d killed with held flows: tests/vm/hardening/faults.sh.
set -eu
. "$E7_SRCDIR/tests/vm/e7d/common.sh"

e7d_install
e7d_grant_own e7test
trap 'kill $(jobs -p) 2>/dev/null || true; ip netns del ns1 2>/dev/null || true' EXIT
rm -f /tmp/k[0-9]*
e7_netns_add ns1 1
e7_serve ns1 tcp 7001
e7ctl set prompt-timeout 4
e7ctl set default-answer block

# Allow once: released, no rule.
agent_start --answer allow --lifetime once
t0=$(us)
connect once || e7_fail "allow once: the connection failed: $(cat /tmp/agent.out)"
t1=$(us)
ask=$(awk '$1 == "ask" { print $2; exit }' /tmp/agent.out)
ans=$(awk '$1 == "answered" { print $2; exit }' /tmp/agent.out)
[[ -n $ask && -n $ans ]] || e7_fail "the agent was not asked: $(cat /tmp/agent.out)"
grep -q "^ask [0-9]* [0-9]* $SOCAT pid [0-9]* uid 1500 tcp 198.18.1.2 7001" /tmp/agent.out ||
	e7_fail "Ask lacks the flow: $(cat /tmp/agent.out)"
e7_log "client start to Ask $(((ask - t0) / 1000)) ms, answer to echo back $(((t1 - ans) / 1000)) ms"
[[ $(e7ctl list | wc -l) == 1 ]] || e7_fail "allow once made a rule: $(e7ctl list)"
agent_stop

# Allow forever: a rule for e7test's socat, persisted; the next connection
# is not asked.
agent_start --answer allow --lifetime forever
connect forever1 || e7_fail "allow forever: the connection failed"
e7ctl list | grep -q "allow .*tcp .*$SOCAT .*1500 .*forever" || e7_fail "no rule: $(e7ctl list)"
grep -q "user 1500" /etc/eftirlit7/rules || e7_fail "rule not persisted"
connect forever2 || e7_fail "second connection failed"
(($(grep -c '^ask' /tmp/agent.out) == 1)) || e7_fail "asked again despite the rule"
agent_stop
e7ctl clear all >/dev/null

# Block: the connection fails.
agent_start --answer block --lifetime once
connect block && e7_fail "a blocked connection succeeded"
grep -q '^answered .* block' /tmp/agent.out || e7_fail "block not answered"
agent_stop

# A silent agent: the prompt times out (default answer block) and is cancelled.
agent_start --answer ignore
t0=$(us)
connect slow && e7_fail "a timed-out prompt let the connection through"
grep -q '^cancel ' /tmp/agent.out || e7_fail "the prompt was not cancelled: $(cat /tmp/agent.out)"
[[ $(stat_of policy-timeout) == 1 ]] || e7_fail "timeout not counted: $(e7ctl stats)"
agent_stop

# No agent: the desktop profile allows, counted and logged.
connect noagent || e7_fail "no agent: the connection failed"
(($(stat_of policy-no-agent) >= 1)) || e7_fail "no-agent not counted"
e7ctl log | grep -q "policy .*allow .*no-agent .*$SOCAT" || e7_fail "no-agent not logged: $(e7ctl log)"

e7ctl clear all >/dev/null
systemctl stop e7d
e7_log "ok"
