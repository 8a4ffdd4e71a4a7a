#!/bin/bash
# vm-mode: fast
# vm-timeout: 240
# Memory pressure: a program opens many unknown flows (UDP datagrams to new
# ports, TCP connects from new sockets) while a daemon is subscribed that
# never answers, with a short hold timeout (3 s; 10 s in the long form). The
# held-flow and held-packet bounds must hold (the overflow counter rises, held
# packets never exceed the bound), the flow cache stays within its slots, and
# once the holds expire the module's counters and the kernel's memory
# (kmalloc and skb caches, unreclaimable slab) return to their idle figures.
# Prints the high-water marks. E7_FLOWS flows (default 20000, 5000 on the
# debug kernel, with bounds lowered to 256 flows and 512 packets;
# tools/stress.sh: 100000 with the default bounds).
set -eu
. "$E7_SRCDIR/tests/vm/hardening/common.sh"

flows=${E7_FLOWS:-$(e7s_short 20000 5000)}
# The hold timeout must outlast bound / flow rate, or the holds expire before
# they pile up to the bound: a loaded guest opens about 2,000 flows/s (the
# long form's default bound is 4,096 held flows), the debug kernel about 150
# (the short form's bound is 256).
if e7s_long; then
	params=() max_pkts=8192 hold_ms=10000
else
	params=(max_held_flows=256 max_held_pkts=512) max_pkts=512 hold_ms=3000
fi
slots=32768 # E7_FLOW_BUCKETS x E7_FLOW_WAYS in module/flows.c
e7s_build
e7_load "${params[@]}"
sampler=
trap '[[ -z $sampler ]] || kill "$sampler" 2>/dev/null || true; e7_cleanup fm' EXIT
e7_netns_add fm 65
nl config hold_timeout_ms=$hold_ms timeout=block overflow=block

# settle: drop the page cache and shrink every slab cache, which frees empty
# slabs and, on a KASAN kernel, the freed objects its quarantine still holds
# (mm/kasan: kasan_cache_shrink); the slab figures then count live objects.
settle() {
	local f
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do { echo 1 >"$f"; } 2>/dev/null || true; done
	sleep 2
}
settle
read -r slab0 unrec0 kmalloc0 skb0 <<<"$(e7s_mem)"
e7_log "idle: slab ${slab0} kB, unreclaimable ${unrec0} kB, kmalloc ${kmalloc0} kB, skb ${skb0} kB"

# Memory high-water marks, sampled every 0.5 s.
(
	max=(0 0 0 0)
	while :; do
		read -r -a cur <<<"$(e7s_mem)"
		for k in 0 1 2 3; do ((cur[k] > max[k])) && max[k]=${cur[k]}; done
		echo "${max[*]}" >/tmp/fm.max
		sleep 0.5
	done
) &
sampler=$!

"$E7S/e7listen" >/tmp/fm.listen &
listener=$!
for _ in $(seq 100); do grep -q ready /tmp/fm.listen && break; sleep 0.05; done
grep -q ready /tmp/fm.listen || e7_fail "the listener did not subscribe"
out=$("$E7S/flowflood" -n "$flows" 198.18.65.2 2001:2:0:65::2) || e7_fail "flood: $out"
e7_log "flood: $out"
sleep "$(((hold_ms + 1200) / 1000)).$(((hold_ms + 1200) % 1000 / 100))" # the last holds expire and the reaper runs
kill "$listener"
wait "$listener" || true
kill "$sampler"
wait "$sampler" 2>/dev/null || true
sampler=
e7_log "module maxima: $(tail -n 1 /tmp/fm.listen)"
read -r slabm unrecm kmallocm skbm </tmp/fm.max
e7_log "high-water: slab +$((slabm - slab0)) kB, unreclaimable +$((unrecm - unrec0)) kB, kmalloc +$((kmallocm - kmalloc0)) kB, skb +$((skbm - skb0)) kB"

nl stats >/tmp/fm.stats
st() { sed -n "s/^$1=//p" /tmp/fm.stats; }
e7_log "counters: $(grep -E '^(held_flows|held_packets|overflow|timed_out|events_sent|events_lost|held_now|flows_active)=' /tmp/fm.stats | tr '\n' ' ')"
(($(st overflow) > 0)) || e7_fail "the hold bounds were never reached (no overflow)"
(($(st held_flows) > 0)) || e7_fail "no flow was held"
max_held=$(sed -n 's/.*max_held_now=\([0-9]*\).*/\1/p' /tmp/fm.listen)
((max_held <= max_pkts)) || e7_fail "$max_held packets held, over the bound of $max_pkts"
(($(st flows_active) <= slots)) || e7_fail "flow cache over its $slots slots"
(($(st held_now) == 0)) || e7_fail "$(st held_now) packets still held after the timeouts"

settle
read -r slab1 unrec1 kmalloc1 skb1 <<<"$(e7s_mem)"
e7_log "after: slab ${slab1} kB, unreclaimable ${unrec1} kB, kmalloc ${kmalloc1} kB, skb ${skb1} kB"
# Back to idle within 2 MB (slab caches keep some free objects around).
for v in "unreclaimable $unrec0 $unrec1" "kmalloc $kmalloc0 $kmalloc1" "skb $skb0 $skb1"; do
	read -r name a b <<<"$v"
	((b - a <= 2048)) || e7_fail "$name memory did not return to idle: $a kB -> $b kB"
done
rmmod eftirlit7
settle
e7_log "after unload: $(e7s_mem | awk '{ printf "slab %s kB, unreclaimable %s kB, kmalloc %s kB, skb %s kB", $1, $2, $3, $4 }')"
e7_log "memory pressure passed"
