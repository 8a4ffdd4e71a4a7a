#!/bin/bash
# Builds the libFuzzer targets with clang (ASan and UBSan) outside the
# autotools tree and runs each for RUNS executions over its corpus in
# tests/fuzz (new inputs go to a scratch copy, the repo's corpora stay as
# they are). Exits non-zero if a target does not build or finds a crash.
#
# usage: tools/fuzz.sh [RUNS] [TARGET...]
#   RUNS: executions per target (default 1000000; tools/test.sh: 20000)
#   TARGET: e7d-rules e7d-nl-rule e7d-nl-flow e7d-nl-stats e7d-nl-event
#           module-match (default all)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-1000000}
(($#)) && shift
targets=("$@")
((${#targets[@]})) || targets=(e7d-rules e7d-nl-rule e7d-nl-flow e7d-nl-stats e7d-nl-event module-match)
out=$top/build/fuzz
mkdir -p "$out"

flags=(-g -O1 -Wall -Wextra -Wno-unused-parameter -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -I"$top" -I"$top/e7d" -I"$top/module/include/uapi"
	-I"$top/tests/unit" -I"$top/tests/fuzz/e7d")
read -r -a gio <<<"$(pkg-config --cflags --libs gio-2.0)"
read -r -a libnl <<<"$(pkg-config --cflags --libs libnl-genl-3.0)"
nl_sources=("$top/e7d/nl-decode.c" "$top/e7d/kernel.c" "$top/e7d/rule.c" "$top/e7d/e7-error.c")

# target TARGET: sets src (its fuzzer and the code under test) and corpus.
target() {
	local f=$top/tests/fuzz
	case $1 in
	e7d-rules)
		src=("$f/e7d/fuzz-rules.c" "$top/e7d/e7-error.c" "$top/e7d/rule.c" "$top/e7d/rules-file.c")
		corpus=$f/e7d/corpus ;;
	e7d-nl-*)
		src=("$f/e7d/fuzz-${1#e7d-}.c" "${nl_sources[@]}")
		corpus=$f/e7d/corpus-${1#e7d-} ;;
	module-match)
		src=("$f/module/fuzz-match.c" "$top/module/match.c")
		corpus=$f/module/corpus ;;
	*) return 1 ;;
	esac
}

status=0
for t in "${targets[@]}"; do
	target "$t" || { echo "fuzz: no target $t" >&2; exit 2; }
	if ! clang "${flags[@]}" -o "$out/fuzz-$t" "${src[@]}" "${gio[@]}" "${libnl[@]}" \
		>"$out/$t.build.log" 2>&1; then
		echo "fuzz: $t does not build:"
		tail -n 20 "$out/$t.build.log"
		status=1
		continue
	fi
	scratch=$out/$t.corpus
	rm -rf "$scratch" "$out/$t.artifacts"
	mkdir -p "$scratch" "$out/$t.artifacts"
	dirs=("$scratch")
	[[ -d $corpus ]] && dirs+=("$corpus")
	if "$out/fuzz-$t" -runs="$runs" -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$out/$t.artifacts/" "${dirs[@]}" >"$out/$t.log" 2>&1; then
		echo "fuzz: $t: $(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log") executions, no crash"
	else
		echo "fuzz: $t failed (see build/fuzz/$t.log, input in build/fuzz/$t.artifacts/):"
		grep -m 5 -E 'ERROR|runtime error|SUMMARY' "$out/$t.log" || tail -n 5 "$out/$t.log"
		status=1
	fi
done
exit $status
