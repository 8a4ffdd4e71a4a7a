#!/bin/bash
# Installs the build dependencies, builds EftirlitSeven and runs the firewall
# in a QEMU VM with a short demo (tools/demo-guest.sh): the module is loaded,
# one program is allowed and another is blocked, against test hosts in network
# namespaces inside the guest. Prints what happened in the guest.
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
echo "demo: booting Linux $KVER under QEMU (about 20 s)..."
art=$(mktemp -d /tmp/e7demo.XXXXXX)
rc=0
tests/vm/run --kernel "$kernel" --artifacts "$art" tools/demo-guest.sh || rc=$?
echo "----- in the VM -----"
cat "$art"/*/*/tools-demo-guest.log
echo "---------------------"
echo "demo: guest console and kernel log are in $art"
exit $rc
