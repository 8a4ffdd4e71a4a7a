#!/bin/bash
# vm-mode: system
# vm-timeout: 600
# Faults around e7d (issue 7): e7d SIGKILLed and restarted by systemd
# E7_KILLS times (default 6, make stress 50) while an ignoring agent keeps
# prompts open and clients connect; the agent (standing in for the applet)
# killed mid-prompt; no polkit agent and no polkitd; the rules file on a full
# disk. Each part prints its figures. Not here: a restart of dbus-daemon
# (the harness's systemd-run --wait loses the test with the bus), and e7d's
# bus connection cut with gdb (an injected shutdown() call crashed e7d
# inside gdb's call frame once in CI: the method, not e7d, was unreliable).
set -eu
. "$E7_SRCDIR/tests/vm/e7d/common.sh"

KILLS=${E7_KILLS:-6}
# The "no hang" bounds below (a decision or refusal within seconds) are 4
# times longer on the debug kernel, which runs e7ctl and the bus 3 to 10
# times slower: a refusal took 1.8 s on 6.1 and 6.9 s there.
SLOW=1
[[ $E7_KVER == *debug* ]] && SLOW=4
[[ $KILLS =~ ^[1-9][0-9]*$ ]] || e7_fail "E7_KILLS must be a positive number, not '$KILLS'"

e7d_install
e7d_grant_own e7test
phase setup
trap 'kill $(jobs -p) 2>/dev/null || true; umount /var/lib/eftirlit7 2>/dev/null || true
	ip netns del ns1 2>/dev/null || true' EXIT
e7_netns_add ns1 1
e7_serve ns1 tcp 7001
HOLD_MS=$(cat /sys/module/eftirlit7/parameters/hold_timeout_ms)

# Persistent rules: the echo server (root's socat in ns1) both ways, so that
# only e7test's clients wait for decisions, and four more of other shapes.
e7ctl allow tcp "$SOCAT" in user 0 >/dev/null
e7ctl allow tcp "$SOCAT" user 0 >/dev/null
e7ctl allow tcp /usr/bin/e7-keep-1 >/dev/null
e7ctl block udp /usr/bin/e7-keep-2 to 198.18.9.0/24 port 53 >/dev/null
e7ctl allow any /opt/e7-keep/ to 2001:2:0:9::/64 port 1000-2000 user 1500 >/dev/null
e7ctl block tcp /usr/bin/e7-keep-3 in user 1500 >/dev/null

rules_snapshot 6
check_rules "before the faults"

# median_max FILE: "median M ms, max X ms" of the numbers in FILE.
median_max() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { printf "median %d ms, max %d ms", v[int((NR + 1) / 2)], v[NR] }'
}

phase rules-and-namespace

# --- 1. e7d SIGKILLed and restarted by systemd, with prompts open ---------
# systemd stops a unit that starts more than StartLimitBurst (5) times in
# StartLimitIntervalSec (10 s): the test resets that counter before each
# kill (systemctl reset-failed), the unit is not changed for it.
e7ctl set prompt-timeout 120
: >/tmp/restart.ms
released=0 started=0
for i in $(seq "$KILLS"); do
	agent_start --answer ignore
	clients=()
	for c in 1 2; do
		rm -f "/tmp/c$c"
		(CONNECT_TIMEOUT=60 connect "r$i-$c" && echo ok >"/tmp/c$c") &
		clients+=($!)
	done
	started=$((started + 2))
	# e7d coalesces the prompts of one program and uid: one Ask, two
	# held flows.
	for _ in $(seq 150); do
		held=$(stat_of held-now)
		((held >= 2)) && grep -q '^ask' /tmp/agent.out && break
		sleep 0.1
	done
	((held >= 2)) || e7_fail "cycle $i: $held flows held, not 2"
	grep -q '^ask' /tmp/agent.out || e7_fail "cycle $i: the agent was not asked: $(cat /tmp/agent.out)"
	pending=$(stat_of prompts-pending)
	((pending >= 1)) || e7_fail "cycle $i: no prompt pending"
	systemctl reset-failed e7d
	old=$(e7d_pid)
	t0=$(us)
	kill -9 "$old"
	for _ in $(seq 300); do
		pid=$(e7d_pid)
		[[ $pid != 0 && $pid != "$old" ]] && systemctl is-active --quiet e7d && break
		sleep 0.05
	done
	if ! systemctl is-active --quiet e7d; then
		e7_fail "cycle $i: e7d not restarted ($(systemctl show -P Result e7d))"
	fi
	e7d_wait_connected
	echo $(($(ms_since "$t0"))) >>/tmp/restart.ms
	check_rules "after restart $i"
	# The clients held when e7d died are released by the no-daemon policy
	# (allow in the desktop profile).
	wait "${clients[@]}" 2>/dev/null || true
	for c in 1 2; do [[ -e /tmp/c$c ]] && released=$((released + 1)); done
	agent_stop
