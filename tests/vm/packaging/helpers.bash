# Steps of the packaging VM test (tests/vm/packaging/boot1-install and
# boot2-reboot), sourced after tests/vm/lib.sh. Named .bash so that the VM
# test runners, which take every tests/vm/*/*.sh, do not run it as a test.

pkg_packages=(eftirlit7 eftirlit7-dkms eftirlit7-applet)
# Written by the first boot when it is done (with its kernel release), read
# by the second: on the persistent disk, outside every package's paths.
pkg_marker=/var/lib/e7-pkgtest-boot1
# e7ctl list at the end of the first boot: ids must be the same in the second.
pkg_list_boot1=/var/lib/e7-pkgtest-list

# pkg_installed PACKAGE: dpkg knows PACKAGE in any state but "not installed".
pkg_installed() {
	local s
	s=$(dpkg-query -W -f '${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
	[[ $s != ?n* ]]
}

# The packages start from a machine without them: an earlier test in the
# same boot may have loaded the module from the build tree or left files.
pkg_clean_start() {
	local p
	for p in "${pkg_packages[@]}"; do
		! pkg_installed "$p" || e7_fail "$p is installed before the test"
	done
	if systemctl is-active --quiet e7d.service 2>/dev/null; then
		e7_fail "an e7d.service runs before the packages are installed"
	fi
	if [[ -d /sys/module/eftirlit7 ]]; then
		e7_log "unloading the eftirlit7 module an earlier test left loaded"
		rmmod eftirlit7 || e7_fail "cannot unload the eftirlit7 module an earlier test left loaded"
	fi
	# The host root is a container image whose policy-rc.d (exit 101)
	# forbids maintainer scripts to start services; a machine has none.
	if [[ -e /usr/sbin/policy-rc.d ]]; then
		e7_log "removing the container's /usr/sbin/policy-rc.d from the guest overlay"
		rm -f /usr/sbin/policy-rc.d
	fi
	for p in /etc/eftirlit7 /var/lib/eftirlit7; do
		if [[ -e $p ]]; then
			e7_log "removing $p left by an earlier test"
			rm -rf "$p"
		fi
	done
}

# pkg_apt LOG ARGS...: apt ARGS, non-interactive, its output in LOG with the
# time of each line (where an install spends its time under emulation).
pkg_apt() {
	local log=$1 line
	shift
	DEBIAN_FRONTEND=noninteractive apt "$@" 2>&1 |
		while IFS= read -r line; do printf '[%(%T)T] %s\n' -1 "$line"; done >"$log"
}

# The test machine does not rebuild the man page index at every dpkg run
# (man-db/auto-update false, what dpkg-reconfigure man-db does with that
# answer): under emulation each man-db trigger costs two minutes and checks
# nothing of ours.
pkg_no_man_db_trigger() {
	echo 'man-db man-db/auto-update boolean false' | debconf-set-selections
	rm -f /var/lib/man-db/auto-update
}

# The guest's dpkg log of this test (timestamps of every unpack, configure
# and trigger; the host's older lines left out) and this boot's journal, as
# artifacts: on exit, passed or failed.
pkg_save_logs() {
	awk 'found || /eftirlit7/ { found = 1; print }' /var/log/dpkg.log >"$E7_ARTIFACTS/dpkg.log" 2>/dev/null
	journalctl -b --no-pager -o short-precise >"$E7_ARTIFACTS/journal.txt" 2>/dev/null
	return 0
}

# pkg_wait_active UNIT [SECONDS]: UNIT becomes active within SECONDS (30).
pkg_wait_active() {
	local n
	for ((n = 0; n < ${2:-30} * 2; n++)); do
		systemctl is-active --quiet "$1" && return 0
		sleep 0.5
	done
	systemctl status --no-pager "$1" || true
	journalctl -b --no-pager -u "$1" | tail -n 30
	e7_fail "$1 is not active"
}

# The loaded module is the one DKMS installed for this kernel.
pkg_module_is_dkms_build() {
	[[ -d /sys/module/eftirlit7 ]] || e7_fail "the eftirlit7 module is not loaded"
	[[ $(cat /sys/module/eftirlit7/srcversion) == "$(modinfo -F srcversion eftirlit7)" ]] ||
		e7_fail "the loaded eftirlit7 is not the DKMS build ($(modinfo -n eftirlit7))"
}

# pkg_upgrade_keeps_rules DEBDIR: an upgrade of eftirlit7 and the applet
# (the same packages repacked with a higher version) keeps the rules file,
# restarts e7d and leaves the module loaded.
pkg_upgrade_keeps_rules() {
	local debs=$1 work=/tmp/pkg-upgrade v new pid p
	v=$(dpkg-query -W -f '${Version}' eftirlit7)
	new=$v+vmtest1
	rm -rf "$work" && mkdir -p "$work/debs"
	for p in eftirlit7 eftirlit7-applet; do
		dpkg-deb -R "$(ls "$debs/${p}_${v}_"*.deb)" "$work/$p"
		sed -i -e "s/^Version: .*/Version: $new/" -e "s/^\(Depends:.*\)eftirlit7 (= $v)/\1eftirlit7 (= $new)/" \
			"$work/$p/DEBIAN/control"
		dpkg-deb -b "$work/$p" "$work/debs/${p}_${new}.deb" >/dev/null
	done
	# Today's layout before the upgrade: the learned rules in
	# /etc/eftirlit7/rules; the new e7d moves them to /var/lib once.
	[[ -f /var/lib/eftirlit7/rules ]] || e7_fail "no /var/lib/eftirlit7/rules before the upgrade"
	pid=$(systemctl show -p MainPID --value e7d.service)
	systemctl stop e7d.service
	mv /var/lib/eftirlit7/rules /etc/eftirlit7/rules
	cp /etc/eftirlit7/rules "$work/rules.before"
	e7_log "upgrading eftirlit7 $v -> $new (e7d pid $pid, stopped; its rules in /etc/eftirlit7/rules)"
	(cd "$work/debs" && pkg_apt "$E7_ARTIFACTS/apt-upgrade.log" install -y ./*.deb) ||
		{ tail -n 40 "$E7_ARTIFACTS/apt-upgrade.log"; e7_fail "the upgrade failed"; }
	[[ $(dpkg-query -W -f '${Version}' eftirlit7) == "$new" ]] || e7_fail "eftirlit7 was not upgraded"
	pkg_wait_active e7d.service
	cmp "$work/rules.before" /var/lib/eftirlit7/rules ||
		e7_fail "the upgrade did not move /etc/eftirlit7/rules to /var/lib/eftirlit7/rules as it was"
	cmp "$work/rules.before" /etc/eftirlit7/rules || e7_fail "the upgrade changed /etc/eftirlit7/rules"
	[[ $(systemctl show -p MainPID --value e7d.service) != "$pid" ]] || e7_fail "the upgrade did not start e7d again"
	pkg_module_is_dkms_build
	e7_log "upgrade kept the rules, restarted e7d (pid $(systemctl show -p MainPID --value e7d.service))"
}

# Purge removes every file of the packages, the DKMS builds, the module,
# the unit, the configuration and the state.
pkg_purge_leaves_nothing() {
	local files=/tmp/pkg-files.txt left=() f p
	dpkg -L "${pkg_packages[@]}" | sort -u >"$files"
	e7_log "purging (${#pkg_packages[@]} packages, $(wc -l <"$files") paths)"
	pkg_apt "$E7_ARTIFACTS/apt-purge.log" purge -y "${pkg_packages[@]}" ||
		{ tail -n 40 "$E7_ARTIFACTS/apt-purge.log"; e7_fail "apt purge failed"; }
	for p in "${pkg_packages[@]}"; do
		! pkg_installed "$p" || e7_fail "$p is still known to dpkg after purge"
	done
	# Directories shared with other packages (/usr/bin..., and /lib, a
	# symlink to usr/lib on a merged-/usr system) stay; ours go.
	while read -r f; do
		if [[ -d $f ]]; then
			[[ $f == *eftirlit7* ]] && left+=("$f")
		elif [[ -e $f || -L $f ]]; then
			left+=("$f")
		fi
	done <"$files"
	for f in /etc/eftirlit7 /var/lib/eftirlit7 /var/lib/dkms/eftirlit7 /usr/src/eftirlit7-*; do
		[[ -e $f ]] && left+=("$f")
	done
	while read -r f; do left+=("$f"); done < <(find /lib/modules -name 'eftirlit7.ko*')
	while read -r f; do left+=("$f"); done < <(find /etc/systemd /run/systemd/system /var/lib/systemd \
		\( -name 'e7d.service*' -o -name 'dbus-org.eftirlit7.Firewall1.service' \) 2>/dev/null)
	((${#left[@]} == 0)) || e7_fail "purge left: ${left[*]}"
	[[ ! -d /sys/module/eftirlit7 ]] || e7_fail "the eftirlit7 module is still loaded after purge"
	[[ $(systemctl show -p LoadState --value e7d.service) == not-found ]] ||
		e7_fail "systemd still knows e7d.service after purge"
	! pgrep -x e7d >/dev/null || e7_fail "an e7d process runs after purge"
}

# pkg_e7ctl_works PROFILE: e7ctl answers root (reads and changes; e7d runs
# PROFILE) and an unprivileged user (reads only: a system-wide rule needs an administrator, and polkit has no agent
# to ask here).
pkg_e7ctl_works() {
	local rc=0
	e7ctl list >"$E7_ARTIFACTS/e7ctl-list-root.txt" || e7_fail "e7ctl list fails for root"
	[[ $(e7ctl get profile) == "$1" ]] || e7_fail "e7d runs profile '$(e7ctl get profile)', not $1"
	e7ctl stats >"$E7_ARTIFACTS/e7ctl-stats-root.txt" || e7_fail "e7ctl stats fails for root"
	e7_as_user e7test e7ctl list >"$E7_ARTIFACTS/e7ctl-list-e7test.txt" ||
		e7_fail "e7ctl list fails for an unprivileged user"
	e7_as_user e7test e7ctl get mode >/dev/null || e7_fail "e7ctl get mode fails for an unprivileged user"
	e7_as_user e7test e7ctl block tcp /usr/bin/socat >/dev/null 2>&1 || rc=$?
	((rc == 3)) || e7_fail "an unprivileged user adding a system rule: e7ctl exit $rc, not 3 (not authorized)"
	e7_log "e7ctl: root reads and changes, e7test reads and is refused a system rule"
}

pkg_ns=e7pkg pkg_idx=61 pkg_port=7061
pkg_dst=198.18.61.2

# pkg_socat|pkg_nc PATH: the client at PATH talks to the echo server and
# prints the echo (nothing when blocked).
pkg_socat() { echo e7-pkg-ping | timeout 10 "$1" -t 3 - "TCP:$pkg_dst:$pkg_port,connect-timeout=4" 2>/dev/null; }
pkg_nc() { echo e7-pkg-ping | timeout 10 "$1" -N -w 4 "$pkg_dst" "$pkg_port" 2>/dev/null; }

pkg_expect_allowed() { # pkg_expect_allowed socat|nc PATH WHY
	[[ $(pkg_"$1" "$2" || true) == e7-pkg-ping ]] || e7_fail "$2 was blocked ($3)"
}
pkg_expect_blocked() {
	[[ -z $(pkg_"$1" "$2" || true) ]] || e7_fail "$2 got through ($3)"
}

# An allowed and a blocked program behave; a system program with no rule
# and no agent to ask is allowed without a prompt in the desktop profile.
pkg_programs_behave() {
	e7_netns_add "$pkg_ns" "$pkg_idx"
	e7_serve "$pkg_ns" tcp "$pkg_port"
	cp /usr/bin/socat /usr/local/bin/e7-pkg-norule
	e7ctl allow tcp /usr/bin/socat to 198.18.61.0/24 port "$pkg_port" >/dev/null ||
		e7_fail "e7ctl allow failed"
	e7ctl block tcp /usr/bin/nc.openbsd to 198.18.61.0/24 >/dev/null || e7_fail "e7ctl block failed"
	# The echo server (socat in the test namespace) is filtered too: in the
	# strict profile its incoming connections need a rule of their own.
	e7ctl allow tcp /usr/bin/socat in port "$pkg_port" >/dev/null || e7_fail "e7ctl allow in failed"
	grep -q '^allow tcp /usr/bin/socat' /var/lib/eftirlit7/rules || e7_fail "the allow rule is not in /var/lib/eftirlit7/rules"
	grep -q '^block tcp /usr/bin/nc.openbsd' /var/lib/eftirlit7/rules || e7_fail "the block rule is not in /var/lib/eftirlit7/rules"
	pkg_expect_allowed socat /usr/bin/socat "allow rule"
	pkg_expect_blocked nc /usr/bin/nc.openbsd "block rule"
	pkg_expect_allowed socat /usr/local/bin/e7-pkg-norule "desktop profile, no rule, no agent for root"
	e7_log "allowed program connects, blocked one does not, unknown system program allowed"
}

# The rules pkg_programs_behave added in the first boot are enforced in the
# second (run in the strict profile, where the allowed program goes through
# only by its rule): e7d restored them from /var/lib/eftirlit7/rules into the
# module. The allowed program may wait a few seconds for that.
pkg_rules_of_first_boot() {
	local n
	e7ctl list >"$E7_ARTIFACTS/e7ctl-list-boot2.txt" || e7_fail "e7ctl list fails"
	grep -q /usr/bin/nc.openbsd "$E7_ARTIFACTS/e7ctl-list-boot2.txt" || e7_fail "the block rule of the first boot is gone"
	grep -q /usr/bin/socat "$E7_ARTIFACTS/e7ctl-list-boot2.txt" || e7_fail "the allow rule of the first boot is gone"
	cp "$pkg_list_boot1" "$E7_ARTIFACTS/e7ctl-list-boot1.txt"
	diff -u "$pkg_list_boot1" "$E7_ARTIFACTS/e7ctl-list-boot2.txt" ||
		e7_fail "the rules or their ids changed across the reboot (rule-ids)"
	rm -f "$pkg_list_boot1"
	for ((n = 0; n < 10; n++)); do
		[[ $(pkg_socat /usr/bin/socat || true) == e7-pkg-ping ]] && break
		sleep 1
	done
	pkg_expect_allowed socat /usr/bin/socat "allow rule of the first boot"
	pkg_expect_blocked nc /usr/bin/nc.openbsd "block rule of the first boot"
	e7_log "rules of the first boot are enforced in the second"
}

# Packets (IPv4) the test namespace has received.
pkg_ns_received() {
	# shellcheck disable=SC2016 # awk's own $fields
	ip netns exec "$pkg_ns" awk '$1 == "Ip:" {
		if (seen) { for (i = 2; i <= NF; i++) if (h[i] == "InReceives") print $i; exit }
		seen = 1; for (i = 2; i <= NF; i++) h[i] = $i
	}' /proc/net/snmp
}

# pkg_no_packet WHEN: a program without a rule sends nothing at all.
pkg_no_packet() {
	local before after
	before=$(pkg_ns_received)
	pkg_expect_blocked socat /usr/local/bin/e7-pkg-norule "strict profile, $1"
	echo e7-pkg-ping | timeout 5 /usr/local/bin/e7-pkg-norule -u - "UDP:$pkg_dst:$((pkg_port + 1))" 2>/dev/null || true
	sleep 1
	after=$(pkg_ns_received)
	((after == before)) || e7_fail "strict profile, $1: $((after - before)) packet(s) reached the network"
}

# The administrator chooses the strict profile (module option and e7d.conf),
# as the README says, for the next boot.
pkg_choose_strict() {
	sed -i 's/^#options eftirlit7 profile=strict$/options eftirlit7 profile=strict/' /etc/modprobe.d/eftirlit7.conf
	grep -qx 'options eftirlit7 profile=strict' /etc/modprobe.d/eftirlit7.conf ||
		e7_fail "/etc/modprobe.d/eftirlit7.conf has no profile=strict line to enable"
	sed -i 's/^#profile=desktop$/profile=strict/' /etc/eftirlit7/e7d.conf
	grep -qx 'profile=strict' /etc/eftirlit7/e7d.conf || e7_fail "e7d.conf has no profile line to set"
}

# The administrator's rules: configuration management owns
# /etc/eftirlit7/rules.d. A file of theirs allows /usr/local/bin/e7-pkg-admin
# (which in the second boot's strict profile goes through by that rule
# alone); e7d lists the rule with its file and never writes the file.
pkg_admin=/usr/local/bin/e7-pkg-admin
pkg_admin_file=/etc/eftirlit7/rules.d/50-e7-pkg-site.rules
pkg_admin_rules() {
	cp /usr/bin/socat "$pkg_admin"
	[[ -d /etc/eftirlit7/rules.d ]] || e7_fail "the package installed no /etc/eftirlit7/rules.d"
	printf '# site policy, from configuration management\nallow tcp %s to 198.18.61.0/24 port %s\n' \
		"$pkg_admin" "$pkg_port" >"$pkg_admin_file"
	sha256sum "$pkg_admin_file" >/var/lib/e7-pkg-admin.sha256
	e7ctl reload >/dev/null || e7_fail "e7ctl reload failed with the administrator's file"
	pkg_admin_rules_kept "first boot"
}

# pkg_admin_rules_kept WHEN: the administrator's file is as written, its rule
# is in force, listed with its file, and not in e7d's own file.
pkg_admin_rules_kept() {
	sha256sum --quiet -c /var/lib/e7-pkg-admin.sha256 || e7_fail "$1: $pkg_admin_file was changed"
	# e7ctl list names the file (FROM); the D-Bus "origin" has its path.
	e7ctl list | grep -q "$pkg_admin .* ${pkg_admin_file##*/}\$" ||
		e7_fail "$1: the administrator's rule is not listed with its file: $(e7ctl list)"
	! grep -q "$pkg_admin" /var/lib/eftirlit7/rules ||
		e7_fail "$1: the administrator's rule was copied into /var/lib/eftirlit7/rules"
	pkg_expect_allowed socat "$pkg_admin" "$1: the administrator's rule"
	e7_log "$1: the administrator's rules.d file is untouched and its rule in force"
}

# pkg_audit_journal: the rules pkg_programs_behave added are in the journal,
# one entry each with its MESSAGE_ID (e7d/audit.h), the rule and the caller,
# and the installed catalog explains them (journalctl -x).
pkg_audit_journal() {
	local added=eeb1f0501137436f8a166ca88d6d4106 n
	n=$(journalctl -b --no-pager -o json "MESSAGE_ID=$added" | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l).get("EFTIRLIT_CALLER_UID") == "0"
          and json.loads(l).get("EFTIRLIT_RULE", "").startswith(("allow tcp /usr/bin/socat", "block tcp /usr/bin/nc.openbsd"))))')
	((n >= 3)) || e7_fail "$n of 3 rule additions in the journal: $(journalctl -b --no-pager "MESSAGE_ID=$added" | tail -5)"
	journalctl -b --no-pager -x "MESSAGE_ID=$added" | grep -q "Firewall rule [0-9]* added by uid 0" ||
		e7_fail "the installed catalog does not explain the audit entries"
	e7_log "journal: $n rule additions with MESSAGE_ID $added, explained by the catalog"
}

