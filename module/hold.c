// SPDX-License-Identifier: GPL-2.0
/*
 * Held flows: the packets of a flow nobody has a rule for are stolen from
 * netfilter (bounded per flow and in total) until a verdict, the hold
 * timeout or unload decides.  Allowed packets continue through the hook's
 * okfn with BH disabled; our hooks run last, so no later hook is skipped.
 */
#include "hold.h"
#include "abort.h"
#include "compat.h"
#include "config.h"
#include "decide.h"
#include "stats.h"

#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/dst.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#define E7_HOLD_HASH_BITS 10
#define E7_REAP_INTERVAL (HZ / 10)
/* Sockets of an owner found by a walk that the known socket cache learns. */
#define E7_ASC_LEARN_MAX 1024

struct e7_held_pkt {
	struct list_head list;
	struct sk_buff *skb;
	struct nf_hook_state state;
};

struct e7_held {
	struct hlist_node by_ck;
	struct hlist_node by_id;
	struct list_head fifo;
	struct list_head pkts;
	struct e7_flow_ck ck;
	struct e7_cached c;
	struct e7_flow_info fi;
	struct sock *sk; /* reference */
	struct net_device *dev; /* reference, incoming packets only */
	unsigned long since;
	u32 npkts;
	bool identifying; /* owner being looked up: no PENDING yet */
	bool announced; /* a PENDING event went out */
	bool asc_busy;
};

static DEFINE_SPINLOCK(hold_lock);
static DEFINE_HASHTABLE(held_by_ck, E7_HOLD_HASH_BITS);
static DEFINE_HASHTABLE(held_by_id, E7_HOLD_HASH_BITS);
static LIST_HEAD(held_fifo);
static u32 held_flows;
static u32 held_pkts;
static bool hold_closed;
static atomic64_t next_flow_id = ATOMIC64_INIT(0);
static void e7_hold_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(reap_work, e7_hold_reap);
static void e7_hold_asc(struct work_struct *work);
static DECLARE_WORK(asc_work, e7_hold_asc);

static u32 e7_ck_key(const struct e7_flow_ck *ck)
{
	return (u32)(unsigned long)ck->sk ^ (u32)ck->ino ^ ck->dst;
}

static struct e7_held *e7_held_by_ck(const struct e7_flow_ck *ck)
{
	struct e7_held *h;

	hash_for_each_possible(held_by_ck, h, by_ck, e7_ck_key(ck))
		if (e7_flow_ck_eq(&h->ck, ck))
			return h;
	return NULL;
}

static struct e7_held *e7_held_by_id(u64 id)
{
	struct e7_held *h;

	hash_for_each_possible(held_by_id, h, by_id, id)
		if (h->fi.id == id)
			return h;
	return NULL;
}

static struct e7_held_pkt *e7_pkt_new(struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct e7_held_pkt *p = kmalloc(sizeof(*p), GFP_ATOMIC);

	if (!p)
		return NULL;
	skb_dst_force(skb);
	if (!skb_dst(skb) && state->hook == NF_INET_LOCAL_OUT) {
		kfree(p);
		return NULL;
	}
	p->skb = skb;
	p->state = *state;
	return p;
}

/* Adds a packet to an already held flow: 0, -ENOENT or -ENOBUFS. */
int e7_hold_append(const struct e7_flow_ck *ck, struct sk_buff *skb,
		   const struct nf_hook_state *state)
{
	struct e7_held_pkt *p;
	struct e7_held *h;
	int err = -ENOENT;

	spin_lock_bh(&hold_lock);
	h = e7_held_by_ck(ck);
	if (!h)
		goto out;
	err = -ENOBUFS;
	if (h->npkts >= e7_hold_pkts_per_flow() ||
	    held_pkts >= e7_hold_pkts_max())
		goto out;
	p = e7_pkt_new(skb, state);
	if (!p)
		goto out;
	list_add_tail(&p->list, &h->pkts);
	h->npkts++;
	held_pkts++;
	e7_stat_inc(E7_ST_HELD_PACKETS);
	err = 0;
out:
	spin_unlock_bh(&hold_lock);
	return err;
}

/*
 * Holds the first packet of a new flow and reports it.  On success the
 * owner references in fi move to the held flow.  -ENOSPC: over a bound.
 */
