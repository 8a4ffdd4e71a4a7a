#!/bin/bash
# vm-mode: system
# vm-timeout: 300
# The system bus restarted under e7d (issue 7), the way an administrator or
# a dbus package upgrade does it: `systemctl restart dbus.service` (Debian's
# unit allows it; dbus.socket stays and queues new connections meanwhile).
# e7d loses its connection, exits with status 1 (e7d/main.c: exit-on-close
# off, a "closed" handler) and systemd's Restart=on-failure starts it again
# on the new bus. Checked, with figures:
#   - while e7d is gone the module enforces alone: a program with an allow
#     rule connects (a prober connects every ~0.1 s through the outage), an
#     unknown program is decided by the nodaemon policy at once (a second
#     prober, a user without an agent), and a flow held for a prompt at the
#     restart is decided at once (e7d's agent-error or the module's
#     nodaemon policy, whichever sees the loss first), not by the hold
#     timeout;
#   - the time from the restart to e7d owning its name and being connected
#     to the module again;
#   - the rules listed, in the file and in the module are the same after;
#   - an agent that registers again gets the next prompt and answers it.
set -u
. "$E7_SRCDIR/tests/vm/e7d/common.sh"

unit_state() { systemctl show e7d -p NRestarts,Result,ExecMainStatus | paste -sd ' '; }
name_owned() {
	timeout 3 gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
		--method org.freedesktop.DBus.NameHasOwner org.eftirlit7.Firewall1 2>/dev/null | grep -q true
}

e7d_install
e7d_grant_own e7test
# The unknown prober's user: no agent ever registers for it.
id e7probe >/dev/null 2>&1 || useradd -u 1501 -M -s /usr/sbin/nologin e7probe ||
	e7_fail "cannot add the user e7probe"
# The allowed prober: bash under a name that has a rule.
ALLOWED=/usr/local/bin/e7-allowed-bash
install -m 755 "$(readlink -f /bin/bash)" "$ALLOWED"
trap 'touch /tmp/e7probe.stop; kill $(jobs -p) 2>/dev/null || true
	ip netns del ns1 2>/dev/null || true' EXIT
e7_netns_add ns1 1
e7_serve ns1 tcp 7001
"${E7CALL[@]}" --method org.eftirlit7.Firewall1.SetMode ask >/dev/null || e7_fail "cannot set mode ask"
e7ctl set prompt-timeout 120 >/dev/null || e7_fail "cannot set prompt-timeout"
ND=$(e7ctl get policy-no-daemon | awk '{ print $NF }')
[[ $ND == allow || $ND == block ]] || e7_fail "policy-no-daemon is '$ND'"
GONE=$(e7ctl get policy-agent-gone | awk '{ print $NF }')
[[ $GONE == allow || $GONE == block ]] || e7_fail "policy-agent-gone is '$GONE'"
HOLD_MS=$(cat /sys/module/eftirlit7/parameters/hold_timeout_ms)

# Persistent rules: the echo server (root's socat in ns1), the allowed
# prober, and two of other shapes.
e7ctl allow tcp "$SOCAT" in user 0 >/dev/null
e7ctl allow tcp "$SOCAT" user 0 >/dev/null
e7ctl allow tcp "$ALLOWED" user 1500 >/dev/null
e7ctl block udp /usr/bin/e7-keep-2 to 198.18.9.0/24 port 53 >/dev/null
e7ctl allow any /opt/e7-keep/ to 2001:2:0:9::/64 port 1000-2000 user 1500 >/dev/null
rules_snapshot 5
check_rules "before the restart"
phase setup

# --- A prompt open at the restart -------------------------------------------
agent_start --answer ignore
rm -f /tmp/held.res
(
	rc=0
	e7_as_user e7test timeout 60 python3 -c \
		'import socket; socket.create_connection(("198.18.1.2", 7001), timeout=50)' \
		>/tmp/held.out 2>&1 || rc=$?
	echo "$rc $(us)" >/tmp/held.res
) &
held_client=$!
for ((n = 0; n < 150; n++)); do
	grep -q '^ask' /tmp/agent.out && (($(stat_of held-now) >= 1)) && break
	sleep 0.1
