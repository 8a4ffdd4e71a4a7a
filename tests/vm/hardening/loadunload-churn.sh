#!/bin/bash
# vm-mode: fast
# vm-timeout: 240
# Load and unload the module again and again while 8 processes (2 on the
# debug kernel) make TCP connections (IPv4 and IPv6) to a namespace server
# and a rule churner keeps 1,000 rules changing (it re-resolves the family
# after each unload). Every cycle waits for the ruleset to fill before
# unloading, so each unload frees a full table under traffic. E7_CYCLES
# cycles (default 5, 3 on the debug kernel; tools/stress.sh: 100).
# An nftables table keeps the kernel's NF_HOOK static keys on (see
# e7_keep_nf_hooks): under TCG, the kernel's own text patching of those keys
# faulted here ("Oops: int3" at __ip_local_out during insmod on 6.12, a soft
# lockup in nf_unregister_net_hooks on 6.1). module/loadunload.sh still
# loads and unloads without it, so that path stays tested.
# In a fresh-clone check on 2026-11-24 a 6.12 guest died 30 s into this test
# (SLUB list corruption in kfree from an RCU callback), on a module that could
# put a program twice when a held flow was resolved and evicted between two
# cache reads (fixed in ac391a9). With that fix it ran 100 cycles on 6.12
# twice and on 6.1 once without a fault.
# A rule dump under churn used to chase the rules added during it (230,961
# "rules at unload" in one cycle on 6.12, 105,552 in another, while the table
# held about 1,000): a dump now leaves out the rules added after it began.
set -eu
. "$E7_SRCDIR/tests/vm/hardening/common.sh"

cycles=${E7_CYCLES:-$(e7s_short 5 3)}
# The debug kernel frees slowly (kmemleak queues an RCU callback for every
# free, KASAN quarantines): under 8 connecting processes and unbounded churn
# its RCU callbacks piled up to 700,000 on one CPU, and every grace-period
# wait in an unload (free_module's synchronize_rcu) waited minutes behind
# them. There the storm is 2 processes, and the churner, which adds about
# 100 rules/s there, gets 30 s to fill the table.
procs=$(e7s_short 8 2) fill_s=$(e7s_short 5 30)
e7s_build
modprobe -a nf_socket_ipv4 nf_socket_ipv6 2>/dev/null || true
e7_keep_nf_hooks
trap 'touch /tmp/lu.stop; e7_cleanup lu' EXIT
e7s_traffic lu 62 7702
rm -f /tmp/lu.stop
"$E7S/connstorm" connect -p "$procs" -t 3600 -f /tmp/lu.stop 198.18.62.2 7702 2001:2:0:62::2 7702 >/tmp/lu.traffic &
storm=$!
"$E7S/rulechurn" -R -k 1000 -t 3600 -f /tmp/lu.stop >/tmp/lu.churn &
churn=$!

t0=$(date +%s)
full=0
for i in $(seq 1 "$cycles"); do
	case $((i % 4)) in
	0) e7_load mode=deny-unknown ;;
	1) e7_load profile=strict mode=allow-unknown ;;
	*) e7_load ;;
	esac
	# Wait (at most fill_s) for the churner to fill the table.
	n=0 t1=$(date +%s%N)
	until ((n >= 1000 || $(date +%s%N) - t1 > fill_s * 1000000000)); do
		n=$("$E7S/genl-fuzz" --state 2>/dev/null | grep -c '^rule' || true)
		((n >= 1000)) || sleep 0.1
	done
	((n >= 1000)) && full=$((full + 1))
	t2=$(date +%s%N)
	# A rule dump in progress holds the module: retry the unload briefly.
	for try in $(seq 20); do
		rmmod eftirlit7 2>/dev/null && break
		((try == 20)) && e7_fail "cycle $i: cannot unload: $(rmmod eftirlit7 2>&1)"
		sleep 0.1
	done
	e7_log "cycle $i: $n rules at unload, loaded for $(((t2 - t1) / 1000000)) ms, unload took $((($(date +%s%N) - t2) / 1000000)) ms"
done
secs=$(($(date +%s) - t0))
touch /tmp/lu.stop
wait "$storm" || e7_fail "no connection attempt during the cycles"
wait "$churn" || e7_fail "the rule churner made no change: $(cat /tmp/lu.churn)"
e7_log "traffic: $(cat /tmp/lu.traffic)"
e7_log "rule churn: $(cat /tmp/lu.churn)"
grep -q ' ok=0 ' /tmp/lu.traffic && e7_fail "no connection succeeded"
lsmod | grep -q '^eftirlit7 ' && e7_fail "module still loaded"
# Most cycles must have had a full table at unload (the churner keeps up).
((full * 2 >= cycles)) || e7_fail "only $full of $cycles cycles unloaded a full table"
e7_log "$cycles load/unload cycles in ${secs}s, $full with 1000 rules at unload"