done
((released == started)) || e7_fail "$released of $started held clients completed (policy no-daemon: $(e7ctl get policy-no-daemon))"
e7_log "e7d killed $KILLS times with a prompt open and 2 flows held: restarted and connected in $(median_max /tmp/restart.ms); $released of $started held clients released"

phase kills

# After the last restart nothing stays held: one more kill with fresh held
# flows and no agent to restart, then held-now must reach 0 within the hold
# timeout.
agent_start --answer ignore
clients=()
for c in 1 2 3; do (CONNECT_TIMEOUT=60 connect "last-$c" >/dev/null || true) & clients+=($!); done
for _ in $(seq 100); do held=$(stat_of held-now); ((held >= 3)) && break; sleep 0.1; done
((held >= 3)) || e7_fail "only $held flows held before the last kill"
systemctl reset-failed e7d
kill -9 "$(e7d_pid)"
agent_stop
t0=$(us)
for _ in $(seq 100); do systemctl is-active --quiet e7d && break; sleep 0.1; done
e7d_wait_connected
held=1
while (($(ms_since "$t0") < HOLD_MS)); do
	held=$(stat_of held-now)
	((held == 0)) && break
	sleep 0.2
done
((held == 0)) || e7_fail "$held flows still held $HOLD_MS ms after the last kill"
e7_log "after the last kill no flow is held $(ms_since "$t0") ms later (hold timeout $HOLD_MS ms)"
wait "${clients[@]}" 2>/dev/null || true
check_rules "after the last restart"

phase last-kill

# --- 2. The agent killed with SIGKILL while its prompt is open -------------
gone_action=$(e7ctl get policy-agent-gone | awk '{ print $NF }')
gone0=$(stat_of policy-agent-gone)
agent_start --answer ignore
rm -f /tmp/c1
(CONNECT_TIMEOUT=60 connect gone && echo ok >/tmp/c1; us >/tmp/c1.end) &
client=$!
for _ in $(seq 100); do grep -q '^ask' /tmp/agent.out && break; sleep 0.1; done
grep -q '^ask' /tmp/agent.out || e7_fail "the agent was not asked: $(cat /tmp/agent.out)"
old=$(e7d_pid)
t0=$(us)
kill -9 "$APID"
wait "$APID" 2>/dev/null || true
wait "$client" || true
decided=$((($(cat /tmp/c1.end) - t0) / 1000))
case $gone_action in
allow) [[ -e /tmp/c1 ]] || e7_fail "policy agent-gone is allow, the connection failed" ;;
block) [[ -e /tmp/c1 ]] && e7_fail "policy agent-gone is block, the connection succeeded" ;;
*) e7_fail "policy-agent-gone is '$gone_action'" ;;
esac
# socat waits for the echo (allow) or gets EPERM (block): either way, far
# below the 120 s prompt timeout.
((decided < 10000 * SLOW)) || e7_fail "the flow was decided $decided ms after the agent died"
(($(stat_of policy-agent-gone) == gone0 + 1)) || e7_fail "agent-gone not counted: $(e7ctl stats)"
e7ctl log | grep -q "agent-gone" || e7_fail "agent-gone not logged: $(e7ctl log | tail -5)"
[[ $(e7d_pid) == "$old" ]] || e7_fail "e7d restarted when the agent died"
e7_log "agent SIGKILLed mid-prompt: flow decided ($gone_action) $decided ms after the kill, e7d pid $old still up"

phase agent-gone

# --- 3. No polkit agent; no polkitd ----------------------------------------
# rules.system is auth_admin_keep: without an authentication agent polkitd
# refuses at once.
t0=$(us)
expect_exit 3 e7_as_user e7test e7ctl allow tcp /usr/bin/e7-nopk
t=$(ms_since "$t0")
grep -q "rules.system" /tmp/expect.out || e7_fail "refusal does not name the action: $(cat /tmp/expect.out)"
if e7_as_user e7test "${E7CALL[@]}" --method org.eftirlit7.Firewall1.AddRule \
	"{'text': <'allow tcp /usr/bin/e7-nopk'>}" 2>/tmp/gdbus.err; then
	e7_fail "e7test added a system rule"
