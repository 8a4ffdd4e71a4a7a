#!/bin/bash
# The long forms of the hardening VM tests (make stress; CI runs their short
# forms): generic netlink fuzzing, load/unload under traffic and rule churn,
# rule churn against a connection storm, memory pressure. Builds the module
# for each kernel, writes one wrapper per test that sets the long counts,
# boots each kernel once and prints the figures of every test.
#
# usage: tools/stress.sh [--kernels "6.1 6.12 debug"] [--modules DIR] [TEST...]
#   TEST: genl-fuzz, loadunload-churn, churn-storm, flood-memory, faults
#   (default all)
#   --modules DIR: use DIR/KERNEL/eftirlit7.ko (KERNEL: 6.1, 6.12, debug)
#   instead of building module/ into build/module/KVER
# Counts (environment, defaults in brackets):
#   E7_FUZZ_COUNT    fuzzed messages per user, root and unprivileged [100000]
#   E7_FUZZ_SEED     replay a fuzzing run [random, printed]
#   E7_CYCLES        load/unload cycles [100]
#   E7_CHURN_SECONDS rule churn duration [60]
#   E7_FLOWS         unknown flows opened [100000]
#   E7_KILLS         e7d SIGKILLs with a prompt open (faults) [50]
# Exits non-zero if any test failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kernels="6.1 6.12 debug" modules=
while (($#)); do
	case $1 in
	--kernels) kernels=$2; shift 2 ;;
	--modules) modules=$(readlink -f "$2"); shift 2 ;;
	-*) echo "stress: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
names=("$@")
((${#names[@]})) || names=(genl-fuzz loadunload-churn churn-storm flood-memory faults)
testfile() { echo "tests/vm/hardening/$1.sh"; }
for n in "${names[@]}"; do
	[[ -f $(testfile "$n") ]] || { echo "stress: no test tests/vm/hardening/$n.sh" >&2; exit 2; }
done

# Time limits of the long forms on Debian's kernels; the debug kernel gets 5x.
declare -A limit=([genl-fuzz]=3000 [loadunload-churn]=1200 [churn-storm]=300 [flood-memory]=900
	[faults]=1500)
env_line="export E7_STRESS=1 E7_FUZZ_COUNT=${E7_FUZZ_COUNT:-100000} E7_CYCLES=${E7_CYCLES:-100}"
env_line+=" E7_CHURN_SECONDS=${E7_CHURN_SECONDS:-60} E7_FLOWS=${E7_FLOWS:-100000}"
env_line+=" E7_KILLS=${E7_KILLS:-50}"
[[ -n ${E7_FUZZ_SEED:-} ]] && env_line+=" E7_FUZZ_SEED=$E7_FUZZ_SEED"

# The guest uses helpers built here when they are current (see
# tests/stress/build.sh).
tests/stress/build.sh "$top/build/stress/bin"
. tests/vm/kernels.sh
status=0
for k in $kernels; do
	e7_kernel_resolve "$k" "" || { status=1; continue; }
	if [[ -n $modules ]]; then
		ko=$modules/$k/eftirlit7.ko
		[[ -f $ko ]] || { echo "stress: no $ko" >&2; status=1; continue; }
	else
		tools/build-module.sh "$KDIR" "build/module/$KVER" module >/dev/null || { status=1; continue; }
		ko=$top/build/module/$KVER/eftirlit7.ko
	fi
	dir=$top/build/stress/$k/stress
	rm -rf "$dir"
	mkdir -p "$dir"
	wrappers=()
	for n in "${names[@]}"; do
		secs=${limit[$n]}
		[[ $k == debug ]] && secs=$((secs * 5))
		# The wrapper runs in the test's own mode (fast or system).
		printf '#!/bin/bash\n%s\n# vm-timeout: %s\n%s\nexec bash "$E7_SRCDIR/%s"\n' \
			"$(sed -n 2p "$(testfile "$n")")" "$secs" "$env_line" "$(testfile "$n")" >"$dir/$n.sh"
		wrappers+=("$dir/$n.sh")
	done
	start=$(date +%s)
	tests/vm/run --kernel "$k" --module "$ko" "${wrappers[@]}" | tee "build/stress/$k/run.log" || status=1
	echo "stress: $k took $(($(date +%s) - start)) s"
	# The figures: each test's own summary lines, from its saved output.
	art=$(sed -n 's/^vm\/run: booting .* artifacts in //p' "build/stress/$k/run.log" | head -n 1)
	for n in "${names[@]}"; do
		[[ -f $art/stress-$n.log ]] || continue
		echo "== $k $n"
		grep -E 'seed|messages=|errors:|strategies|state|traffic|churn|rule-ops|cycles|flood|maxima|high-water|idle|after|counters|lookups|killed|full disk|polkit|FAIL' \
			"$art/stress-$n.log" | sed 's/^/   /'
	done
done
exit $status
