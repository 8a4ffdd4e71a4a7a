#!/bin/bash
# The whole test suite: installs dependencies, builds everything, runs the
# unit tests, make distcheck, the module build checks (W=1, checkpatch,
# clang-format), and the VM tests on Debian's 6.1 and 6.12 kernels, on the
# newest kernel Debian sid serves that day ("latest", built in a sid chroot:
# tests/vm/kernels.sh) and on the debug 6.1 kernel. Ends with "N passed, N
# failed"; exits non-zero on any failure.
#
# usage: tools/test.sh [--no-deps] [--no-build] [--kernels "6.1 6.12 latest debug"] [VM-TEST...]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
deps=1 build=1 kernels="6.1 6.12 latest debug" only=() t_start=$SECONDS
while (($#)); do
	case $1 in
	--no-deps) deps=0; shift ;;
	--no-build) build=0; shift ;;
	--kernels) kernels=$2; shift 2 ;;
	-*) echo "test.sh: unknown option $1" >&2; exit 2 ;;
	*) only+=("$(readlink -f "$1")"); shift ;;
	esac
done

logs=$top/build/logs
mkdir -p "$logs"
passed=0 failed=0
result() { # result ok|fail NAME [WHY]
	if [[ $1 == ok ]]; then
		passed=$((passed + 1)); echo "ok $2"
	else
		failed=$((failed + 1)); echo "not ok $2${3:+ ($3)}"
	fi
}
# step NAME CMD...: one check, output to build/logs/NAME.log. kstep NAME
# CMD...: a check of kernel $k, output to build/logs/NAME-$k.log, its line
# naming the kernel as the VM tests' lines do ("ok 6.1:6.1.0-57-amd64 NAME").
step() { logged_step "$1" "$1" "${@:2}"; }
kstep() { logged_step "$1-$k" "$k:$KVER $1" "${@:2}"; }
logged_step() {
	local log=$1.log name=$2
	shift 2
	if "$@" >"$logs/$log" 2>&1; then result ok "$name"; else
		result fail "$name" "see build/logs/$log"; tail -n 20 "$logs/$log" | sed 's/^/  | /'; return 1
	fi
}

if ((deps)); then
	step install-deps tools/install-deps.sh || { echo "$passed passed, $failed failed"; exit 1; }
fi

if ((build)); then
	step configure sh -c './autogen.sh && ./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var' ||
		{ echo "$passed passed, $failed failed"; exit 1; }
	step build make -j"$(nproc)" || { echo "$passed passed, $failed failed"; exit 1; }
fi

# Unit tests: every TAP result counts (a stale log from an earlier run does not).
rm -f tests/unit/test-suite.log
make -j"$(nproc)" check >"$logs/unit.log" 2>&1
unit_rc=$?
if [[ -f tests/unit/test-suite.log ]]; then
	for k in PASS FAIL ERROR XPASS; do
		n=$(sed -n "s/^# $k: *\([0-9]*\)/\1/p" tests/unit/test-suite.log | head -n 1)
		case $k in PASS) passed=$((passed + ${n:-0})) ;; *) failed=$((failed + ${n:-0})) ;; esac
	done
	echo "unit tests: $(grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' tests/unit/test-suite.log | tr '\n' ' ')"
	grep -E '^(FAIL|ERROR):' "$logs/unit.log" | sed 's/^/  | /'
fi
if ((unit_rc != 0)) && ! grep -qE '^# (FAIL|ERROR): *[1-9]' tests/unit/test-suite.log 2>/dev/null; then
	result fail unit-tests "make check failed, see build/logs/unit.log"
fi

# The libFuzzer targets (ASan, UBSan) in their short form: 20,000 executions
# each over the corpora in tests/fuzz (tools/fuzz.sh alone runs 1,000,000).
for t in $(tools/fuzz.sh --list); do
	step "fuzz-$t" tools/fuzz.sh 20000 "$t"
done

step distcheck make distcheck

