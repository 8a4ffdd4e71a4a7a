#!/bin/bash
# vm-mode: system
# vm-timeout: 300
# Connection events are private. Two unprivileged users, e7test (1500) and
# e7other (1502), each connect with no agent (the policy decides and logs
# it): each reads only the events of their own programs (e7ctl log, e7ctl
# log --follow, which calls WatchEvents), a user that listens to e7d's
# signals without asking hears no ConnectionEvent, everyone's events
# (--all-users) are refused to a user (on a terminal, after pkttyagent asked
# for a password), and root reads them all. A blocked connection is still in
# its user's log, and only there, after a restart of e7d
# (/var/lib/eftirlit7/blocked-events).
set -eu
. "$E7_SRCDIR/tests/vm/e7d/common.sh"

e7d_install
# uid 1501 is hardening/bus-restart.sh's e7probe, in the same boot.
id e7other >/dev/null 2>&1 || useradd -u 1502 -M -s /bin/bash e7other
trap 'kill $(jobs -p) 2>/dev/null || true; ip netns del ns1 2>/dev/null || true' EXIT
e7_netns_add ns1 1
e7_serve ns1 tcp 7001

# follow USER: "e7ctl --json log --follow" as USER into /tmp/follow.USER.
follow() {
	e7_as_user "$1" e7ctl --json log --follow --count 0 >"/tmp/follow.$1" 2>&1 &
}
# uids FILE: the uids of the JSON events in FILE (a list or JSON Lines),
# sorted, one a line.
uids() {
	python3 -c '
import json, sys
text = open(sys.argv[1]).read().strip()
events = json.loads(text) if text.startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
print("\n".join(sorted({str(e.get("uid", "none")) for e in events})))' "$1"
}
# both_users FILE: FILE has events of e7test and e7other (root's also have
# the echo server's side, uid 0).
both_users() { [[ $(uids "$1" | grep -cxE '1500|1502') == 2 ]]; }
connect_as() { # USER TAG
	e7_as_user "$1" timeout 15 "$SOCAT" -T8 -t8 - TCP:198.18.1.2:7001 <<<"e7-$2" | grep -q "e7-$2"
}

follow e7test
follow e7other
follow root
e7_as_user e7other gdbus monitor --system --dest org.eftirlit7.Firewall1 >/tmp/monitor.e7other 2>&1 &
# Each follower has called WatchEvents once e7d counts three watchers (the
# monitor only listens).
for _ in $(seq 100); do
	[[ $(e7ctl --json stats | json_member event-watchers) == 3 ]] && break
	sleep 0.1
done
[[ $(e7ctl --json stats | json_member event-watchers) == 3 ]] ||
	e7_fail "the followers are not watching: $(e7ctl stats; cat /tmp/follow.*)"

connect_as e7test a || e7_fail "e7test's connection failed"
connect_as e7other b || e7_fail "e7other's connection failed"
for _ in $(seq 100); do
	[[ -s /tmp/follow.e7test && -s /tmp/follow.e7other ]] && both_users /tmp/follow.root && break
	sleep 0.1
done
[[ $(uids /tmp/follow.e7test) == 1500 ]] || e7_fail "e7test followed: $(cat /tmp/follow.e7test)"
[[ $(uids /tmp/follow.e7other) == 1502 ]] || e7_fail "e7other followed: $(cat /tmp/follow.e7other)"
both_users /tmp/follow.root || e7_fail "root followed: $(cat /tmp/follow.root)"
e7_log "log --follow: e7test got $(wc -l </tmp/follow.e7test) event(s) of 1500, e7other $(wc -l </tmp/follow.e7other) of 1502, root both"

# The history, in one JSON document each.
e7_as_user e7test e7ctl --json log >/tmp/log.e7test
e7_as_user e7other e7ctl --json log >/tmp/log.e7other
e7ctl --json log >/tmp/log.root
[[ $(uids /tmp/log.e7test) == 1500 ]] || e7_fail "e7test's log: $(cat /tmp/log.e7test)"
[[ $(uids /tmp/log.e7other) == 1502 ]] || e7_fail "e7other's log: $(cat /tmp/log.e7other)"
both_users /tmp/log.root || e7_fail "root's log: $(cat /tmp/log.root)"

