/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A program identity: the executable a flow's owner runs, shared by
 * reference between the caches, held flows and events, and freed after an
 * RCU grace period (readers in the hooks hold no reference).
 */
#ifndef _E7_PROG_H
#define _E7_PROG_H

#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/types.h>

struct e7_prog {
	refcount_t ref;
	struct rcu_head rcu;
	u32 hash; /* e7_path_hash() of path */
	u32 len;
	u32 dev; /* new_encode_dev() */
	u32 flags; /* E7_FLOW_F_EXE_DELETED, E7_FLOW_F_PATH_TRUNCATED */
	u64 ino;
	u64 ctime_ns;
	char path[];
};

static inline struct e7_prog *e7_prog_get(struct e7_prog *p)
{
	if (p)
		refcount_inc(&p->ref);
	return p;
}

/* kfree_rcu() runs no code of ours: unload needs no rcu_barrier(). */
static inline void e7_prog_put(struct e7_prog *p)
{
	if (p && refcount_dec_and_test(&p->ref))
		kfree_rcu(p, rcu);
}

#endif /* _E7_PROG_H */
