# Shared helpers of the e7d VM tests (sourced, not run).
# shellcheck shell=bash
. "$E7_SRCDIR/tests/vm/lib.sh"

e7_fail_context() {
	echo "--- e7d's journal, last lines"
	journalctl -u e7d --no-pager -n 12 -o short-monotonic 2>&1
}

E7CALL=(gdbus call --system --dest org.eftirlit7.Firewall1 --object-path /org/eftirlit7/Firewall1)

# e7d_install: install the build into the guest (tmpfs overlay), load the
# module, make the bus, polkit and systemd see the new files, start e7d.
# The installation is done once per boot (the tests of one boot share it).
e7d_install() {
	local marker=/run/e7d-vm-installed
	[[ -n ${E7_MODULE:-} && -f $E7_MODULE ]] || e7_skip "no eftirlit7.ko built for $E7_KVER"
	if [[ ! -e $marker ]]; then
		make -C "$E7_BUILDDIR" install >/tmp/e7d-install.log 2>&1 ||
			{ tail -30 /tmp/e7d-install.log; e7_fail "make install failed"; }
		gdbus call --system --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
			--method org.freedesktop.DBus.ReloadConfig >/dev/null || e7_fail "dbus ReloadConfig"
		systemctl daemon-reload
		systemctl restart polkit.service || e7_fail "cannot restart polkit"
		cp -a /etc/eftirlit7 /run/e7d-etc.installed
		touch "$marker"
	else
		# A later test of the same boot starts from the installed
		# configuration, whatever the test before it left behind.
		systemctl stop e7d.service
		pkill -x e7ctl || true
		# A test killed at its limit may leave its small tmpfs mounted.
		umount /var/lib/eftirlit7 2>/dev/null || true
		rm -rf /etc/eftirlit7 /var/lib/eftirlit7
		cp -a /run/e7d-etc.installed /etc/eftirlit7
		if [[ -e /etc/polkit-1/rules.d/50-e7test.rules ]]; then
			rm /etc/polkit-1/rules.d/50-e7test.rules
			systemctl restart polkit.service
		fi
	fi
	# The debug kernel has no nf_socket: the module loads without incoming
	# filtering there.
	if [[ $E7_KVER != *debug* ]]; then
		modprobe -a nf_socket_ipv4 nf_socket_ipv6 || e7_fail "cannot load nf_socket modules"
	fi
	grep -q "^eftirlit7 " /proc/modules || insmod "$E7_MODULE" || e7_fail "cannot load $E7_MODULE"
	systemctl start e7d.service || { journalctl -u e7d --no-pager | tail -30; e7_fail "e7d did not start"; }
	e7d_wait_connected
}

e7d_wait_connected() {
	local n
	for ((n = 0; n < 100; n++)); do
		"${E7CALL[@]}" --method org.freedesktop.DBus.Properties.Get \
			org.eftirlit7.Firewall1 KernelConnected 2>/dev/null | grep -q true && return 0
		sleep 0.1
	done
	journalctl -u e7d --no-pager | tail -30
	e7_fail "e7d is not connected to the module"
}

# agent_start OPTIONS: "e7ctl agent OPTIONS" as e7test in the background
# (its output in /tmp/agent.out, its pid in APID), once it has registered.
APID=
agent_start() {
	# Emptied here, not by the background job's redirection: the loop below
	# must not find the previous agent's "registered".
	: >/tmp/agent.out
	# setpriv execs e7ctl, so $! is the agent itself.
	setpriv --reuid="$(id -u e7test)" --regid="$(id -g e7test)" --init-groups \
		--inh-caps=-all -- e7ctl agent "$@" >/tmp/agent.out 2>&1 &
	APID=$!
	for _ in $(seq 100); do grep -q registered /tmp/agent.out && return 0; sleep 0.1; done
	e7_fail "agent did not register: $(cat /tmp/agent.out)"
}
agent_stop() { kill "$APID" 2>/dev/null || true; wait "$APID" 2>/dev/null || true; }

# connect TAG: e7test's socat sends "e7-TAG" to the echo server on
# 198.18.1.2:7001 (namespace ns1, e7_serve); exit 0 when the echo came back
# (socat waits up to 8 s for it after sending). CONNECT_TIMEOUT only stops a
# hung client; it is no time bound to meet.
SOCAT=$(readlink -f "$(command -v socat)")
connect() {
	e7_as_user e7test timeout "${CONNECT_TIMEOUT:-15}" "$SOCAT" -T8 -t8 - TCP:198.18.1.2:7001 <<<"e7-$1" |
		grep -q "e7-$1"
}

e7d_rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$(systemctl show -P MainPID e7d)/status"
}

# expect_exit CODE CMD...: run CMD, fail unless it exits with CODE.
expect_exit() {
	local want=$1 rc=0
	shift
	"$@" >/tmp/expect.out 2>&1 || rc=$?
	((rc == want)) || e7_fail "'$*' exited $rc, not $want: $(cat /tmp/expect.out)"
}

