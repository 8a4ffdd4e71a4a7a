/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prompts: each held flow goes to an agent of its uid, or to a policy when
 * there is none.  Prompts for one program of one uid are coalesced; those
 * of different programs are open at the same time.  An answer becomes a
 * verdict for every flow of the prompt, and, unless "once", a rule that
 * travels to the kernel inside the first verdict.
 */
#pragma once

#include "agents.h"
#include "conf.h"
#include "event-log.h"
#include "kernel.h"
#include "program-check.h"
#include "rule-lifetimes.h"
#include "rule-store.h"

G_BEGIN_DECLS

typedef struct _E7Prompts E7Prompts;

typedef struct {
	guint64 prompts; /* Ask calls made */
	guint64 answered; /* prompts answered by an agent */
	guint64 no_agent; /* flows decided by the no-agent policy */
	guint64 timeouts; /* prompts decided by the default answer */
	guint64 agent_gone; /* prompts decided by the agent-gone policy */
} E7PromptStats;

/* None of the arguments is owned; all outlive the prompts.  @kernel may be
 * NULL (no module: nothing is ever held). */
E7Prompts *e7_prompts_new(E7Kernel *kernel, E7Agents *agents,
			  E7RuleStore *store, E7RuleLifetimes *lifetimes,
			  E7EventLog *log, const E7Config *config,
			  GCancellable *cancel);
void e7_prompts_free(E7Prompts *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Prompts, e7_prompts_free)

/* A held flow: ask an agent of the flow's uid, or apply a policy.  Flows
 * already known (a resync) are ignored.  With @change, the program changed
 * since its rules were made (program-gate.c): the prompt says so, and an
 * answer of their action lets them follow the new program. */
void e7_prompts_handle_flow(E7Prompts *self, const E7Flow *flow,
			    const E7ProgramCheck *change);
/* The kernel resolved a held flow on its own (timeout, mode change...). */
void e7_prompts_flow_resolved(E7Prompts *self, guint64 flow_id);
/* The module went away: every open prompt is withdrawn. */
void e7_prompts_cancel_all(E7Prompts *self);

guint e7_prompts_pending(E7Prompts *self);
const E7PromptStats *e7_prompts_get_stats(E7Prompts *self);

G_END_DECLS
