/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Prompt agents (org.eftirlit7.Firewall1.Agent): registration by uid, and
 * the routing of held flows to them. Prompts for one program of one uid are
 * coalesced; prompts of different programs are open at the same time.
 */
#pragma once

#include "daemon.h"

G_BEGIN_DECLS

typedef struct _E7Agents E7Agents;

typedef struct {
	guint64 prompts; /* Ask calls made */
	guint64 answered; /* prompts answered by an agent */
	guint64 no_agent; /* flows decided by the no-agent policy */
	guint64 timeouts; /* prompts decided by the default answer */
	guint64 agent_gone; /* prompts decided by the agent-gone policy */
} E7AgentStats;

E7Agents *e7_agents_new(E7Daemon *daemon);
void e7_agents_free(E7Agents *agents);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Agents, e7_agents_free)

gboolean e7_agents_register(E7Agents *agents, const char *sender,
			    const char *path, guint32 uid, GError **error);
gboolean e7_agents_unregister(E7Agents *agents, const char *sender,
			      const char *path, GError **error);
guint e7_agents_count(E7Agents *agents);
guint e7_agents_pending(E7Agents *agents);
const E7AgentStats *e7_agents_get_stats(E7Agents *agents);

/* A held flow: ask an agent of the flow's uid, or apply a policy. Flows
 * already known (a resync) are ignored. */
void e7_agents_handle_flow(E7Agents *agents, const E7Flow *flow);
/* The kernel resolved a held flow on its own (timeout, mode change...). */
void e7_agents_flow_resolved(E7Agents *agents, guint64 flow_id);
/* The module went away: every open prompt is withdrawn. */
void e7_agents_cancel_all(E7Agents *agents);

G_END_DECLS
