#!/bin/bash
# Benchmarks (figures, never pass/fail on timing): boots each kernel under
# QEMU and runs every bench/*.sh in one boot, printing their figures.
# usage: tools/bench.sh [--kernels "6.1 6.12"] [BENCH...]
set -euo pipefail
cd "$(dirname "$0")/.."
kernels="6.1 6.12"
if [[ ${1:-} == --kernels ]]; then
	kernels=$2
	shift 2
fi
benches=("$@")
((${#benches[@]})) || benches=(bench/*.sh)
status=0
for k in $kernels; do
	tests/vm/run --kernel "$k" "${benches[@]}" || status=1
done
exit $status
