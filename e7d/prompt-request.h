/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What goes to a prompt agent and what comes back
 * (org.eftirlit7.Firewall1.Agent.Ask): the request a{sv} for a held flow,
 * and the rule an answer asks for.
 */
#pragma once

#include "conf.h"
#include "kernel.h"
#include "program-check.h"

G_BEGIN_DECLS

/* The Ask request for @flow, prompt @prompt_id; @change (may be NULL):
 * the program changed since its rules were made. */
GVariant *e7_prompt_request_new(guint64 prompt_id, const E7Flow *flow,
				const E7Config *config,
				const E7ProgramCheck *change);

/* Reads an answer: its action, and the rule it asks for (NULL for "once",
 * with @error unset).  @watch_process is set for "until the program
 * exits" rules.  Errors are E7_ERROR_INVALID_ARGS. */
gboolean e7_prompt_answer_parse(GVariant *answer, const E7Flow *flow,
				E7Action *action, E7Rule **rule,
				gboolean *watch_process, GError **error);

G_END_DECLS
