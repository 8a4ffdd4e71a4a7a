// SPDX-License-Identifier: GPL-2.0
/*
 * The counters' netlink form: E7_A_STATS (the global counters, with the
 * live sizes of the flow, rule and hold tables) and E7_A_ENTRY (one entry
 * of the per-key tables).
 */
#include "netlink-stats.h"
#include "flows.h"
#include "hold.h"
#include "rules.h"

#include <linux/jiffies.h>
#include <net/genetlink.h>

static u64 e7_nl_stat_value(enum e7_stat s)
{
	switch (s) {
	case E7_ST_FLOWS_ACTIVE:
		return e7_flows_active();
	case E7_ST_RULES_ACTIVE:
		return e7_rules_count();
	case E7_ST_HELD_NOW:
		return e7_hold_count();
	default:
		return e7_stat_read(s);
	}
}

int e7_nl_stats_put(struct sk_buff *msg)
{
	struct nlattr *nest = nla_nest_start(msg, E7_A_STATS);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < E7_ST_COUNT; i++) {
		if (nla_put_u64_64bit(msg, e7_stat_attr(i), e7_nl_stat_value(i),
				      E7_STAT_A_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

int e7_nl_stats_put_entry(struct sk_buff *msg, const struct e7_stat_entry *e)
{
	struct nlattr *nest = nla_nest_start(msg, E7_A_ENTRY);
	int err = -EMSGSIZE;

	if (!nest)
		return err;
	if (nla_put_u8(msg, E7_ENTRY_A_KIND, e->kind) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_FLOWS, e->flows,
			      E7_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_ALLOWED, e->allowed,
			      E7_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_BLOCKED, e->blocked,
			      E7_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_LAST_SEEN,
			      jiffies_to_msecs(jiffies - e->last) / 1000,
			      E7_ENTRY_A_PAD))
		goto cancel;
	switch (e->kind) {
	case E7_ENTRY_PROGRAM:
		err = nla_put_string(msg, E7_ENTRY_A_PATH, e->path);
		break;
	case E7_ENTRY_PROTO:
		err = nla_put_u8(msg, E7_ENTRY_A_PROTO, e->proto);
		break;
	case E7_ENTRY_USER:
		err = nla_put_u32(msg, E7_ENTRY_A_UID, e->uid);
		break;
	default:
		err = nla_put(msg, E7_ENTRY_A_ADDR,
			      e->family == AF_INET ? 4 : 16, e->addr);
		break;
	}
	if (err)
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}
