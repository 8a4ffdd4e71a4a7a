/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The audit trail: one structured journal line for each change to what the
 * firewall enforces (rules, mode, settings), each prompt answer, each
 * policy decision for a held flow and each program change.  Every kind has
 * its MESSAGE_ID, explained in data/eftirlit7.catalog ("journalctl -x"),
 * and its fields start with EFTIRLIT_ (EFTIRLIT_RULE_ID, EFTIRLIT_RULE,
 * EFTIRLIT_CALLER_UID...): no digits, which catalog entries could not name.
 */
#pragma once

#include "auth.h"
#include "kernel.h"
#include "rule.h"

G_BEGIN_DECLS

#define E7_AUDIT_RULE_ADDED "eeb1f0501137436f8a166ca88d6d4106"
#define E7_AUDIT_RULE_CHANGED "0cfdc9addffa4a51abf9205034e1b210"
#define E7_AUDIT_RULE_REMOVED "0b1f94b367b041b5ac50c89a92575733"
#define E7_AUDIT_SETTING "239dd5f7dfd140a8991b5a204f83e04d"
#define E7_AUDIT_ANSWER "a8256a1ee05a495aae7e6b4ca1b79e88"
#define E7_AUDIT_POLICY "83f92b6078034281b8cd52729e902fe1"
#define E7_AUDIT_PROGRAM "feca103972a1466bb3c66c4a7b9fc336"

/* @message_id: E7_AUDIT_RULE_ADDED, _CHANGED or _REMOVED. */
void e7_audit_rule(const char *message_id, const E7Rule *rule,
		   const E7Caller *caller);
/* Rules removed by a filter ("e7ctl clear ..."). */
void e7_audit_rules_cleared(guint count, const char *filter,
			    const E7Caller *caller);
/* The mode, a flag or a policy, set to @value. */
void e7_audit_setting(const char *name, const char *value,
		      const E7Caller *caller);
/* The agent of @flow's user answered its prompt (@rule_id: the rule the
 * answer made or followed, or 0). */
void e7_audit_answer(const E7Flow *flow, E7Action action, guint64 rule_id);
/* A held flow decided by a policy (no agent, timeout, agent gone...). */
void e7_audit_policy(const char *reason, E7Action action, const E7Flow *flow);

G_END_DECLS