int e7_hold_new(const struct e7_flow_ck *ck, struct sk_buff *skb,
		const struct nf_hook_state *state, struct e7_flow_info *fi,
		const struct e7_cached *c, struct sock *sk, bool identify)
{
	struct e7_held_pkt *p;
	struct e7_held *h;

	h = kzalloc(sizeof(*h), GFP_ATOMIC);
	if (!h)
		return -ENOMEM;
	p = e7_pkt_new(skb, state);
	if (!p) {
		kfree(h);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&h->pkts);
	list_add_tail(&p->list, &h->pkts);
	h->npkts = 1;
	h->ck = *ck;
	h->c = *c;
	h->c.verdict = E7_VERDICT_PENDING;
	h->since = jiffies;
	spin_lock_bh(&hold_lock);
	if (hold_closed || held_flows >= e7_hold_flows_max() ||
	    held_pkts >= e7_hold_pkts_max() || e7_held_by_ck(ck)) {
		spin_unlock_bh(&hold_lock);
		kfree(p);
		kfree(h);
		return -ENOSPC;
	}
	fi->id = atomic64_inc_return(&next_flow_id);
	h->fi = *fi;
	memset(&fi->owner, 0, sizeof(fi->owner));
	h->sk = sk;
	if (h->sk)
		sock_hold(h->sk);
	h->identifying = identify;
	h->announced = !identify;
	if (state->hook == NF_INET_LOCAL_IN && skb->dev) {
		h->dev = skb->dev;
		dev_hold(h->dev);
	}
	e7_prog_get(h->c.prog);
	e7_flows_set(ck, &h->c);
	hash_add(held_by_ck, &h->by_ck, e7_ck_key(ck));
	hash_add(held_by_id, &h->by_id, h->fi.id);
	list_add_tail(&h->fifo, &held_fifo);
	held_flows++;
	held_pkts++;
	/* Under the lock: once it is dropped, a verdict may free h. */
	if (!identify)
		e7_events_pending(&h->fi);
	spin_unlock_bh(&hold_lock);
	e7_stat_inc(E7_ST_HELD_FLOWS);
	e7_stat_inc(E7_ST_HELD_PACKETS);
	if (identify)
		queue_work(system_percpu_wq, &asc_work);
	/* Not mod_: a stream of new flows must not postpone the reaper. */
	queue_delayed_work(system_percpu_wq, &reap_work, E7_REAP_INTERVAL);
	return 0;
}

/* Takes h out of the tables and records its verdict; hold_lock held. */
static void e7_held_unlink(struct e7_held *h, u8 action, u8 reason)
{
	lockdep_assert_held(&hold_lock);
	h->c.verdict = action;
	h->c.reason = reason;
	h->c.gen = e7_generation();
	e7_flows_set(&h->ck, &h->c);
	hash_del(&h->by_ck);
	hash_del(&h->by_id);
	list_del(&h->fifo);
	held_flows--;
	held_pkts -= h->npkts;
}

static bool e7_pkt_deliverable(const struct e7_held *h)
{
	return !h->sk || !sk_fullsock(h->sk) ||
	       h->sk->sk_protocol != IPPROTO_TCP ||
	       READ_ONCE(h->sk->sk_state) != TCP_CLOSE;
}

/* Releases or drops the packets of an unlinked flow and frees it. */
static void e7_held_finish(struct e7_held *h, u8 action, u8 reason)
{
	struct e7_held_pkt *p, *tmp;
	bool deliver = action == E7_ACTION_ALLOW && e7_pkt_deliverable(h);

	local_bh_disable();
	list_for_each_entry_safe(p, tmp, &h->pkts, list) {
		list_del(&p->list);
		if (deliver) {
			p->state.okfn(p->state.net, p->state.sk, p->skb);
			e7_stat_inc(E7_ST_RELEASED);
		} else {
			kfree_skb(p->skb);
			e7_stat_inc(E7_ST_VERDICT_DROPPED);
		}
		kfree(p);
	}
	local_bh_enable();
	e7_stat_inc(action == E7_ACTION_ALLOW ? E7_ST_ALLOWED : E7_ST_BLOCKED);
	if (action == E7_ACTION_BLOCK && h->fi.t.dir == E7_DIR_OUT)
		e7_abort_sock(h->sk);
	if (h->announced && reason != E7_REASON_VERDICT)
		e7_events_resolved(h->fi.id, action, reason);
	if (h->sk)
		sock_put(h->sk);
	if (h->dev)
		dev_put(h->dev);
	e7_prog_put(h->c.prog);
	e7_owner_release(&h->fi.owner);
	kfree(h);
}

