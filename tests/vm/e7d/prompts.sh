#!/bin/bash
# vm-mode: system
# vm-timeout: 600
# Prompts end to end: the module holds a flow, e7d asks the agent of the
# socket owner's uid (e7ctl agent as e7test), the answer releases it (allow
# once, allow forever, block), a slow agent times out, no agent applies the
# policy, and e7d killed with SIGKILL during 20 held flows loses none of them
# (faults.sh kills it again and again with 2 held flows).
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
grep -q "user 1500" /var/lib/eftirlit7/rules || e7_fail "rule not persisted"
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

# SIGKILL during 20 held flows: the module applies its no-daemon policy,
# systemd restarts e7d, which adopts the rules and finds no flow lost.
e7ctl allow tcp /usr/bin/e7-keep >/dev/null
# The echo server (root's socat in ns1) is allowed both ways, so that only
# the clients' flows wait for a decision while e7d is down.
e7ctl allow tcp "$SOCAT" in user 0 >/dev/null
e7ctl allow tcp "$SOCAT" user 0 >/dev/null
# The agent never answers; the prompts must outlive the start of 20 clients
# under TCG, so that the daemon's death, not the 4 s timeout, decides them.
e7ctl set prompt-timeout 120
agent_start --answer ignore
# The echo server's own drops: the 20 SYNs are released in one burst, and a
# server whose queues overflow resets connections by itself (SYN cookies,
# see e7_serve). Their count must not move, so that a lost echo is ours.
server_drops() {
	ip netns exec ns1 nstat -saz TcpExtListenOverflows TcpExtListenDrops \
		TcpExtSyncookiesSent TcpExtSyncookiesFailed TcpExtTCPReqQFullDrop |
		awk '/^TcpExt/ { printf "%s=%s ", substr($1, 7), $2 }'
}
drops0=$(server_drops)
dropped0=$(stat_of verdict-dropped)
clients=()
# Starting 20 unprivileged clients under TCG takes a while: the first ones
# are held longer than one connect normally takes.
t0=$(us)
for i in $(seq 20); do
	(CONNECT_TIMEOUT=90 connect "k$i" && echo ok >"/tmp/k$i") &
	clients+=($!)
done
for _ in $(seq 150); do
	held=$(stat_of held-now)
	((held >= 20)) && break
	sleep 0.2
done
((held >= 20)) || e7_fail "only $held flows held"
e7_log "20 flows held $((($(us) - t0) / 1000)) ms after the first client started"
systemctl reset-failed e7d
t0=$(us)
kill -9 "$(e7d_pid)"
wait "${clients[@]}" 2>/dev/null || true
n=$(find /tmp -maxdepth 1 -name 'k[0-9]*' | wc -l)
drops=$(server_drops)
e7_log "e7d killed with 20 flows held: $n of 20 clients got their echo within $(ms_since "$t0") ms; echo server: $drops"
[[ $drops == "$drops0" ]] || e7_fail "the echo server dropped connections by itself (before: $drops0): see e7_serve"
((n == 20)) || e7_fail "$n of 20 held connections were released by the no-daemon policy"
agent_stop
for _ in $(seq 100); do systemctl is-active --quiet e7d && break; sleep 0.2; done
e7d_wait_connected
e7ctl list | grep -q /usr/bin/e7-keep || e7_fail "rule lost over the restart"
[[ $(stat_of held-now) == 0 ]] || e7_fail "flows still held after the restart"
(($(stat_of verdict-dropped) == dropped0)) || e7_fail "released flows' packets were dropped: $(e7ctl stats)"

e7ctl clear all >/dev/null
systemctl stop e7d
e7_log "ok"
