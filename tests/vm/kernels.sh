# Resolves a kernel name to an image, a build tree and a module directory.
# Sourced by tests/vm/run, tools/test.sh and tools/build-module.sh.
#   6.1, 6.12: Debian's linux-image-*-amd64 (newest installed of that series)
#   debug:     the debug 6.1 build from ../shared/kernels (KASAN, lockdep, ...)
#   latest:    the newest kernel Debian sid serves (linux-image-amd64), whose
#              build tree lives in a sid chroot (e7_latest_prepare)
#   a path:    any bzImage; pass its build tree as the second argument
# Sets KIMAGE, KVER, KDIR, KNAME, KMODDIR (the module directory whose 9p and
# virtio modules the initramfs loads and which the guest sees as
# /lib/modules/KVER; empty when those are built in) and KCHROOT (the root
# that KDIR must be used in, empty for a build tree of this machine).

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

# e7_in_chroot ROOT CMD...: runs CMD in the chroot ROOT with /proc mounted
# (the objtool of 7.x kernels reads it) and, with E7_CHROOT_BIND=DIR, the
# host's DIR bound at the same path. The mounts live in a mount namespace of
# their own, so none outlives CMD or shows on the host.
e7_in_chroot() {
	local root=$1
	shift
	unshare --mount --propagation private -- /bin/bash -c '
		root=$1 bind=$2
		shift 2
		mount -t proc proc "$root/proc" || exit 1
		if [[ -n $bind ]]; then
			mkdir -p "$root$bind" && mount --bind "$bind" "$root$bind" || exit 1
		fi
		exec chroot "$root" /usr/bin/env -i LC_ALL=C HOME=/root \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"' e7-chroot "$root" "${E7_CHROOT_BIND:-}" "$@"
}

# The "latest" kernel lives in build/kernels/latest/: chroot/ is a minimal
# sid (mmdebstrap) with gcc, make and linux-headers-amd64; image/ holds
# linux-image-KVER and the packages it depends on for that release (7.x:
# linux-binary-, linux-modules-, linux-base-), unpacked with dpkg-deb -x
# rather than installed (their scripts would build Debian's initramfs), with
# modules.dep made by this machine's depmod, which the guest's modprobe
# reads; kver names the release. It is made anew when it is older than
# E7_LATEST_DAYS days (7: sid's compiler and headers move too), and when sid
# serves another linux-headers-amd64, which is asked at most every
# E7_LATEST_CHECK_HOURS hours (12); E7_LATEST_CHECK_HOURS=0 asks every time.
# A fresh clone (CI) always makes it, so it follows the archive.
e7_latest_dir() { echo "$e7_srcdir/build/kernels/latest"; }

# e7_latest_kver CHROOT: the release linux-headers-amd64 depends on.
e7_latest_kver() {
	e7_in_chroot "$1" dpkg-query -W -f '${Depends}' linux-headers-amd64 | tr ',' '\n' |
		sed -n 's/^ *linux-headers-\([^ ]*\).*/\1/p' | head -n 1
}

