#!/bin/bash
# Builds the libFuzzer targets of tests/fuzz/targets with clang (ASan and
# UBSan) outside the autotools tree and runs each for RUNS executions over its
# corpus (new inputs go to a scratch copy, the repo's corpora stay as they
# are). Exits non-zero if a target does not build or finds a crash.
#
# usage: tools/fuzz.sh [RUNS] [TARGET...]   (default: 1000000 runs, every target)
#        tools/fuzz.sh --list               the target names, one a line
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/tests/fuzz/targets
names() { sed -e 's/#.*//' "$list" | awk 'NF { print $1 }'; }
if [[ ${1:-} == --list ]]; then
	names
	exit 0
fi
runs=${1:-1000000}
(($#)) && shift
targets=("$@")
((${#targets[@]})) || mapfile -t targets < <(names)
out=$top/build/fuzz
mkdir -p "$out"

flags=(-g -O1 -Wall -Wextra -Wno-unused-parameter -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -Werror=implicit-function-declaration
	-I"$top" -I"$top/common" -I"$top/e7d"
	-I"$top/module/include/uapi" -I"$top/tests/unit" -I"$top/tests/fuzz/e7d")
read -r -a gio <<<"$(pkg-config --cflags --libs gio-2.0)"
read -r -a libnl <<<"$(pkg-config --cflags --libs libnl-genl-3.0)"

# target NAME: sets corpus and src (its fuzzer, then the code under test).
target() {
	local line
	line=$(sed -e 's/#.*//' "$list" | awk -v t="$1" '$1 == t')
	[[ -n $line ]] || return 1
	read -r -a src <<<"$line"
	corpus=$top/${src[1]}
	src=("${src[@]:2}")
	src=("${src[@]/#/$top/}")
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
