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

/* The protocol's own parser; ports stay zero for protocols without one. */
static int e7_parse_transport(const struct sk_buff *skb, unsigned int thoff,
			      struct e7_tuple *t)
{
	switch (t->proto) {
	case IPPROTO_TCP:
		return e7_parse_tcp(skb, thoff, t);
	case IPPROTO_UDP:
#ifdef E7_HAVE_UDPLITE
	case IPPROTO_UDPLITE:
#endif
		return e7_parse_udp(skb, thoff, t);
	case IPPROTO_SCTP:
		return e7_parse_sctp(skb, thoff, t);
	case IPPROTO_ICMP:
		return e7_parse_icmp(skb, thoff, t);
	case IPPROTO_ICMPV6:
		return e7_parse_icmpv6(skb, thoff, t);
	}
	return 0;
}

static int e7_parse_ipv4(const struct sk_buff *skb, struct e7_tuple *t,
			 unsigned int *thoff, bool *frag)
{
	const struct iphdr *iph = ip_hdr(skb);

	t->family = AF_INET;
	t->proto = iph->protocol;
	if (t->dir == E7_DIR_OUT) {
		t->laddr.s6_addr32[0] = iph->saddr;
		t->raddr.s6_addr32[0] = iph->daddr;
	} else {
		t->laddr.s6_addr32[0] = iph->daddr;
		t->raddr.s6_addr32[0] = iph->saddr;
	}
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
	t->laddr = t->dir == E7_DIR_OUT ? ip6h->saddr : ip6h->daddr;
	t->raddr = t->dir == E7_DIR_OUT ? ip6h->daddr : ip6h->saddr;
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
	if (frag)
		return 0;
	return e7_parse_transport(skb, thoff, t);
}
