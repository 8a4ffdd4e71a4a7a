# Shared helpers of the module VM tests (sourced, not run).
# shellcheck shell=bash
. "$E7_SRCDIR/tests/vm/lib.sh"
E7M_DIR=$E7_SRCDIR/tests/vm/module
nl() { python3 "$E7M_DIR/e7nl.py" "$@"; }
unl() { e7_as_user e7test python3 "$E7M_DIR/e7nl.py" "$@"; }
client() { python3 "$E7M_DIR/e7client.py" "$@"; }
PY=$(readlink -f /usr/bin/python3)

# e7_load [PARAMS...]: load the module (and the socket lookup modules it uses).
e7_load() {
	# Incoming filtering uses nf_socket; a kernel without it still loads us.
	modprobe -a nf_socket_ipv4 nf_socket_ipv6 2>/dev/null || true
	insmod "$E7_MODULE" "$@"
}

e7_unload() {
	rmmod eftirlit7 2>/dev/null || true
}

# e7_keep_nf_hooks: an nftables table with empty chains on the input and
# output hooks (IPv4 and IPv6), so that the kernel's NF_HOOK static keys stay
# on while eftirlit7 comes and goes. Otherwise the first registration and the
# last unregistration patch kernel text (text_poke_bp), and under QEMU TCG a
# vCPU running the site being patched takes the int3 as a fault: "Oops: int3"
# at __ip_local_out's static key during insmod (6.12, loadunload-churn), a
# soft lockup in nf_unregister_net_hooks (6.1), and the same Oops at
# sched_clock_cpu's static key in boots without E7. Real CPUs are not hit.
e7_keep_nf_hooks() {
	nft -f - <<'NFT' || e7_fail "cannot add the nftables table that keeps the hooks on"
table inet e7keep {
	chain in { type filter hook input priority 0; policy accept; }
	chain out { type filter hook output priority 0; policy accept; }
}
NFT
}

# e7_cleanup NS...: end background jobs, delete namespaces, unload (for traps).
e7_cleanup() {
	local ns
	kill $(jobs -p) 2>/dev/null || true
	wait 2>/dev/null || true
	for ns in "$@"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
		ip netns del "$ns" 2>/dev/null || true
	done
	e7_unload
}

# stat NAME: one global counter.
stat() { nl stats | sed -n "s/^$1=//p"; }

# expect_ok|expect_err ERRNO DESC CMD...: run a client and check its outcome.
expect_ok() {
	local desc=$1 out
	shift
	out=$("$@" 2>&1) || e7_fail "$desc: expected success, got: $out"
	e7_log "$desc: $out"
}

expect_err() {
	local want=$1 desc=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		e7_fail "$desc: expected $want, got: $out"
	fi
	[[ $want == any || $out == *"$want"* ]] || e7_fail "$desc: expected $want, got: $out"
	e7_log "$desc: $out"
}

# ms_of "ok 12.3" -> 12
ms_of() { awk '{ print int($NF) }' <<<"$1"; }
