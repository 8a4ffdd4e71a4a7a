#!/bin/bash
# The harness must fail a test whose part of the kernel log shows a warning,
# or a deprecation notice that names our module: boot KERNEL once, run
# selftest/plant-warning.sh (it loads the probe with a WARN_ON(1) and exits
# 0) and selftest/plant-deprecated.sh (it writes another subsystem's notice,
# then one naming eftirlit7, and exits 0), and expect tests/vm/run to report
# each as failed, for the planted line. Prints one result line per check.
# usage: tests/vm/selftest.sh KERNEL
set -u
here=$(cd "$(dirname "$0")" && pwd)
kernel=${1:?usage: selftest.sh KERNEL}
out=$("$here/run" --kernel "$kernel" "$here/selftest/plant-warning.sh" \
	"$here/selftest/plant-deprecated.sh" 2>&1)
rc=$?
echo "$out" | sed 's/^/  | /'
# KERNEL:KVER, as tests/vm/run names the kernel.
tag=$(grep -o -m1 "^\(not \)\?ok $kernel:[^ ]*" <<<"$out" | sed 's/.* //')
tag=${tag:-$kernel}
failed=0
# expect CHECK TEST PATTERN WHAT: TEST must be reported failed, for PATTERN.
expect() {
	if ((rc != 0)) && grep -q "^not ok $kernel:[^ ]* selftest-$2 (kernel log: .*$3" <<<"$out"; then
		echo "ok $tag $1"
	else
		echo "not ok $tag $1 (a planted $4 was not reported, rc=$rc)"
		failed=1
	fi
}
expect harness-detects-warning plant-warning "WARNING" "WARN_ON(1)"
expect harness-detects-deprecated plant-deprecated "e7_events_work \[eftirlit7\] enqueued on deprecated" \
	"deprecation notice naming eftirlit7"
exit $failed
