/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection event log: what became of flows (a rule's verdict, a
 * prompt's answer, a policy), kept in a bounded ring for GetEvents and
 * announced with the "event" signal (a GVariant a{sv}) as it happens.
 * Policy decisions also go to the journal.
 */
#pragma once

#include "kernel.h"

G_BEGIN_DECLS

#define E7_TYPE_EVENT_LOG (e7_event_log_get_type())
G_DECLARE_FINAL_TYPE(E7EventLog, e7_event_log, E7, EVENT_LOG, GObject)

E7EventLog *e7_event_log_new(guint size);
/* Keeps at most @size events (0: none, only the signal). */
void e7_event_log_set_size(E7EventLog *self, guint size);
guint e7_event_log_get_size(E7EventLog *self);
/* Puts @events (of GVariant a{sv}, oldest first, from before a restart of
 * e7d: blocked-events.h) before the events of this run, keeping their ids;
 * the ids of new events follow theirs.  No signal. */
void e7_event_log_restore(E7EventLog *self, GPtrArray *events);

/* Logs what became of @flow (may be NULL): @kind is "verdict", "prompt" or
 * "policy", @reason a short word (rule, agent, no-agent, timeout...). */
void e7_event_log_add(E7EventLog *self, const char *kind, E7Action action,
		      const char *reason, const E7Flow *flow, guint64 rule_id);
/*
 * Who reads events: a user reads those of their own processes ("uid"), a
 * reader entitled to everyone's (org.eftirlit7.firewall.info.all-users)
 * reads all of them, including events that name no process.
 */
typedef struct {
	guint32 uid;
	gboolean all_users;
} E7EventReader;

gboolean e7_event_reader_may_see(const E7EventReader *reader, GVariant *event);

/* The newest @max events with an id above @since that @reader may see,
 * oldest first (aa{sv}). */
GVariant *e7_event_log_query(E7EventLog *self, guint64 since, guint32 max,
			     const E7EventReader *reader);

G_END_DECLS
