#!/bin/bash
# vm-mode: system
# vm-timeout: 300
# The real applet dying mid-prompt (issue 7): e7-applet as e7test on Xvfb,
# registered with the real e7d, shows a prompt for a held connection;
#   1. the applet is SIGKILLed: e7d decides the held flow by its agent-gone
#      policy at once (not after the prompt timeout) and stays up;
#   2. the applet is started again: it registers again, the next unknown
#      program gets a prompt window and a click on Allow lets it connect;
#   3. the applet's session dbus-daemon is SIGKILLed mid-prompt: the applet
#      goes with its session (GDBus's exit-on-close), and the held flow is
#      decided as in 1; a new session bus and applet get the next prompt.
# Figures: the time from each kill to the client's result, from each
# restart to the registration, and the phase times.
set -u
. "$E7_SRCDIR/tests/vm/e7d/common.sh"
. "$E7_SRCDIR/tests/vm/applet/x-session.bash"

E7X_USER=e7test
e7x_need
for tool in socat perl python3 identify convert; do
	command -v "$tool" >/dev/null || e7_skip "$tool is not installed"
done
e7x_setup /etc/polkit-1/rules.d/50-e7-applet-crash.rules
# A prompt left unanswered would be decided after 120 s: any result well
# before that comes from the agent-gone policy.
e7ctl set prompt-timeout 120 >/dev/null || e7_fail "cannot set prompt-timeout"

e7_netns_add srv 1
e7_serve srv tcp 7

fail() {
	e7_log "applet log:"
	e7x_applet_log | tail -30
	e7_fail "$@"
}

e7x_start
trap 'e7x_restore /etc/polkit-1/rules.d/50-e7-applet-crash.rules' EXIT

# registered N: wait until e7d counts N agents; print the milliseconds.
registered() {
	local t0 n agents=
	t0=$(us)
	for ((n = 0; n < 200; n++)); do
		agents=$(stat_of agents)
		((agents == $1)) && { echo $((($(us) - t0) / 1000)); return 0; }
		sleep 0.1
	done
	fail "e7d counts ${agents:-no} agents, not $1"
}

# client NAME CMD...: run CMD as e7test in the X session in the background
# (pid in CPID); its exit status and end time (us) land in $E7X_TMP/NAME.rc
# and $E7X_TMP/NAME.end.
client() {
	local name=$1
	shift
	rm -f "$E7X_TMP/$name".*
	(
		rc=0
		e7x_run "$@" >"$E7X_TMP/$name.out" 2>&1 || rc=$?
		us >"$E7X_TMP/$name.end"
		echo "$rc" >"$E7X_TMP/$name.rc"
	) &
	CPID=$!
}
PY_CONNECT='import socket; s = socket.create_connection(("198.18.1.2", 7), timeout=60); s.sendall(b"e7\n"); assert s.recv(8) == b"e7\n"'

# killed_mid_prompt WHAT PID NAME: with NAME's prompt window on screen,
# SIGKILL PID (the applet or its session bus) and check that the held flow
# is decided by the agent-gone policy promptly, e7d staying up.
killed_mid_prompt() {
	local what=$1 pid=$2 name=$3 t0 ms rc gone0 e7d0 n
	e7x_window >/dev/null || fail "$what: no prompt window for $name"
	(($(stat_of held-now) >= 1)) || fail "$what: no flow held while the prompt is open"
	gone0=$(stat_of policy-agent-gone)
	e7d0=$(e7d_pid)
	t0=$(us)
	kill -9 "$pid"
	wait "$CPID"
	ms=$((($(cat "$E7X_TMP/$name.end") - t0) / 1000))
	rc=$(cat "$E7X_TMP/$name.rc")
	case $GONE in
	allow) ((rc == 0)) || fail "$what: agent-gone is allow, $name failed: $(cat "$E7X_TMP/$name.out")" ;;
	block) ((rc != 0)) || fail "$what: agent-gone is block, $name connected" ;;
	esac
	((ms < 10000)) || fail "$what: $name's flow was decided $ms ms after the kill"
	(($(stat_of policy-agent-gone) == gone0 + 1)) || fail "$what: agent-gone not counted once: $(e7ctl stats)"
	if [[ $(e7d_pid) != "$e7d0" ]] || ! systemctl is-active --quiet e7d; then
		fail "$what: e7d did not stay up (pid $e7d0, now $(e7d_pid))"
	fi
	for ((n = 0; n < 50; n++)); do
		(($(stat_of held-now) == 0)) && break
		sleep 0.1
	done
	(($(stat_of held-now) == 0)) || fail "$what: flows still held"
	e7x_window e7-prompt 1 >/dev/null && fail "$what: a prompt window outlived the applet"
	e7_log "FIGURE $what mid-prompt: $name decided by agent-gone ($GONE, exit $rc) $ms ms after the kill; e7d pid $e7d0 still up"
}

