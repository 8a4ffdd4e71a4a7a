/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "firewall-client.h"

#include "e7-error.h"

struct _E7FirewallClient {
	GObject parent_instance;
	E7Agent *agent;
	char *agent_path;
	E7Firewall1 *proxy; /* for the well-known name; NULL until made */
	char *owner; /* e7d's unique name while it is on the bus */
	GError *error; /* why e7d refused the agent */
	E7DaemonState state;
	GCancellable *cancellable; /* the proxy under construction */
	GCancellable *registering; /* the RegisterAgent() call under way */
};

enum {
	SIGNAL_STATE_CHANGED,
	SIGNAL_PROPERTIES_CHANGED,
	SIGNAL_RULE_ADDED,
	SIGNAL_RULE_CHANGED,
	SIGNAL_RULE_REMOVED,
	SIGNAL_CONNECTION_EVENT,
	N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7FirewallClient, e7_firewall_client, G_TYPE_OBJECT)

/* error: (transfer full) (nullable) */
static void set_state(E7FirewallClient *self, E7DaemonState state,
		      GError *error)
{
	g_clear_error(&self->error);
	self->error = error;
	self->state = state;
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0);
}

/* ---- the daemon's name and the agent's registration ---- */

static void register_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	E7FirewallClient *self;

	if (!e7_firewall1_call_register_agent_finish(E7_FIREWALL1(source),
						     result, &error) &&
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	if (error) {
		g_dbus_error_strip_remote_error(error);
		g_message("the firewall daemon refused the prompt agent: %s",
			  error->message);
		set_state(self, E7_DAEMON_FAILED, g_steal_pointer(&error));
		return;
	}
	g_debug("registered the prompt agent at %s with %s", self->agent_path,
		self->owner);
	set_state(self, E7_DAEMON_REGISTERED, NULL);
}

static void watch_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;

	if (!e7_firewall1_call_watch_events_finish(E7_FIREWALL1(source), result,
						   &error) &&
	    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_dbus_error_strip_remote_error(error);
		g_message("no connection events from the firewall daemon: %s",
			  error->message);
	}
}

/* The daemon sends ConnectionEvent (this user's events) only to the names
 * that asked, and forgets them when it restarts. */
static void watch_events(E7FirewallClient *self)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	e7_firewall1_call_watch_events(self->proxy, g_variant_builder_end(&b),
				       self->registering, watch_done, NULL);
}

static void appeared(E7FirewallClient *self, const char *owner)
{
	self->owner = g_strdup(owner);
	e7_agent_set_trusted_sender(self->agent, owner);
	g_cancellable_cancel(self->registering);
	g_clear_object(&self->registering);
	self->registering = g_cancellable_new();
	set_state(self, E7_DAEMON_REGISTERING, NULL);
	e7_firewall1_call_register_agent(self->proxy, self->agent_path,
					 self->registering, register_done,
					 self);
	watch_events(self);
}

static void vanished(E7FirewallClient *self)
{
	g_cancellable_cancel(self->registering);
	g_clear_pointer(&self->owner, g_free);
	e7_agent_set_trusted_sender(self->agent, NULL);
	/* The daemon's pending calls died with it. */
	e7_agent_cancel_all(self->agent);
	set_state(self, E7_DAEMON_ABSENT, NULL);
}

/*
 * The proxy follows the name's owner; when one appears it has loaded the
 * owner's properties before it says so.
 */
static void owner_changed(GObject *proxy, GParamSpec *pspec,
			  E7FirewallClient *self)
{
	g_autofree char *owner =
		g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));

	if (g_strcmp0(owner, self->owner) == 0)
		return;
	if (self->owner)
		vanished(self);
	if (owner)
		appeared(self, owner);
}

static void properties_changed(GDBusProxy *proxy, GVariant *changed,
			       GStrv invalidated, E7FirewallClient *self)
{
	g_signal_emit(self, signals[SIGNAL_PROPERTIES_CHANGED], 0);
}

static void rule_added(E7Firewall1 *proxy, guint64 id, GVariant *rule,
		       E7FirewallClient *self)
{
	g_signal_emit(self, signals[SIGNAL_RULE_ADDED], 0, id, rule);
}

static void rule_changed(E7Firewall1 *proxy, guint64 id, GVariant *rule,
			 E7FirewallClient *self)
{
	g_signal_emit(self, signals[SIGNAL_RULE_CHANGED], 0, id, rule);
}

static void rule_removed(E7Firewall1 *proxy, guint64 id, E7FirewallClient *self)
{
	g_signal_emit(self, signals[SIGNAL_RULE_REMOVED], 0, id);
}

static void connection_event(E7Firewall1 *proxy, GVariant *event,
			     E7FirewallClient *self)
{
	g_signal_emit(self, signals[SIGNAL_CONNECTION_EVENT], 0, event);
}

