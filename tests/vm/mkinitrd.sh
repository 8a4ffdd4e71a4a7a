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
cp /bin/busybox "$root/bin/busybox"
[[ $(ldd "$root/bin/busybox" 2>&1 || true) == *"not a dynamic"* ]] ||
	{ echo "mkinitrd: /bin/busybox must be static (apt install busybox-static)" >&2; exit 1; }
cp "$here/init-initramfs" "$root/init"
chmod +x "$root/init"
order="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay"
# ext4 asks the crypto API for crc32c when it mounts a metadata_csum file
# system; there is no modprobe here to load it on demand.
disk_order="virtio_blk crc16 crc32c_generic mbcache jbd2 ext4"
# add_modules LIST FILE: copy the modules of LIST that are not built in,
# and name them in FILE in load order.
add_modules() {
	local m f
	: >"$2"
	[[ -n $moddir ]] || return 0
	for m in $1; do
		f=$(find "$moddir/kernel" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -n 1)
		[[ -n $f ]] || continue # built in
		case $f in
		*.xz) xz -dc "$f" >"$root/modules/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$root/modules/$m.ko" ;;
		*) cp "$f" "$root/modules/$m.ko" ;;
		esac
		echo "$m" >>"$2"
	done
}
add_modules "$order" "$root/modules/order"
[[ $disk == disk ]] && add_modules "$disk_order" "$root/modules/disk-order"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
