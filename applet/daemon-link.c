/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "daemon-link.h"

struct _E7DaemonLink {
	GObject parent_instance;
	GDBusConnection *connection;
	E7Agent *agent;
	char *agent_path;
	char *owner;
	char *error;
	guint watch_id;
	E7DaemonState state;
	GCancellable *cancellable; /* of the RegisterAgent() call under way */
};

enum { SIGNAL_STATE_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7DaemonLink, e7_daemon_link, G_TYPE_OBJECT)

static void set_state(E7DaemonLink *self, E7DaemonState state,
		      const char *error)
{
	g_free(self->error);
	self->error = g_strdup(error);
	self->state = state;
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0);
}

static void register_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = g_dbus_connection_call_finish(
		G_DBUS_CONNECTION(source), result, &error);
	E7DaemonLink *self;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	if (!ret) {
		g_dbus_error_strip_remote_error(error);
		g_message("the firewall daemon refused the prompt agent: %s",
			  error->message);
		set_state(self, E7_DAEMON_FAILED, error->message);
		return;
	}
	g_debug("registered the prompt agent at %s with %s", self->agent_path,
		self->owner);
	set_state(self, E7_DAEMON_REGISTERED, NULL);
}

static void name_appeared(GDBusConnection *connection, const char *name,
			  const char *owner, gpointer data)
{
	E7DaemonLink *self = data;

	g_free(self->owner);
	self->owner = g_strdup(owner);
	e7_agent_set_trusted_sender(self->agent, owner);
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	set_state(self, E7_DAEMON_REGISTERING, NULL);
	g_dbus_connection_call(connection, owner, E7_DBUS_PATH,
			       E7_DBUS_INTERFACE, "RegisterAgent",
			       g_variant_new("(o)", self->agent_path), NULL,
			       G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
			       register_cb, self);
}

static void name_vanished(GDBusConnection *connection, const char *name,
			  gpointer data)
{
	E7DaemonLink *self = data;

	g_cancellable_cancel(self->cancellable);
	g_clear_pointer(&self->owner, g_free);
	e7_agent_set_trusted_sender(self->agent, NULL);
	/* The daemon's pending calls died with it. */
	e7_agent_cancel_all(self->agent);
	set_state(self, E7_DAEMON_ABSENT, NULL);
}

static void e7_daemon_link_dispose(GObject *object)
{
	E7DaemonLink *self = E7_DAEMON_LINK(object);

	if (self->cancellable)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	g_clear_handle_id(&self->watch_id, g_bus_unwatch_name);
	g_clear_object(&self->agent);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(e7_daemon_link_parent_class)->dispose(object);
}

static void e7_daemon_link_finalize(GObject *object)
{
	E7DaemonLink *self = E7_DAEMON_LINK(object);

	g_free(self->agent_path);
	g_free(self->owner);
	g_free(self->error);
	G_OBJECT_CLASS(e7_daemon_link_parent_class)->finalize(object);
}

static void e7_daemon_link_class_init(E7DaemonLinkClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = e7_daemon_link_dispose;
	G_OBJECT_CLASS(klass)->finalize = e7_daemon_link_finalize;
	signals[SIGNAL_STATE_CHANGED] = g_signal_new(
		"state-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void e7_daemon_link_init(E7DaemonLink *self)
{
	self->state = E7_DAEMON_ABSENT;
}

E7DaemonLink *e7_daemon_link_new(GDBusConnection *connection, E7Agent *agent,
				 const char *agent_path)
{
	E7DaemonLink *self = g_object_new(E7_TYPE_DAEMON_LINK, NULL);

	self->connection = g_object_ref(connection);
	self->agent = g_object_ref(agent);
	self->agent_path = g_strdup(agent_path);
	self->watch_id = g_bus_watch_name_on_connection(
		connection, E7_DBUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
		name_appeared, name_vanished, self, NULL);
	return self;
}

E7DaemonState e7_daemon_link_get_state(E7DaemonLink *self)
{
	return self->state;
}

const char *e7_daemon_link_get_error(E7DaemonLink *self)
{
	return self->error;
}

const char *e7_daemon_link_get_owner(E7DaemonLink *self)
{
	return self->owner;
}

GDBusConnection *e7_daemon_link_get_connection(E7DaemonLink *self)
{
	return self->connection;
}
