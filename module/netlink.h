/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_NETLINK_H
#define _E7_NETLINK_H

struct genl_family;

/* The "eftirlit" family (its event group is given to events.c at init). */
extern struct genl_family e7_genl_family;

int e7_netlink_init(void);
void e7_netlink_exit(void);

#endif /* _E7_NETLINK_H */
