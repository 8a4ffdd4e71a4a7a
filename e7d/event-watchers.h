/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who receives the ConnectionEvent signal: the bus names that asked
 * (WatchEvents), each with what it may see (E7EventReader).  The signal is
 * sent to each of them alone, never broadcast: a user learns nothing of
 * another user's connections.  A watcher stays until it leaves the bus;
 * there are at most E7_EVENT_WATCHERS_MAX.
 */
#pragma once

#include "event-log.h"

G_BEGIN_DECLS

#define E7_EVENT_WATCHERS_MAX 256

typedef struct _E7EventWatchers E7EventWatchers;

E7EventWatchers *e7_event_watchers_new(GDBusConnection *bus);
void e7_event_watchers_free(E7EventWatchers *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7EventWatchers, e7_event_watchers_free)

/* Adds bus name @name as a watcher, or changes what it may see; fails with
 * E7_ERROR_LIMIT_EXCEEDED when there are too many. */
gboolean e7_event_watchers_add(E7EventWatchers *self, const char *name,
			       const E7EventReader *reader, GError **error);
guint e7_event_watchers_count(E7EventWatchers *self);

typedef void (*E7EventWatcherFunc)(const char *name, gpointer data);
/* Calls @func with the name of each watcher that may see @event. */
void e7_event_watchers_foreach(E7EventWatchers *self, GVariant *event,
			       E7EventWatcherFunc func, gpointer data);

G_END_DECLS