# uids_of FILE: the sorted uids of the events in FILE (e7ctl --json log).
pkg_uids_of() {
	python3 -c 'import json, sys; print(" ".join(sorted({str(e.get("uid")) for e in json.load(open(sys.argv[1]))})))' "$1"
}

# pkg_events_private: two unprivileged users each connect (desktop profile,
# no agent: the policy allows and logs it) and each reads only their own
# events; everyone's are refused to them, root reads both.
pkg_events_private() {
	local u rc=0
	id e7pkgother >/dev/null 2>&1 || useradd -u 1502 -M e7pkgother
	for u in e7test e7pkgother; do
		[[ $(echo e7-pkg-ping | e7_as_user "$u" timeout 10 /usr/local/bin/e7-pkg-norule -t 3 - \
			"TCP:$pkg_dst:$pkg_port,connect-timeout=4" 2>/dev/null) == e7-pkg-ping ]] ||
			e7_fail "$u's connection failed"
	done
	for u in e7test e7pkgother; do
		e7_as_user "$u" e7ctl --json log >"$E7_ARTIFACTS/log-$u.json" || e7_fail "e7ctl log fails for $u"
		[[ $(pkg_uids_of "$E7_ARTIFACTS/log-$u.json") == "$(id -u "$u")" ]] ||
			e7_fail "$u reads events of uids $(pkg_uids_of "$E7_ARTIFACTS/log-$u.json")"
	done
	e7ctl --json log >"$E7_ARTIFACTS/log-root.json"
	[[ " $(pkg_uids_of "$E7_ARTIFACTS/log-root.json") " == *" 1500 1502 "* ]] ||
		e7_fail "root reads events of uids $(pkg_uids_of "$E7_ARTIFACTS/log-root.json")"
	e7_as_user e7pkgother e7ctl log --all-users >/dev/null 2>&1 || rc=$?
	((rc == 3)) || e7_fail "a user reading everyone's events: e7ctl exit $rc, not 3 (not authorized)"
	e7_log "events: e7test and e7pkgother read only their own, --all-users refused, root reads both"
}

