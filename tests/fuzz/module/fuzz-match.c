/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer target for module/match.c: builds rules from the input, runs
 * them through e7_rule_normalize() (the kernel's check of untrusted rules)
 * and checks that the indexed lookup agrees with a linear scan.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "module/match.h"
#include "test-module-index.h"

struct cursor {
	const uint8_t *p;
	size_t n;
};

static uint8_t take8(struct cursor *c)
{
	uint8_t v = 0;

	if (c->n) {
		v = *c->p++;
		c->n--;
	}
	return v;
}

static uint16_t take16(struct cursor *c)
{
	return (uint16_t)(take8(c) << 8 | take8(c));
}

/* Paths come from a small alphabet so that prefixes and exact paths collide. */
static size_t take_path(struct cursor *c, char *buf, size_t size)
{
	static const char alphabet[] = "/ab/c";
	size_t len = take8(c) % 12, i;

	if (len >= size)
		len = size - 1;
	for (i = 0; i < len; i++)
		buf[i] = alphabet[take8(c) % (sizeof(alphabet) - 1)];
	buf[len] = '\0';
	return len;
}

static void take_rule(struct cursor *c, struct e7_rule_spec *r, char *path)
{
	size_t len;
	u32 i;

	memset(r, 0, sizeof(*r));
	r->action = take8(c) % 4;
	r->prog_match = take8(c) % 4;
	r->proto = take8(c);
	r->dir = take8(c) % 4;
	r->family = take8(c) % 8;
	r->prefix_len = take8(c);
	r->port_min = take16(c);
	r->port_max = take16(c);
	r->has_uid = take8(c) & 1;
	r->uid = take8(c) % 4;
	r->lifetime = take8(c) % 8;
	for (i = 0; i < 16; i++)
		r->addr[i] = take8(c);
	len = take_path(c, path, 16);
	if (len) {
		r->path = path;
		r->path_len = (u32)len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	struct e7_index *idx = e7_index_new();
	char path[16], fpath[16];
	unsigned int nrules = take8(&c) % 32, i;
	struct e7_flow_key k;

	for (i = 0; i < nrules && c.n; i++) {
		struct e7_rule_spec r;
		const char *why;

		take_rule(&c, &r, path);
		r.id = i + 1;
		if (e7_rule_normalize(&r, &why) == 0) {
			/* A normalized rule is self-consistent. */
			if (r.port_min > r.port_max ||
			    (r.path && r.path[0] != '/'))
				abort();
			e7_index_add(idx, &r);
		} else if (!why) {
			abort();
		}
	}
	memset(&k, 0, sizeof(k));
	k.path_len = (u32)take_path(&c, fpath, sizeof(fpath));
	k.path = k.path_len ? fpath : NULL;
	k.proto = take8(&c);
	k.dir = take8(&c) % 3;
	k.family = take8(&c) & 1 ? E7_FAMILY_V6 : E7_FAMILY_V4;
	k.rport = take16(&c);
	k.uid = take8(&c) % 4;
	for (i = 0; i < 16; i++)
		k.raddr[i] = take8(&c);
	if (e7_index_lookup(idx, &k) != e7_index_scan(idx, &k))
		abort();
	e7_index_free(idx);
	return 0;
}