# Everyone's events need org.eftirlit7.firewall.info.all-users (an
# administrator's password; no agent here).
expect_exit 3 e7_as_user e7other e7ctl log --all-users
grep -q "info.all-users\|uthoriz" /tmp/expect.out || e7_fail "--all-users refused without a clear error: $(cat /tmp/expect.out)"
expect_exit 1 e7_as_user e7other "${E7CALL[@]}" --method org.eftirlit7.Firewall1.WatchEvents "{'all-users': <true>}"
grep -q NotAuthorized /tmp/expect.out || e7_fail "WatchEvents all-users: $(cat /tmp/expect.out)"

# On a terminal (script(1) gives one), e7ctl starts pkttyagent, as systemctl
# does: polkit asks there for an administrator's password; an empty one is
# typed once the prompt is there, and e7ctl is refused (exit 3).
rc=0
: >/tmp/tty.out
{
	# shellcheck disable=SC2094 # the prompt is awaited in the file script writes
	for _ in $(seq 300); do grep -q "Password:" /tmp/tty.out && break; sleep 0.1; done
	printf '\n'
} | e7_as_user e7other timeout 60 script -qfec "e7ctl log --all-users" /dev/null >/tmp/tty.out 2>&1 || rc=$?
grep -q "AUTHENTICATING FOR org.eftirlit7.firewall.info.all-users" /tmp/tty.out ||
	e7_fail "no polkit prompt on the terminal (exit $rc): $(cat /tmp/tty.out)"
((rc == 3)) || e7_fail "e7ctl log --all-users with an empty password: exit $rc, not 3: $(cat /tmp/tty.out)"
pgrep -u e7other pkttyagent >/dev/null && e7_fail "pkttyagent outlived e7ctl"
e7_log "on a terminal: pkttyagent asked for the password; refused with an empty one (exit $rc)"

# A user who listens without asking hears nothing of anyone's connections.
sleep 1
grep -q ConnectionEvent /tmp/monitor.e7other &&
	e7_fail "ConnectionEvent reached a listener that did not ask: $(grep -m3 ConnectionEvent /tmp/monitor.e7other)"
grep -q '' /tmp/monitor.e7other || e7_fail "gdbus monitor did not run"
e7_log "--all-users refused to e7other, no ConnectionEvent broadcast"

# block_ids USER: the ids of the blocked connections in USER's log.
block_ids() {
	e7_as_user "$1" e7ctl --json log >"/tmp/log.$1" || e7_fail "$1's log: $(cat "/tmp/log.$1")"
	python3 -c '
import json, sys
print(" ".join(str(e["id"]) for e in json.load(open(sys.argv[1])) if e.get("action") == "block"))' "/tmp/log.$1"
}
rid=$(e7ctl block tcp "$SOCAT" to 198.18.1.2 user 1502)
connect_as e7other c && e7_fail "e7other's connection went through a block rule"
for _ in $(seq 50); do [[ -n $(block_ids e7other) ]] && break; sleep 0.1; done
before=$(block_ids e7other)
[[ -n $before ]] || e7_fail "no blocked connection in e7other's log: $(cat /tmp/log.e7other)"
systemctl restart e7d
e7d_wait_connected
[[ $(block_ids e7other) == "$before" ]] ||
	e7_fail "blocked connections $before are not in e7other's log after a restart: $(cat /tmp/log.e7other)"
[[ -z $(block_ids e7test) ]] || e7_fail "e7test reads e7other's blocked connections after a restart"
[[ $(stat -c %a /var/lib/eftirlit7/blocked-events) == 600 ]] ||
	e7_fail "blocked-events is readable by others: $(stat -c %a /var/lib/eftirlit7/blocked-events)"
e7ctl clear "$rid" >/dev/null
e7_log "blocked connection(s) $before kept across a restart of e7d, in e7other's log only"
e7_log "ok"
