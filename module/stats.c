// SPDX-License-Identifier: GPL-2.0
/*
 * Counters: per-CPU global counters for every policy case, and bounded
 * top-N tables per program, protocol, user and remote address (updated
 * once per new flow, never per packet).  A full table replaces its least
 * used entry.
 */
#include "stats.h"
#include "prog.h"
#include "proto.h"

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

DEFINE_PER_CPU(struct e7_stats_pcpu, e7_stats);

struct e7_topn {
	u8 kind;
	u8 proto;
	u8 family;
	u32 uid;
	u32 hash;
	u8 addr[16];
	u64 flows;
	u64 allowed;
	u64 blocked;
	unsigned long last;
	char *path;
};

static DEFINE_SPINLOCK(topn_lock);
static struct e7_topn topn[E7_ENTRY_MAX][E7_ENTRY_TOPN];

u64 e7_stat_read(enum e7_stat s)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(&e7_stats, cpu)->v[s];
	return sum;
}

static void e7_topn_clear(void)
{
	unsigned int k, i;

	for (k = 0; k < E7_ENTRY_MAX; k++) {
		for (i = 0; i < E7_ENTRY_TOPN; i++) {
			kfree(topn[k][i].path);
			memset(&topn[k][i], 0, sizeof(topn[k][i]));
		}
	}
}

void e7_stats_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&e7_stats, cpu), 0,
		       sizeof(struct e7_stats_pcpu));
	spin_lock_bh(&topn_lock);
	e7_topn_clear();
	spin_unlock_bh(&topn_lock);
}

static bool e7_topn_same(const struct e7_topn *e, const struct e7_topn *key)
{
	if (!e->flows)
		return false;
	switch (key->kind) {
	case E7_ENTRY_PROGRAM:
		return e->hash == key->hash && e->path &&
		       !strcmp(e->path, key->path);
	case E7_ENTRY_PROTO:
		return e->proto == key->proto;
	case E7_ENTRY_USER:
		return e->uid == key->uid;
	default:
		return e->family == key->family &&
		       !memcmp(e->addr, key->addr, 16);
	}
}

static void e7_topn_account(const struct e7_topn *key, u8 action)
{
	struct e7_topn *tab = topn[key->kind - 1], *e = NULL, *victim = &tab[0];
	unsigned int i;

	for (i = 0; i < E7_ENTRY_TOPN; i++) {
		if (e7_topn_same(&tab[i], key)) {
			e = &tab[i];
			break;
		}
		if (tab[i].flows < victim->flows)
			victim = &tab[i];
	}
	if (!e) {
		char *path = NULL;

		if (key->kind == E7_ENTRY_PROGRAM) {
			path = kstrdup(key->path, GFP_ATOMIC);
			if (!path)
				return;
		}
		kfree(victim->path);
		*victim = *key;
		victim->path = path;
		victim->allowed = 0;
		victim->blocked = 0;
		/* Space-saving: a newcomer inherits the evicted count. */
		e = victim;
	}
	e->flows++;
	e->last = jiffies;
	if (action == E7_ACTION_ALLOW)
		e->allowed++;
	else if (action == E7_ACTION_BLOCK)
		e->blocked++;
}

/* Accounts one new flow to its program, protocol, user and remote address. */
void e7_stats_flow(const struct e7_tuple *t, const struct e7_prog *prog,
		   u32 uid, u8 action)
{
	struct e7_topn key = {};
	unsigned long flags;

	spin_lock_irqsave(&topn_lock, flags);
	if (prog) {
		key.kind = E7_ENTRY_PROGRAM;
		key.path = (char *)prog->path;
		key.hash = prog->hash;
		e7_topn_account(&key, action);
	}
	memset(&key, 0, sizeof(key));
	key.kind = E7_ENTRY_PROTO;
	key.proto = t->proto;
	e7_topn_account(&key, action);
	key.kind = E7_ENTRY_USER;
	key.uid = uid;
	e7_topn_account(&key, action);
	memset(&key, 0, sizeof(key));
	key.kind = E7_ENTRY_REMOTE;
	key.family = t->family;
	memcpy(key.addr, &t->raddr, 16);
	e7_topn_account(&key, action);
	spin_unlock_irqrestore(&topn_lock, flags);
}

/* Copies the first used entry at or after *idx and moves *idx past it. */
bool e7_stats_entry_get(unsigned long *idx, struct e7_stat_entry *out)
{
	const struct e7_topn *e;
	bool found = false;

	spin_lock_bh(&topn_lock);
	while (*idx < E7_ENTRY_MAX * E7_ENTRY_TOPN) {
		e = &topn[*idx / E7_ENTRY_TOPN][*idx % E7_ENTRY_TOPN];
		(*idx)++;
		if (!e->flows)
			continue;
		memset(out, 0, offsetof(struct e7_stat_entry, path));
		out->kind = e->kind;
		out->proto = e->proto;
		out->family = e->family;
		out->uid = e->uid;
		memcpy(out->addr, e->addr, sizeof(out->addr));
		out->flows = e->flows;
		out->allowed = e->allowed;
		out->blocked = e->blocked;
		out->last = e->last;
		strscpy(out->path, e->path ? e->path : "", sizeof(out->path));
		found = true;
		break;
	}
	spin_unlock_bh(&topn_lock);
	return found;
}

void e7_stats_exit(void)
{
	e7_topn_clear();
}
