// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks, registered in every network namespace: LOCAL_OUT for
 * outgoing flows and LOCAL_IN for new incoming connections, IPv4 and IPv6,
 * at the last priority so that re-injected packets skip no other hook.
 * Per packet: one cache lookup; per new flow: attribution, one rule
 * lookup, and a decision that is cached with the ruleset generation.
 */
#include "hooks.h"
#include "abort.h"
#include "config.h"
#include "decide.h"
#include "events.h"
#include "flows.h"
#include "hold.h"
#include "identify.h"
#include "proto.h"
#include "rules.h"
#include "stats.h"

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/ratelimit.h>
#include <linux/udp.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_socket.h>
#include <net/route.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp_states.h>

/* One packet being decided. */
struct e7_pkt {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	struct sock *sk;
	struct e7_tuple t;
	struct e7_flow_ck ck;
};

#define E7_X_NAME(n, v, s) s,
static const char *const e7_reason_names[] = { E7_REASONS(E7_X_NAME) };
#undef E7_X_NAME

static void e7_log_decision(const struct e7_pkt *p, const struct e7_cached *c)
{
	BUILD_BUG_ON(ARRAY_SIZE(e7_reason_names) != __E7_REASON_MAX);
	if (!(e7_flags() & E7_FLAG_LOG_KERNEL) || c->reason == E7_REASON_RULE)
		return;
	pr_info_ratelimited("eftirlit7: %s %s proto %u port %u uid %u (%s)\n",
			    c->verdict == E7_ACTION_ALLOW ? "allow" : "block",
			    c->prog ? c->prog->path : "(unidentified)",
			    p->t.proto, p->t.rport, c->uid,
			    e7_reason_names[c->reason]);
}

/* Turns a block into the right netfilter verdict and aborts TCP sockets. */
static unsigned int e7_nf_verdict(const struct e7_pkt *p, u8 action)
{
	/* Allowed by a rule, the mode or a policy: decided, not skipped. */
	if (action == E7_ACTION_ALLOW)
		return NF_ACCEPT;
	if (p->t.dir == E7_DIR_OUT && p->t.proto == IPPROTO_TCP && p->sk) {
		/* connect() sees ECONNREFUSED at once instead of retrying SYNs. */
		if (p->t.syn && in_task() &&
		    READ_ONCE(p->sk->sk_state) == TCP_SYN_SENT)
			return NF_DROP_ERR(-ECONNREFUSED);
		e7_abort_sock(p->sk);
	}
	return NF_DROP;
}

static void e7_flow_info_from(struct e7_flow_info *fi, const struct e7_pkt *p,
			      const struct e7_cached *c, struct e7_owner *o)
{
	memset(fi, 0, sizeof(*fi));
	fi->t = p->t;
	if (o)
		fi->owner = *o;
	else
		fi->owner.prog = e7_prog_get(c->prog);
	fi->owner.uid = c->uid;
	fi->owner.tgid = c->tgid;
	if (!c->prog)
		fi->owner.flags |= E7_FLOW_F_UNIDENTIFIED;
	if (p->ck.dst)
		fi->owner.flags |= E7_FLOW_F_UNCONNECTED;
	fi->rule_id = c->rule_id;
	fi->action = c->verdict;
	fi->reason = c->reason;
	e7_flow_info_fill_net(fi, p->state->net);
}

static void e7_report(const struct e7_pkt *p, const struct e7_cached *c,
		      struct e7_owner *o)
{
	u32 flags = e7_flags();
	struct e7_flow_info fi;

	e7_stats_flow(&p->t, c->prog, c->uid, c->verdict);
	e7_log_decision(p, c);
	if (!(c->verdict == E7_ACTION_ALLOW && (flags & E7_FLAG_LOG_ALLOWED)) &&
	    !(c->verdict == E7_ACTION_BLOCK && (flags & E7_FLAG_LOG_BLOCKED)) &&
	    !(c->reason == E7_REASON_MODE &&
	      e7_mode() == E7_MODE_ALLOW_UNKNOWN))
		return;
	e7_flow_info_from(&fi, p, c, NULL);
	if (o && o->task)
		fi.owner.task = o->task;
	fi.owner.pid = o ? o->pid : 0;
	e7_events_flow(&fi);
	e7_prog_put(fi.owner.prog);
}

/* Holds the packet; on failure the overflow policy decides.  */
static unsigned int e7_hold(struct e7_pkt *p, struct e7_cached *c,
			    struct e7_owner *o, bool identify)
{
	struct e7_flow_info fi;