/* The owner of a flow held for identification is known (or not): decide. */
static void e7_hold_identified(u64 id, struct e7_owner *o)
{
	struct e7_flow_info fi = {};
	struct e7_held *h;
	u8 action = E7_VERDICT_PENDING;

	spin_lock_bh(&hold_lock);
	h = e7_held_by_id(id);
	if (!h) {
		spin_unlock_bh(&hold_lock);
		e7_owner_release(o);
		return;
	}
	o->flags |= h->fi.owner.flags & E7_FLOW_F_UNCONNECTED;
	e7_owner_release(&h->fi.owner);
	h->fi.owner = *o;
	e7_prog_put(h->c.prog);
	h->c.prog = e7_prog_get(o->prog);
	h->c.tgid = o->tgid;
	h->identifying = false;
	if (o->prog && h->ck.dst) {
		/* Known socket cache: later flows of this socket skip the walk. */
		struct e7_flow_ck owner_ck = e7_flow_ck_socket(&h->ck);
		struct e7_cached kc = h->c;

		kc.verdict = E7_VERDICT_OWNER;
		e7_flows_set(&owner_ck, &kc);
	}
	rcu_read_lock();
	action = e7_decide_flow(&h->fi.t, &h->c);
	rcu_read_unlock();
	if (action == E7_VERDICT_PENDING) {
		fi = h->fi;
		e7_prog_get(fi.owner.prog);
		if (fi.owner.task)
			get_task_struct(fi.owner.task);
		h->c.verdict = E7_VERDICT_PENDING;
		h->announced = true;
	} else {
		h->fi.rule_id = h->c.rule_id;
		e7_held_unlink(h, action, h->c.reason);
	}
	spin_unlock_bh(&hold_lock);
	if (action == E7_VERDICT_PENDING) {
		e7_events_pending(&fi);
		e7_owner_release(&fi.owner);
		return;
	}
	e7_held_finish(h, action, h->c.reason);
}

/* Known socket cache first (an earlier walk may have found the owner). */
static void e7_hold_find_owner(struct sock *sk,
			       const struct e7_flow_ck *owner_ck,
			       struct e7_owner *o)
{
	struct e7_cached kc;

	if (e7_flows_get(owner_ck, &kc)) {
		if (kc.verdict == E7_VERDICT_OWNER && kc.prog) {
			memset(o, 0, sizeof(*o));
			o->prog = kc.prog;
			o->tgid = kc.tgid;
			o->uid = kc.uid;
			o->flags = E7_FLOW_F_CACHED_OWNER | kc.prog->flags;
			return;
		}
		e7_prog_put(kc.prog);
	}
	e7_identify_sock_owner(sk, o);
}

/* Known socket cache: the walk's owner also owns this socket. */
static void e7_hold_learn_owner(const struct sock *sk, unsigned long ino,
				void *arg)
{
	const struct e7_owner *o = arg;
	struct e7_flow_ck ck = { .sk = sk, .ino = ino };
	struct e7_cached kc = {
		.prog = o->prog,
		.tgid = o->tgid,
		.uid = e7_sock_uid(sk),
		.verdict = E7_VERDICT_OWNER,
	};

	e7_flows_set(&ck, &kc);
}

/*
 * Active socket cache: finds the owners of held flows, one at a time.  A
 * walk that finds an owner teaches the known socket cache all of its
 * listening and unconnected sockets (a server's thousand bound sockets cost
 * one walk, not a thousand).
 */
static void e7_hold_asc(struct work_struct *work)
{
	struct e7_flow_ck owner_ck;
	struct e7_owner o;
	struct e7_held *h;
	struct sock *sk;
	u64 id;

	for (;;) {
		sk = NULL;
		spin_lock_bh(&hold_lock);
		list_for_each_entry(h, &held_fifo, fifo) {
			if (!h->identifying || h->asc_busy || !h->sk)
				continue;
			h->asc_busy = true;
			id = h->fi.id;
			sk = h->sk;
			sock_hold(sk);
			owner_ck = e7_flow_ck_socket(&h->ck);
			break;
		}
		spin_unlock_bh(&hold_lock);
		if (!sk)
			return;
		e7_hold_find_owner(sk, &owner_ck, &o);
		sock_put(sk);
		if (o.task && o.prog)
			e7_identify_task_socks(o.task, E7_ASC_LEARN_MAX,
					       e7_hold_learn_owner, &o);
		e7_hold_identified(id, &o);
		cond_resched();
	}
}

