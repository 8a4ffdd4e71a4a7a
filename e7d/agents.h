/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The registry of prompt agents (org.eftirlit7.Firewall1.Agent, the
 * applet or "e7ctl agent"): who registered for which uid, reached through a
 * typed proxy, followed on the bus and in logind.  It announces
 *
 *   "agent-gone" (E7Agent *agent): an agent left (or unregistered); it is
 *                still valid during the signal;
 *   "user-gone"  (guint uid):      the last agent of @uid left, so the
 *                user's session is over.
 */
#pragma once

#include "e7-dbus.h"

G_BEGIN_DECLS

#define E7_TYPE_AGENTS (e7_agents_get_type())
G_DECLARE_FINAL_TYPE(E7Agents, e7_agents, E7, AGENTS, GObject)

typedef struct _E7Agent E7Agent;

E7Agents *e7_agents_new(GDBusConnection *bus);

/* An agent at @path of bus name @sender (uid @uid, process @pid). */
gboolean e7_agents_register(E7Agents *self, const char *sender,
			    const char *path, guint32 uid, guint32 pid,
			    GError **error);
gboolean e7_agents_unregister(E7Agents *self, const char *sender,
			      const char *path, GError **error);
guint e7_agents_count(E7Agents *self);

/* The agent to ask for @uid: the most recently registered one whose logind
 * session is active, else the most recently registered one; or NULL. */
E7Agent *e7_agents_find(E7Agents *self, guint32 uid);

E7Firewall1Agent *e7_agent_get_proxy(E7Agent *agent);
const char *e7_agent_get_sender(E7Agent *agent);

G_END_DECLS
