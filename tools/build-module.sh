#!/bin/bash
# Builds a kbuild tree (default: module/) for one kernel, out of tree.
# usage: tools/build-module.sh KDIR OUTDIR [SRCDIR]
# KDIR is a kernel build tree (/lib/modules/KVER/build or a debug tree);
# the sources are copied to OUTDIR so that several kernels can be built side
# by side. Extra make arguments come from $E7_KBUILD_ARGS (default W=1).
# A KDIR inside $KCHROOT (set by tests/vm/kernels.sh for "latest": a sid
# chroot whose compiler built that kernel) is built in that chroot, with
# OUTDIR bound at the same path in it.
set -euo pipefail
kdir=${1:?usage: build-module.sh KDIR OUTDIR [SRCDIR]}
out=${2:?usage: build-module.sh KDIR OUTDIR [SRCDIR]}
src=${3:-$(dirname "$0")/../module}
[[ -d $kdir ]] || { echo "build-module: no kernel build tree at $kdir" >&2; exit 1; }
[[ -f $src/Kbuild ]] || { echo "build-module: no Kbuild in $src" >&2; exit 1; }
mkdir -p "$out"
out=$(readlink -f "$out")
# Copy sources only, keeping timestamps so kbuild rebuilds what changed.
(cd "$src" && find . -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -print0) |
	(cd "$src" && xargs -0 cp -p --parents -t "$out")
log=$out/build.log
make_modules() {
	local root=${KCHROOT:-}
	if [[ -n $root && $kdir == "$root"/* ]]; then
		# shellcheck source=tests/vm/kernels.sh
		. "$(dirname "$0")/../tests/vm/kernels.sh"
		# shellcheck disable=SC2086
		E7_CHROOT_BIND=$out e7_in_chroot "$root" make -C "${kdir#"$root"}" M="$out" ${E7_KBUILD_ARGS-W=1} modules
	else
		# shellcheck disable=SC2086
		make -C "$kdir" M="$out" ${E7_KBUILD_ARGS-W=1} modules
	fi
}
if ! make_modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module: build failed against $kdir" >&2
	exit 1
fi
if grep -q 'warning:' "$log"; then
	grep 'warning:' "$log" >&2
	echo "build-module: warnings against $kdir" >&2
	exit 1
fi
ls "$out"/*.ko
