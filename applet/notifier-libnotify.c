/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "notifier-libnotify.h"

#include <libnotify/notify.h>

struct _E7Libnotify {
	GObject parent_instance;
	GHashTable *shown; /* tag -> NotifyNotification */
	gboolean checked_caps;
	gboolean has_actions;
};

static void e7_libnotify_iface_init(E7NotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(E7Libnotify, e7_libnotify, G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(E7_TYPE_NOTIFIER,
						    e7_libnotify_iface_init))

static gboolean server_has_actions(E7Libnotify *self)
{
	GList *caps;

	if (self->checked_caps)
		return self->has_actions;
	caps = notify_get_server_caps();
	/* No server answered: ask again next time, there may be one by then. */
	if (!caps)
		return FALSE;
	self->checked_caps = TRUE;
	self->has_actions = g_list_find_custom(caps, "actions",
					       (GCompareFunc)g_strcmp0) != NULL;
	g_list_free_full(caps, g_free);
	return self->has_actions;
}

static void action_cb(NotifyNotification *n, char *action, gpointer data)
{
	E7Libnotify *self = data;
	const char *tag = g_object_get_data(G_OBJECT(n), "e7-tag");

	e7_notifier_emit_action(E7_NOTIFIER(self), tag);
}

static void closed_cb(NotifyNotification *n, E7Libnotify *self)
{
	const char *tag = g_object_get_data(G_OBJECT(n), "e7-tag");

	if (g_hash_table_lookup(self->shown, tag) == n)
		g_hash_table_remove(self->shown, tag);
}

static void lib_show(E7Notifier *notifier, const char *tag, const char *summary,
		     const char *body, const char *action_label)
{
	E7Libnotify *self = E7_LIBNOTIFY(notifier);
	NotifyNotification *n = g_hash_table_lookup(self->shown, tag);
	g_autoptr(GError) error = NULL;

	if (n) {
		notify_notification_update(n, summary, body, "e7-applet");
		notify_notification_clear_actions(n);
	} else {
		n = notify_notification_new(summary, body, "e7-applet");
		g_object_set_data_full(G_OBJECT(n), "e7-tag", g_strdup(tag),
				       g_free);
		g_signal_connect_object(n, "closed", G_CALLBACK(closed_cb),
					self, 0);
		g_hash_table_insert(self->shown, g_strdup(tag), n);
	}
	notify_notification_set_app_name(n, "e7-applet");
	if (action_label && server_has_actions(self))
		notify_notification_add_action(n, "default", action_label,
					       action_cb, self, NULL);
	if (!notify_notification_show(n, &error))
		g_message("cannot show a notification: %s", error->message);
}

static void lib_withdraw(E7Notifier *notifier, const char *tag)
{
	E7Libnotify *self = E7_LIBNOTIFY(notifier);
	NotifyNotification *n = g_hash_table_lookup(self->shown, tag);

	if (n) {
		g_autoptr(GError) error = NULL;

		if (!notify_notification_close(n, &error))
			g_debug("cannot close a notification: %s",
				error->message);
		g_hash_table_remove(self->shown, tag);
	}
}

static void e7_libnotify_iface_init(E7NotifierInterface *iface)
{
	iface->show = lib_show;
	iface->withdraw = lib_withdraw;
}

static void e7_libnotify_finalize(GObject *object)
{
	E7Libnotify *self = E7_LIBNOTIFY(object);

	g_hash_table_destroy(self->shown);
	G_OBJECT_CLASS(e7_libnotify_parent_class)->finalize(object);
}

static void e7_libnotify_class_init(E7LibnotifyClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_libnotify_finalize;
}

static void e7_libnotify_init(E7Libnotify *self)
{
	self->shown = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    g_object_unref);
}

E7Notifier *e7_libnotify_new(const char *app_name)
{
	if (!notify_is_initted())
		notify_init(app_name);
	return g_object_new(E7_TYPE_LIBNOTIFY, NULL);
}
