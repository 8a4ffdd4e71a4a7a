#!/bin/bash
# Builds the VM's initramfs: static busybox, the 9p/virtio/overlay modules of
# the kernel (when they are modules), and init-initramfs as /init. With
# "disk", also the virtio-blk and ext4 modules for tests/vm/run --disk, which
# /init loads only when the kernel command line has e7.disk=.
# usage: mkinitrd.sh MODULE_DIR|"" OUTPUT.cpio.gz [disk]
set -euo pipefail
moddir=$1 out=$2 disk=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,lower,upper,newroot,modules}
# modprobe -d BASE -S KVER reads BASE/lib/modules/KVER: MODULE_DIR's.
kver=${moddir##*/} base=${moddir%/lib/modules/*}
base=${base:-/}
[[ -z $moddir || $moddir == */lib/modules/* ]] ||
	{ echo "mkinitrd: $moddir is not a .../lib/modules/KVER directory" >&2; exit 1; }
cp /bin/busybox "$root/bin/busybox"
[[ $(ldd "$root/bin/busybox" 2>&1 || true) == *"not a dynamic"* ]] ||
	{ echo "mkinitrd: /bin/busybox must be static (apt install busybox-static)" >&2; exit 1; }
cp "$here/init-initramfs" "$root/init"
chmod +x "$root/init"
# Each module comes with what it depends on (modules.dep, through modprobe
# --show-depends), so a kernel that moved a dependency (7.x: netfs for 9p,
# crc32c-cryptoapi for jbd2) needs no list of its own; a module that is
# built in, or that the kernel does not have, is left out.
order="virtio_pci 9pnet_virtio 9p overlay"
# ext4 asks the crypto API for crc32c when it mounts a metadata_csum file
# system (6.x: crc32c_generic, no symbol dependency); there is no modprobe
# here to load it on demand.
disk_order="virtio_blk crc32c_generic ext4"
# add_modules LIST FILE: copy the modules of LIST and their dependencies
# that are not built in, and name them in FILE in load order.
add_modules() {
	local m what f n deps
	: >"$2"
	[[ -n $moddir ]] || return 0
	for m in $1; do
		# "insmod PATH" per module, dependencies first; "builtin NAME".
		deps=$(modprobe -d "$base" -S "$kver" --show-depends "$m" 2>/dev/null) || continue
		while read -r what f; do
			[[ $what == insmod ]] || continue
			f=${f%% *}
			n=$(basename "$f")
			n=${n%%.ko*}
			[[ ! -e $root/modules/$n.ko ]] || continue # listed before
			case $f in
			*.xz) xz -dc "$f" >"$root/modules/$n.ko" ;;
			*.zst) zstd -qdc "$f" >"$root/modules/$n.ko" ;;
			*) cp "$f" "$root/modules/$n.ko" ;;
			esac
			echo "$n" >>"$2"
		done <<<"$deps"
	done
}
add_modules "$order" "$root/modules/order"
[[ $disk == disk ]] && add_modules "$disk_order" "$root/modules/disk-order"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
