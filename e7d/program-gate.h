/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gate held flows pass on their way to prompts: a flow whose program
 * has rules bound to another program at the same path (a replaced file)
 * waits while program-check.c reads it.  The same content or a package
 * update lets the rules follow the new file, and the flow is decided by
 * them, without asking; another program goes on to prompts as "changed".
 * Both are logged in the journal.
 */
#pragma once

#include "event-log.h"
#include "kernel.h"
#include "prompts.h"
#include "rule-store.h"

G_BEGIN_DECLS

typedef struct _E7ProgramGate E7ProgramGate;

/* None of the arguments is owned; all outlive the gate. */
E7ProgramGate *e7_program_gate_new(E7Kernel *kernel, E7RuleStore *store,
				   E7Prompts *prompts, E7EventLog *log,
				   GCancellable *cancel);
void e7_program_gate_free(E7ProgramGate *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7ProgramGate, e7_program_gate_free)

/* A held flow: checked first when its program changed, else passed on. */
void e7_program_gate_handle_flow(E7ProgramGate *self, const E7Flow *flow);
/* The kernel decided a held flow on its own. */
void e7_program_gate_flow_resolved(E7ProgramGate *self, guint64 flow_id);

G_END_DECLS
