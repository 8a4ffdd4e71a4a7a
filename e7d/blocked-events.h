/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Blocked new flows kept across restarts of e7d: the newest "block" events
 * of the event log, at most E7_BLOCKED_EVENTS_MAX (and the log's size), in
 * /var/lib/eftirlit7/blocked-events beside e7d's rules file: a GVariant
 * aa{sv}, readable by root only (the events name every user's programs and
 * hosts).  The file is written at most once every @interval seconds while
 * blocks come in (a flood costs one write per interval), and when e7d
 * stops; e7d reads it back into the event log when it starts.
 */
#pragma once

#include "event-log.h"

G_BEGIN_DECLS

#define E7_BLOCKED_EVENTS_MAX 2000
#define E7_BLOCKED_EVENTS_INTERVAL 5 /* seconds */

typedef struct _E7BlockedEvents E7BlockedEvents;

/* Restores the events of @path into @log (a missing file: none; a damaged
 * one: a warning) and follows @log from now on. */
E7BlockedEvents *e7_blocked_events_new(E7EventLog *log, const char *path,
				       guint interval);
/* Writes what is pending. */
void e7_blocked_events_free(E7BlockedEvents *self);

G_END_DECLS