GONE=$(e7ctl get policy-agent-gone | awk '{ print $NF }')
[[ $GONE == allow || $GONE == block ]] || e7_fail "policy-agent-gone is '$GONE'"
phase setup

e7x_applet en system
e7_log "applet registered $(registered 1) ms after it was ready"
phase applet

# --- 1. The applet SIGKILLed with its prompt on screen --------------------
client py python3 -c "$PY_CONNECT"
e7x_asked_for '/.*python3.*'
killed_mid_prompt "applet SIGKILLed" "$E7X_APPLET" py
wait "$E7X_APPLET" 2>/dev/null
E7X_APPLET=
registered 0 >/dev/null
phase applet-kill

# --- 2. Started again: registered, prompts, a click answers ---------------
t0=$(us)
e7x_applet en system
ms=$(registered 1)
e7_log "FIGURE applet restarted: registered with e7d $((($(us) - t0) / 1000)) ms after its start"
client perl perl -MIO::Socket::INET -e \
	'IO::Socket::INET->new(PeerAddr => "198.18.1.2:7", Timeout => 60) or exit 1'
e7x_asked_for '/.*perl.*'
e7x_window >/dev/null || fail "no prompt window after the restart"
e7x_shot crash-after-restart
t0=$(us)
e7x_click allow
wait "$CPID"
(($(cat "$E7X_TMP/perl.rc") == 0)) || fail "perl failed after Allow: $(cat "$E7X_TMP/perl.out")"
e7_log "FIGURE restarted applet: Allow clicked, perl connected $((($(cat "$E7X_TMP/perl.end") - t0) / 1000)) ms later"
phase applet-restart

# --- 3. The session bus SIGKILLed with a prompt on screen ------------------
client bash bash -c 'exec 3<>/dev/tcp/198.18.1.2/7'
e7x_asked_for '/.*bash'
killed_mid_prompt "session bus SIGKILLed" "$E7X_BUS_PID" bash
for ((n = 0; n < 50; n++)); do
	kill -0 "$E7X_APPLET" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$E7X_APPLET" 2>/dev/null && fail "the applet outlived its session bus"
wait "$E7X_APPLET" 2>/dev/null
E7X_APPLET=
registered 0 >/dev/null
# A new session, as at the next login: a new session bus, the applet, and
# the next prompt answered.
DBUS_SESSION_BUS_ADDRESS=unused
DBUS_SESSION_BUS_ADDRESS=$(e7x_run dbus-daemon --session --fork --print-address=1 \
	--print-pid=1 | tee "$E7X_TMP/bus" | head -n1) || e7_fail "no session bus"
export DBUS_SESSION_BUS_ADDRESS
E7X_BUS_PID=$(sed -n 2p "$E7X_TMP/bus")
e7x_applet en system
registered 1 >/dev/null
client py2 python3 -c "$PY_CONNECT"
e7x_asked_for '/.*python3.*'
e7x_window >/dev/null || fail "no prompt window with the new session bus"
e7x_click allow
wait "$CPID"
(($(cat "$E7X_TMP/py2.rc") == 0)) || fail "python3 failed after Allow: $(cat "$E7X_TMP/py2.out")"
e7_log "new session bus and applet: prompt answered, python3 connected"
phase session-bus-kill

e7x_stop_applet
systemctl is-active --quiet e7d || e7_fail "e7d is not running at the end"
e7_log "ok"
