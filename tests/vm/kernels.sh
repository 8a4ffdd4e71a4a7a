# Resolves a kernel name to an image, a build tree and a module directory.
# Sourced by tests/vm/run and tools/test.sh.
#   6.1, 6.12: Debian's linux-image-*-amd64 (newest installed of that series)
#   debug:     the debug 6.1 build from ../shared/kernels (KASAN, lockdep, ...)
#   a path:    any bzImage; pass its build tree as the second argument
# Sets KIMAGE, KVER, KDIR, KNAME and KMODDIR (the module directory whose 9p and
# virtio modules the initramfs loads; empty when those are built in).

e7_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

e7_debug_kernel_dir() {
	local shared=${E7_SHARED:-$e7_srcdir/../shared} dir=$e7_srcdir/build/kernels tarball
	tarball=$(ls "$shared"/kernels/e7debug-*.tar.xz 2>/dev/null | tail -n 1)
	if ! ls "$dir"/bzImage-*-e7debug >/dev/null 2>&1; then
		[[ -n $tarball ]] || { echo "kernels: no debug kernel in $shared/kernels" >&2; return 1; }
		mkdir -p "$dir" && tar -C "$dir" -xJf "$tarball" || return 1
	fi
	echo "$dir"
}

e7_kernel_resolve() {
	local name=$1 kdir=${2:-} dir
	KNAME=$name KMODDIR=
	case $name in
	6.1|6.12)
		KIMAGE=$(ls -v /boot/vmlinuz-"$name".[0-9]*-amd64 2>/dev/null |
			grep -v -e -cloud- -e -rt- | tail -n 1)
		[[ -n $KIMAGE ]] || { echo "kernels: no $name kernel in /boot (tools/install-deps.sh installs it)" >&2; return 1; }
		KVER=${KIMAGE#/boot/vmlinuz-}
		KDIR=${kdir:-/lib/modules/$KVER/build}
		KMODDIR=/lib/modules/$KVER
		;;
	debug)
		dir=$(e7_debug_kernel_dir) || return 1
		KIMAGE=$(ls "$dir"/bzImage-*-e7debug | tail -n 1)
		KDIR=${kdir:-$(ls -d "$dir"/linux-*-e7debug | tail -n 1)}
		KVER=$(cat "$KDIR/include/config/kernel.release")
		;;
	*)
		[[ -f $name ]] || { echo "kernels: unknown kernel $name" >&2; return 1; }
		[[ -n $kdir ]] || { echo "kernels: a kernel image needs --kdir" >&2; return 1; }
		KIMAGE=$name KDIR=$kdir KNAME=$(basename "$name")
		KVER=$(cat "$KDIR/include/config/kernel.release")
		;;
	esac
	[[ -d $KDIR ]] || { echo "kernels: no build tree at $KDIR" >&2; return 1; }
	export KIMAGE KVER KDIR KNAME KMODDIR
}