done
grep -q '^ask' /tmp/agent.out || e7_fail "the agent was not asked: $(cat /tmp/agent.out)"

# --- The probers: connect every ~0.1 s until told to stop --------------------
cat >/tmp/e7probe.bash <<'PROBE'
while [[ ! -e /tmp/e7probe.stop ]]; do
	t=${EPOCHREALTIME/./}
	if : 3<>/dev/tcp/198.18.1.2/7001; then rc=0; else rc=1; fi
	echo "$t $rc ${EPOCHREALTIME/./}"
	sleep 0.05
done 2>/dev/null
PROBE
rm -f /tmp/e7probe.stop
e7_as_user e7test "$ALLOWED" /tmp/e7probe.bash >/tmp/probe.allowed &
e7_as_user e7probe /bin/bash /tmp/e7probe.bash >/tmp/probe.unknown &
for ((n = 0; n < 100; n++)); do
	(($(wc -l </tmp/probe.allowed) >= 3 && $(wc -l </tmp/probe.unknown) >= 3)) && break
	sleep 0.1
done
(($(wc -l </tmp/probe.unknown) >= 3)) || e7_fail "the unknown prober does not run: $(cat /tmp/probe.unknown)"
nd0=$(stat_of nodaemon)
na0=$(stat_of policy-no-agent)
e7_log "before: e7d $(unit_state), nodaemon $nd0, no-agent $na0, policy-no-daemon $ND"
phase prompt-and-probers

# --- The restart ---------------------------------------------------------------
old=$(e7d_pid)
t0=$(us)
since=$(date '+%Y-%m-%d %H:%M:%S')
systemctl restart dbus.service || e7_fail "systemctl restart dbus failed"
bus_ms=$(ms_since "$t0")
own_ms=
for ((n = 0; n < 600; n++)); do
	pid=$(e7d_pid)
	if [[ $pid != 0 && $pid != "$old" ]] && name_owned; then
		own_ms=$(ms_since "$t0")
		break
	fi
	sleep 0.05
done
if [[ -z $own_ms ]]; then
	journalctl --no-pager --since "$since" -u e7d -u dbus | tail -20
	e7_fail "e7d is not back on the bus 30 s after the restart (e7d $(unit_state), $(systemctl is-active e7d))"
fi
e7d_wait_connected
conn_ms=$(ms_since "$t0")
# Type=dbus: systemd calls e7d started once it sees the name on the new bus.
for ((n = 0; n < 200; n++)); do
	systemctl is-active --quiet e7d && break
	sleep 0.05
done
active_ms=$(ms_since "$t0")
systemctl is-active --quiet e7d || e7_fail "systemd has e7d $(systemctl is-active e7d) although it owns its name"
e7_log "FIGURE dbus restarted in $bus_ms ms; e7d (pid $old -> $(e7d_pid)) owned its name $own_ms ms, was connected to the module $conn_ms ms and active for systemd $active_ms ms after the restart began"
e7_log "e7d after: $(unit_state); polkit $(systemctl is-active polkit)"
journalctl --no-pager --since "$since" -u e7d -o cat | grep -v '^$' | head -8

# The flow held for the prompt is decided at once, by whoever sees the loss
# first: e7d, whose Ask call to the agent fails as its connection closes
# (the agent-gone action), or the module, by the nodaemon policy once e7d
# has left. Which one wins is a race (e7d may exit before it logs), so the
# test asks only that it is decided, well before the hold timeout.
wait "$held_client"
read -r held_rc held_end </tmp/held.res
held_ms=$(((held_end - t0) / 1000))
if journalctl --no-pager --since "$since" -u e7d -o cat | grep -q 'policy agent-\(error\|gone\): [a-z]* .*python3'; then
	held_by="e7d's agent-gone action ($GONE)"