int e7_hold_verdict(u64 id, u8 action, u8 reason)
{
	struct e7_held *h;

	spin_lock_bh(&hold_lock);
	h = e7_held_by_id(id);
	if (h)
		e7_held_unlink(h, action, reason);
	spin_unlock_bh(&hold_lock);
	if (!h)
		return -ENOENT;
	e7_held_finish(h, action, reason);
	return 0;
}

/* Resolves every held flow (of one namespace, or all when net is NULL). */
void e7_hold_flush(const struct net *net, u8 action, u8 reason)
{
	struct e7_held *h, *tmp;
	LIST_HEAD(done);

	spin_lock_bh(&hold_lock);
	list_for_each_entry_safe(h, tmp, &held_fifo, fifo) {
		if (net && !list_empty(&h->pkts) &&
		    list_first_entry(&h->pkts, struct e7_held_pkt, list)
				    ->state.net != net)
			continue;
		e7_held_unlink(h, action, reason);
		list_add_tail(&h->fifo, &done);
	}
	spin_unlock_bh(&hold_lock);
	list_for_each_entry_safe(h, tmp, &done, fifo)
		e7_held_finish(h, action, reason);
}

/*
 * Every E7_REAP_INTERVAL while flows are held: the timeout policy for
 * flows held too long, and the nodaemon policy for flows announced to a
 * daemon that has left (nobody will answer them).  Flows still being
 * identified are left alone: they are decided once their owner is known.
 */
static void e7_hold_reap(struct work_struct *work)
{
	unsigned long timeout = msecs_to_jiffies(e7_hold_timeout_ms());
	bool nodaemon = !e7_events_listening();
	struct e7_held *h, *tmp;
	LIST_HEAD(done);
	bool more;

	spin_lock_bh(&hold_lock);
	list_for_each_entry_safe(h, tmp, &held_fifo, fifo) {
		if (!time_before(jiffies, h->since + timeout)) {
			e7_held_unlink(h, e7_policy(E7_POL_TIMEOUT),
				       E7_REASON_TIMEOUT);
		} else if (nodaemon && h->announced) {
			e7_held_unlink(h, e7_policy(E7_POL_NODAEMON),
				       E7_REASON_NODAEMON);
		} else {
			/* The fifo is in age order: only nodaemon looks on. */
			if (!nodaemon)
				break;
			continue;
		}
		list_add_tail(&h->fifo, &done);
	}
	more = held_flows && !hold_closed;
	spin_unlock_bh(&hold_lock);
	list_for_each_entry_safe(h, tmp, &done, fifo) {
		e7_stat_inc(h->c.reason == E7_REASON_TIMEOUT ? E7_ST_TIMED_OUT :
							       E7_ST_NODAEMON);
		e7_held_finish(h, h->c.verdict, h->c.reason);
	}
	if (more)
		schedule_delayed_work(&reap_work, E7_REAP_INTERVAL);
}

/* Copies the first held flow with an id above *cursor, for dumps. */
bool e7_hold_next(u64 *cursor, struct e7_flow_info *out, u32 *npkts,
		  u32 *age_ms)
{
	struct e7_held *h, *best = NULL;

	spin_lock_bh(&hold_lock);
	list_for_each_entry(h, &held_fifo, fifo)
		if (h->fi.id > *cursor && (!best || h->fi.id < best->fi.id))
			best = h;
	if (best) {
		*out = best->fi;
		e7_prog_get(out->owner.prog);
		out->owner.task = NULL;
		*npkts = best->npkts;
		*age_ms = jiffies_to_msecs(jiffies - best->since);
		*cursor = best->fi.id;
	}
	spin_unlock_bh(&hold_lock);
	return best;
}

u32 e7_hold_count(void)
{
	return READ_ONCE(held_pkts);
}

int e7_hold_init(void)
{
	hold_closed = false;
	return 0;
}

/* Unload: no hook runs any more; resolve what is left by the timeout policy. */
void e7_hold_exit(void)
{
	spin_lock_bh(&hold_lock);
	hold_closed = true;
	spin_unlock_bh(&hold_lock);
	cancel_delayed_work_sync(&reap_work);
	cancel_work_sync(&asc_work);
	e7_hold_flush(NULL, e7_policy(E7_POL_TIMEOUT), E7_REASON_UNLOAD);
}
