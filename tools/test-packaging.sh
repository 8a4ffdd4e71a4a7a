#!/bin/bash
# Distribution packaging end to end (issue 6), called by tools/test.sh:
#   1. the .debs: tests/vm/packaging/build-debs (dpkg-buildpackage -us -uc -b
#      from a clean copy of the committed tree; lintian without errors)
#   2. the rpm spec, while boot 1 runs: rpm/build-rpms (rpmbuild -bs, and
#      -bb --nodeps, which fails on a file "make install DESTDIR=" installs
#      that the spec does not list, or one it lists that is not installed)
#   3. boot 1, 6.1, fresh disk: tests/vm/packaging/boot1-install
#      (apt install ./eftirlit7*.deb, DKMS for 6.1 and 6.12, rules added)
#   4. boot 2, 6.12, same disk: tests/vm/packaging/boot2-reboot (module
#      loaded at boot, rules enforced, strict profile, upgrade, purge)
#   5. 6.1 with module.sig_enforce=1: tests/vm/packaging/sig-enforce (the
#      unsigned module refused, modprobe through the packages' line succeeds
#      and says why)
# Prints "ok NAME" or "not ok NAME (why)" per step (the VM steps through
# tests/vm/run) and exits non-zero if any failed.
#
# usage: tools/test-packaging.sh   (logs in build/logs/packaging-*.log)
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2
logs=$top/build/logs
mkdir -p "$logs"
failed=0 t0=$(date +%s)

# step NAME LOG CMD...: run CMD, its output in LOG; one ok/not ok line.
step() {
	local name=$1 log=$2 s rc=0
	s=$(date +%s)
	shift 2
	"$@" >"$log" 2>&1 || rc=$?
	if ((rc == 0)); then
		echo "ok $name [$(($(date +%s) - s))s]"
	else
		echo "not ok $name (exit $rc; last lines of $log:)"
		tail -n 15 "$log" | sed 's/^/  | /'
		failed=1
	fi
	return $rc
}

# tag KERNEL: KERNEL:KVER, as tests/vm/run names a kernel in its result lines.
tag() { (. tests/vm/kernels.sh && e7_kernel_resolve "$1" "" >/dev/null 2>&1 && echo "$1:$KVER") || echo "$1"; }

debs_ok=0
step packaging-debs "$logs/packaging-debs.log" tests/vm/packaging/build-debs && debs_ok=1
grep -E '^[WE]: ' "$logs/packaging-debs.log" | sed 's/^/  lintian /' | sort | uniq -c

if ((!debs_ok)); then
	step packaging-rpm "$logs/packaging-rpm.log" rpm/build-rpms
	echo "not ok $(tag 6.1) packaging-boot1-install (no packages: build-debs failed)"
	echo "not ok $(tag 6.12) packaging-boot2-reboot (no packages: build-debs failed)"
	exit 1
fi

# The RPMs build while boot 1 runs: the emulated guest leaves part of the
# host's two cores idle (its boot, its single-threaded steps).
rpm_result=$(mktemp)
step packaging-rpm "$logs/packaging-rpm.log" nice rpm/build-rpms >"$rpm_result" &
rpm_pid=$!

# The disk that carries the guest's changes from boot 1 to boot 2.
disk=$(mktemp /var/tmp/e7-pkgdisk.XXXXXX)
trap 'rm -f "$disk" "$rpm_result"' EXIT
mkfs.ext4 -q -F "$disk" 4G || { echo "not ok packaging-disk (mkfs.ext4 failed)"; exit 1; }

s=$(date +%s)
boot1=0
tests/vm/run --kernel 6.1 --disk "$disk" tests/vm/packaging/boot1-install && boot1=1
echo "packaging: boot 1 took $(($(date +%s) - s)) s"
wait "$rpm_pid" || failed=1
cat "$rpm_result"
if ((boot1)); then
	s=$(date +%s)
	tests/vm/run --kernel 6.12 --disk "$disk" tests/vm/packaging/boot2-reboot || failed=1
	echo "packaging: boot 2 took $(($(date +%s) - s)) s"
else
	failed=1
	echo "not ok $(tag 6.12) packaging-boot2-reboot (boot 1 failed)"
fi

# A kernel that enforces module signatures (module.sig_enforce=1, as under
# Secure Boot) refuses the module; modprobe says why and the boot goes on.
if (. tests/vm/kernels.sh && e7_kernel_resolve 6.1 "" >/dev/null &&
	tools/build-module.sh "$KDIR" "$top/build/module/sig-$KVER" module >"$logs/packaging-sig-module.log" 2>&1 &&
	E7_VM_APPEND=module.sig_enforce=1 tests/vm/run --kernel 6.1 \
		--module "$top/build/module/sig-$KVER/eftirlit7.ko" tests/vm/packaging/sig-enforce); then :; else
	failed=1
fi
echo "packaging: $(($(date +%s) - t0)) s in all"
exit $failed
