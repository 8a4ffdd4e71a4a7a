#!/bin/bash
# vm-mode: system
# vm-timeout: 600
# D-Bus fuzz of org.eftirlit7.Firewall1: every method with wrong types and
# arity, 1 MB strings, bad enum values, unknown rule ids, bad a{sv} keys and
# types, random signatures (as root), and the calls that change anything by
# an unprivileged user. Pass: each call fails with a named error, e7d keeps
# its pid, the rules and the mode do not change.
set -eu
. "$E7_SRCDIR/tests/vm/e7d/common.sh"

/usr/bin/python3 -c "from gi.repository import Gio" 2>/dev/null || e7_skip "python3-gi is not installed"
e7d_install
id=$(e7ctl allow tcp /usr/bin/fuzz-target) || e7_fail "e7ctl allow failed"
e7ctl block udp /usr/bin/fuzz-temp for 600s >/dev/null || e7_fail "e7ctl block failed"
before=$(e7ctl list)
mode=$(e7ctl mode)
pid=$(systemctl show -P MainPID e7d)
xml=$E7_SRCDIR/data/org.eftirlit7.Firewall1.xml

t0=$(date +%s%N)
/usr/bin/python3 "$E7_SRCDIR/tests/vm/e7d/dbus-fuzz.py" "$xml" root 7 600 >/tmp/fuzz-root.out 2>&1 ||
	{ cat /tmp/fuzz-root.out; e7_fail "root fuzz: a call did not fail with a named error"; }
t1=$(date +%s%N)
e7_as_user e7test /usr/bin/python3 "$E7_SRCDIR/tests/vm/e7d/dbus-fuzz.py" "$xml" user "$id" >/tmp/fuzz-user.out 2>&1 ||
	{ cat /tmp/fuzz-user.out; e7_fail "unprivileged fuzz: a call was not refused"; }
grep -q "^calls " /tmp/fuzz-root.out && grep -q "^calls " /tmp/fuzz-user.out || e7_fail "the fuzzer did not run"

[[ $(systemctl show -P MainPID e7d) == "$pid" ]] || e7_fail "e7d restarted or died (pid $pid)"
systemctl is-active --quiet e7d || e7_fail "e7d is not running"
[[ $(e7ctl list) == "$before" ]] || e7_fail "rules changed: $(diff <(echo "$before") <(e7ctl list))"
[[ $(e7ctl mode) == "$mode" ]] || e7_fail "mode changed to $(e7ctl mode)"
e7_log "D-Bus fuzz: root $(sed -n 's/^calls //p' /tmp/fuzz-root.out) calls in $(((t1 - t0) / 1000000)) ms," \
	"unprivileged $(sed -n 's/^calls //p' /tmp/fuzz-user.out) calls; all failed with named errors;" \
	"e7d pid $pid unchanged, RSS $(e7d_rss_kb) kB"
e7ctl clear "$id" >/dev/null
e7ctl clear all >/dev/null
systemctl stop e7d
e7_log "ok"
