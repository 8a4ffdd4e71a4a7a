/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The prompts: each Ask() the agent receives joins the queue and its page in
 * the prompt window, and each answer (or dismissal) goes back to the agent.
 * The user hears of a prompt the window could not bring to the front, and of
 * one nobody answered in time.
 */
#pragma once

#include <gtk/gtk.h>

#include "agent.h"
#include "firewall-client.h"
#include "notifier.h"

G_BEGIN_DECLS

#define E7_TYPE_PROMPTS (e7_prompts_get_type())
G_DECLARE_FINAL_TYPE(E7Prompts, e7_prompts, E7, PROMPTS, GObject)

/*
 * Signal "changed": the number of programs waiting for an answer changed
 * (see e7_prompts_get_n_waiting()).
 *
 * The prompt window belongs to app. A moment after the start the prompts
 * prepare what the first prompt needs, so that it shows at once.
 */
E7Prompts *e7_prompts_new(GtkApplication *app, E7Agent *agent,
			  E7Notifier *notifier);
/* e7d, to tell its timeout from its leaving; NULL before the bus is up. */
void e7_prompts_set_client(E7Prompts *self, E7FirewallClient *client);
/* Programs waiting for an answer (one page each). */
guint e7_prompts_get_n_waiting(E7Prompts *self);
/* Bring the prompt window to the front, if a program is waiting. */
void e7_prompts_present(E7Prompts *self);

G_END_DECLS
