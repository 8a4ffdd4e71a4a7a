/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoders of the module's generic netlink messages (rules, flows,
 * counters, events) with attribute policies: a malformed message is
 * refused, never read past its end. Fuzzed by tests/fuzz/e7d/.
 */
#pragma once

#include <netlink/attr.h>
#include <netlink/netlink.h>

#include "kernel.h"

G_BEGIN_DECLS

/* Top-level attributes (E7_A_*), for genlmsg_parse. */
extern struct nla_policy e7_nl_policy[E7_A_MAX + 1];

/* E7_A_RULE, E7_A_FLOW: NULL when malformed or without the required id. */
E7Rule *e7_nl_rule_decode(struct nlattr *nest);
E7Flow *e7_nl_flow_decode(struct nlattr *nest);
/* E7_A_STATS: adds the known u64 counters to @b (a{sv}); FALSE when
 * malformed. */
gboolean e7_nl_stats_decode(struct nlattr *nest, GVariantBuilder *b);

/* An event of the "events" group (E7_CMD_EV_*). */
typedef struct {
	guint8 cmd;
	gboolean has_events_lost;
	guint64 events_lost;
	E7Flow *flow; /* EV_PENDING, EV_FLOW */
	gboolean has_rule_id; /* EV_RULE_EXPIRED */
	guint64 rule_id;
	gboolean has_mode; /* EV_MODE */
	E7Mode mode;
	gboolean has_flow_id; /* EV_RESOLVED */
	guint64 flow_id;
	guint8 action;
	guint8 reason;
} E7NlEvent;

/* Decodes @nlh (nlmsg_len checked by the caller against what was read);
 * FALSE when malformed. Clear @ev afterwards in both cases. */
gboolean e7_nl_event_decode(struct nlmsghdr *nlh, E7NlEvent *ev);
void e7_nl_event_clear(E7NlEvent *ev);

G_END_DECLS
