/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_NETLINK_RULE_H
#define _E7_NETLINK_RULE_H

#include <linux/eftirlit7.h>
#include <net/netlink.h>

struct e7_rule;
struct sk_buff;

extern const struct nla_policy e7_rule_policy[E7_RULE_A_MAX + 1];

/* Adds the rule of an E7_A_RULE nest to the table; its id in @id. */
int e7_nl_rule_install(struct nlattr *nest, struct netlink_ext_ack *extack,
		       u64 *id);
/* Puts @r as an E7_A_RULE nest. */
int e7_nl_rule_put(struct sk_buff *msg, const struct e7_rule *r);

#endif /* _E7_NETLINK_RULE_H */
