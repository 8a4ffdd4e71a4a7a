// SPDX-License-Identifier: GPL-2.0
/*
 * Per-flow verdict cache: a bounded, 4-way set-associative table keyed by
 * socket (and remote end for unconnected datagrams).  A hit whose
 * generation matches the ruleset costs one hash and a look at one bucket; a
 * rule or mode change bumps the generation, so every flow is re-decided on
 * its next packet.  Entries keep the owner's program so that re-deciding
 * needs no attribution, even from softirq.  Packets of decided flows only
 * peek: a per-bucket sequence count, no lock and no reference.  A new flow
 * takes a free way of its bucket, or else the ways in turn.
 */
#include "flows.h"
#include "prog.h"
#include "proto.h"

#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <net/sock.h>

#define E7_FLOW_WAYS 4
#define E7_FLOW_BUCKET_BITS 13 /* 8,192 buckets of 4 ways: 32,768 flows */
#define E7_FLOW_BUCKETS (1U << E7_FLOW_BUCKET_BITS)
#define E7_FLOW_LOCKS 256

struct e7_flow_entry {
	struct e7_flow_ck ck;
	struct e7_cached c;
};

struct e7_flow_bucket {
	seqcount_t seq; /* written under the bucket's lock */
	u8 next_victim;
	struct e7_flow_entry e[E7_FLOW_WAYS];
};

static struct e7_flow_bucket *buckets;
static spinlock_t bucket_locks[E7_FLOW_LOCKS];
static atomic_t active = ATOMIC_INIT(0);
static u64 hash_seed __read_mostly; /* nobody can aim at a bucket */

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
			 (u32)hash_seed ^ (t->rport << 8 | t->proto)) |
		  1;
}

static u32 e7_flow_index(const struct e7_flow_ck *ck)
{
	u64 key = (u64)(unsigned long)ck->sk ^ ((u64)ck->ino << 20) ^
		  ((u64)ck->dst << 32);

	return hash_64(key ^ hash_seed, E7_FLOW_BUCKET_BITS);
}

static struct e7_flow_bucket *e7_bucket(const struct e7_flow_ck *ck,
					spinlock_t **lock)
{
	u32 i = e7_flow_index(ck);

	if (lock)
		*lock = &bucket_locks[i % E7_FLOW_LOCKS];
	return &buckets[i];
}

/* The way of b that holds ck, or NULL. */
static struct e7_flow_entry *e7_bucket_find(struct e7_flow_bucket *b,
					    const struct e7_flow_ck *ck)
{
	unsigned int i;

	for (i = 0; i < E7_FLOW_WAYS; i++)
		if (b->e[i].ck.sk && e7_flow_ck_eq(&b->e[i].ck, ck))
			return &b->e[i];
	return NULL;
}

/* The verdict cached for ck, read without a lock or a reference. */
bool e7_flows_peek(const struct e7_flow_ck *ck, struct e7_flow_peek *out)
{
	struct e7_flow_bucket *b = e7_bucket(ck, NULL);
	const struct e7_flow_entry *e;
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&b->seq);
		e = e7_bucket_find(b, ck);
		if (e) {
			out->gen = e->c.gen;
			out->verdict = e->c.verdict;
			out->dir = e->c.dir;
		}
	} while (read_seqcount_retry(&b->seq, seq));
	return e;
}

/* Copies the cached decision for ck; out->prog is a new reference. */
bool e7_flows_get(const struct e7_flow_ck *ck, struct e7_cached *out)
{
	spinlock_t *lock;
	struct e7_flow_bucket *b = e7_bucket(ck, &lock);
	const struct e7_flow_entry *e;
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	e = e7_bucket_find(b, ck);
	if (e) {
		*out = e->c;
		e7_prog_get(out->prog);
	}
	spin_unlock_irqrestore(lock, flags);
	return e;
}

/* The way a new flow takes: a free one, or else the ways in turn. */
static struct e7_flow_entry *e7_bucket_victim(struct e7_flow_bucket *b)
{
	unsigned int i;

	for (i = 0; i < E7_FLOW_WAYS; i++)
		if (!b->e[i].ck.sk)
			return &b->e[i];
	i = b->next_victim;
	b->next_victim = (i + 1) % E7_FLOW_WAYS;
	return &b->e[i];
}

/* Stores a decision, replacing ck's old one or another flow's. */
void e7_flows_set(const struct e7_flow_ck *ck, const struct e7_cached *in)
{
	spinlock_t *lock;
	struct e7_flow_bucket *b = e7_bucket(ck, &lock);
	struct e7_flow_entry *e;
	struct e7_prog *old;
	unsigned long flags;

	spin_lock_irqsave(lock, flags);
	e = e7_bucket_find(b, ck);
	if (!e)
		e = e7_bucket_victim(b);
	old = e->c.prog;
	if (!e->ck.sk)
		atomic_inc(&active);
	write_seqcount_begin(&b->seq);
	e->ck = *ck;
	e->c = *in;
	write_seqcount_end(&b->seq);
	e7_prog_get(e->c.prog);
	spin_unlock_irqrestore(lock, flags);
	e7_prog_put(old);
}

u32 e7_flows_active(void)
{
	return atomic_read(&active);
}

int e7_flows_init(void)
{
	unsigned int i;

	hash_seed = get_random_u64();
	buckets = vzalloc(array_size(E7_FLOW_BUCKETS, sizeof(*buckets)));
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < E7_FLOW_BUCKETS; i++)
		seqcount_init(&buckets[i].seq);
	for (i = 0; i < E7_FLOW_LOCKS; i++)
		spin_lock_init(&bucket_locks[i]);
	return 0;
}

void e7_flows_exit(void)
{
	unsigned int i, w;

	for (i = 0; i < E7_FLOW_BUCKETS; i++)
		for (w = 0; w < E7_FLOW_WAYS; w++)
			e7_prog_put(buckets[i].e[w].c.prog);
	vfree(buckets);
	atomic_set(&active, 0);
}
