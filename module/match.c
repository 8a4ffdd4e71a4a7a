// SPDX-License-Identifier: GPL-2.0
/*
 * Rule matching: which rule applies to a flow, and which of two matching
 * rules is more specific.  Plain C, also compiled in userspace for tests.
 */
#include "match.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#define E7_FNV_OFFSET 2166136261u
#define E7_FNV_PRIME 16777619u

static u32 e7_hash_step(u32 h, u8 c)
{
	return (h ^ c) * E7_FNV_PRIME;
}

/* FNV-1a: incremental, so all prefixes of a path hash in one pass. */
u32 e7_path_hash(const char *s, u32 len)
{
	u32 h = E7_FNV_OFFSET;
	u32 i;

	for (i = 0; i < len; i++)
		h = e7_hash_step(h, (u8)s[i]);
	return h;
}

void e7_prefix_iter_init(struct e7_prefix_iter *it, const char *path, u32 len)
{
	it->path = path;
	it->len = len;
	it->pos = 0;
	it->hash = E7_FNV_OFFSET;
}

/*
 * Yields the length and hash of each prefix of the path that ends in '/',
 * shortest first.  The whole path is not yielded unless it ends in '/'.
 */
bool e7_prefix_iter_next(struct e7_prefix_iter *it, u32 *plen, u32 *phash)
{
	while (it->pos < it->len) {
		char c = it->path[it->pos++];

		it->hash = e7_hash_step(it->hash, (u8)c);
		if (c == '/') {
			*plen = it->pos;
			*phash = it->hash;
			return true;
		}
	}
	return false;
}

static int e7_rule_normalize_path(struct e7_rule_spec *r, const char **why)
{
	u8 kind;

	if (!r->path) {
		if (r->prog_match != E7_PROG_ANY) {
			*why = "program match needs a path";
			return -EINVAL;
		}
		r->path_len = 0;
		r->path_hash = 0;
		return 0;
	}
	if (r->path_len == 0 || r->path[0] != '/') {
		*why = "program path must be absolute";
		return -EINVAL;
	}
	if (r->path_len >= E7_PATH_MAX || memchr(r->path, '\0', r->path_len)) {
		*why = "program path too long or not a string";
		return -EINVAL;
	}
	kind = r->path[r->path_len - 1] == '/' ? E7_PROG_PREFIX : E7_PROG_EXACT;
	if (r->prog_match == E7_PROG_ANY)
		r->prog_match = kind;
	if (r->prog_match != kind) {
		*why = "program match disagrees with the path (prefixes end in '/')";
		return -EINVAL;
	}
	r->path_hash = e7_path_hash(r->path, r->path_len);
	return 0;
}

static int e7_rule_normalize_addr(struct e7_rule_spec *r, const char **why)
{
	u32 bits, i;

	if (r->family == E7_FAMILY_ANY) {
		if (r->prefix_len) {
			*why = "prefix length without an address";
			return -EINVAL;
		}
		memset(r->addr, 0, sizeof(r->addr));
		return 0;
	}
	if (r->family != E7_FAMILY_V4 && r->family != E7_FAMILY_V6) {
		*why = "unknown address family";
		return -EINVAL;
	}
	bits = r->family == E7_FAMILY_V4 ? 32 : 128;
	if (r->prefix_len > bits) {
		*why = "prefix length longer than the address";
		return -EINVAL;
	}
	for (i = 0; i < bits / 8; i++) {
		u32 keep = r->prefix_len > i * 8 ? r->prefix_len - i * 8 : 0;

		if (keep < 8)
			r->addr[i] &= (u8)(0xff00u >> keep);
	}
	memset(r->addr + bits / 8, 0, sizeof(r->addr) - bits / 8);
	return 0;
}

/*
 * Checks a rule built from untrusted input and fills in derived fields.
 * Returns 0 or -EINVAL with a reason in *why.
 */
