/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_STATS_H
#define _E7_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/eftirlit7.h>

enum e7_stat {
#define E7_X_ENUM(n, s) E7_ST_##n,
	E7_STATS(E7_X_ENUM) E7_STATS_LATER(E7_X_ENUM)
#undef E7_X_ENUM
		E7_ST_COUNT
};

/* The attribute of counter @s (the later ones come after E7_STAT_A_PAD). */
static inline int e7_stat_attr(enum e7_stat s)
{
	return s < E7_ST_UNPARSED ? E7_STAT_A_PACKETS + s :
				    E7_STAT_A_UNPARSED + (s - E7_ST_UNPARSED);
}

struct e7_stats_pcpu {
	u64 v[E7_ST_COUNT];
};

DECLARE_PER_CPU(struct e7_stats_pcpu, e7_stats);

static inline void e7_stat_inc(enum e7_stat s)
{
	this_cpu_inc(e7_stats.v[s]);
}

static inline void e7_stat_add(enum e7_stat s, u64 n)
{
	this_cpu_add(e7_stats.v[s], n);
}

u64 e7_stat_read(enum e7_stat s);
void e7_stats_reset(void);

/* One per-key entry of the bounded top-N tables, copied out for a dump. */
struct e7_stat_entry {
	u8 kind;
	u8 proto;
	u8 family;
	u32 uid;
	u8 addr[16];
	u64 flows;
	u64 allowed;
	u64 blocked;
	unsigned long last; /* jiffies */
	char path[E7_PATH_MAX];
};

struct e7_tuple;
struct e7_prog;
void e7_stats_flow(const struct e7_tuple *t, const struct e7_prog *prog,
		   u32 uid, u8 action);
bool e7_stats_entry_get(unsigned long *idx, struct e7_stat_entry *out);
void e7_stats_exit(void);

#endif /* _E7_STATS_H */
