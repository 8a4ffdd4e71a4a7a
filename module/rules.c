// SPDX-License-Identifier: GPL-2.0
/*
 * The rule table.  Rules are indexed by a hash of their program key (the
 * exact path, or the directory prefix), so a lookup visits one bucket for
 * the exact path, one per directory level for prefixes, and the list of
 * any-program rules: its cost does not depend on the number of rules of
 * other programs.  An xarray keyed by rule id gives ordered dumps.
 */
#include "rules.h"
#include "compat.h"
#include "config.h"
#include "events.h"
#include "stats.h"

#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#define E7_RULE_BUCKET_BITS 16
#define E7_RULE_BUCKETS (1U << E7_RULE_BUCKET_BITS)

static struct hlist_head *buckets;
static struct hlist_head any_rules;
static DEFINE_XARRAY(rules_by_id);
static DEFINE_MUTEX(rules_mutex);
static u32 rules_count;
static u32 rules_expiring;
static u64 next_kernel_id = 1;
static u64 added; /* rules ever added: orders additions for dumps */
static void e7_rules_expire_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(expire_work, e7_rules_expire_work);

static struct hlist_head *e7_bucket(u8 prog_match, u32 hash)
{
	if (prog_match == E7_PROG_ANY)
		return &any_rules;
	return &buckets[hash_32(hash ^ prog_match, E7_RULE_BUCKET_BITS)];
}

static void e7_rule_unlink(struct e7_rule *r)
{
	lockdep_assert_held(&rules_mutex);
	xa_erase(&rules_by_id, (unsigned long)r->spec.id);
	hlist_del_rcu(&r->node);
	rules_count--;
	if (r->expires)
		rules_expiring--;
	kfree_rcu(r, rcu);
}

static int e7_rule_pick_id(struct e7_rule_spec *spec, const char **why)
{
	if (spec->id) {
		if (spec->id & E7_RULE_ID_KERNEL) {
			*why = "rule ids with the top bit set are assigned by the kernel";
			return -EINVAL;
		}
		return 0;
	}
	do {
		spec->id = E7_RULE_ID_KERNEL | next_kernel_id++;
	} while (xa_load(&rules_by_id, (unsigned long)spec->id));
	return 0;
}

static struct e7_rule *e7_rule_alloc(const struct e7_rule_spec *spec,
				     u32 expire_s)
{
	struct e7_rule *r =
		kzalloc(struct_size(r, path, spec->path_len + 1), GFP_KERNEL);

	if (!r)
		return NULL;
	r->spec = *spec;
	if (spec->path) {
		memcpy(r->path, spec->path, spec->path_len);
		r->spec.path = r->path;
	}
	if (expire_s) {
		r->expires = jiffies + (unsigned long)expire_s * HZ;
		r->spec.lifetime = E7_LIFETIME_SECONDS;
	}
	atomic64_set(&r->hits, 0);
	return r;
}

/* Adds a rule from validated input; *id gets the rule id. */
int e7_rule_add(struct e7_rule_spec *spec, u32 expire_s, const char **why,
		u64 *id)
{
	struct e7_rule *r;
	int err;

	err = e7_rule_normalize(spec, why);
	if (err)
		return err;
	if (spec->lifetime == E7_LIFETIME_SECONDS && !expire_s) {
		*why = "lifetime seconds needs an expiry";
		return -EINVAL;
	}
	mutex_lock(&rules_mutex);
	err = -ENOSPC;
	if (rules_count >= e7_rules_max()) {
		*why = "rule table full";
		goto out_unlock;
	}
	err = e7_rule_pick_id(spec, why);
	if (err)
		goto out_unlock;
	err = -ENOMEM;
	r = e7_rule_alloc(spec, expire_s);
	if (!r)
		goto out_unlock;
	r->added = added + 1;
	err = xa_insert(&rules_by_id, (unsigned long)r->spec.id, r, GFP_KERNEL);
	if (err) {
		*why = err == -EBUSY ? "rule id already in use" : NULL;
		err = err == -EBUSY ? -EEXIST : err;
		kfree(r);
		goto out_unlock;
	}
	hlist_add_head_rcu(&r->node,
			   e7_bucket(r->spec.prog_match, r->spec.path_hash));
	rules_count++;
	WRITE_ONCE(added, r->added);
	if (r->expires && !rules_expiring++)
		mod_delayed_work(system_percpu_wq, &expire_work, HZ);
	*id = r->spec.id;
	e7_generation_bump();
out_unlock:
	mutex_unlock(&rules_mutex);
	return err;
}

int e7_rule_del(u64 id)
{
	struct e7_rule *r;
	int err = -ENOENT;

	mutex_lock(&rules_mutex);
	r = xa_load(&rules_by_id, (unsigned long)id);
	if (r) {
		e7_rule_unlink(r);
		e7_generation_bump();
		err = 0;
	}
	mutex_unlock(&rules_mutex);
	return err;
}

