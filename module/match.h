/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rule matching: pure functions shared by the kernel module and the
 * userspace unit tests and fuzzers (no allocation, no locking).
 */
#ifndef _E7_MATCH_H
#define _E7_MATCH_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif
#include <linux/eftirlit7.h>

#define E7_FAMILY_ANY 0
#define E7_FAMILY_V4 4
#define E7_FAMILY_V6 6

/*
 * A program as the module knows it: its executable's device (new
 * encoding), inode and change time.
 */
struct e7_exe_id {
	u64 ino;
	u64 ctime_ns;
	u32 dev;
};

/* What a rule matches on; the program path itself is stored by the owner. */
struct e7_rule_spec {
	u64 id;
	const char *path; /* NULL for E7_PROG_ANY */
	u32 path_len; /* bytes, without NUL */
	u32 path_hash; /* e7_path_hash(path, path_len) */
	u32 uid;
	u16 port_min; /* 0: any port */
	u16 port_max;
	u8 action;
	u8 prog_match;
	u8 proto;
	u8 dir;
	u8 family; /* E7_FAMILY_*: address present? */
	u8 prefix_len;
	u8 lifetime;
	bool has_uid;
	bool has_exe; /* bound to exe (exact-path rules only) */
	struct e7_exe_id exe;
	u8 addr[16]; /* masked to prefix_len */
};

/* A flow as the matcher sees it. */
struct e7_flow_key {
	const char *path; /* NULL: owner not identified */
	u32 path_len;
	u32 uid;
	u16 rport;
	u8 proto;
	u8 dir;
	u8 family; /* E7_FAMILY_V4 / E7_FAMILY_V6 */
	u8 raddr[16];
	struct e7_exe_id exe; /* zero: owner not identified */
};

/* Walks the directory prefixes ("/", "/usr/", "/usr/bin/") of a path. */
struct e7_prefix_iter {
	const char *path;
	u32 len;
	u32 pos;
	u32 hash;
};

u32 e7_path_hash(const char *s, u32 len);
void e7_prefix_iter_init(struct e7_prefix_iter *it, const char *path, u32 len);
bool e7_prefix_iter_next(struct e7_prefix_iter *it, u32 *plen, u32 *phash);

int e7_rule_normalize(struct e7_rule_spec *r, const char **why);
bool e7_rule_matches(const struct e7_rule_spec *r, const struct e7_flow_key *k);
u32 e7_rule_specificity(const struct e7_rule_spec *r);
bool e7_rule_beats(const struct e7_rule_spec *a, const struct e7_rule_spec *b);
bool e7_proto_matches(u8 rule_proto, u8 flow_proto);

#endif /* _E7_MATCH_H */
