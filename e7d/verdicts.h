/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Verdicts for held flows: sent to the kernel in a kernel job (after every
 * job submitted before it, so after the rules added before), and logged as
 * events once the kernel took them.
 */
#pragma once

#include "event-log.h"
#include "kernel.h"
#include "rule-store.h"

G_BEGIN_DECLS

/* Decides @flow with @action; logged with @kind and @reason.  A flow no
 * longer held (the kernel decided it meanwhile) is not logged. */
void e7_verdict_send(E7Kernel *kernel, E7EventLog *log, GCancellable *cancel,
		     const E7Flow *flow, E7Action action, const char *kind,
		     const char *reason, guint64 rule_id);

/* Decides @flow with @action and adds @rule (taken) to the store, in one
 * kernel message (logged as a prompt answer).  Returns the rule's id, or 0
 * with @error when the store refused it (nothing was sent).  Should the
 * kernel refuse the rule, the flow is decided without it. */
guint64 e7_verdict_send_with_rule(E7Kernel *kernel, E7RuleStore *store,
				  E7EventLog *log, const E7Flow *flow,
				  E7Action action, E7Rule *rule,
				  GError **error);

G_END_DECLS