	e7_flow_info_from(&fi, p, c, o);
	if (o)
		memset(o, 0, sizeof(*o)); /* references moved to fi */
	if (!e7_hold_new(&p->ck, p->skb, p->state, &fi, c, p->sk, identify))
		return NF_STOLEN;
	e7_owner_release(&fi.owner);
	c->verdict = e7_policy(E7_POL_OVERFLOW);
	c->reason = E7_REASON_OVERFLOW;
	e7_stat_inc(E7_ST_OVERFLOW);
	return e7_nf_verdict(p, c->verdict);
}

/*
 * Decides a new flow (or one whose cached verdict is stale).  Holds the
 * packet (NF_STOLEN) when the user has to be asked, or while the owner of
 * a socket used outside its task context is looked up (identify).
 */
static unsigned int e7_decide(struct e7_pkt *p, struct e7_cached *c,
			      struct e7_owner *o, bool identify)
{
	if (identify)
		return e7_hold(p, c, o, true);
	if (e7_decide_flow(&p->t, c) == E7_VERDICT_PENDING)
		return e7_hold(p, c, o, false);
	e7_flows_set(&p->ck, c);
	e7_report(p, c, o);
	e7_stat_inc(c->verdict == E7_ACTION_ALLOW ? E7_ST_ALLOWED :
						    E7_ST_BLOCKED);
	return e7_nf_verdict(p, c->verdict);
}

/*
 * Known socket cache: the owner of this socket, found by an earlier walk.
 * Only for packets sent outside any process's context: a process that
 * sends is identified itself (it may have been passed the socket).
 */
static bool e7_owner_cached(const struct e7_pkt *p, struct e7_cached *c)
{
	struct e7_flow_ck owner_ck = e7_flow_ck_socket(&p->ck);

	if (!p->ck.dst || !e7_flows_get(&owner_ck, c))
		return false;
	if (c->verdict == E7_VERDICT_OWNER && c->prog)
		return true;
	e7_prog_put(c->prog);
	memset(c, 0, sizeof(*c));
	return false;
}

/* A packet of a flow that is being held: queue it behind the first one. */
static unsigned int e7_pending(struct e7_pkt *p, struct e7_cached *c)
{
	int err = e7_hold_append(&p->ck, p->skb, p->state);

	if (!err)
		return NF_STOLEN;
	if (err == -ENOENT) {
		/* Resolved meanwhile: the cache has the final verdict. */
		e7_prog_put(c->prog);
		c->prog = NULL; /* the caller puts c->prog: not twice */
		if (e7_flows_get(&p->ck, c) && c->verdict != E7_VERDICT_PENDING)
			return e7_nf_verdict(p, c->verdict);
		return e7_nf_verdict(p, e7_policy(E7_POL_OVERFLOW));
	}
	e7_stat_inc(E7_ST_OVERFLOW);
	return e7_nf_verdict(p, e7_policy(E7_POL_OVERFLOW));
}

/* A flow decided under the current ruleset: its packets cost one peek. */
static bool e7_flow_decided(const struct e7_flow_peek *pk)
{
	return pk->gen == e7_generation() && e7_verdict_final(pk->verdict);
}

/*
 * A flow the cache knows (pk, its peek): decided, held, or decided under
 * older rules.  False if it was replaced since the peek.
 */
static bool e7_flow_cached(struct e7_pkt *p, const struct e7_flow_peek *pk,
			   unsigned int *ret)
{
	struct e7_cached c = {};

	if (e7_flow_decided(pk)) {
		e7_stat_inc(E7_ST_CACHE_HITS);
		*ret = e7_nf_verdict(p, pk->verdict);
		return true;
	}
	if (!e7_flows_get(&p->ck, &c))
		return false; /* replaced since the peek */
	if (c.verdict == E7_VERDICT_PENDING) {
		*ret = e7_pending(p, &c);
	} else if (c.gen == e7_generation() && c.verdict != E7_VERDICT_OWNER) {
		e7_stat_inc(E7_ST_CACHE_HITS);
		*ret = e7_nf_verdict(p, c.verdict);
	} else {
		*ret = e7_decide(p, &c, NULL, false);
	}
	e7_prog_put(c.prog);
	return true;
}

/*
 * A TCP socket's own segments, as opposed to TCP headers a raw socket
 * writes: only the former follow the socket's state.
 */
static bool e7_sk_is_tcp(const struct sock *sk)
{
	return sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP;
}