void e7_rules_flush(void)
{
	struct e7_rule *r;
	unsigned long id;

	mutex_lock(&rules_mutex);
	xa_for_each(&rules_by_id, id, r)
		e7_rule_unlink(r);
	e7_generation_bump();
	mutex_unlock(&rules_mutex);
}

u32 e7_rules_count(void)
{
	return READ_ONCE(rules_count);
}

static bool e7_rule_live(const struct e7_rule *r)
{
	if (atomic_read(&r->used))
		return false;
	return !r->expires || time_before(jiffies, r->expires);
}

static void e7_rules_scan(struct hlist_head *head, u8 prog_match, u32 hash,
			  u32 len, const struct e7_flow_key *k,
			  struct e7_rule **best)
{
	struct e7_rule *r;

	hlist_for_each_entry_rcu(r, head, node) {
		if (r->spec.prog_match != prog_match ||
		    r->spec.path_hash != hash || r->spec.path_len != len)
			continue;
		if (!e7_rule_live(r) || !e7_rule_matches(&r->spec, k))
			continue;
		if (e7_rule_beats(&r->spec, *best ? &(*best)->spec : NULL))
			*best = r;
	}
}

/* Finds the rule that applies to k.  Caller holds rcu_read_lock(). */
bool e7_rules_lookup(const struct e7_flow_key *k, struct e7_match *m)
{
	struct e7_prefix_iter it;
	struct e7_rule *best = NULL;
	u32 plen, phash;

	e7_stat_inc(E7_ST_RULE_LOOKUPS);
	if (k->path) {
		u32 h = e7_path_hash(k->path, k->path_len);

		e7_rules_scan(e7_bucket(E7_PROG_EXACT, h), E7_PROG_EXACT, h,
			      k->path_len, k, &best);
		e7_prefix_iter_init(&it, k->path, k->path_len);
		while (e7_prefix_iter_next(&it, &plen, &phash))
			e7_rules_scan(e7_bucket(E7_PROG_PREFIX, phash),
				      E7_PROG_PREFIX, phash, plen, k, &best);
	}
	e7_rules_scan(&any_rules, E7_PROG_ANY, 0, 0, k, &best);
	if (!best)
		return false;
	if (best->spec.lifetime == E7_LIFETIME_ONCE) {
		/* Only the first flow gets a "once" rule; the worker unlinks it. */
		if (atomic_cmpxchg(&best->used, 0, 1))
			return false;
		mod_delayed_work(system_percpu_wq, &expire_work, 0);
	}
	atomic64_inc(&best->hits);
	WRITE_ONCE(best->last_hit, jiffies);
	m->rule_id = best->spec.id;
	m->action = best->spec.action;
	m->once = best->spec.lifetime == E7_LIFETIME_ONCE;
	return true;
}

struct e7_rule *e7_rule_find(u64 id)
{
	return xa_load(&rules_by_id, (unsigned long)id);
}

/* Rules ever added: a rule's ->added is its place in that count. */
u64 e7_rules_added(void)
{
	return READ_ONCE(added);
}

/* Returns the first rule with an id > *cursor (or >= 0 when *cursor is 0). */
struct e7_rule *e7_rule_next(u64 *cursor)
{
	unsigned long idx = (unsigned long)*cursor;
	struct e7_rule *r;

	if (!idx)
		r = xa_find(&rules_by_id, &idx, ULONG_MAX, XA_PRESENT);
	else
		r = xa_find_after(&rules_by_id, &idx, ULONG_MAX, XA_PRESENT);
	if (r)
		*cursor = idx;
	return r;
}

static void e7_rules_expire_work(struct work_struct *work)
{
	struct e7_rule *r;
	unsigned long id;
	bool any = false;

	mutex_lock(&rules_mutex);
	xa_for_each(&rules_by_id, id, r) {
		if ((!r->expires && !atomic_read(&r->used)) || e7_rule_live(r))
			continue;
		e7_events_rule_expired(r->spec.id);
		e7_rule_unlink(r);
		e7_stat_inc(E7_ST_RULES_EXPIRED);
		any = true;
	}
	if (any)
		e7_generation_bump();
	if (rules_expiring)
		schedule_delayed_work(&expire_work, HZ);
	mutex_unlock(&rules_mutex);
}

int e7_rules_init(void)
{
	unsigned int i;

	buckets = kvmalloc_array(E7_RULE_BUCKETS, sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < E7_RULE_BUCKETS; i++)
		INIT_HLIST_HEAD(&buckets[i]);
	INIT_HLIST_HEAD(&any_rules);
	return 0;
}

void e7_rules_exit(void)
{
	cancel_delayed_work_sync(&expire_work);
	/* No reader is left: the hooks, netlink and workers are gone. */
	e7_rules_flush();
	xa_destroy(&rules_by_id);
	kvfree(buckets);
}
