// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow verdict cache: a bounded, direct-mapped table keyed by socket
 * (and remote end for unconnected datagrams).  A hit whose generation
 * matches the ruleset costs one hash and one striped lock; a rule or mode
 * change bumps the generation, so every flow is re-decided on its next
 * packet.  Entries keep the owner's program so that re-deciding needs no
 * attribution, even from softirq.  Packets of decided flows only peek: a
 * per-slot sequence count, no lock and no reference.
 */
#include "flows.h"
#include "identify.h"
#include "proto.h"

#include <linux/fs.h>
#include <linux/jhash.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <net/sock.h>

#define E7_FLOW_BITS 15
#define E7_FLOW_SLOTS (1U << E7_FLOW_BITS)
#define E7_FLOW_LOCKS 256

struct e7_flow_slot {
	seqcount_t seq; /* written under the slot's lock */
	struct e7_flow_ck ck;
	struct e7_cached c;
};

static struct e7_flow_slot *slots;
static spinlock_t slot_locks[E7_FLOW_LOCKS];
static atomic_t active = ATOMIC_INIT(0);
static u32 hash_seed __read_mostly; /* nobody can aim at a slot */

void e7_flow_ck_init(struct e7_flow_ck *ck, const struct sock *sk,
		     const struct e7_tuple *t, bool per_dst)
{
	*ck = (struct e7_flow_ck){
		.sk = sk,
		.ino = sk->sk_socket ? SOCK_INODE(sk->sk_socket)->i_ino : 0,
	};
	if (!per_dst)
		return;
	ck->rport = t->rport;
	ck->proto = t->proto;
	ck->raddr = t->raddr;
	ck->dst = jhash2((const u32 *)&t->raddr, 4,
			 hash_seed ^ (t->rport << 8 | t->proto)) |
		  1;
}

static u32 e7_flow_hash(const struct e7_flow_ck *ck)
{
	return jhash_3words((u32)(unsigned long)ck->sk, (u32)ck->ino, ck->dst,
			    hash_seed ^ (u32)((unsigned long)ck->sk >> 32));
}

static spinlock_t *e7_slot_lock(u32 h)
{
	return &slot_locks[h % E7_FLOW_LOCKS];
}

/* The verdict cached for ck, read without a lock or a reference. */
bool e7_flows_peek(const struct e7_flow_ck *ck, struct e7_flow_peek *out)
{
	u32 h = e7_flow_hash(ck);
	const struct e7_flow_slot *s = &slots[h & (E7_FLOW_SLOTS - 1)];
	unsigned int seq;
	bool hit;

	do {
		seq = read_seqcount_begin(&s->seq);
		hit = s->ck.sk && e7_flow_ck_eq(&s->ck, ck);
		if (hit) {
			out->gen = s->c.gen;
			out->verdict = s->c.verdict;
			out->dir = s->c.dir;
		}
	} while (read_seqcount_retry(&s->seq, seq));
	return hit;
}

/* Copies the cached decision for ck; out->prog is a new reference. */
bool e7_flows_get(const struct e7_flow_ck *ck, struct e7_cached *out)
{
	u32 h = e7_flow_hash(ck);
	struct e7_flow_slot *s = &slots[h & (E7_FLOW_SLOTS - 1)];
	unsigned long flags;
	bool hit = false;

	spin_lock_irqsave(e7_slot_lock(h), flags);
	if (s->ck.sk && e7_flow_ck_eq(&s->ck, ck)) {
		*out = s->c;
		e7_prog_get(out->prog);
		hit = true;
	}
	spin_unlock_irqrestore(e7_slot_lock(h), flags);
	return hit;
}

/* Stores a decision, replacing whatever flow used the slot. */
void e7_flows_set(const struct e7_flow_ck *ck, const struct e7_cached *in)
{
	u32 h = e7_flow_hash(ck);
	struct e7_flow_slot *s = &slots[h & (E7_FLOW_SLOTS - 1)];
	struct e7_prog *old;
	unsigned long flags;

	spin_lock_irqsave(e7_slot_lock(h), flags);
	old = s->c.prog;
	if (!s->ck.sk)
		atomic_inc(&active);
	write_seqcount_begin(&s->seq);
	s->ck = *ck;
	s->c = *in;
	write_seqcount_end(&s->seq);
	e7_prog_get(s->c.prog);
	spin_unlock_irqrestore(e7_slot_lock(h), flags);
	e7_prog_put(old);
}

void e7_flows_forget(const struct e7_flow_ck *ck)
{
	u32 h = e7_flow_hash(ck);
	struct e7_flow_slot *s = &slots[h & (E7_FLOW_SLOTS - 1)];
	struct e7_prog *old = NULL;
	unsigned long flags;

	spin_lock_irqsave(e7_slot_lock(h), flags);
	if (s->ck.sk && e7_flow_ck_eq(&s->ck, ck)) {
		old = s->c.prog;
		write_seqcount_begin(&s->seq);
		memset(&s->ck, 0, sizeof(s->ck));
		memset(&s->c, 0, sizeof(s->c));
		write_seqcount_end(&s->seq);
		atomic_dec(&active);
	}
	spin_unlock_irqrestore(e7_slot_lock(h), flags);
	e7_prog_put(old);
}

u32 e7_flows_active(void)
{
	return atomic_read(&active);
}

int e7_flows_init(void)
{
	unsigned int i;

	hash_seed = get_random_u32();
	slots = vzalloc(array_size(E7_FLOW_SLOTS, sizeof(*slots)));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < E7_FLOW_SLOTS; i++)
		seqcount_init(&slots[i].seq);
	for (i = 0; i < E7_FLOW_LOCKS; i++)
		spin_lock_init(&slot_locks[i]);
	return 0;
}

void e7_flows_exit(void)
{
	unsigned int i;

	for (i = 0; i < E7_FLOW_SLOTS; i++)
		e7_prog_put(slots[i].c.prog);
	vfree(slots);
	atomic_set(&active, 0);
}
