#!/bin/bash
# The harness must fail a test whose kernel log shows a warning: boot KERNEL,
# run selftest/plant-warning.sh (it loads the probe with a WARN_ON(1) and
# exits 0) and expect tests/vm/run to report it as failed for that reason.
# usage: tests/vm/selftest.sh KERNEL
set -u
here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: selftest.sh KERNEL}
out=$("$here/run" --kernel "$kernel" "$here/selftest/plant-warning.sh" 2>&1)
rc=$?
echo "$out" | sed 's/^/  | /'
# KERNEL:KVER, as tests/vm/run names the kernel.
tag=$(grep -o -m1 "^\(not \)\?ok $kernel:[^ ]*" <<<"$out" | sed 's/.* //')
tag=${tag:-$kernel}
if ((rc != 0)) && grep -q "^not ok $kernel:[^ ]* selftest-plant-warning (kernel log: .*WARNING" <<<"$out"; then
	echo "ok $tag harness-detects-warning"
	exit 0
fi
echo "not ok $tag harness-detects-warning (a planted WARN_ON(1) was not reported, rc=$rc)"
exit 1
