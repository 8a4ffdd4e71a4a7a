#!/bin/bash
# Installs everything needed to build EftirlitSeven and run its whole test
# suite on Debian 12 (bookworm), as root: build tools and -dev packages, the
# two test kernels (6.1 and 6.12) with their headers, mmdebstrap (the third,
# sid's newest, is built in a sid chroot: tests/vm/kernels.sh), QEMU, and
# what the guest runs (dbus-daemon, polkitd, Xvfb, socat...). Safe to run
# again.
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "install-deps: run as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

# Debian 12 ships 6.12 as linux-image-6.12-amd64 in bookworm; older snapshots
# only had it in bookworm-backports, so add that too.
src=/etc/apt/sources.list.d/eftirlit7-backports.sources
if [[ ! -e $src ]] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d; then
	cat >"$src" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -qq

build=(build-essential autoconf automake libtool autoconf-archive autopoint pkg-config
	gettext libglib2.0-dev libglib2.0-dev-bin libnl-3-dev libnl-genl-3-dev libgtk-3-dev
	libnotify-dev libpolkit-gobject-1-dev libjson-glib-dev clang libclang-rt-14-dev desktop-file-utils
	xz-utils bc kmod linux-source-6.1 libayatana-appindicator3-dev
	bash-completion zsh fish appstream)
# Packaging: the .debs (DKMS module), lintian, and the rpm spec checked with rpmbuild and rpmlint.
pkg=(debhelper dh-dkms dkms dpkg-dev fakeroot lintian rpm rpmlint e2fsprogs)
kernels=(linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64
	mmdebstrap)
vm=(qemu-system-x86 busybox-static cpio iproute2 socat netcat-openbsd python3 dbus
	polkitd pkexec systemd systemd-sysv util-linux passwd procps iperf3 xvfb xdotool
	x11-apps x11-utils imagemagick libgtk-3-bin dbus-x11 at-spi2-core nftables)
apt-get install -y -qq --no-install-recommends "${build[@]}" "${pkg[@]}" "${kernels[@]}" "${vm[@]}" >/dev/null
# The 6.12 meta package may live in backports only.
if ! ls /boot/vmlinuz-6.12.* >/dev/null 2>&1; then
	apt-get install -y -qq --no-install-recommends -t bookworm-backports \
		linux-image-amd64 linux-headers-amd64 >/dev/null
fi
echo "install-deps: done ($(ls /boot/vmlinuz-* | xargs -n1 basename | tr '\n' ' '))"
