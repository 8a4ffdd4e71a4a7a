/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_EVENTS_H
#define _E7_EVENTS_H

#include "identify.h"
#include "proto.h"

#include <linux/types.h>

struct genl_family;
struct net;
struct sk_buff;

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
/* Puts @fi as an E7_A_FLOW nest (events and flow dumps). */
int e7_flow_info_put(struct sk_buff *skb, const struct e7_flow_info *fi,
		     const char *cmdline, size_t cmdline_len);
void e7_events_pending(const struct e7_flow_info *fi);
void e7_events_flow(const struct e7_flow_info *fi);
void e7_events_rule_expired(u64 rule_id);
void e7_events_mode(u8 mode);
void e7_events_resolved(u64 flow_id, u8 action, u8 reason);
bool e7_events_listening(void);

/* The events go out on @family's group (registered before any event). */
int e7_events_init(struct genl_family *family);
void e7_events_exit(void);

#endif /* _E7_EVENTS_H */
