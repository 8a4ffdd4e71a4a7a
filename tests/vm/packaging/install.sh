#!/bin/bash
# vm-mode: system
# vm-timeout: 1800
# The Debian packages end to end, as the README's install section says:
# "apt install ./eftirlit7*.deb" in build/deb, where
# tests/vm/packaging/build-debs puts them. DKMS builds the module for the
# running kernel (and the newest installed one), the module loads, e7d.service
# runs, e7ctl answers root and an unprivileged user, an allowed and a blocked
# program behave, the rules hold after a reboot of the firewall (module
# reloaded by systemd-modules-load, e7d restarted: the harness gives one
# boot), the strict profile lets no packet out of a program without a rule
# before or after e7d starts; an upgrade keeps the rules and restarts e7d;
# purge leaves no module, no file and no unit.
set -euo pipefail
. "$E7_SRCDIR/tests/vm/lib.sh"
. "$E7_SRCDIR/tests/vm/packaging/helpers.bash"

debs=$E7_SRCDIR/build/deb
shopt -s nullglob
found=("$debs"/eftirlit7*.deb)
shopt -u nullglob
((${#found[@]})) || e7_skip "no packages in $debs: run tests/vm/packaging/build-debs on the host first"
[[ -f /lib/modules/$E7_KVER/build/Makefile ]] ||
	e7_skip "kernel $E7_KVER has no headers package installed, so DKMS cannot build for it"
pkg_clean_start

# --- install -----------------------------------------------------------------
e7_log "installing: $(cd "$debs" && echo eftirlit7*.deb)"
start=$(date +%s)
(cd "$debs" && DEBIAN_FRONTEND=noninteractive apt install -y ./eftirlit7*.deb) \
	>"$E7_ARTIFACTS/apt-install.log" 2>&1 ||
	{
		tail -n 40 "$E7_ARTIFACTS/apt-install.log"
		cp /var/lib/dkms/eftirlit7/*/build/make.log "$E7_ARTIFACTS/dkms-make.log" 2>/dev/null &&
			tail -n 30 "$E7_ARTIFACTS/dkms-make.log"
		e7_fail "apt install failed"
	}
e7_log "apt install took $(($(date +%s) - start)) s (DKMS builds included)"
grep -E '^(Building|Done|Module build)' "$E7_ARTIFACTS/apt-install.log" || true

for p in eftirlit7 eftirlit7-dkms eftirlit7-applet; do
	[[ $(dpkg-query -W -f '${db:Status-Abbrev}' "$p") == "ii " ]] || e7_fail "$p is not installed"
done

# DKMS built and installed the module for the running kernel.
dkms status -m eftirlit7 | tee "$E7_ARTIFACTS/dkms-status.txt"
grep -q "eftirlit7/.*, $E7_KVER, .*: installed" "$E7_ARTIFACTS/dkms-status.txt" ||
	e7_fail "DKMS did not install eftirlit7 for $E7_KVER"
ko=$(modinfo -n eftirlit7) || e7_fail "modinfo does not find eftirlit7 for $E7_KVER"
[[ $ko == /lib/modules/$E7_KVER/updates/dkms/eftirlit7.ko* ]] || e7_fail "eftirlit7 resolves to $ko, not to the DKMS build"

# The postinst loaded exactly that module, and e7d runs.
pkg_module_is_dkms_build
systemctl is-enabled --quiet e7d.service || e7_fail "e7d.service is not enabled"
pkg_wait_active e7d.service
e7_log "module $(cat /sys/module/eftirlit7/srcversion) loaded, e7d.service active"

# The module loads at boot: modules-load.d names it.
[[ $(systemd-analyze cat-config modules-load.d | grep -v '^#' | grep -cx eftirlit7) == 1 ]] ||
	e7_fail "modules-load.d does not load eftirlit7 at boot"

# e7ctl answers root and an unprivileged user.
pkg_e7ctl_works

# --- behaviour, second boot, strict profile ----------------------------------------
pkg_programs_behave
pkg_rules_survive_reboot
pkg_strict_from_boot

# --- upgrade ---------------------------------------------------------------------
pkg_upgrade_keeps_rules "$debs"

# --- purge -----------------------------------------------------------------------
pkg_purge_leaves_nothing
e7_log "purge left no module, file or unit"