fi
grep -q "org.eftirlit7.Firewall1.Error.NotAuthorized" /tmp/gdbus.err || e7_fail "no NotAuthorized: $(cat /tmp/gdbus.err)"
((t < 5000 * SLOW)) || e7_fail "the refusal took $t ms"
# polkitd gone and not activatable (masked): a clear error, no hang.
systemctl mask --runtime --quiet polkit.service
systemctl stop polkit.service
t0=$(us)
rc=0
e7_as_user e7test timeout 30 e7ctl allow tcp /usr/bin/e7-nopk >/tmp/nopolkit.out 2>&1 || rc=$?
t2=$(ms_since "$t0")
systemctl unmask --runtime --quiet polkit.service
systemctl start polkit.service
((rc != 0 && rc != 124)) || e7_fail "without polkitd e7test's request exited $rc: $(cat /tmp/nopolkit.out)"
((t2 < 10000 * SLOW)) || e7_fail "without polkitd the refusal took $t2 ms"
systemctl is-active --quiet e7d || e7_fail "e7d died"
e7ctl list | grep -q e7-nopk && e7_fail "a refused rule was added"
e7_log "no polkit agent: NotAuthorized in $t ms; polkitd masked: exit $rc in $t2 ms ($(head -c 200 /tmp/nopolkit.out))"
check_rules "after the polkit faults"

phase polkit

# --- 5. The rules file on a full disk ---------------------------------------
systemctl stop e7d
rm -rf /tmp/e7state
cp -a /var/lib/eftirlit7 /tmp/e7state
mount -t tmpfs -o size=64k,mode=0755 e7full /var/lib/eftirlit7
cp -a /tmp/e7state/. /var/lib/eftirlit7/
systemctl start e7d
e7d_wait_connected
check_rules "on the small tmpfs"
dd if=/dev/zero of=/var/lib/eftirlit7/fill bs=4k 2>/dev/null || true
df -k /var/lib/eftirlit7 | tail -1
cp /var/lib/eftirlit7/rules /tmp/rules.before-full
rc=0
e7ctl allow tcp /usr/bin/e7-full >/tmp/full.out 2>&1 || rc=$?
((rc != 0)) || e7_fail "adding a rule on a full disk succeeded: $(cat /tmp/full.out)"
grep -q "cannot write /var/lib/eftirlit7/rules: .*No space left on device" /tmp/full.out ||
	e7_fail "the error does not name the write failure: $(cat /tmp/full.out)"
cmp -s /tmp/rules.before-full /var/lib/eftirlit7/rules || e7_fail "the rules file changed"
leftover=$(find /var/lib/eftirlit7 -name 'rules?*' | wc -l)
((leftover == 0)) || e7_fail "temporary files left: $(ls -la /var/lib/eftirlit7)"
e7ctl list | grep -q e7-full && e7_fail "the refused rule is listed (half-applied)"
check_rules "after the refused add"
e7_log "add on a full disk: exit $rc, '$(cat /tmp/full.out)'; file byte-identical, rule not in e7d nor the module"
# Removing, changing and clearing persistent rules rewrite the file too:
# each fails with the write error and leaves e7d, the module and the file
# as they were (e7d writes the file before it drops or keeps a change).
keep=$(e7ctl list | awk '/e7-keep-1/ { print $1 }')
[[ -n $keep ]] || e7_fail "no rule e7-keep-1: $(e7ctl list)"
for op in remove update clear; do
	rc=0
	case $op in
	remove) e7ctl clear "$keep" >/tmp/full.out 2>&1 || rc=$? ;;
	clear) e7ctl clear all >/tmp/full.out 2>&1 || rc=$? ;;
	update) "${E7CALL[@]}" --method org.eftirlit7.Firewall1.UpdateRule "$keep" \
		"{'remote-port': <uint16 80>}" >/tmp/full.out 2>&1 || rc=$? ;;
	esac
	((rc != 0)) || e7_fail "$op on a full disk succeeded: $(cat /tmp/full.out)"
	grep -q "cannot write /var/lib/eftirlit7/rules: .*No space left on device" /tmp/full.out ||
		e7_fail "the $op error does not name the write failure: $(cat /tmp/full.out)"
	cmp -s /tmp/rules.before-full /var/lib/eftirlit7/rules || e7_fail "the rules file changed on $op"
	check_rules "after the refused $op"
	e7_log "$op on a full disk: exit $rc; file, e7d and module unchanged"
done
rm /var/lib/eftirlit7/fill
systemctl stop e7d
umount /var/lib/eftirlit7
systemctl start e7d
e7d_wait_connected

phase full-disk

systemctl stop e7d
e7_log "ok"
