/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the libFuzzer targets of the e7d netlink decoders. */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl-decode.h"
#include "rule-text.h"
#include "rule-variant.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as the payload of a nested attribute of type @type, in a buffer
 * of exactly its size (reads past it are caught by ASan); NULL when too
 * large for an attribute. Free with free(). */
static inline struct nlattr *fuzz_nest(int type, const uint8_t *data,
				       size_t size)
{
	struct nlattr *nla;

	if (size > 0xffff - NLA_HDRLEN)
		return NULL;
	nla = malloc(NLA_HDRLEN + size);
	nla->nla_len = NLA_HDRLEN + size;
	nla->nla_type = type | NLA_F_NESTED;
	memcpy((char *)nla + NLA_HDRLEN, data, size);
	return nla;
}

/* Decoded strings must be valid UTF-8 (they go to D-Bus). */
static inline void fuzz_check_utf8(const char *s)
{
	if (s && !g_utf8_validate(s, -1, NULL))
		abort();
}