int e7_rule_normalize(struct e7_rule_spec *r, const char **why)
{
	int err;

	*why = NULL;
	if (r->action != E7_ACTION_ALLOW && r->action != E7_ACTION_BLOCK) {
		*why = "action must be allow or block";
		return -EINVAL;
	}
	if (r->dir > E7_DIR_MAX || r->prog_match > E7_PROG_MAX ||
	    r->lifetime > E7_LIFETIME_MAX) {
		*why = "value out of range";
		return -EINVAL;
	}
	if (r->proto == E7_PROTO_ICMPV6)
		r->proto = E7_PROTO_ICMP;
	if (r->port_min == 0 && r->port_max != 0) {
		*why = "port range needs a first port";
		return -EINVAL;
	}
	if (r->port_max == 0)
		r->port_max = r->port_min;
	if (r->port_max < r->port_min) {
		*why = "port range is reversed";
		return -EINVAL;
	}
	/*
	 * UDP-Lite stays a port-based protocol on kernels without it (7.1 on,
	 * compat.h): a rule file is the same for every kernel.
	 */
	if (r->port_min && r->proto != E7_PROTO_TCP &&
	    r->proto != E7_PROTO_UDP && r->proto != E7_PROTO_UDPLITE &&
	    r->proto != E7_PROTO_SCTP && r->proto != E7_PROTO_ANY) {
		*why = "ports need a port-based protocol";
		return -EINVAL;
	}
	err = e7_rule_normalize_addr(r, why);
	if (err)
		return err;
	err = e7_rule_normalize_path(r, why);
	if (err)
		return err;
	if (r->has_exe && r->prog_match != E7_PROG_EXACT) {
		*why = "a program identity needs an exact program path";
		return -EINVAL;
	}
	return 0;
}

bool e7_proto_matches(u8 rule_proto, u8 flow_proto)
{
	if (rule_proto == E7_PROTO_ANY)
		return true;
	if (flow_proto == E7_PROTO_ICMPV6)
		flow_proto = E7_PROTO_ICMP;
	return rule_proto == flow_proto;
}

static bool e7_addr_matches(const struct e7_rule_spec *r,
			    const struct e7_flow_key *k)
{
	u32 full = r->prefix_len / 8, rest = r->prefix_len % 8;

	if (r->family == E7_FAMILY_ANY)
		return true;
	if (r->family != k->family)
		return false;
	if (memcmp(r->addr, k->raddr, full))
		return false;
	if (!rest)
		return true;
	return ((r->addr[full] ^ k->raddr[full]) & (u8)(0xff00u >> rest)) == 0;
}

/* A bound rule applies only to the program it was made for. */
static bool e7_exe_matches(const struct e7_rule_spec *r,
			   const struct e7_flow_key *k)
{
	return !r->has_exe ||
	       (r->exe.ino == k->exe.ino && r->exe.dev == k->exe.dev &&
		r->exe.ctime_ns == k->exe.ctime_ns);
}

static bool e7_prog_matches(const struct e7_rule_spec *r,
			    const struct e7_flow_key *k)
{
	switch (r->prog_match) {
	case E7_PROG_ANY:
		return true;
	case E7_PROG_EXACT:
		return k->path && k->path_len == r->path_len &&
		       !memcmp(k->path, r->path, r->path_len) &&
		       e7_exe_matches(r, k);
	case E7_PROG_PREFIX:
		return k->path && k->path_len > r->path_len &&
		       !memcmp(k->path, r->path, r->path_len);
	}
	return false;
}

bool e7_rule_matches(const struct e7_rule_spec *r, const struct e7_flow_key *k)
{
	if (r->dir != E7_DIR_ANY && r->dir != k->dir)
		return false;
	if (!e7_proto_matches(r->proto, k->proto))
		return false;
	if (r->has_uid && r->uid != k->uid)
		return false;
	if (r->port_min && (k->rport < r->port_min || k->rport > r->port_max))
		return false;
	if (!e7_addr_matches(r, k))
		return false;
	return e7_prog_matches(r, k);
}

/*
 * Rank of a rule: the program dominates (exact > longer prefix > shorter
 * prefix > any), then user, protocol, port (single > range), address
 * prefix length, direction.
 */
u32 e7_rule_specificity(const struct e7_rule_spec *r)
{
	u32 prog = 0, rest = 0;

	if (r->prog_match == E7_PROG_EXACT)
		prog = E7_PATH_MAX + 1;
	else if (r->prog_match == E7_PROG_PREFIX)
		prog = r->path_len;
	if (r->has_uid)
		rest |= 1u << 15;
	if (r->proto != E7_PROTO_ANY)
		rest |= 1u << 14;
	if (r->port_min)
		rest |= (r->port_min == r->port_max ? 2u : 1u) << 12;
	if (r->family != E7_FAMILY_ANY)
		rest |= (u32)(r->prefix_len + 1) << 4;
	if (r->dir != E7_DIR_ANY)
		rest |= 1u << 3;
	return prog << 16 | rest;
}

/* True if a should be applied rather than b (both match the same flow). */
bool e7_rule_beats(const struct e7_rule_spec *a, const struct e7_rule_spec *b)
{
	u32 sa, sb;

	if (!b)
		return true;
	sa = e7_rule_specificity(a);
	sb = e7_rule_specificity(b);
	if (sa != sb)
		return sa > sb;
	if (a->action != b->action)
		return a->action == E7_ACTION_BLOCK;
	return a->id < b->id;
}
