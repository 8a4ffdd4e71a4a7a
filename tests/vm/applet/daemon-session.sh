#!/bin/bash
# vm-mode: fast
# The applet with the real e7d on a private session bus (e7d --session
# --no-kernel, so no module is needed): it registers as the user's agent,
# registers again when e7d restarts, and its rules window shows e7d's rules
# and follows changes made with e7ctl (screenshot as an artifact).
set -u
. "$E7_SRCDIR/tests/vm/lib.sh"
. "$E7_SRCDIR/tests/vm/applet/x-session.bash"

e7x_need
[[ -x $E7_BUILDDIR/e7d/e7d && -x $E7_BUILDDIR/e7ctl/e7ctl ]] || e7_skip "e7d is not built"
e7x_start
work=$(mktemp -d)
printf 'allow tcp /usr/bin/curl\nblock udp /usr/bin/dig to 198.18.0.0/15 port 53\n' >"$work/rules"
E7D=

start_e7d() {
	"$E7_BUILDDIR/e7d/e7d" --session --no-kernel --rules "$work/rules" --config /dev/null \
		>>"$work/e7d.log" 2>&1 &
	E7D=$!
	timeout 10 gdbus wait --session org.eftirlit7.Firewall1 ||
		e7_fail "e7d did not start: $(cat "$work/e7d.log")"
}

agents() {
	gdbus call --session --dest org.eftirlit7.Firewall1 --object-path /org/eftirlit7/Firewall1 \
		--method org.eftirlit7.Firewall1.GetStats |
		sed -n "s/.*'agents': <uint32 \([0-9]*\)>.*/\1/p"
}

wait_agents() {
	local n
	for ((n = 0; n < 100; n++)); do
		[[ $(agents) == "$1" ]] && return 0
		sleep 0.1
	done
	e7x_applet_log
	e7_fail "e7d counts $(agents) agents, expected $1"
}

start_e7d
e7x_applet en session
wait_agents 1
e7_log "the applet registered with e7d"

# e7d restarts: the applet follows the name and registers again.
kill "$E7D"
wait "$E7D" 2>/dev/null
sleep 0.5
kill -0 "$E7X_APPLET" || e7_fail "the applet died with e7d"
start_e7d
wait_agents 1
e7_log "the applet registered again after e7d restarted"

# The rules window (second start) shows e7d's rules and follows e7ctl.
LANG=C.UTF-8 LANGUAGE=en timeout 10 "$E7_BUILDDIR/applet/e7-applet" --session-bus ||
	e7_fail "the second start failed"
e7x_window e7-rules >/dev/null || e7_fail "no rules window"
"$E7_BUILDDIR/e7ctl/e7ctl" --session block tcp /usr/bin/nc >/dev/null || e7_fail "e7ctl block failed"
sleep 1
e7x_shot rules-e7d e7-rules
"$E7_BUILDDIR/e7ctl/e7ctl" --session list | grep -q "/usr/bin/nc" || e7_fail "e7d lacks the nc rule"

kill "$E7D"
wait "$E7D" 2>/dev/null
e7x_stop_applet
rm -rf "$work"
exit 0
