/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_NETLINK_H
#define _E7_NETLINK_H

#include <linux/types.h>

struct e7_flow_info;
struct genl_family;
struct sk_buff;

extern struct genl_family e7_genl_family;

int e7_nl_put_flow(struct sk_buff *skb, const struct e7_flow_info *fi,
		   const char *cmdline, size_t cmdline_len);
int e7_netlink_init(void);
void e7_netlink_exit(void);

#endif /* _E7_NETLINK_H */