# e7_latest_unpack CHROOT KVER IMAGE: unpacks the image and modules of KVER.
e7_latest_unpack() {
	local root=$1 kver=$2 image=$3 pkgs deb
	# The chroot's package lists were cleaned by mmdebstrap.
	e7_in_chroot "$root" apt-get update -qq || return 1
	pkgs=$(e7_in_chroot "$root" apt-cache depends --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances "linux-image-$kver" |
		awk -v k="-$kver" '$1 ~ /Depends:$/ && substr($2, length($2) - length(k) + 1) == k { print $2 }')
	mkdir -p "$root/tmp/debs" "$image" && chmod 777 "$root/tmp/debs" || return 1
	# shellcheck disable=SC2086
	e7_in_chroot "$root" /bin/sh -c 'cd /tmp/debs && apt-get download -q "$@"' sh \
		"linux-image-$kver" $pkgs >&2 || return 1
	for deb in "$root"/tmp/debs/*.deb; do
		dpkg-deb -x "$deb" "$image" || return 1
	done
	rm -rf "$root/tmp/debs"
	# depmod -b BASE (kmod 30) reads BASE/lib/modules; sid keeps /usr/lib/modules.
	[[ -e $image/lib || ! -d $image/usr/lib/modules ]] || ln -s usr/lib "$image/lib"
	[[ -d $image/lib/modules/$kver/kernel ]] || { echo "kernels: linux-image-$kver has no modules" >&2; return 1; }
	depmod -b "$image" "$kver"
}

# e7_latest_make DIR: makes DIR anew, built in DIR.new and swapped in whole.
e7_latest_make() {
	local dir=$1 new=$1.new kver t0=$SECONDS
	command -v mmdebstrap >/dev/null ||
		{ echo "kernels: latest needs mmdebstrap (tools/install-deps.sh installs it)" >&2; return 1; }
	rm -rf --one-file-system "$new"
	mkdir -p "$new" || return 1
	# Valid-Until: sid's Release on the mirror is sometimes past it.
	unshare --mount --propagation private -- mmdebstrap --variant=minbase \
		--include=gcc,make,linux-headers-amd64 \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		sid "$new/chroot" "${E7_SID_MIRROR:-http://deb.debian.org/debian}" >&2 ||
		{ echo "kernels: mmdebstrap of sid failed" >&2; return 1; }
	kver=$(e7_latest_kver "$new/chroot")
	[[ -n $kver ]] || { echo "kernels: no linux-headers-amd64 in the sid chroot" >&2; return 1; }
	e7_latest_unpack "$new/chroot" "$kver" "$new/image" ||
		{ echo "kernels: could not unpack linux-image-$kver" >&2; return 1; }
	echo "$kver" >"$new/kver"
	touch "$new/checked"
	rm -rf --one-file-system "$dir.old"
	[[ ! -d $dir ]] || mv "$dir" "$dir.old"
	mv "$new" "$dir" && rm -rf --one-file-system "$dir.old"
	echo "kernels: made latest ($kver, sid chroot and image) in $((SECONDS - t0)) s" >&2
}

# e7_latest_stale DIR: why DIR must be made anew; fails if it is current.
e7_latest_stale() {
	local dir=$1 want have
	[[ -f $dir/kver && -d $dir/chroot && -d $dir/image ]] || { echo "none made yet"; return 0; }
	[[ -z $(find "$dir/kver" -mmin +$((${E7_LATEST_DAYS:-7} * 1440))) ]] ||
		{ echo "older than ${E7_LATEST_DAYS:-7} days"; return 0; }
	[[ -n $(find "$dir/checked" -mmin -$((${E7_LATEST_CHECK_HOURS:-12} * 60)) 2>/dev/null) ]] && return 1
	if ! e7_in_chroot "$dir/chroot" apt-get update -qq >&2; then
		echo "kernels: cannot reach sid; latest stays $(cat "$dir/kver")" >&2
		return 1
	fi
	want=$(e7_in_chroot "$dir/chroot" apt-cache policy linux-headers-amd64 | sed -n 's/^ *Candidate: //p')
	have=$(e7_in_chroot "$dir/chroot" dpkg-query -W -f '${Version}' linux-headers-amd64)
	touch "$dir/checked"
	[[ $want == "$have" ]] && return 1
	echo "sid moved from $have to $want"
}

# e7_latest_prepare: makes or refreshes build/kernels/latest (one caller at a time).
e7_latest_prepare() {
	local dir lock why rc=0
	dir=$(e7_latest_dir)
	mkdir -p "${dir%/*}" || return 1
	exec {lock}>"$dir.lock"
	flock "$lock"
	if why=$(e7_latest_stale "$dir"); then
		echo "kernels: making latest: $why" >&2
		e7_latest_make "$dir" || rc=1
	fi
	exec {lock}>&-
	return $rc
}

e7_kernel_resolve() {
	local name=$1 kdir=${2:-} dir
	KNAME=$name KMODDIR= KCHROOT=
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
	latest)
		e7_latest_prepare || return 1
		dir=$(e7_latest_dir)
		KVER=$(cat "$dir/kver")
		KCHROOT=$dir/chroot
		KDIR=${kdir:-$KCHROOT/usr/src/linux-headers-$KVER}
		KMODDIR=$(readlink -f "$dir/image/lib/modules/$KVER")
		KIMAGE=$KMODDIR/vmlinuz
		[[ -f $KIMAGE ]] || KIMAGE=$dir/image/boot/vmlinuz-$KVER
		;;
	*)
		[[ -f $name ]] || { echo "kernels: unknown kernel $name" >&2; return 1; }
		[[ -n $kdir ]] || { echo "kernels: a kernel image needs --kdir" >&2; return 1; }
		KIMAGE=$name KDIR=$kdir KNAME=$(basename "$name")
		KVER=$(cat "$KDIR/include/config/kernel.release")
		;;
	esac
	[[ -d $KDIR ]] || { echo "kernels: no build tree at $KDIR" >&2; return 1; }
	[[ -f $KIMAGE ]] || { echo "kernels: no kernel image at $KIMAGE" >&2; return 1; }
	export KIMAGE KVER KDIR KNAME KMODDIR KCHROOT
}
