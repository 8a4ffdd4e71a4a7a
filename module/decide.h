/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_DECIDE_H
#define _E7_DECIDE_H

#include "flows.h"
#include "proto.h"

#include <linux/eftirlit7.h>

/* A final verdict, not a held flow or an owner-only cache entry. */
static inline bool e7_verdict_final(u8 verdict)
{
	return verdict == E7_ACTION_ALLOW || verdict == E7_ACTION_BLOCK;
}

/*
 * Decides a flow whose owner is known (c->prog may be NULL when it could
 * not be identified): fills c and returns its action, or
 * E7_VERDICT_PENDING when the user has to be asked.  Under RCU.
 */
u8 e7_decide_flow(const struct e7_tuple *t, struct e7_cached *c);
/* The verdict for a user socket's packet that could not be parsed. */
u8 e7_decide_unparsed(const struct e7_tuple *t, const struct e7_cached *c);

#endif /* _E7_DECIDE_H */