else
	held_by="the agent-gone action ($GONE) or the module's nodaemon policy ($ND)"
fi
((held_ms < HOLD_MS)) || e7_fail "the held flow was decided $held_ms ms after the restart (hold timeout $HOLD_MS ms)"
e7_log "FIGURE the flow held for a prompt: decided by $held_by, client exit $held_rc, $held_ms ms after the restart began"
if kill -0 "$APID" 2>/dev/null; then
	e7_log "the old agent (e7ctl agent) is still running"
else
	e7_log "the old agent (e7ctl agent) exited with the bus"
fi
agent_stop

# Two more seconds of probes with e7d back, then the figures.
sleep 2
touch /tmp/e7probe.stop
sleep 0.5
t_conn=$((t0 + conn_ms * 1000))
# probe_figures FILE: "N probes (K failed), M during the outage, longest X ms"
probe_figures() {
	awk -v a="$t0" -v b="$t_conn" '
		{ n++; if ($2 != 0) f++; d = ($3 - $1) / 1000; if (d > max) max = d
		  if (d > 1000) slow++; if ($1 >= a && $1 <= b) o++ }
		END { printf "%d %d %d %d %d", n, f, o, max, slow }' "$1"
}
read -r an af ao amax aslow <<<"$(probe_figures /tmp/probe.allowed)"
read -r un uf uo umax uslow <<<"$(probe_figures /tmp/probe.unknown)"
nd1=$(stat_of nodaemon)
na1=$(stat_of policy-no-agent)
e7_log "FIGURE allowed prober: $an probes, $af failed, $ao during the outage, longest $amax ms, $aslow over 1 s"
e7_log "FIGURE unknown prober: $un probes, $uf failed, $uo during the outage, longest $umax ms, $uslow over 1 s; module nodaemon +$((nd1 - nd0)), e7d no-agent +$((na1 - na0))"
((af == 0)) || e7_fail "the program with an allow rule failed $af times: $(awk '$2 != 0' /tmp/probe.allowed | head -3)"
((ao >= 1)) || e7_fail "no allowed probe ran during the outage"
((uo >= 1)) || e7_fail "no unknown probe ran during the outage"
# Nothing waits for the hold timeout. (How fast a connect is under TCG on a
# loaded host is a figure above, not a bound: a probe met a 3.3 s stall once.)
((amax < HOLD_MS)) || e7_fail "an allowed probe took $amax ms (hold timeout $HOLD_MS ms)"
((umax < HOLD_MS)) || e7_fail "an unknown probe took $umax ms (held to the hold timeout $HOLD_MS ms)"
# The unknown probes of the outage are nodaemon decisions (the held flow
# may or may not be one: see above).
((nd1 - nd0 >= 1)) ||
	e7_fail "the module decided $((nd1 - nd0)) flows by the nodaemon policy: no unknown probe met it"
check_rules "after the restart"
phase restart

# --- An agent registers again and gets the next prompt -----------------------
agent_start --answer allow --lifetime once
t1=$(us)
e7_as_user e7test timeout 60 python3 -c \
	'import socket; socket.create_connection(("198.18.1.2", 7001), timeout=50)' >/tmp/next.out 2>&1 ||
	e7_fail "the next unknown program failed with the agent answering allow: $(cat /tmp/next.out)"
grep -q '^ask' /tmp/agent.out || e7_fail "the new agent was not asked: $(cat /tmp/agent.out)"
grep -q '^answered .* allow' /tmp/agent.out || e7_fail "the new agent did not answer: $(cat /tmp/agent.out)"
e7_log "FIGURE agent registered again: asked and answered allow, the client connected $(ms_since "$t1") ms after its start"
agent_stop
systemctl is-active --quiet e7d || e7_fail "e7d is not running at the end"
phase agent-again
e7_log "ok"
