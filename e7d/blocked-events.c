// SPDX-License-Identifier: GPL-2.0-or-later
#include "blocked-events.h"

#include <glib/gi18n.h>

#include "e7-error.h"

struct _E7BlockedEvents {
	E7EventLog *log;
	char *path;
	guint interval;
	GQueue events; /* of GVariant a{sv}, oldest first */
	guint write_source;
};

static guint capacity(E7BlockedEvents *self)
{
	return MIN(e7_event_log_get_size(self->log), E7_BLOCKED_EVENTS_MAX);
}

static void keep(E7BlockedEvents *self, GVariant *event)
{
	g_queue_push_tail(&self->events, g_variant_ref(event));
	while (self->events.length > capacity(self))
		g_variant_unref(g_queue_pop_head(&self->events));
}

static gboolean is_block(GVariant *event)
{
	const char *action = NULL;
	guint64 id, time;

	return g_variant_lookup(event, "id", "t", &id) &&
	       g_variant_lookup(event, "time", "t", &time) &&
	       g_variant_lookup(event, "action", "&s", &action) &&
	       g_str_equal(action, "block");
}

static void write_file(E7BlockedEvents *self)
{
	g_autofree GVariant **items = g_new(GVariant *, self->events.length);
	g_autoptr(GVariant) all = NULL;
	g_autoptr(GError) error = NULL;
	guint n = 0;

	for (GList *l = self->events.head; l; l = l->next)
		items[n++] = l->data;
	all = g_variant_ref_sink(
		g_variant_new_array(G_VARIANT_TYPE_VARDICT, items, n));
	if (!g_file_set_contents_full(self->path, g_variant_get_data(all),
				      g_variant_get_size(all),
				      G_FILE_SET_CONTENTS_CONSISTENT, 0600,
				      &error))
		g_warning(_("cannot keep blocked connections in %s: %s"),
			  self->path, error->message);
}

static gboolean on_write_due(gpointer data)
{
	E7BlockedEvents *self = data;

	self->write_source = 0;
	write_file(self);
	return G_SOURCE_REMOVE;
}

static void on_event(E7EventLog *log, GVariant *event, gpointer data)
{
	E7BlockedEvents *self = data;

	if (!is_block(event))
		return;
	keep(self, event);
	if (!self->write_source)
		self->write_source = g_timeout_add(self->interval * 1000,
						   on_write_due, self);
}

/* The events of the file, oldest first (a damaged file: none). */
static GVariant *read_file(const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, &error);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GVariant) raw = NULL;
	GVariant *normal;

	if (!map) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_warning("%s: %s", path, error->message);
		return NULL;
	}
	bytes = g_mapped_file_get_bytes(map);
	raw = g_variant_ref_sink(g_variant_new_from_bytes(
		G_VARIANT_TYPE("aa{sv}"), bytes, FALSE));
	/* A copy in normal form: what a damaged file holds can be read
	 * safely, and no longer needs the mapping. */
	normal = g_variant_get_normal_form(raw);
	if (!g_variant_n_children(normal) && g_bytes_get_size(bytes))
		g_warning(_("%s is damaged: no blocked connection restored"),
			  path);
	return normal;
}

static void restore(E7BlockedEvents *self)
{
	g_autoptr(GVariant) all = read_file(self->path);
	g_autoptr(GPtrArray) good =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	guint bad = 0;
	gsize n;

	if (!all)
		return;
	n = g_variant_n_children(all);
	for (gsize i = 0; i < n; i++) {
		GVariant *event = g_variant_get_child_value(all, i);

		if (is_block(event)) {
			g_ptr_array_add(good, event);
			keep(self, event);
		} else {
			bad++;
			g_variant_unref(event);
		}
	}
	if (bad)
		g_warning(
			_("%s: skipped what is not a blocked connection: %u entries"),
			self->path, bad);
	e7_event_log_restore(self->log, good);
}

E7BlockedEvents *e7_blocked_events_new(E7EventLog *log, const char *path,
				       guint interval)
{
	E7BlockedEvents *self = g_new0(E7BlockedEvents, 1);

	self->log = g_object_ref(log);
	self->path = g_strdup(path);
	self->interval = MAX(interval, 1);
	g_queue_init(&self->events);
	restore(self);
	g_signal_connect(log, "event", G_CALLBACK(on_event), self);
	return self;
}

void e7_blocked_events_free(E7BlockedEvents *self)
{
	if (!self)
		return;
	g_signal_handlers_disconnect_by_data(self->log, self);
	if (self->write_source) {
		g_source_remove(self->write_source);
		write_file(self);
	}
	g_queue_clear_full(&self->events, (GDestroyNotify)g_variant_unref);
	g_object_unref(self->log);
	g_free(self->path);
	g_free(self);
}
