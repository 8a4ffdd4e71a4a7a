/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Has the program behind a path changed since its rules were made?  A held
 * flow whose program has rules bound to another identity (a new file at
 * the path) is checked before anyone is asked: the same content (a copy,
 * a chmod) or a file the package database vouches for (an update) lets the
 * rules follow; anything else is another program, and the user decides.
 */
#pragma once

#include "kernel.h"
#include "rule-store.h"

G_BEGIN_DECLS

typedef enum {
	E7_PROGRAM_CHANGED, /* another program: someone decides */
	E7_PROGRAM_SAME_CONTENT, /* a new file, the rules' program's content */
	E7_PROGRAM_VOUCHED, /* what its package installed: an update */
} E7ProgramChange;

typedef struct {
	E7ProgramChange change;
	char *sha256; /* the new program's content, NULL if unreadable */
	char *old_sha256; /* what the rules were made for, NULL if unknown */
	char *package; /* E7_PROGRAM_VOUCHED: "name version" */
	GArray *rule_ids; /* guint64: the rules bound to another program */
} E7ProgramCheck;

E7ProgramCheck *e7_program_check_copy(const E7ProgramCheck *check);
void e7_program_check_free(E7ProgramCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7ProgramCheck, e7_program_check_free)

/* The rules of @flow's program (exact path, its uid or any) that are bound
 * to another program identity; NULL when there are none. */
GArray *e7_program_rules_elsewhere(E7RuleStore *store, const E7Flow *flow);

/* Reads the flow's program (its /proc/PID/exe, else its path) and the
 * package database, in a thread.  Takes @rule_ids. */
void e7_program_check_async(E7RuleStore *store, const E7Flow *flow,
			    GArray *rule_ids, GCancellable *cancel,
			    GAsyncReadyCallback callback, gpointer user_data);
E7ProgramCheck *e7_program_check_finish(GAsyncResult *res, GError **error);

/* The action of @check's rules when they all agree, else E7_ACTION_NONE. */
E7Action e7_program_check_action(E7RuleStore *store,
				 const E7ProgramCheck *check);

/* Lets @check's rules follow the flow's program (its identity and
 * content), through the store. */
void e7_program_check_rebind(E7RuleStore *store, const E7ProgramCheck *check,
			     const E7Flow *flow);

G_END_DECLS
