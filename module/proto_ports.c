// SPDX-License-Identifier: GPL-2.0
/* Port-based transports: TCP, UDP, UDP-Lite and SCTP. */
#include "proto.h"

#include <linux/sctp.h>
#include <linux/tcp.h>
#include <linux/udp.h>

static void e7_set_ports(struct e7_tuple *t, __be16 sport, __be16 dport)
{
	u16 src = ntohs(sport), dst = ntohs(dport);

	t->lport = t->dir == E7_DIR_OUT ? src : dst;
	t->rport = t->dir == E7_DIR_OUT ? dst : src;
	t->has_ports = true;
}

int e7_parse_tcp(const struct sk_buff *skb, unsigned int thoff,
		 struct e7_tuple *t)
{
	struct tcphdr _th;
	const struct tcphdr *th =
		skb_header_pointer(skb, thoff, sizeof(_th), &_th);

	if (!th)
		return -EINVAL;
	e7_set_ports(t, th->source, th->dest);
	t->syn = th->syn && !th->ack;
	t->rst = th->rst;
	return 0;
}

int e7_parse_udp(const struct sk_buff *skb, unsigned int thoff,
		 struct e7_tuple *t)
{
	struct udphdr _uh;
	const struct udphdr *uh =
		skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);

	if (!uh)
		return -EINVAL;
	e7_set_ports(t, uh->source, uh->dest);
	return 0;
}

int e7_parse_sctp(const struct sk_buff *skb, unsigned int thoff,
		  struct e7_tuple *t)
{
	struct sctphdr _sh;
	const struct sctphdr *sh =
		skb_header_pointer(skb, thoff, sizeof(_sh), &_sh);

	if (!sh)
		return -EINVAL;
	e7_set_ports(t, sh->source, sh->dest);
	return 0;
}
