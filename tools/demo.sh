#!/bin/bash
# Installs the build dependencies, builds EftirlitSeven and runs the firewall
# in a QEMU VM with systemd, e7d, e7ctl and the applet on Xvfb
# (tools/demo-guest.sh): rules added with e7ctl, one program allowed, one
# blocked, an unknown one prompted in the applet (a screenshot) and answered,
# against test hosts in network namespaces inside the guest. Prints what
# happened in the guest and where the screenshot is.
#
# usage: tools/demo.sh [--no-deps] [--kernel 6.1|6.12|debug]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
deps=1 kernel=6.1
while (($#)); do
	case $1 in
	--no-deps) deps=0; shift ;;
	--kernel) kernel=$2; shift 2 ;;
	*) echo "demo.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
mkdir -p build/logs
if ((deps)); then
	echo "demo: installing build dependencies (apt)..."
	tools/install-deps.sh >build/logs/demo-deps.log 2>&1 || { cat build/logs/demo-deps.log; exit 1; }
fi
echo "demo: building..."
{ [[ -f Makefile ]] || { ./autogen.sh && ./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var; }; } \
	>build/logs/demo-build.log 2>&1 && make -j"$(nproc)" >>build/logs/demo-build.log 2>&1 ||
	{ tail -n 30 build/logs/demo-build.log; exit 1; }
. tests/vm/kernels.sh
e7_kernel_resolve "$kernel" ""
tools/build-module.sh "$KDIR" "build/module/$KVER" module >/dev/null
echo "demo: booting Linux $KVER with systemd under QEMU (about 3 minutes)..."
art=$(mktemp -d /tmp/e7demo.XXXXXX)
rc=0
tests/vm/run --kernel "$kernel" --artifacts "$art" tools/demo-guest.sh || rc=$?
echo "----- in the VM -----"
cat "$art"/*/*/tools-demo-guest.log
echo "---------------------"
for png in "$art"/*/*/tools-demo-guest/*.png; do
	[[ -e $png ]] && echo "demo: the prompt, as the desktop user saw it: $png"
done
echo "demo: guest console and kernel log are in $art"
exit $rc