# Style: the tree follows .clang-format; the module passes checkpatch.
files=$(git ls-files '*.c' '*.h' | grep -v '^tests/vm/probe/')
step clang-format clang-format --dry-run -Werror $files
# Layout: no file over 600 lines, no function over 60, no circles.
step layout tools/check-layout.py
# e7d.service's sandbox: systemd-analyze's exposure at most 2.1 (of 10).
step unit-exposure systemd-analyze security --offline=true --threshold=21 --no-pager data/e7d.service
if ls module/*.c >/dev/null 2>&1; then
	cp_dir=$top/build/checkpatch
	if [[ ! -f $cp_dir/scripts/checkpatch.pl ]]; then
		mkdir -p "$cp_dir"
		tar -C "$cp_dir" --strip-components=1 -xf /usr/src/linux-source-6.1.tar.xz --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	fi
	checkpatch() { perl "$cp_dir/scripts/checkpatch.pl" --no-tree --terse --show-types -f "$@"; }
	# The uapi header keeps its schema in x-macro lists (the seed's defs.x),
	# which checkpatch's COMPLEX_MACRO rule cannot tell from a statement macro.
	# An out-of-tree module built for 6.1 and 6.12 needs its few
	# LINUX_VERSION_CODE checks, which checkpatch (written for in-tree
	# code) flags twice each.
	checkpatch_module() {
		checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON module/*.c module/*.h &&
			checkpatch --ignore COMPLEX_MACRO $(find module/include -name '*.h')
	}
	step checkpatch checkpatch_module
fi

# VM tests: every kernel, the module built for it with W=1 and no warnings.
vmtests=("${only[@]}")
if ((${#vmtests[@]} == 0)); then
	# A VM test is a tests/vm/*/*.sh that declares its mode on line 2; the
	# README demo runs too.
	mapfile -t vmtests < <(for t in tests/vm/harness/*.sh tests/vm/*/*.sh tools/demo-guest.sh; do
		[[ $t == tests/vm/selftest/* ]] && continue
		sed -n '2p' "$t" | grep -q '^# vm-mode: ' && echo "$t"
	done | awk '!seen[$0]++')
fi
# The hardening tests' C helpers, built once on the host (the guest would
# compile them in every boot).
step stress-helpers tests/stress/build.sh "$top/build/stress/bin"

# plant_removed_api OUTDIR ok|fail: builds, as the module is built, a copy of
# module/ that also calls sock_i_uid(), which 7.x removed. Where the API
# exists (6.1) the copy must build without a warning, so the plant itself is
# sound; on a kernel without it the build must fail, naming it: a removed
# API fails the module build, shown every run.
plant_removed_api() {
	local out=$1 want=$2 src=$top/build/plant/src rc=0
	rm -rf "$src" && mkdir -p "$src" && cp -p module/Kbuild module/*.[ch] "$src/" &&
		cp -a module/include "$src/" || return 1
	cat >>"$src/identify.c" <<'PLANT'

u32 e7_planted_uid(struct sock *sk);
u32 e7_planted_uid(struct sock *sk)
{
	return from_kuid_munged(&init_user_ns, sock_i_uid(sk));
}
PLANT
	tools/build-module.sh "$KDIR" "$out" "$src" || rc=$?
	if [[ $want == ok ]]; then
		return $rc
	fi
	((rc != 0)) || { echo "plant: the build with sock_i_uid() succeeded against $KDIR"; return 1; }
	grep -q "implicit declaration of function .sock_i_uid." "$out/build.log" ||
		{ echo "plant: the build failed, but not on sock_i_uid()"; return 1; }
	echo "plant: the build failed on sock_i_uid(), as it must:"
	grep "sock_i_uid" "$out/build.log"
}

. tests/vm/kernels.sh
for k in $kernels; do
	t0=$SECONDS
	if ! e7_kernel_resolve "$k" "" >"$logs/kernel-$k.log" 2>&1; then
		result fail "kernel-$k" "$(tail -n 5 "$logs/kernel-$k.log")"
		continue
	fi
	# latest: whether its sid chroot was made, and how long that took.
	grep '^kernels: ' "$logs/kernel-$k.log"
	kstep probe-build tools/build-module.sh "$KDIR" "build/probe/$KVER" tests/vm/probe
	if [[ -f module/Kbuild ]]; then
		kstep module-build-W1 tools/build-module.sh "$KDIR" "build/module/$KVER" module
		case $k in
		6.1) kstep removed-api-plant-builds plant_removed_api "build/plant/$KVER" ok ;;
		latest) kstep removed-api-fails-build plant_removed_api "build/plant/$KVER" fail ;;
		esac
	fi
	# The harness's own checks: a planted warning and a planted deprecation
	# notice naming eftirlit7 must each fail their test.
	tests/vm/selftest.sh "$k" >"$logs/selftest-$k.log" 2>&1
	grep -E '^(not )?ok ' "$logs/selftest-$k.log"
	passed=$((passed + $(grep -c '^ok ' "$logs/selftest-$k.log")))
	failed=$((failed + $(grep -c '^not ok ' "$logs/selftest-$k.log")))
	grep -qE '^(not )?ok ' "$logs/selftest-$k.log" ||
		result fail "$k:$KVER harness-selftest" "see build/logs/selftest-$k.log"
	run=("${vmtests[@]}")
	if [[ $k == debug && ${#only[@]} == 0 ]]; then
		# KASAN, lockdep and kmemleak watch kernel code, at 3 to 10 times
		# the run time: within CI's budget the debug kernel runs the netlink
		# interface and its fuzzer, held flows (workqueues, timers,
		# reinjection, daemon exit), incoming filtering, and the short
		# forms of the stress tests (rule churn, load/unload under traffic,
		# memory pressure); the rest runs on 6.1 and 6.12 only (make stress
		# runs more there).
		run=()
		for t in tests/vm/harness/smoke.sh tests/vm/module/genl.sh \
			tests/vm/module/hold.sh tests/vm/module/incoming.sh \
			tests/vm/module/release.sh tests/vm/hardening/genl-fuzz.sh \
			tests/vm/hardening/churn-storm.sh tests/vm/hardening/loadunload-churn.sh \
			tests/vm/hardening/flood-memory.sh; do
			[[ -f $t ]] && run+=("$t")
		done
	elif [[ $k == latest && ${#only[@]} == 0 ]]; then
		# sid's newest kernel: what exercises the module (its tests and
		# the fast hardening tests) and the harness smoke test. The
		# daemon, applet and system-mode tests exercise userspace, the
		# same on every kernel, and run on 6.1 and 6.12.
		run=(tests/vm/harness/smoke.sh)
		for t in tests/vm/module/*.sh tests/vm/hardening/*.sh; do
			case $(sed -n '2p' "$t") in
			"# vm-mode: fast") run+=("$t") ;;
			"# vm-mode: system") [[ $t == tests/vm/module/* ]] && run+=("$t") ;;
			esac
		done
	fi
	tests/vm/run --kernel "$k" "${run[@]}" 2>&1 | tee "$logs/vm-$k.log"
	passed=$((passed + $(grep -c '^ok ' "$logs/vm-$k.log")))
	failed=$((failed + $(grep -c '^not ok ' "$logs/vm-$k.log")))
	if ! grep -qE '^(not )?ok ' "$logs/vm-$k.log"; then result fail "vm-$k" "no VM test ran"; fi
	echo "kernel $k ($KVER): $((SECONDS - t0)) s"
done

# Packaging end to end (builds the .debs, installs them in one kernel's boot
# and checks them in the other's): its own script, every "ok"/"not ok" line
# counts. DKMS builds under emulation make it take about 16 minutes, which
# the 75-minute CI budget cannot hold beside the rest, so it runs when
# asked: E7_TEST_PACKAGING=1.
if ((${#only[@]} == 0)) && [[ ${E7_TEST_PACKAGING:-0} == 1 ]]; then
	tools/test-packaging.sh 2>&1 | tee "$logs/packaging.log"
	passed=$((passed + $(grep -c '^ok ' "$logs/packaging.log")))
	failed=$((failed + $(grep -c '^not ok ' "$logs/packaging.log")))
	grep -qE '^(not )?ok ' "$logs/packaging.log" || result fail packaging "no packaging test ran"
fi

echo "VM artifacts (console, kernel log, test output): tests/vm/artifacts/"
echo "tools/test.sh took $(((SECONDS - t_start) / 60)) min $(((SECONDS - t_start) % 60)) s"
echo "$passed passed, $failed failed"
((failed == 0))
