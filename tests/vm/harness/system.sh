#!/bin/bash
# vm-mode: system
# System mode gives tests what the daemon and applet need: systemd as PID 1,
# the real system bus, and polkitd answering authorization checks.
set -eu
. "$E7_SRCDIR/tests/vm/lib.sh"
[[ $(cat /proc/1/comm) == systemd ]] || e7_fail "PID 1 is $(cat /proc/1/comm), not systemd"
systemctl is-active --quiet dbus.service || systemctl start dbus.service
names=$(gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
	--method org.freedesktop.DBus.ListNames)
e7_log "system bus names: $names"
[[ $names == *org.freedesktop.DBus* ]] || e7_fail "the system bus does not answer"
# polkitd is bus-activated: root is authorized for any action, e7test is not
# authorized for an admin-only action without an agent.
pkcheck --action-id org.freedesktop.policykit.exec --process $$ ||
	e7_fail "polkit refused root"
systemctl is-active --quiet polkit.service || e7_fail "polkitd did not start"
if e7_as_user e7test bash -c 'pkcheck --action-id org.freedesktop.policykit.exec --process $$' 2>&1; then
	e7_fail "polkit authorized an unprivileged user for an admin action"
fi
e7_log "polkit: root authorized, e7test refused"
