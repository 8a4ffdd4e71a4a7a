// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include "dbus-service.h"

#include <glib/gi18n.h>

#include "dbus-rules.h"
#include "dbus-settings.h"
#include "dbus-status.h"
#include "e7-dbus.h"

struct _E7Service {
	E7ServiceParts parts;
	E7Auth *auth;
	guint registration;
};

static void run_register_agent(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *path;

	g_variant_get(call->params, "(&o)", &path);
	if (!e7_agents_register(call->parts->agents,
				g_dbus_method_invocation_get_sender(call->inv),
				path, call->caller.uid, call->caller.pid,
				&error))
		e7_call_error(call, error);
	else
		e7_call_return(call, NULL);
}

static void run_unregister_agent(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *path;

	g_variant_get(call->params, "(&o)", &path);
	if (!e7_agents_unregister(call->parts->agents,
				  g_dbus_method_invocation_get_sender(call->inv),
				  path, &error))
		e7_call_error(call, error);
	else
		e7_call_return(call, NULL);
}

static const E7Method agent_methods[] = {
	{ "RegisterAgent", e7_decide_own, run_register_agent },
	{ "UnregisterAgent", e7_decide_own, run_unregister_agent },
};

static const E7Method *find_method(const char *name)
{
	const E7Method *(*tables[])(guint * n) = { e7_dbus_rules_methods,
						   e7_dbus_settings_methods,
						   e7_dbus_status_methods };

	for (guint t = 0; t < G_N_ELEMENTS(tables); t++) {
		guint n;
		const E7Method *m = tables[t](&n);

		for (guint i = 0; i < n; i++)
			if (g_str_equal(m[i].name, name))
				return &m[i];
	}
	for (guint i = 0; i < G_N_ELEMENTS(agent_methods); i++)
		if (g_str_equal(agent_methods[i].name, name))
			return &agent_methods[i];
	return NULL;
}

typedef struct {
	E7Service *self;
	E7Call *call;
} Pending;

static void on_authorized(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	E7Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_auth_check_finish(res, &error)) {
		g_message("uid %u refused %s (%s): %s", call->caller.uid,
			  call->method->name, call->action, error->message);
		e7_call_error(call, error);
		return;
	}
	call->method->run(call);
}

static void on_caller(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree Pending *p = user_data;
	E7Call *call = p->call;
	g_autoptr(GError) error = NULL;

	if (!e7_auth_get_caller_finish(res, &call->caller, &error)) {
		e7_call_error(call, error);
		return;
	}
	call->action = call->method->decide(call, &error);
	if (!call->action) {
		e7_call_error(call, error);
		return;
	}
	e7_auth_check_async(p->self->auth, call->parts->bus,
			    g_dbus_method_invocation_get_sender(call->inv),
			    call->caller.uid, call->action, on_authorized,
			    call);
}

static void method_call(GDBusConnection *connection, const char *sender,
			const char *object_path, const char *interface_name,
			const char *method_name, GVariant *parameters,
			GDBusMethodInvocation *invocation, gpointer user_data)
{
	E7Service *self = user_data;
	const E7Method *method = find_method(method_name);
	Pending *p;

	if (!method) {
		g_dbus_method_invocation_return_error(
			invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
			_("unknown method %s"), method_name);
		return;
	}
	p = g_new0(Pending, 1);
	p->self = self;
	p->call = e7_call_new(&self->parts, invocation, method);
	e7_auth_get_caller_async(connection, sender, on_caller, p);
}

static GVariant *get_property(GDBusConnection *connection, const char *sender,
			      const char *object_path,
			      const char *interface_name,
			      const char *property_name, GError **error,
			      gpointer user_data)
{
	E7Service *self = user_data;
	E7FirewallState *state = self->parts.state;

	if (g_str_equal(property_name, "Mode"))
		return g_variant_new_string(
			e7_firewall_state_get_mode_name(state));
	if (g_str_equal(property_name, "Version"))
		return g_variant_new_string(PACKAGE_VERSION);
	if (g_str_equal(property_name, "KernelConnected"))
		return g_variant_new_boolean(
			e7_firewall_state_get_connected(state));
	g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
		    _("unknown property %s"), property_name);
	return NULL;
}

static const GDBusInterfaceVTable vtable = {
	.method_call = method_call,
	.get_property = get_property,
};

static void on_connected_changed(GObject *state, GParamSpec *pspec,
				 gpointer data)
{
	E7FirewallState *s = E7_FIREWALL_STATE(state);

	e7_signal_queue_property(
		data, "KernelConnected",
		g_variant_new_boolean(e7_firewall_state_get_connected(s)));
}

static void on_mode_changed(GObject *state, GParamSpec *pspec, gpointer data)
{
	e7_signal_queue_property(
		data, "Mode",
		g_variant_new_string(e7_firewall_state_get_mode_name(
			E7_FIREWALL_STATE(state))));
}

E7Service *e7_service_new(const E7ServiceParts *parts, E7Auth *auth)
{
	E7Service *self = g_new0(E7Service, 1);

	self->parts = *parts;
	self->parts.signals = e7_signal_queue_new(parts->bus, parts->store);
	self->parts.watchers = e7_event_watchers_new(parts->bus);
	self->auth = auth;
	e7_dbus_rules_follow_store(&self->parts);
	e7_dbus_status_follow_log(&self->parts);
	g_signal_connect(parts->state, "notify::connected",
			 G_CALLBACK(on_connected_changed), self->parts.signals);
	g_signal_connect(parts->state, "notify::mode",
			 G_CALLBACK(on_mode_changed), self->parts.signals);
	return self;
}

gboolean e7_service_export(E7Service *self, GError **error)
{
	self->registration = g_dbus_connection_register_object(
		self->parts.bus, E7_DBUS_PATH,
		(GDBusInterfaceInfo *)e7_firewall1_interface_info(), &vtable,
		self, NULL, error);
	e7_signal_queue_set_exported(self->parts.signals,
				     self->registration != 0);
	return self->registration != 0;
}

void e7_service_free(E7Service *self)
{
	if (!self)
		return;
	if (self->registration)
		g_dbus_connection_unregister_object(self->parts.bus,
						    self->registration);
	g_signal_handlers_disconnect_by_data(self->parts.store,
					     self->parts.signals);
	g_signal_handlers_disconnect_by_data(self->parts.log, &self->parts);
	g_signal_handlers_disconnect_by_data(self->parts.state,
					     self->parts.signals);
	e7_signal_queue_free(self->parts.signals);
	e7_event_watchers_free(self->parts.watchers);
	e7_auth_free(self->auth);
	g_free(self);
}
