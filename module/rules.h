/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_RULES_H
#define _E7_RULES_H

#include "match.h"

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>

/* A rule in the table.  Readers hold rcu_read_lock(); writers rules_mutex. */
struct e7_rule {
	struct hlist_node node; /* bucket of its program key */
	struct rcu_head rcu;
	struct e7_rule_spec spec;
	unsigned long expires; /* jiffies; 0: never */
	atomic64_t hits;
	atomic_t used; /* a "once" rule that already matched */
	unsigned long last_hit; /* jiffies; 0: never */
	u64 added; /* e7_rules_added() when it was added */
	char path[];
};

/* Result of a lookup, copied out so no reference is needed. */
struct e7_match {
	u64 rule_id;
	u8 action;
	bool once;
};

int e7_rule_add(struct e7_rule_spec *spec, u32 expire_s, const char **why,
		u64 *id);
int e7_rule_del(u64 id);
void e7_rules_flush(void);
bool e7_rules_lookup(const struct e7_flow_key *k, struct e7_match *m);
u32 e7_rules_count(void);

/* Copies rule id (or the first rule after it) for dumps; under rcu_read_lock(). */
struct e7_rule *e7_rule_find(u64 id);
struct e7_rule *e7_rule_next(u64 *cursor);
u64 e7_rules_added(void);

int e7_rules_init(void);
void e7_rules_exit(void);

#endif /* _E7_RULES_H */
