/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_FLOWS_H
#define _E7_FLOWS_H

#include <linux/in6.h>
#include <linux/string.h>
#include <linux/types.h>

struct e7_prog;
struct e7_tuple;
struct sock;

#define E7_VERDICT_PENDING 3 /* after E7_ACTION_ALLOW/BLOCK */
#define E7_VERDICT_OWNER 4 /* known socket cache: only the owner is known */

/*
 * Identifies a flow: a socket, plus the remote end for unconnected use.  The
 * remote end is compared in full: its hash (dst) only picks the slot, so two
 * destinations that hash alike never share a verdict.
 */
struct e7_flow_ck {
	const struct sock *sk;
	unsigned long ino;
	u32 dst; /* 0: the connected socket itself; else a hash of the rest */
	u16 rport;
	u8 proto;
	struct in6_addr raddr;
};

static inline bool e7_flow_ck_eq(const struct e7_flow_ck *a,
				 const struct e7_flow_ck *b)
{
	if (a->sk != b->sk || a->ino != b->ino || a->dst != b->dst)
		return false;
	return !a->dst || (a->rport == b->rport && a->proto == b->proto &&
			   !memcmp(&a->raddr, &b->raddr, sizeof(a->raddr)));
}

/* The socket's own flow (the known socket cache's key) for ck. */
static inline struct e7_flow_ck e7_flow_ck_socket(const struct e7_flow_ck *ck)
{
	return (struct e7_flow_ck){ .sk = ck->sk, .ino = ck->ino };
}

/* A cached decision; valid while gen equals the ruleset generation. */
struct e7_cached {
	u64 gen;
	u64 rule_id;
	struct e7_prog *prog; /* reference held by the cache / the copy */
	u32 uid;
	pid_t tgid;
	u8 verdict;
	u8 reason;
	u8 dir;
};

/* What a packet of a decided flow needs from the cache. */
struct e7_flow_peek {
	u64 gen;
	u8 verdict;
	u8 dir;
};

void e7_flow_ck_init(struct e7_flow_ck *ck, const struct sock *sk,
		     const struct e7_tuple *t, bool per_dst);
bool e7_flows_peek(const struct e7_flow_ck *ck, struct e7_flow_peek *out);
bool e7_flows_get(const struct e7_flow_ck *ck, struct e7_cached *out);
void e7_flows_set(const struct e7_flow_ck *ck, const struct e7_cached *in);
u32 e7_flows_active(void);
int e7_flows_init(void);
void e7_flows_exit(void);

#endif /* _E7_FLOWS_H */
