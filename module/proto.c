// SPDX-License-Identifier: GPL-2.0
/*
 * Network-layer parsing: find the transport header of an IPv4/IPv6 packet
 * and hand it to the protocol's own parser (proto_*.c).
 */
#include "proto.h"

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/eftirlit7.h>
#include <net/ip.h>
#include <net/ipv6.h>

static const struct e7_proto_ops *const e7_protos[] = {
	&e7_proto_tcp,	&e7_proto_udp,	&e7_proto_udplite,
	&e7_proto_sctp, &e7_proto_icmp, &e7_proto_icmpv6,
};

static const struct e7_proto_ops *e7_proto_find(u8 proto)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(e7_protos); i++)
		if (e7_protos[i]->proto == proto)
			return e7_protos[i];
	return NULL;
}

static void e7_tuple_set_addrs(struct e7_tuple *t, const void *src,
			       const void *dst, size_t len)
{
	const void *local = t->dir == E7_DIR_OUT ? src : dst;
	const void *remote = t->dir == E7_DIR_OUT ? dst : src;

	memcpy(&t->laddr, local, len);
	memcpy(&t->raddr, remote, len);
}

static int e7_parse_ipv4(const struct sk_buff *skb, struct e7_tuple *t,
			 unsigned int *thoff, bool *frag)
{
	const struct iphdr *iph = ip_hdr(skb);

	t->family = AF_INET;
	t->proto = iph->protocol;
	e7_tuple_set_addrs(t, &iph->saddr, &iph->daddr, 4);
	*thoff = skb_network_offset(skb) + iph->ihl * 4;
	*frag = ntohs(iph->frag_off) & IP_OFFSET;
	return 0;
}

static int e7_parse_ipv6(const struct sk_buff *skb, struct e7_tuple *t,
			 unsigned int *thoff, bool *frag)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned short fragoff = 0;
	int proto;

	t->family = AF_INET6;
	e7_tuple_set_addrs(t, &ip6h->saddr, &ip6h->daddr, 16);
	*thoff = 0;
	proto = ipv6_find_hdr(skb, thoff, -1, &fragoff, NULL);
	if (proto < 0)
		return proto;
	t->proto = proto;
	*frag = fragoff != 0;
	return 0;
}

/*
 * Fills a tuple for a packet of family pf (NFPROTO_IPV4/IPV6).  Returns 0,
 * or a negative errno if the packet cannot be parsed.  Ports stay zero for
 * protocols without a parser and for non-first fragments.
 */
int e7_proto_parse(const struct sk_buff *skb, u8 pf, u8 dir, struct e7_tuple *t)
{
	const struct e7_proto_ops *ops;
	unsigned int thoff;
	bool frag = false;
	int err;

	memset(t, 0, sizeof(*t));
	t->dir = dir;
	if (pf == NFPROTO_IPV4)
		err = e7_parse_ipv4(skb, t, &thoff, &frag);
	else
		err = e7_parse_ipv6(skb, t, &thoff, &frag);
	if (err)
		return err;
	ops = e7_proto_find(t->proto);
	if (!ops || frag)
		return 0;
	return ops->parse(skb, thoff, t);
}
