#!/bin/bash
# Benchmarks (figures, never pass/fail on timing): prepares the load
# generator and OpenSnitch on the host (bench/prepare), boots each kernel
# under QEMU and runs the benchmarks in one boot, then writes
# bench/RESULTS.md (bench/assemble).
# usage: tools/bench.sh [--quick] [--kernels "6.1 6.12"] [BENCH...]
#   default BENCH: bench/compare.sh (no firewall, E7, OpenSnitch, A/A control);
#   bench/module-perf.sh adds the module's own per-connect figures.
set -euo pipefail
cd "$(dirname "$0")/.."
kernels="6.1 6.12" prepare=()
# The guest's clock counts its instructions (QEMU -icount, tests/vm/run):
# under plain TCG, runs of the same workload differed by up to 2x with the
# host's load; under icount by under 1 % with four other guests running.
# shift=3 (8 ns per instruction) keeps the guest's clock near the host's.
# E7_VM_ICOUNT= (empty) measures with the plain clock, each vCPU pinned to
# its own host core.
export E7_VM_ICOUNT=${E7_VM_ICOUNT-3} E7_VM_PIN=${E7_VM_PIN:-1}
while (($#)); do
	case $1 in
	--quick) prepare=(--quick); shift ;;
	--kernels) kernels=$2; shift 2 ;;
	*) break ;;
	esac
done
benches=("$@")
((${#benches[@]})) || benches=(bench/compare.sh)
bench/prepare "${prepare[@]}"
# The module is built from module/ for each kernel: tests/vm/run would
# otherwise load whatever build/module/KVER holds from an earlier build.
. tests/vm/kernels.sh
declare -A ko
for k in $kernels; do
	e7_kernel_resolve "$k" ""
	tools/build-module.sh "$KDIR" "build/module/$KVER" module >/dev/null
	ko[$k]=$PWD/build/module/$KVER/eftirlit7.ko
done
# Under icount a guest's figures do not depend on the host's load, so the
# kernels boot side by side (one vCPU each, the second on its own VM lock);
# with the plain clock they take turns.
status=0 pids=() n=0
for k in $kernels; do
	if [[ -n $E7_VM_ICOUNT ]]; then
		lock=${E7_VM_LOCK:-/tmp/e7-vm.lock}
		((n == 0)) || lock+=.bench$n
		E7_VM_LOCK=$lock tests/vm/run --kernel "$k" --module "${ko[$k]}" "${benches[@]}" &
		pids+=($!)
		n=$((n + 1))
	else
		tests/vm/run --kernel "$k" --module "${ko[$k]}" "${benches[@]}" || status=1
	fi
done
for pid in "${pids[@]}"; do
	wait "$pid" || status=1
done
# shellcheck disable=SC2086
bench/assemble $kernels
exit $status
