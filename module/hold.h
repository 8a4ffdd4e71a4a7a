/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_HOLD_H
#define _E7_HOLD_H

#include "events.h"
#include "flows.h"

#include <linux/netfilter.h>

int e7_hold_new(const struct e7_flow_ck *ck, struct sk_buff *skb,
		const struct nf_hook_state *state, struct e7_flow_info *fi,
		const struct e7_cached *c, struct sock *sk, bool identify);
int e7_hold_append(const struct e7_flow_ck *ck, struct sk_buff *skb,
		   const struct nf_hook_state *state);
int e7_hold_verdict(u64 id, u8 action, u8 reason);
void e7_hold_flush(const struct net *net, u8 action, u8 reason);
bool e7_hold_next(u64 *cursor, struct e7_flow_info *out, u32 *npkts,
		  u32 *age_ms);
u32 e7_hold_count(void);

int e7_hold_init(void);
void e7_hold_exit(void);

#endif /* _E7_HOLD_H */