# e7d_grant_own USER: rules.own for USER as in an active local session
# (setpriv gives no logind session).
e7d_grant_own() {
	mkdir -p /etc/polkit-1/rules.d
	cat >/etc/polkit-1/rules.d/50-e7test.rules <<POLKIT
polkit.addRule(function(action, subject) {
	if (action.id == "org.eftirlit7.firewall.rules.own" && subject.user == "$1")
		return polkit.Result.YES;
});
POLKIT
	systemctl restart polkit.service
}

# Helpers of the fault tests (hardening/, applet/crash.sh).
PHASE0=$SECONDS
# phase NAME: the seconds since the previous phase (the CI budget's figures).
phase() { e7_log "time: $1 $((SECONDS - PHASE0)) s"; PHASE0=$SECONDS; }
us() { date +%s%6N; }
ms_since() { echo $((($(us) - $1) / 1000)); }
# json_member KEY: the value of KEY in the JSON on standard input, at the
# top level or nested (e7ctl --json stats keeps the module's counters under
# "kernel"); empty when absent.
json_member() {
	python3 -c '
import json, sys
def find(v, key):
    if isinstance(v, dict):
        if key in v:
            return v[key]
        for x in v.values():
            r = find(x, key)
            if r is not None:
                return r
    return None
r = find(json.load(sys.stdin), sys.argv[1])
print("" if r is None else json.dumps(r) if isinstance(r, (dict, list)) else r)' "$1"
}
stat_of() { # stat_of NAME: one counter of e7ctl --json stats (0 when absent)
	local v
	v=$(e7ctl --json stats | json_member "$1")
	echo "${v:-0}"
}
e7d_pid() { systemctl show -P MainPID e7d; }

file_rules() { grep -v '^[[:space:]]*\(#\|$\)' /var/lib/eftirlit7/rules | sort; }
listed_rules() {
	e7ctl --json list | python3 -c 'import json, sys; [print(r["text"]) for r in json.load(sys.stdin)]' | sort
}
# wait_hashed: e7d has learnt the content (sha256) of every rule for one
# existing program, and written it to the rules file: the file is stable.
wait_hashed() {
	local n
	for ((n = 0; n < 50; n++)); do
		e7ctl --json list | python3 -c '
import json, os, sys
def unhashed(r):
    p = r.get("program", "")
    return p and not p.endswith("/") and os.path.isfile(p) and "sha256" not in r
sys.exit(any(unhashed(r) for r in json.load(sys.stdin)))' && return 0
		sleep 0.1
	done
	e7_fail "rules without their program's sha256: $(e7ctl list)"
}
# rules_snapshot N: the rules file holds N rules; check_rules compares with it.
rules_snapshot() {
	wait_hashed
	file_rules >/tmp/rules.expected
	NRULES=$(wc -l </tmp/rules.expected)
	((NRULES == $1)) || e7_fail "the rules file holds $NRULES rules, not $1: $(cat /var/lib/eftirlit7/rules)"
	sha256sum /var/lib/eftirlit7/rules >/tmp/rules.sum
}
# "ID PROGRAM" of every rule e7d lists, and of every rule the module
# enforces (its own dump over generic netlink), sorted.
listed_rule_ids() {
	e7ctl --json list | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    print(r["id"], r.get("program", "-"))' | sort
}
kernel_rule_ids() {
	python3 "$E7_SRCDIR/tests/vm/module/e7nl.py" rules |
		awk '{ id = "-"; p = "-"
		       for (i = 1; i <= NF; i++) {
			       if ($i ~ /^id=/) id = substr($i, 4)
			       if ($i ~ /^path=/) p = substr($i, 6)
		       }
		       print id, p }' | sort
}
# check_kernel_agrees WHEN: what e7d lists is what the module enforces (the
# same ids and programs, within 5 s).
check_kernel_agrees() {
	for _ in $(seq 50); do
		listed_rule_ids >/tmp/rules.e7d
		kernel_rule_ids >/tmp/rules.kernel
		cmp -s /tmp/rules.e7d /tmp/rules.kernel && return 0
		sleep 0.1
	done
	e7_fail "$1: e7d lists other rules than the module enforces: $(diff /tmp/rules.e7d /tmp/rules.kernel | head -20)"
}
# check_rules WHEN: every persisted rule is listed, the file is unchanged and
# the module enforces exactly what e7d lists.
check_rules() {
	listed_rules >/tmp/rules.listed
	cmp -s /tmp/rules.expected /tmp/rules.listed ||
		e7_fail "$1: listed rules differ from the persisted ones: $(diff /tmp/rules.expected /tmp/rules.listed)"
	sha256sum -c --quiet /tmp/rules.sum || e7_fail "$1: the rules file changed: $(cat /var/lib/eftirlit7/rules)"
	check_kernel_agrees "$1"
}
