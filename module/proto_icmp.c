// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6: the echo identifier stands in for the local port and
 * type << 8 | code for the remote one, so rules and events can show them.
 */
#include "proto.h"

#include <linux/icmp.h>
#include <linux/icmpv6.h>

int e7_parse_icmp(const struct sk_buff *skb, unsigned int thoff,
		  struct e7_tuple *t)
{
	struct icmphdr _ih;
	const struct icmphdr *ih =
		skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);

	if (!ih)
		return -EINVAL;
	t->rport = ih->type << 8 | ih->code;
	if (ih->type == ICMP_ECHO || ih->type == ICMP_ECHOREPLY)
		t->lport = ntohs(ih->un.echo.id);
	return 0;
}

int e7_parse_icmpv6(const struct sk_buff *skb, unsigned int thoff,
		    struct e7_tuple *t)
{
	struct icmp6hdr _ih;
	const struct icmp6hdr *ih =
		skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);

	if (!ih)
		return -EINVAL;
	t->rport = ih->icmp6_type << 8 | ih->icmp6_code;
	if (ih->icmp6_type == ICMPV6_ECHO_REQUEST ||
	    ih->icmp6_type == ICMPV6_ECHO_REPLY)
		t->lport = ntohs(ih->icmp6_identifier);
	return 0;
}