/* A flow the cache does not know: find its owner and decide it. */
static unsigned int e7_flow_new(struct e7_pkt *p)
{
	struct e7_cached c = {};
	struct e7_owner o = {};
	unsigned int ret;

	if (p->t.dir == E7_DIR_OUT && p->t.proto == IPPROTO_TCP && !p->t.syn &&
	    e7_sk_is_tcp(p->sk)) {
		/*
		 * Not a new flow: the connection's SYN was decided (admitted
		 * by LOCAL_IN, or sent before the module was loaded).  A raw
		 * socket's TCP header is not let through here: it is decided
		 * as a flow of its own.
		 */
		e7_stat_inc(E7_ST_NOSOCKET);
		return NF_ACCEPT;
	}
	if (!e7_identify_can_use_current(p->sk)) {
		if (e7_owner_cached(p, &c)) {
			ret = e7_decide(p, &c, NULL, false);
			e7_prog_put(c.prog);
			return ret;
		}
		c.uid = e7_sock_uid(p->sk);
		return e7_decide(p, &c, NULL, true);
	}
	c.uid = e7_sock_uid(p->sk);
	if (!e7_identify_current(p->sk, &o)) {
		c.prog = o.prog;
		c.tgid = o.tgid;
	}
	ret = e7_decide(p, &c, &o, false);
	/* c.prog aliases o.prog unless e7_decide moved the references. */
	e7_owner_release(&o);
	return ret;
}

static unsigned int e7_flow(struct e7_pkt *p)
{
	struct e7_flow_peek pk;
	unsigned int ret;

	if (e7_flows_peek(&p->ck, &pk) && e7_flow_cached(p, &pk, &ret))
		return ret;
	return e7_flow_new(p);
}

static bool e7_early_verdict(u8 mode, unsigned int *ret)
{
	if (mode == E7_MODE_DISABLED) {
		/* The administrator turned filtering off: counted. */
		e7_stat_inc(E7_ST_DISABLED_PASS);
		*ret = NF_ACCEPT;
		return true;
	}
	if (mode == E7_MODE_BLOCK_ALL) {
		e7_stat_inc(E7_ST_BLOCK_ALL_DROP);
		*ret = NF_DROP;
		return true;
	}
	return false;
}

static bool e7_sk_is_user(const struct sock *sk)
{
	return sk && sk_fullsock(sk) && sk->sk_socket && sk->sk_socket->file;
}

/*
 * A packet of a user socket that cannot be parsed: a raw socket's
 * truncated transport header or broken IPv6 extension chain.  Its owner's
 * port-less rules decide, else the "protocol not parsed" policy (block in
 * the strict profile); it is counted, never cached and never held.
 */
static unsigned int e7_unparsed(struct e7_pkt *p)
{
	struct e7_cached c = {};
	struct e7_owner o = {};
	u8 action;

	e7_stat_inc(E7_ST_UNPARSED);
	c.uid = e7_sock_uid(p->sk);
	if (e7_identify_can_use_current(p->sk) &&
	    !e7_identify_current(p->sk, &o))
		c.prog = o.prog;
	action = e7_decide_unparsed(&p->t, &c);
	e7_owner_release(&o);
	e7_stat_inc(action == E7_ACTION_ALLOW ? E7_ST_ALLOWED : E7_ST_BLOCKED);
	return e7_nf_verdict(p, action);
}

/*
 * The user socket whose program sends a packet, if any.  A listening socket
 * sends nothing of its own: what leaves with one attached (7.x sends a
 * request socket's ACK so) is the stack answering for a connection not yet
 * accepted, whose SYN LOCAL_IN decided.  Aborting a listener would close it.
 */
static struct sock *e7_sending_sk(struct sock *sk)
{
	if (!e7_sk_is_user(sk) || READ_ONCE(sk->sk_state) == TCP_LISTEN)
		return NULL;
	return sk;
}

/*
 * Does this outgoing packet go to its socket's connected peer?  A stream
 * socket has one peer; a connected datagram socket may still sendto()
 * another address, which is a flow of its own.
 */
static bool e7_to_connected_peer(const struct sock *sk,
				 const struct sk_buff *skb, u8 pf)
{
	struct udphdr _uh;
	const struct udphdr *uh;

	if (sk->sk_type == SOCK_STREAM)
		return true;
	if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
		return false;
	if (pf == NFPROTO_IPV4) {
		if (ip_hdr(skb)->daddr != sk->sk_daddr)
			return false;
	} else {
#if IS_ENABLED(CONFIG_IPV6)
		if (!ipv6_addr_equal(&ipv6_hdr(skb)->daddr, &sk->sk_v6_daddr))
			return false;
#else
		return false;
#endif
	}
	if (!e7_proto_is_udp(sk->sk_protocol))
		return true;
	if (!skb_transport_header_was_set(skb))
		return false;
	uh = skb_header_pointer(skb, skb_transport_offset(skb), sizeof(_uh),
				&_uh);
	return uh && uh->dest == sk->sk_dport;
}

