#!/bin/bash
# Builds the VM's initramfs: static busybox, the 9p/virtio/overlay modules of
# the kernel (when they are modules), and init-initramfs as /init.
# usage: mkinitrd.sh MODULE_DIR|"" OUTPUT.cpio.gz
set -euo pipefail
moddir=$1 out=$2
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
: >"$root/modules/order"
if [[ -n $moddir ]]; then
	for m in $order; do
		f=$(find "$moddir/kernel" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -n 1)
		[[ -n $f ]] || continue # built in
		case $f in
		*.xz) xz -dc "$f" >"$root/modules/$m.ko" ;;
		*.zst) zstd -qdc "$f" >"$root/modules/$m.ko" ;;
		*) cp "$f" "$root/modules/$m.ko" ;;
		esac
		echo "$m" >>"$root/modules/order"
	done
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
