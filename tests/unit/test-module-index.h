/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace model of the kernel rule index (module/rules.c): rules in
 * buckets keyed by (program match, path hash), looked up through the exact
 * path, every directory prefix and the any-program list.  Used by the unit
 * tests and the fuzzer to compare against a linear scan.
 */
#ifndef TEST_MODULE_INDEX_H
#define TEST_MODULE_INDEX_H

#include <stdlib.h>
#include <string.h>

#include "module/match.h"

#define E7_IDX_BUCKETS 64
#define E7_IDX_MAX 256

struct e7_index {
	struct e7_rule_spec rules[E7_IDX_MAX];
	unsigned int n;
	/* bucket lists as index arrays: next[i] chains rule i */
	int head[E7_IDX_BUCKETS + 1];
	int next[E7_IDX_MAX];
	char paths[E7_IDX_MAX][E7_PATH_MAX];
};

static inline unsigned int e7_index_bucket(u8 prog_match, u32 hash)
{
	if (prog_match == E7_PROG_ANY)
		return E7_IDX_BUCKETS;
	return ((hash ^ prog_match) * 2654435761u) >> 26;
}

static inline struct e7_index *e7_index_new(void)
{
	struct e7_index *idx = calloc(1, sizeof(*idx));
	unsigned int i;

	for (i = 0; i <= E7_IDX_BUCKETS; i++)
		idx->head[i] = -1;
	return idx;
}

static inline void e7_index_free(struct e7_index *idx)
{
	free(idx);
}

static inline int e7_index_add(struct e7_index *idx,
			       const struct e7_rule_spec *r)
{
	unsigned int b;

	if (idx->n >= E7_IDX_MAX || r->path_len >= E7_PATH_MAX)
		return -1;
	idx->rules[idx->n] = *r;
	if (r->path) {
		memcpy(idx->paths[idx->n], r->path, r->path_len);
		idx->rules[idx->n].path = idx->paths[idx->n];
	}
	b = e7_index_bucket(r->prog_match, r->path_hash);
	idx->next[idx->n] = idx->head[b];
	idx->head[b] = (int)idx->n;
	idx->n++;
	return 0;
}

static inline void e7_index_scan_bucket(const struct e7_index *idx, u8 pm,
					u32 hash, u32 len,
					const struct e7_flow_key *k,
					const struct e7_rule_spec **best)
{
	int i;

	for (i = idx->head[e7_index_bucket(pm, hash)]; i >= 0;
	     i = idx->next[i]) {
		const struct e7_rule_spec *r = &idx->rules[i];

		if (r->prog_match != pm || r->path_hash != hash ||
		    r->path_len != len)
			continue;
		if (e7_rule_matches(r, k) && e7_rule_beats(r, *best))
			*best = r;
	}
}

static inline const struct e7_rule_spec *
e7_index_lookup(const struct e7_index *idx, const struct e7_flow_key *k)
{
	const struct e7_rule_spec *best = NULL;
	struct e7_prefix_iter it;
	u32 plen, phash;

	if (k->path) {
		e7_index_scan_bucket(idx, E7_PROG_EXACT,
				     e7_path_hash(k->path, k->path_len),
				     k->path_len, k, &best);
		e7_prefix_iter_init(&it, k->path, k->path_len);
		while (e7_prefix_iter_next(&it, &plen, &phash))
			e7_index_scan_bucket(idx, E7_PROG_PREFIX, phash, plen,
					     k, &best);
	}
	e7_index_scan_bucket(idx, E7_PROG_ANY, 0, 0, k, &best);
	return best;
}

static inline const struct e7_rule_spec *
e7_index_scan(const struct e7_index *idx, const struct e7_flow_key *k)
{
	const struct e7_rule_spec *best = NULL;
	unsigned int i;

	for (i = 0; i < idx->n; i++)
		if (e7_rule_matches(&idx->rules[i], k) &&
		    e7_rule_beats(&idx->rules[i], best))
			best = &idx->rules[i];
	return best;
}

#endif /* TEST_MODULE_INDEX_H */