/*
 * The common case, before any parsing: a packet of a user socket to its
 * connected peer, on a flow allowed under the current rules.
 */
static bool e7_peer_flow_allowed(const struct sock *sk)
{
	struct e7_flow_peek pk;
	struct e7_flow_ck ck;

	e7_flow_ck_init(&ck, sk, NULL, false);
	if (!e7_flows_peek(&ck, &pk) || !e7_flow_decided(&pk) ||
	    pk.verdict != E7_ACTION_ALLOW)
		return false;
	e7_stat_inc(E7_ST_CACHE_HITS);
	return true;
}

static unsigned int e7_hook_out(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct e7_pkt p = { .skb = skb, .state = state };
	u8 mode = e7_mode();
	unsigned int ret;
	bool to_peer;

	e7_stat_inc(E7_ST_PACKETS);
	p.sk = e7_sending_sk(skb->sk);
	to_peer = p.sk && e7_to_connected_peer(p.sk, skb, state->pf);
	/* A flow already allowed under the current rules, to its peer. */
	if (mode != E7_MODE_DISABLED && mode != E7_MODE_BLOCK_ALL && to_peer &&
	    e7_peer_flow_allowed(p.sk))
		return NF_ACCEPT;
	if (mode == E7_MODE_DISABLED && e7_early_verdict(mode, &ret))
		return ret;
	if (e7_proto_parse(skb, state->pf, E7_DIR_OUT, &p.t)) {
		if (e7_early_verdict(mode, &ret))
			return ret;
		if (p.sk)
			return e7_unparsed(&p);
		/* The stack's own packet (no user socket): not a program's. */
		e7_stat_inc(E7_ST_NOSOCKET);
		return NF_ACCEPT;
	}
	if (mode == E7_MODE_BLOCK_ALL) {
		e7_stat_inc(E7_ST_BLOCK_ALL_DROP);
		return p.sk ? e7_nf_verdict(&p, E7_ACTION_BLOCK) : NF_DROP;
	}
	if (!p.sk ||
	    (p.t.proto == IPPROTO_TCP && p.t.rst && e7_sk_is_tcp(p.sk))) {
		/*
		 * No user program sends it (a kernel socket's reset, ICMP
		 * error or ND, a listener's answer), or a TCP socket resets
		 * its own connection: nothing leaves that its owner could fill.
		 */
		e7_stat_inc(E7_ST_NOSOCKET);
		return NF_ACCEPT;
	}
	e7_flow_ck_init(&p.ck, p.sk, &p.t, !to_peer);
	return e7_flow(&p);
}

/*
 * The listening or bound socket an incoming packet goes to.  Kernels built
 * without nf_socket (CONFIG_NF_SOCKET_IPV4/6) get no incoming filtering.
 */
static struct sock *e7_lookup_local(struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
#if IS_ENABLED(CONFIG_NF_SOCKET_IPV4)
	if (state->pf == NFPROTO_IPV4)
		return nf_sk_lookup_slow_v4(state->net, skb, state->in);
#endif
#if IS_ENABLED(CONFIG_NF_SOCKET_IPV6)
	if (state->pf == NFPROTO_IPV6)
		return nf_sk_lookup_slow_v6(state->net, skb, state->in);
#endif
	return NULL;
}

/*
 * An accepted unicast UDP datagram keeps the socket the hook looked up, so
 * that udp_rcv() takes it (skb_steal_sock) instead of looking it up again,
 * as TPROXY's nf_tproxy_assign_sock() does.  Not for broadcast or multicast
 * (delivered to every matching socket), nor for SO_REUSEPORT sockets (the
 * stack picks one of the group with the packet, the hook's lookup without).
 * Returns whether @sk went to @skb (its reference with it).
 */
