// SPDX-License-Identifier: GPL-2.0
/*
 * The decision for a flow whose owner is known: a rule, else the mode,
 * else a "nobody decided" policy, else the user is asked.  Used by the
 * hooks for new flows and by hold.c when a held flow's owner is found.
 */
#include "decide.h"
#include "config.h"
#include "events.h"
#include "rules.h"
#include "stats.h"

static void e7_flow_key_from(struct e7_flow_key *k, const struct e7_tuple *t,
			     const struct e7_cached *c)
{
	memset(k, 0, sizeof(*k));
	if (c->prog) {
		k->path = c->prog->path;
		k->path_len = c->prog->len;
		k->exe.dev = c->prog->dev;
		k->exe.ino = c->prog->ino;
		k->exe.ctime_ns = c->prog->ctime_ns;
	}
	k->uid = c->uid;
	/* Rules name the service port: remote for out, local for in. */
	k->rport = t->dir == E7_DIR_IN ? t->lport : t->rport;
	k->proto = t->proto;
	k->dir = t->dir;
	k->family = t->family == AF_INET ? E7_FAMILY_V4 : E7_FAMILY_V6;
	memcpy(k->raddr, &t->raddr, sizeof(k->raddr));
}

/* Applies a "nobody decided" policy and counts it. */
static void e7_apply_policy(struct e7_cached *c, enum e7_policy_case pc,
			    u8 reason, enum e7_stat st)
{
	c->verdict = e7_policy(pc);
	c->reason = reason;
	e7_stat_inc(st);
}

/*
 * A flow decided for itself (a VERDICT such as "allow once", or the
 * nodaemon, timeout or overflow policy) keeps that decision when the
 * ruleset changes under it, unless a rule now covers it: its next packet is
 * never held mid-stream and the user is not asked twice.
 */
static bool e7_decided_for_itself(const struct e7_cached *c)
{
	if (!e7_verdict_final(c->verdict))
		return false;
	return c->reason == E7_REASON_VERDICT ||
	       c->reason == E7_REASON_NODAEMON ||
	       c->reason == E7_REASON_TIMEOUT ||
	       c->reason == E7_REASON_OVERFLOW;
}

/*
 * Decides a flow whose owner is known (c->prog may be NULL when it could
 * not be identified): fills c and returns its action, or
 * E7_VERDICT_PENDING when the user has to be asked.  Under RCU.
 */
u8 e7_decide_flow(const struct e7_tuple *t, struct e7_cached *c)
{
	struct e7_flow_key k;
	struct e7_match m;
	u8 mode = e7_mode();

	c->gen = e7_generation();
	c->rule_id = 0;
	c->dir = t->dir;
	e7_flow_key_from(&k, t, c);
	if (e7_rules_lookup(&k, &m)) {
		c->verdict = m.action;
		c->reason = E7_REASON_RULE;
		c->rule_id = m.rule_id;
	} else if (mode == E7_MODE_ALLOW_UNKNOWN) {
		c->verdict = E7_ACTION_ALLOW;
		c->reason = E7_REASON_MODE;
	} else if (mode == E7_MODE_DENY_UNKNOWN || mode == E7_MODE_BLOCK_ALL) {
		c->verdict = E7_ACTION_BLOCK;
		c->reason = E7_REASON_MODE;
	} else if (mode == E7_MODE_DISABLED) {
		c->verdict = E7_ACTION_ALLOW;
		c->reason = E7_REASON_MODE;
	} else if (!c->prog) {
		e7_apply_policy(c, E7_POL_UNIDENTIFIED, E7_REASON_UNIDENTIFIED,
				E7_ST_UNIDENTIFIED);
	} else if (e7_decided_for_itself(c)) {
		/* c->verdict and c->reason stay. */
	} else if (!e7_events_listening()) {
		e7_apply_policy(c, E7_POL_NODAEMON, E7_REASON_NODAEMON,
				E7_ST_NODAEMON);
	} else {
		return E7_VERDICT_PENDING;
	}
	return c->verdict;
}

/*
 * A packet of a user socket that could not be parsed: decided by its
 * owner's rules that need no ports (t has none), else by the mode, else
 * by the "protocol not parsed" policy.  Never held: nobody is asked about
 * a packet whose destination is not known.
 */
u8 e7_decide_unparsed(const struct e7_tuple *t, const struct e7_cached *c)
{
	struct e7_flow_key k;
	struct e7_match m;
	u8 mode = e7_mode();

	e7_flow_key_from(&k, t, c);
	if (e7_rules_lookup(&k, &m))
		return m.action;
	if (mode == E7_MODE_ALLOW_UNKNOWN || mode == E7_MODE_DISABLED)
		return E7_ACTION_ALLOW;
	if (mode == E7_MODE_DENY_UNKNOWN || mode == E7_MODE_BLOCK_ALL)
		return E7_ACTION_BLOCK;
	return e7_policy(E7_POL_UNPARSED);
}
