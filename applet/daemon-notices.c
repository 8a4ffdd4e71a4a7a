/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon-notices.h"

#include <glib/gi18n.h>

/* How long e7d may be away before the user is told. */
#define ABSENT_GRACE_S 5

struct _E7DaemonNotices {
	GObject parent_instance;
	E7Notifier *notifier;
	E7FirewallClient *client;
	E7DaemonState last_state;
	gboolean kernel_warned;
	guint absent_id;
};

G_DEFINE_FINAL_TYPE(E7DaemonNotices, e7_daemon_notices, G_TYPE_OBJECT)

static void check_kernel(E7DaemonNotices *self)
{
	gboolean loaded;

	if (!e7_firewall_client_get_kernel_connected(self->client, &loaded))
		return;
	if (!loaded && !self->kernel_warned) {
		e7_notifier_show(
			self->notifier, E7_NOTIFY_DAEMON,
			_("The firewall kernel module is not loaded"),
			_("The firewall daemon runs, but the eftirlit7 module is missing, "
			  "so no connection is filtered."),
			NULL);
	} else if (loaded && self->kernel_warned) {
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_DAEMON);
	}
	self->kernel_warned = !loaded;
}

static gboolean absent_timeout(gpointer data)
{
	E7DaemonNotices *self = data;

	self->absent_id = 0;
	if (e7_firewall_client_get_state(self->client) == E7_DAEMON_ABSENT)
		e7_notifier_show(
			self->notifier, E7_NOTIFY_DAEMON,
			_("The firewall is not running"),
			_("The firewall daemon e7d is not on the system bus, so nobody "
			  "asks you about programs that connect."),
			NULL);
	return G_SOURCE_REMOVE;
}

static void refused(E7DaemonNotices *self)
{
	g_autofree char *body = g_strdup_printf(
		_("The firewall daemon refused the prompt agent: %s"),
		e7_firewall_client_get_error(self->client)->message);

	e7_notifier_show(self->notifier, E7_NOTIFY_DAEMON,
			 _("Firewall prompts are not available"), body, NULL);
}

static void state_changed(E7FirewallClient *client, E7DaemonNotices *self)
{
	E7DaemonState state = e7_firewall_client_get_state(client);

	if (state == self->last_state)
		return;
	self->last_state = state;
	switch (state) {
	case E7_DAEMON_ABSENT:
		/* At login or on restart e7d may take a moment: wait first. */
		g_clear_handle_id(&self->absent_id, g_source_remove);
		self->absent_id = g_timeout_add_seconds(ABSENT_GRACE_S,
							absent_timeout, self);
		break;
	case E7_DAEMON_FAILED:
		refused(self);
		break;
	case E7_DAEMON_REGISTERED:
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_DAEMON);
		self->kernel_warned = FALSE;
		check_kernel(self);
		break;
	case E7_DAEMON_REGISTERING:
	default:
		break;
	}
}

static void properties_changed(E7FirewallClient *client, E7DaemonNotices *self)
{
	check_kernel(self);
}

void e7_daemon_notices_follow(E7DaemonNotices *self, E7FirewallClient *client)
{
	g_return_if_fail(self->client == NULL);
	self->client = g_object_ref(client);
	g_signal_connect(client, "state-changed", G_CALLBACK(state_changed),
			 self);
	g_signal_connect(client, "properties-changed",
			 G_CALLBACK(properties_changed), self);
	state_changed(client, self);
}

void e7_daemon_notices_no_bus(E7DaemonNotices *self, const GError *error)
{
	g_autofree char *body = g_strdup_printf(
		_("Cannot connect to the system bus: %s"), error->message);

	g_warning("%s", body);
	e7_notifier_show(self->notifier, E7_NOTIFY_DAEMON,
			 _("Firewall prompts are not available"), body, NULL);
}

static void e7_daemon_notices_dispose(GObject *object)
{
	E7DaemonNotices *self = E7_DAEMON_NOTICES(object);

	g_clear_handle_id(&self->absent_id, g_source_remove);
	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	g_clear_object(&self->notifier);
	G_OBJECT_CLASS(e7_daemon_notices_parent_class)->dispose(object);
}

static void e7_daemon_notices_class_init(E7DaemonNoticesClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = e7_daemon_notices_dispose;
}

static void e7_daemon_notices_init(E7DaemonNotices *self)
{
	self->last_state = (E7DaemonState)-1;
}

E7DaemonNotices *e7_daemon_notices_new(E7Notifier *notifier)
{
	E7DaemonNotices *self = g_object_new(E7_TYPE_DAEMON_NOTICES, NULL);

	self->notifier = g_object_ref(notifier);
	return self;
}