static bool e7_give_sk_to_stack(struct sk_buff *skb, const struct e7_pkt *p)
{
	struct sock *sk = p->sk;

	if (p->t.proto != IPPROTO_UDP || skb->sk ||
	    skb->pkt_type != PACKET_HOST || sk->sk_reuseport)
		return false;
	if (p->state->pf == NFPROTO_IPV4 &&
	    (ipv4_is_multicast(ip_hdr(skb)->daddr) ||
	     skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		return false;
	if (p->state->pf == NFPROTO_IPV6 &&
	    ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
		return false;
	skb->sk = sk;
	skb->destructor = sock_edemux;
	return true;
}

/* Is this packet a new incoming flow to a local (listening or bound) socket? */
static bool e7_incoming_new(const struct e7_tuple *t, const struct sock *sk)
{
	if (!e7_sk_is_user(sk))
		return false;
	if (t->proto == IPPROTO_TCP)
		return t->syn && sk->sk_state == TCP_LISTEN;
	if (e7_proto_is_udp(t->proto))
		return sk->sk_state != TCP_ESTABLISHED;
	return false;
}

/*
 * LOCAL_IN decides which new incoming connections reach a local program.
 * What it accepts arrives; nothing it accepts leaves the machine: a local
 * program's answer goes out through LOCAL_OUT and is decided there.
 */
static unsigned int e7_hook_in(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct e7_pkt p = { .skb = skb, .state = state };
	struct e7_flow_peek pk;
	unsigned int ret;
	bool known;

	/* Incoming filtering is off (the "incoming" flag). */
	if (!(e7_flags() & E7_FLAG_INCOMING))
		return NF_ACCEPT;
	if (e7_early_verdict(e7_mode(), &ret))
		return ret;
	/* Early demux found a connected socket: no new flow, no lookup. */
	if (skb->sk && sk_fullsock(skb->sk) &&
	    READ_ONCE(skb->sk->sk_state) == TCP_ESTABLISHED)
		return NF_ACCEPT;
	/* Not for a port-based socket: ICMP, or malformed (as the stack drops). */
	if (e7_proto_parse(skb, state->pf, E7_DIR_IN, &p.t) || !p.t.has_ports)
		return NF_ACCEPT;
	/* A segment of a connection whose SYN was decided. */
	if (p.t.proto == IPPROTO_TCP && !p.t.syn)
		return NF_ACCEPT;
	/* No local socket: the stack answers with a reset or ICMP error. */
	p.sk = e7_lookup_local(skb, state);
	if (!p.sk)
		return NF_ACCEPT;
	/* Below: not a new incoming flow to a user socket. */
	ret = NF_ACCEPT;
	if (!e7_incoming_new(&p.t, p.sk))
		goto out_put;
	e7_flow_ck_init(&p.ck, p.sk, &p.t, true);
	known = e7_flows_peek(&p.ck, &pk);
	if (known && pk.dir == E7_DIR_OUT && pk.verdict == E7_ACTION_ALLOW)
		goto out_put; /* answer to a datagram we sent */
	e7_stat_inc(E7_ST_INCOMING);
	e7_stat_inc(E7_ST_PACKETS);
	if (!known || !e7_flow_cached(&p, &pk, &ret))
		ret = e7_flow_new(&p);
out_put:
	if (ret != NF_ACCEPT || !e7_give_sk_to_stack(skb, &p))
		sock_gen_put(p.sk);
	return ret;
}

static const struct nf_hook_ops e7_nf_ops[] = {
	{ .hook = e7_hook_out,
	  .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_LOCAL_OUT,
	  .priority = NF_IP_PRI_LAST },
	{ .hook = e7_hook_in,
	  .pf = NFPROTO_IPV4,
	  .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP_PRI_LAST },
#if IS_ENABLED(CONFIG_IPV6)
	{ .hook = e7_hook_out,
	  .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_LOCAL_OUT,
	  .priority = NF_IP6_PRI_LAST },
	{ .hook = e7_hook_in,
	  .pf = NFPROTO_IPV6,
	  .hooknum = NF_INET_LOCAL_IN,
	  .priority = NF_IP6_PRI_LAST },
#endif
};

static int __net_init e7_net_init(struct net *net)
{
	return nf_register_net_hooks(net, e7_nf_ops, ARRAY_SIZE(e7_nf_ops));
}

static bool e7_unloading;

static void __net_exit e7_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, e7_nf_ops, ARRAY_SIZE(e7_nf_ops));
	/* A dying namespace drops its held packets; unload applies the policy. */
	e7_hold_flush(
		net, e7_unloading ? e7_policy(E7_POL_TIMEOUT) : E7_ACTION_BLOCK,
		E7_REASON_UNLOAD);
}

static struct pernet_operations e7_net_ops = {
	.init = e7_net_init,
	.exit = e7_net_exit,
};

int e7_hooks_init(void)
{
	return register_pernet_subsys(&e7_net_ops);
}

void e7_hooks_exit(void)
{
	e7_unloading = true;
	unregister_pernet_subsys(&e7_net_ops);
}
