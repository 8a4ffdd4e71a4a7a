// SPDX-License-Identifier: GPL-2.0
/*
 * eftirlit7: application firewall.  Module entry and exit; every concern
 * lives in its own file (see Kbuild).
 */
#include "abort.h"
#include "config.h"
#include "events.h"
#include "flows.h"
#include "hold.h"
#include "hooks.h"
#include "identify.h"
#include "netlink.h"
#include "rules.h"
#include "stats.h"

#include <linux/module.h>
#include <net/genetlink.h>

static int __init e7_init(void)
{
	int err;

	err = e7_config_init();
	if (err)
		return err;
	err = e7_identify_init();
	if (err)
		return err;
	err = e7_rules_init();
	if (err)
		goto err_identify;
	err = e7_flows_init();
	if (err)
		goto err_rules;
	err = e7_events_init(&e7_genl_family);
	if (err)
		goto err_flows;
	err = e7_hold_init();
	if (err)
		goto err_events;
	err = e7_netlink_init();
	if (err)
		goto err_hold;
	err = e7_hooks_init();
	if (err)
		goto err_netlink;
	pr_info("eftirlit7: loaded, mode %u, profile %u\n", e7_mode(),
		e7_profile());
	return 0;

err_netlink:
	e7_netlink_exit();
err_hold:
	e7_hold_exit();
err_events:
	e7_events_exit();
err_flows:
	e7_flows_exit();
err_rules:
	e7_rules_exit();
err_identify:
	e7_identify_exit();
	return err;
}

static void __exit e7_exit(void)
{
	e7_hooks_exit();
	e7_hold_exit();
	e7_netlink_exit();
	e7_abort_exit();
	e7_events_exit();
	e7_flows_exit();
	e7_rules_exit();
	e7_stats_exit();
	e7_identify_exit();
	/*
	 * No rcu_barrier(): rules and programs go by kfree_rcu(), which runs
	 * no code of ours.  rcu_barrier() waits for every RCU callback the
	 * system has queued: 700,000 under a connection storm on the debug
	 * kernel, which took minutes.
	 */
}

module_init(e7_init);
module_exit(e7_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("EftirlitSeven application firewall");
MODULE_AUTHOR("EftirlitSeven developers");
MODULE_VERSION("0.1.0");
MODULE_ALIAS_GENL_FAMILY(E7_GENL_NAME);
