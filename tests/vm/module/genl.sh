#!/bin/bash
# vm-mode: fast
# Generic netlink family: open read-only queries, EPERM for every mutating
# command and for joining the event group as an unprivileged user, EINVAL
# for malformed attributes, rule add/get/dump(resume)/delete, mode get/set.
set -eu
. "$E7_SRCDIR/tests/vm/module/common.sh"

e7_load
trap e7_unload EXIT

[[ $(unl mode) == ask ]] || e7_fail "unprivileged get mode"
unl config | grep -q '^version=1$' || e7_fail "unprivileged get config"
unl rules >/dev/null || e7_fail "unprivileged rule dump"
unl stats | grep -q '^packets=' || e7_fail "unprivileged stats"

expect_eperm() {
	local out
	if out=$(unl "$@" 2>&1); then
		e7_fail "unprivileged '$*' succeeded: $out"
	fi
	grep -q EPERM <<<"$out" || e7_fail "unprivileged '$*': expected EPERM, got: $out"
	e7_log "EPERM for: $*"
}
expect_eperm mode block-all
expect_eperm config nodaemon=block
expect_eperm add action=allow path=/usr/bin/true
expect_eperm del 1
expect_eperm flush
expect_eperm flows
expect_eperm verdict 1 allow
expect_eperm reset
expect_eperm raw SET_FLAGS 4:u32:0
# Joining the event group needs CAP_NET_ADMIN too.
if out=$(unl daemon --seconds 1 2>&1); then
	e7_fail "unprivileged event subscription succeeded: $out"
fi
grep -q "PermissionError\|EPERM" <<<"$out" || e7_fail "event subscription: $out"
[[ $(nl mode) == ask ]] || e7_fail "mode changed by an unprivileged user"

nl malformed || e7_fail "malformed requests were not all rejected with EINVAL"

# Rules: add, read back, dump across several messages, delete.
id=$(nl add action=block path=/usr/bin/curl proto=tcp addr=198.18.1.0/24 port=80-90 uid=1500)
nl get "$id" | grep -q "path=/usr/bin/curl" || e7_fail "rule not read back"
nl get "$id" | grep -q "addr=198.18.1.0 .*prefix_len=24\|prefix_len=24" || e7_fail "CIDR lost"
id2=$(nl add action=allow path=/usr/lib/ id=42)
[[ $id2 == 42 ]] || e7_fail "daemon-chosen id not kept: $id2"
out=$(nl add action=allow path=/usr/bin/x id=42 2>&1) && e7_fail "duplicate id accepted"
grep -q EEXIST <<<"$out" || e7_fail "duplicate id: $out"
nl bulk 400 "/opt/p{}/" action=allow
n=$(nl rules | wc -l)
[[ $n == 402 ]] || e7_fail "dump shows $n rules, expected 402"
[[ $(nl rules | sort -u | wc -l) == 402 ]] || e7_fail "dump repeated rules"
nl del "$id"
out=$(nl del "$id" 2>&1) && e7_fail "deleting twice succeeded"
grep -q ENOENT <<<"$out" || e7_fail "second delete: $out"
nl flush
[[ $(nl rules | wc -l) == 0 ]] || e7_fail "flush left rules"

# Mode and config round trips.
for m in allow-unknown deny-unknown disabled block-all ask; do
	nl mode "$m"
	[[ $(nl mode) == "$m" ]] || e7_fail "mode $m not applied"
done
nl config profile=strict hold_timeout_ms=1500
nl config | grep -q '^policy_nodaemon=2$' || e7_fail "strict profile not applied"
nl config | grep -q '^hold_timeout_ms=1500$' || e7_fail "hold timeout not applied"
rmmod eftirlit7
trap - EXIT
# Module parameters set the boot mode.
e7_load mode=deny-unknown profile=strict
[[ $(nl mode) == deny-unknown ]] || e7_fail "mode parameter ignored"
rmmod eftirlit7
if e7_load mode=bogus 2>/dev/null; then
	rmmod eftirlit7
	e7_fail "bogus mode parameter accepted"
fi
e7_log "genl checks passed"
