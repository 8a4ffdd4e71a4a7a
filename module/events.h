/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_EVENTS_H
#define _E7_EVENTS_H

#include "identify.h"
#include "proto.h"

#include <linux/types.h>

struct net;

/* A flow as reported to userspace (PENDING, FLOW, flow dumps). */
struct e7_flow_info {
	u64 id;
	struct e7_tuple t;
	struct e7_owner owner; /* references owned by the info */
	u64 netns_cookie;
	u32 netns_ino;
	u64 rule_id;
	u8 action;
	u8 reason;
};

void e7_flow_info_fill_net(struct e7_flow_info *fi, const struct net *net);
void e7_events_pending(const struct e7_flow_info *fi);
void e7_events_flow(const struct e7_flow_info *fi);
void e7_events_rule_expired(u64 rule_id);
void e7_events_mode(u8 mode);
void e7_events_resolved(u64 flow_id, u8 action, u8 reason);
bool e7_events_listening(void);

int e7_events_init(void);
void e7_events_exit(void);

#endif /* _E7_EVENTS_H */
