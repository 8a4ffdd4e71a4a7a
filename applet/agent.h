/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The org.eftirlit7.Firewall1.Agent object that e7d calls to ask the user. */
#pragma once

#include <gio/gio.h>

#include "request.h"

G_BEGIN_DECLS

#define E7_AGENT_OBJECT_PATH "/org/eftirlit7/Applet/Agent"
/* More pending prompts than this are refused: no storm of pages. */
#define E7_AGENT_MAX_PENDING 64

#define E7_TYPE_AGENT (e7_agent_get_type())
G_DECLARE_FINAL_TYPE(E7Agent, e7_agent, E7, AGENT, GObject)

/*
 * Signals:
 *   "request" (E7Request *request): a new Ask() call to show; the agent keeps
 *       the call open until e7_agent_answer() or e7_agent_dismiss().
 *   "cancelled" (guint64 id): the daemon (or a vanished daemon) withdrew it.
 */
E7Agent *e7_agent_new(void);
gboolean e7_agent_export(E7Agent *agent, GDBusConnection *connection,
			 const char *path, GError **error);
void e7_agent_unexport(E7Agent *agent);

/*
 * Only calls from this unique bus name (the daemon) are accepted; NULL
 * refuses every call. With check_sender FALSE (test mode on the session bus)
 * every caller is accepted.
 */
void e7_agent_set_trusted_sender(E7Agent *agent, const char *unique_name);
void e7_agent_set_check_sender(E7Agent *agent, gboolean check_sender);

gboolean e7_agent_answer(E7Agent *agent, guint64 id, const E7Answer *answer);
/* The user closed the prompt: the call fails with Error.Cancelled. */
gboolean e7_agent_dismiss(E7Agent *agent, guint64 id);
/* Withdraw everything (the daemon went away); emits "cancelled" for each. */
void e7_agent_cancel_all(E7Agent *agent);
guint e7_agent_get_n_pending(E7Agent *agent);

G_END_DECLS
