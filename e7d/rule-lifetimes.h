/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ends of temporary rules that only e7d can see: a rule "until the
 * program exits" ends with its process (a pidfd), a rule "until logout"
 * when the user's last agent leaves.  (The kernel ends "once" and "for N
 * seconds" rules itself.)
 */
#pragma once

#include "agents.h"
#include "rule-store.h"

G_BEGIN_DECLS

typedef struct _E7RuleLifetimes E7RuleLifetimes;

/* Follows @agents ("user-gone") for logout rules; @store outlives it. */
E7RuleLifetimes *e7_rule_lifetimes_new(E7RuleStore *store, E7Agents *agents);
void e7_rule_lifetimes_free(E7RuleLifetimes *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7RuleLifetimes, e7_rule_lifetimes_free)

/* Ends rule @rule_id when process @pid exits (at once if it is gone). */
void e7_rule_lifetimes_watch_process(E7RuleLifetimes *self, guint64 rule_id,
				     guint32 pid);

G_END_DECLS
