// SPDX-License-Identifier: GPL-2.0-or-later
#include "event-watchers.h"

#include <glib/gi18n.h>

#include "e7-error.h"

typedef struct {
	E7EventWatchers *owner;
	char *name;
	E7EventReader reader;
	guint watch;
} Watcher;

struct _E7EventWatchers {
	GDBusConnection *bus;
	GHashTable *by_name; /* unique name -> Watcher */
};

static void watcher_free(gpointer p)
{
	Watcher *w = p;

	if (w->watch)
		g_bus_unwatch_name(w->watch);
	g_free(w->name);
	g_free(w);
}

E7EventWatchers *e7_event_watchers_new(GDBusConnection *bus)
{
	E7EventWatchers *self = g_new0(E7EventWatchers, 1);

	self->bus = g_object_ref(bus);
	self->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					      watcher_free);
	return self;
}

void e7_event_watchers_free(E7EventWatchers *self)
{
	if (!self)
		return;
	g_hash_table_unref(self->by_name);
	g_object_unref(self->bus);
	g_free(self);
}

static void on_name_vanished(GDBusConnection *bus, const char *name,
			     gpointer user_data)
{
	Watcher *w = user_data;

	g_debug("event watcher %s left the bus", w->name);
	g_hash_table_remove(w->owner->by_name, w->name);
}

gboolean e7_event_watchers_add(E7EventWatchers *self, const char *name,
			       const E7EventReader *reader, GError **error)
{
	Watcher *w = g_hash_table_lookup(self->by_name, name);

	if (w) {
		w->reader = *reader;
		return TRUE;
	}
	if (g_hash_table_size(self->by_name) >= E7_EVENT_WATCHERS_MAX) {
		g_set_error(error, E7_ERROR, E7_ERROR_LIMIT_EXCEEDED,
			    _("too many event watchers (at most %d)"),
			    E7_EVENT_WATCHERS_MAX);
		return FALSE;
	}
	w = g_new0(Watcher, 1);
	w->owner = self;
	w->name = g_strdup(name);
	w->reader = *reader;
	g_hash_table_insert(self->by_name, w->name, w);
	/* Called at once (from the main loop) if @name is already gone. */
	w->watch = g_bus_watch_name_on_connection(self->bus, name,
						  G_BUS_NAME_WATCHER_FLAGS_NONE,
						  NULL, on_name_vanished, w,
						  NULL);
	g_debug("event watcher %s for %s", name,
		reader->all_users ? "all users" : "its user");
	return TRUE;
}

guint e7_event_watchers_count(E7EventWatchers *self)
{
	return g_hash_table_size(self->by_name);
}

void e7_event_watchers_foreach(E7EventWatchers *self, GVariant *event,
			       E7EventWatcherFunc func, gpointer data)
{
	GHashTableIter iter;
	Watcher *w;

	g_hash_table_iter_init(&iter, self->by_name);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&w))
		if (e7_event_reader_may_see(&w->reader, event))
			func(w->name, data);
}
