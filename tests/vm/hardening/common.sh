# Shared helpers of the hardening VM tests (sourced, not run).
# shellcheck shell=bash
. "$E7_SRCDIR/tests/vm/module/common.sh"
E7S=/tmp/e7stress

# e7s_build: the C helpers of tests/stress, built on the host beforehand
# (build/stress/bin, when current) or else once per boot in the guest.
e7s_build() {
	local pre=$E7_SRCDIR/build/stress/bin
	if "$E7_SRCDIR/tests/stress/build.sh" --check "$pre"; then
		E7S=$pre
		return 0
	fi
	"$E7_SRCDIR/tests/stress/build.sh" "$E7S" || e7_fail "cannot build the stress helpers"
}

# e7s_long: true in the long (make stress) form, which tools/stress.sh selects
# with E7_STRESS=1 (and may set each count itself).
e7s_long() { [[ ${E7_STRESS:-0} == 1 ]]; }

# e7s_short DEFAULT DEBUG: the short form's count, smaller on the debug kernel
# (3 to 10 times slower; its checkers see the same paths with fewer rounds).
e7s_short() { if [[ $E7_KVER == *debug* ]]; then echo "$2"; else echo "$1"; fi; }

# e7s_traffic NAME INDEX PORT: namespace NAME running a connstorm server.
e7s_traffic() {
	e7_netns_add "$1" "$2"
	ip netns exec "$1" "$E7S/connstorm" serve "$3" &
	e7_wait_port "$1" tcp "$3"
}

# e7s_mem: "slab_kb unreclaimable_kb kmalloc_kb skb_kb" from /proc/meminfo and
# the active objects of the kmalloc and skb caches in /proc/slabinfo.
e7s_mem() {
	local m
	m=$(awk '/^Slab:/ { s = $2 } /^SUnreclaim:/ { u = $2 } END { print s, u }' /proc/meminfo)
	echo "$m $(awk 'NR > 2 && $1 ~ /^kmalloc-/ { k += $2 * $4 }
		NR > 2 && $1 ~ /^skbuff/ { b += $2 * $4 }
		END { print int(k / 1024), int(b / 1024) }' /proc/slabinfo)"
}
