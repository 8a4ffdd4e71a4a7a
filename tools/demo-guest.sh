#!/bin/bash
# vm-mode: system
# vm-timeout: 400
# The README demo, run inside the VM by tools/demo.sh (and by the test suite,
# so that the README stays true): the product as a user meets it. systemd
# runs e7d with the module loaded; the administrator adds rules with e7ctl;
# the desktop user e7test runs the applet on an X display (Xvfb); a program
# with no rule is held and asked about in the applet's prompt, saved as a
# screenshot and answered with a click (Allow, forever), which makes a rule;
# a blocked program is refused; e7ctl shows the rules, the log and the
# counters. All traffic goes to a test host in a network namespace.
set -eu
. "$E7_SRCDIR/tests/vm/e7d/common.sh"
. "$E7_SRCDIR/tests/vm/applet/x-session.bash"
say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
GRANT=/etc/polkit-1/rules.d/50-e7-demo.rules

E7X_USER=e7test
e7x_need
e7x_setup "$GRANT"
trap 'set +e; e7x_restore "$GRANT"' EXIT
say "Linux $(uname -r): the module is loaded and systemd runs e7d"
run systemctl is-active e7d.service
run e7ctl mode

say "A test host, 198.18.1.2, runs an echo server on TCP port 7"
e7_netns_add srv 1
e7_serve srv tcp 7

py=$(readlink -f "$(command -v python3)")
nc=$(readlink -f "$(command -v nc)")
socat=$(readlink -f "$(command -v socat)")
say "The administrator's rules, with e7ctl (polkit: root may)"
run e7ctl allow tcp "$py" to 198.18.1.2 port 7 >/dev/null
run e7ctl block tcp "$nc" >/dev/null
run e7ctl list

say "The desktop user e7test logs in: an X display and the applet, e7test's prompt agent"
e7x_start
e7x_applet en system
for ((n = 0; n < 100; n++)); do
	[[ $(e7ctl --json stats | json_member agents) == 1 ]] && break
	sleep 0.1
done
echo '$ e7ctl stats | grep agents'
e7ctl stats | grep '^agents:'

say "An allowed program connects ($py)"
out=$(e7x_run python3 -c '
import socket
s = socket.create_connection(("198.18.1.2", 7), timeout=10)
s.sendall(b"hello\n")
print(s.recv(64).decode().strip())') || e7_fail "the allowed program failed: $out"
echo "python3 got its echo back: $out"

say "A blocked program is refused at once ($nc)"
start=$(date +%s%N)
e7x_run nc -v -w 3 198.18.1.2 7 </dev/null 2>"$E7X_TMP/nc.err" &&
	e7_fail "netcat connected although it is blocked"
echo "netcat: $(cat "$E7X_TMP/nc.err") after $((($(date +%s%N) - start) / 1000000)) ms"
grep -q refused "$E7X_TMP/nc.err" || e7_fail "netcat was not refused: $(cat "$E7X_TMP/nc.err")"

say "A program with no rule ($socat): the module holds its connection, e7d asks e7test's applet"
e7x_run socat -T 30 - TCP:198.18.1.2:7,connect-timeout=30 <<<"hello from socat" >"$E7X_TMP/socat.out" 2>&1 &
client=$!
e7x_window >/dev/null || e7_fail "no prompt appeared: $(e7x_applet_log | tail -20)"
e7x_shot demo-prompt
echo "The prompt on e7test's screen is saved as demo-prompt.png (tools/demo.sh prints where)"
echo "e7test chooses \"forever\" and clicks Allow"
e7x_keys alt+r
sleep 0.3
e7x_keys End
sleep 0.3
e7x_click allow
wait "$client" || e7_fail "socat failed after Allow: $(cat "$E7X_TMP/socat.out")"
echo "socat got its echo back: $(cat "$E7X_TMP/socat.out")"

say "The answer is a rule for e7test's socat, kept in /var/lib/eftirlit7/rules"
run e7ctl list
grep -q "^allow .*$socat.* user 1500" /var/lib/eftirlit7/rules ||
	e7_fail "no rule for socat: $(cat /var/lib/eftirlit7/rules)"
run grep "$socat" /var/lib/eftirlit7/rules

say "What e7d saw (e7ctl log) and its counters (e7ctl stats)"
run e7ctl log --count 6
echo '$ e7ctl stats'
e7ctl stats | grep -E '^(rules|prompts|prompts-answered|agents):|^  (flows|held|released|blocked|allowed)[a-z_]*:'
say "Demo done"