static void proxy_ready(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	E7Firewall1 *proxy = e7_firewall1_proxy_new_finish(result, &error);
	E7FirewallClient *self;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	if (!proxy) {
		g_warning("cannot follow the firewall daemon: %s",
			  error->message);
		return;
	}
	self->proxy = proxy;
	g_signal_connect(proxy, "notify::g-name-owner",
			 G_CALLBACK(owner_changed), self);
	g_signal_connect(proxy, "g-properties-changed",
			 G_CALLBACK(properties_changed), self);
	g_signal_connect(proxy, "rule-added", G_CALLBACK(rule_added), self);
	g_signal_connect(proxy, "rule-changed", G_CALLBACK(rule_changed), self);
	g_signal_connect(proxy, "rule-removed", G_CALLBACK(rule_removed), self);
	g_signal_connect(proxy, "connection-event",
			 G_CALLBACK(connection_event), self);
	owner_changed(G_OBJECT(proxy), NULL, self);
	if (!self->owner)
		set_state(self, E7_DAEMON_ABSENT, NULL);
}

/* ---- the object ---- */

static void e7_firewall_client_dispose(GObject *object)
{
	E7FirewallClient *self = E7_FIREWALL_CLIENT(object);

	g_cancellable_cancel(self->cancellable);
	g_cancellable_cancel(self->registering);
	g_clear_object(&self->cancellable);
	g_clear_object(&self->registering);
	if (self->proxy)
		g_signal_handlers_disconnect_by_data(self->proxy, self);
	g_clear_object(&self->proxy);
	g_clear_object(&self->agent);
	G_OBJECT_CLASS(e7_firewall_client_parent_class)->dispose(object);
}

static void e7_firewall_client_finalize(GObject *object)
{
	E7FirewallClient *self = E7_FIREWALL_CLIENT(object);

	g_free(self->agent_path);
	g_free(self->owner);
	g_clear_error(&self->error);
	G_OBJECT_CLASS(e7_firewall_client_parent_class)->finalize(object);
}

static void e7_firewall_client_class_init(E7FirewallClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = e7_firewall_client_dispose;
	object_class->finalize = e7_firewall_client_finalize;
	/* e7d's D-Bus errors come back as E7_ERROR codes once it is known. */
	e7_error_quark();

	signals[SIGNAL_STATE_CHANGED] = g_signal_new(
		"state-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_PROPERTIES_CHANGED] = g_signal_new(
		"properties-changed", G_TYPE_FROM_CLASS(klass),
		G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
	signals[SIGNAL_RULE_ADDED] =
		g_signal_new("rule-added", G_TYPE_FROM_CLASS(klass),
			     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_VARIANT);
	signals[SIGNAL_RULE_CHANGED] =
		g_signal_new("rule-changed", G_TYPE_FROM_CLASS(klass),
			     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_VARIANT);
	signals[SIGNAL_RULE_REMOVED] = g_signal_new(
		"rule-removed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
	signals[SIGNAL_CONNECTION_EVENT] = g_signal_new(
		"connection-event", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
		0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
}

static void e7_firewall_client_init(E7FirewallClient *self)
{
	self->state = E7_DAEMON_ABSENT;
	self->cancellable = g_cancellable_new();
}

E7FirewallClient *e7_firewall_client_new(GDBusConnection *connection,
					 E7Agent *agent, const char *agent_path)
{
	E7FirewallClient *self = g_object_new(E7_TYPE_FIREWALL_CLIENT, NULL);

	self->agent = g_object_ref(agent);
	self->agent_path = g_strdup(agent_path);
	e7_firewall1_proxy_new(connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
			       E7_DBUS_NAME, E7_DBUS_PATH, self->cancellable,
			       proxy_ready, self);
	return self;
}

E7DaemonState e7_firewall_client_get_state(E7FirewallClient *self)
{
	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), E7_DAEMON_ABSENT);
	return self->state;
}

const GError *e7_firewall_client_get_error(E7FirewallClient *self)
{
	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), NULL);
	return self->error;
}

const char *e7_firewall_client_get_owner(E7FirewallClient *self)
{
	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), NULL);
	return self->owner;
}

gboolean e7_firewall_client_is_running(E7FirewallClient *self)
{
	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), FALSE);
	return self->owner != NULL;
}

const char *e7_firewall_client_get_mode(E7FirewallClient *self)
{
	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), NULL);
	return self->owner ? e7_firewall1_get_mode(self->proxy) : NULL;
}

gboolean e7_firewall_client_get_kernel_connected(E7FirewallClient *self,
						 gboolean *connected)
{
	g_auto(GStrv) cached = NULL;

	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), FALSE);
	if (!self->owner)
		return FALSE;
	/* The generated getter says FALSE for a property not (yet) sent. */
	cached = g_dbus_proxy_get_cached_property_names(
		G_DBUS_PROXY(self->proxy));
	if (!cached || !cached[0])
		return FALSE;
	*connected = e7_firewall1_get_kernel_connected(self->proxy);
	return TRUE;
}

E7Firewall1 *e7_firewall_client_get_proxy(E7FirewallClient *self)
{
	g_return_val_if_fail(E7_IS_FIREWALL_CLIENT(self), NULL);
	return self->owner ? self->proxy : NULL;
}
