/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_NETLINK_STATS_H
#define _E7_NETLINK_STATS_H

#include "stats.h"

struct sk_buff;

/* Puts the global counters as an E7_A_STATS nest. */
int e7_nl_stats_put(struct sk_buff *msg);
/* Puts one per-key entry as an E7_A_ENTRY nest. */
int e7_nl_stats_put_entry(struct sk_buff *msg, const struct e7_stat_entry *e);

#endif /* _E7_NETLINK_STATS_H */
