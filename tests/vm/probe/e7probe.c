// SPDX-License-Identifier: GPL-2.0
/*
 * A trivial netfilter probe for the VM harness's own tests: it counts IPv4
 * packets sent to the test range 198.18.0.0/15, and with warn=1 it plants a
 * WARN_ON(1) so the harness can prove it fails a test on a kernel warning.
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/ip.h>
#include <net/net_namespace.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "Plant a WARN_ON(1) at load time (harness self-test)");

static atomic_t probe_packets = ATOMIC_INIT(0);

static int packets_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&probe_packets));
}

static const struct kernel_param_ops packets_ops = {
	.get = packets_get,
};
module_param_cb(packets, &packets_ops, NULL, 0444);
MODULE_PARM_DESC(packets, "IPv4 packets seen going to 198.18.0.0/15");

static unsigned int probe_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if ((ntohl(iph->daddr) & 0xfffe0000) == 0xc6120000)
		atomic_inc(&probe_packets);
	return NF_ACCEPT;
}

static const struct nf_hook_ops probe_ops = {
	.hook = probe_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_LOCAL_OUT,
	.priority = NF_IP_PRI_LAST,
};

static int __init e7probe_init(void)
{
	WARN_ON(warn);
	return nf_register_net_hook(&init_net, &probe_ops);
}

static void __exit e7probe_exit(void)
{
	nf_unregister_net_hook(&init_net, &probe_ops);
}

module_init(e7probe_init);
module_exit(e7probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("EftirlitSeven VM harness probe");