# A kernel without the module (as when DKMS could not build it): loading it
# at boot (systemd-modules-load) does not fail, the journal says why and what
# to do, e7d runs and waits; put back, the module loads again.
pkg_module_missing() {
	local ko hidden=/root/eftirlit7.ko.hidden n
	ko=$(modinfo -n eftirlit7) || e7_fail "no eftirlit7 module to hide"
	systemctl stop e7d.service
	rmmod eftirlit7 || e7_fail "cannot unload eftirlit7"
	mv "$ko" "$hidden"
	depmod -a "$E7_KVER"
	systemctl restart systemd-modules-load.service ||
		e7_fail "systemd-modules-load fails without the module: $(journalctl -b --no-pager -u systemd-modules-load | tail -n 5)"
	journalctl -b --no-pager -u systemd-modules-load >"$E7_ARTIFACTS/modules-load-missing.txt"
	grep -q "eftirlit7: no firewall module for Linux $E7_KVER" "$E7_ARTIFACTS/modules-load-missing.txt" ||
		e7_fail "the journal does not say the module is missing: $(tail -n 5 "$E7_ARTIFACTS/modules-load-missing.txt")"
	systemctl start e7d.service
	pkg_wait_active e7d.service
	for ((n = 0; n < 20; n++)); do
		journalctl -b --no-pager -u e7d | grep -q "module is not loaded for kernel $E7_KVER" && break
		sleep 0.5
	done
	journalctl -b --no-pager -u e7d | grep -q "module is not loaded for kernel $E7_KVER" ||
		e7_fail "e7d does not say it waits for the module"
	mv "$hidden" "$ko"
	depmod -a "$E7_KVER"
	modprobe eftirlit7 || e7_fail "modprobe eftirlit7 fails with the module back"
	grep -q '^eftirlit7 ' /proc/modules || e7_fail "the module does not load again"
	e7_log "no module: systemd-modules-load succeeds and says '$(grep -o 'eftirlit7: no firewall module[^;]*' "$E7_ARTIFACTS/modules-load-missing.txt" | head -n 1)'; e7d waits"
}
