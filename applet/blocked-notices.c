/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "blocked-notices.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rule-format.h"

/* A program blocked by a rule is notified at most once in this time. */
#define BLOCKED_NOTIFY_INTERVAL_US (60 * G_USEC_PER_SEC)

struct _E7BlockedNotices {
	GObject parent_instance;
	E7Notifier *notifier;
	E7FirewallClient *client;
	/* The program of the last notification */
	char *program;
	/* program -> gint64 monotonic time of its last notification */
	GHashTable *notified_at;
};

G_DEFINE_FINAL_TYPE(E7BlockedNotices, e7_blocked_notices, G_TYPE_OBJECT)

/* Whether the event is a rule blocking one of this user's programs. */
static gboolean blocked_by_rule(GVariant *event)
{
	guint32 uid = G_MAXUINT32;

	g_variant_lookup(event, "uid", "u", &uid);
	return g_strcmp0(e7_rule_get_string(event, "action"), "block") == 0 &&
	       g_strcmp0(e7_rule_get_string(event, "reason"), "rule") == 0 &&
	       e7_rule_get_string(event, "program") && uid == (guint32)getuid();
}

/* At most once a minute each: whether this program may be notified now. */
static gboolean due(E7BlockedNotices *self, const char *program)
{
	gint64 now = g_get_monotonic_time();
	gpointer last;

	if (g_hash_table_lookup_extended(self->notified_at, program, NULL,
					 &last) &&
	    now - *(gint64 *)last < BLOCKED_NOTIFY_INTERVAL_US)
		return FALSE;
	g_hash_table_insert(self->notified_at, g_strdup(program),
			    g_memdup2(&now, sizeof(now)));
	return TRUE;
}

static void connection_event(E7FirewallClient *client, GVariant *event,
			     E7BlockedNotices *self)
{
	const char *program = e7_rule_get_string(event, "program");
	g_autofree char *name = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *body = NULL;

	if (!blocked_by_rule(event) || !due(self, program))
		return;
	g_free(self->program);
	self->program = g_strdup(program);
	name = g_path_get_basename(program);
	summary = g_strdup_printf(_("%s was blocked"), name);
	body = e7_event_describe(event);
	e7_notifier_show(self->notifier, E7_NOTIFY_BLOCKED, summary, body,
			 _("Allow…"));
}

const char *e7_blocked_notices_get_program(E7BlockedNotices *self)
{
	return self->program;
}

static void e7_blocked_notices_dispose(GObject *object)
{
	E7BlockedNotices *self = E7_BLOCKED_NOTICES(object);

	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	g_clear_object(&self->notifier);
	G_OBJECT_CLASS(e7_blocked_notices_parent_class)->dispose(object);
}

static void e7_blocked_notices_finalize(GObject *object)
{
	E7BlockedNotices *self = E7_BLOCKED_NOTICES(object);

	g_free(self->program);
	g_hash_table_destroy(self->notified_at);
	G_OBJECT_CLASS(e7_blocked_notices_parent_class)->finalize(object);
}

static void e7_blocked_notices_class_init(E7BlockedNoticesClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = e7_blocked_notices_dispose;
	G_OBJECT_CLASS(klass)->finalize = e7_blocked_notices_finalize;
}

static void e7_blocked_notices_init(E7BlockedNotices *self)
{
	self->notified_at =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

E7BlockedNotices *e7_blocked_notices_new(E7Notifier *notifier,
					 E7FirewallClient *client)
{
	E7BlockedNotices *self = g_object_new(E7_TYPE_BLOCKED_NOTICES, NULL);

	self->notifier = g_object_ref(notifier);
	self->client = g_object_ref(client);
	g_signal_connect(client, "connection-event",
			 G_CALLBACK(connection_event), self);
	return self;
}
