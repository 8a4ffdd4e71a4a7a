/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_PROTO_H
#define _E7_PROTO_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <linux/eftirlit7.h>

#include "compat.h"

/* The addressing of one packet, seen from the local end. */
struct e7_tuple {
	u8 family; /* AF_INET / AF_INET6 */
	u8 proto; /* IP protocol */
	u8 dir; /* E7_DIR_OUT / E7_DIR_IN */
	bool has_ports;
	bool syn; /* TCP SYN without ACK: a new connection */
	bool rst; /* TCP RST */
	struct in6_addr laddr; /* IPv4: first 4 bytes */
	struct in6_addr raddr;
	u16 lport;
	u16 rport;
};

/* Per-protocol parsers: fill the ports (or ICMP id/type) of the tuple. */
int e7_parse_tcp(const struct sk_buff *skb, unsigned int thoff,
		 struct e7_tuple *t);
int e7_parse_udp(const struct sk_buff *skb, unsigned int thoff,
		 struct e7_tuple *t);
int e7_parse_sctp(const struct sk_buff *skb, unsigned int thoff,
		  struct e7_tuple *t);
int e7_parse_icmp(const struct sk_buff *skb, unsigned int thoff,
		  struct e7_tuple *t);
int e7_parse_icmpv6(const struct sk_buff *skb, unsigned int thoff,
		    struct e7_tuple *t);

int e7_proto_parse(const struct sk_buff *skb, u8 pf, u8 dir,
		   struct e7_tuple *t);

/* UDP, or UDP-Lite where the kernel has it: datagrams with UDP's ports. */
static inline bool e7_proto_is_udp(unsigned int proto)
{
#ifdef E7_HAVE_UDPLITE
	if (proto == IPPROTO_UDPLITE)
		return true;
#endif
	return proto == IPPROTO_UDP;
}

#endif /* _E7_PROTO_H */
