// SPDX-License-Identifier: GPL-2.0-or-later
#include "agents.h"

#include <glib/gi18n.h>

#include "e7-error.h"
#include "session.h"

struct _E7Agent {
	E7Agents *owner;
	char *sender;
	char *path;
	guint32 uid;
	guint watch;
	E7Session *session; /* its logind session, when logind knows it */
	E7Firewall1Agent *proxy;
};

struct _E7Agents {
	GObject parent;
	GDBusConnection *bus;
	GPtrArray *agents; /* of E7Agent, in order of registration */
};

enum { AGENT_GONE, USER_GONE, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE(E7Agents, e7_agents, G_TYPE_OBJECT)

static void agent_free(gpointer p)
{
	E7Agent *agent = p;

	if (agent->watch)
		g_bus_unwatch_name(agent->watch);
	e7_session_free(agent->session);
	g_clear_object(&agent->proxy);
	g_free(agent->sender);
	g_free(agent->path);
	g_free(agent);
}

static void e7_agents_finalize(GObject *object)
{
	E7Agents *self = E7_AGENTS(object);

	g_ptr_array_unref(self->agents);
	g_object_unref(self->bus);
	G_OBJECT_CLASS(e7_agents_parent_class)->finalize(object);
}

static void e7_agents_class_init(E7AgentsClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_agents_finalize;
	signals[AGENT_GONE] = g_signal_new(
		"agent-gone", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
	signals[USER_GONE] = g_signal_new("user-gone", G_TYPE_FROM_CLASS(klass),
					  G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void e7_agents_init(E7Agents *self)
{
	self->agents = g_ptr_array_new_with_free_func(agent_free);
}

E7Agents *e7_agents_new(GDBusConnection *bus)
{
	E7Agents *self = g_object_new(E7_TYPE_AGENTS, NULL);

	self->bus = g_object_ref(bus);
	return self;
}

guint e7_agents_count(E7Agents *self)
{
	return self->agents->len;
}

E7Firewall1Agent *e7_agent_get_proxy(E7Agent *agent)
{
	return agent->proxy;
}

const char *e7_agent_get_sender(E7Agent *agent)
{
	return agent->sender;
}

E7Agent *e7_agents_find(E7Agents *self, guint32 uid)
{
	E7Agent *latest = NULL;

	for (guint i = self->agents->len; i > 0; i--) {
		E7Agent *agent = self->agents->pdata[i - 1];

		if (agent->uid != uid)
			continue;
		if (e7_session_is_active(agent->session))
			return agent;
		if (!latest)
			latest = agent;
	}
	return latest;
}

static E7Agent *lookup(E7Agents *self, const char *sender, const char *path)
{
	for (guint i = 0; i < self->agents->len; i++) {
		E7Agent *a = self->agents->pdata[i];

		if (g_str_equal(a->sender, sender) &&
		    g_str_equal(a->path, path))
			return a;
	}
	return NULL;
}

static void agent_gone(E7Agents *self, E7Agent *agent)
{
	guint32 uid = agent->uid;

	g_signal_emit(self, signals[AGENT_GONE], 0, agent);
	g_ptr_array_remove(self->agents, agent);
	/* The user's session ended when their last agent left. */
	if (!e7_agents_find(self, uid))
		g_signal_emit(self, signals[USER_GONE], 0, uid);
}

static void on_name_vanished(GDBusConnection *bus, const char *name,
			     gpointer user_data)
{
	E7Agent *agent = user_data;

	g_message("agent %s (uid %u) left the bus", agent->sender, agent->uid);
	agent_gone(agent->owner, agent);
}

/* The agent's proxy: a unique name, no properties, no signals, so that
 * making it costs no round trip.  A prompt may wait as long as it likes. */
static E7Firewall1Agent *agent_proxy(GDBusConnection *bus, const char *sender,
				     const char *path, GError **error)
{
	E7Firewall1Agent *proxy = e7_firewall1_agent_proxy_new_sync(
		bus,
		G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
			G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
			G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
		sender, path, NULL, error);

	if (proxy)
		g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(proxy), G_MAXINT);
	return proxy;
}

gboolean e7_agents_register(E7Agents *self, const char *sender,
			    const char *path, guint32 uid, guint32 pid,
			    GError **error)
{
	E7Agent *agent;
	E7Firewall1Agent *proxy;

	if (lookup(self, sender, path)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: %s is the D-Bus object path of a prompt agent */
			_("agent %s is already registered"), path);
		return FALSE;
	}
	proxy = agent_proxy(self->bus, sender, path, error);
	if (!proxy)
		return FALSE;
	agent = g_new0(E7Agent, 1);
	agent->owner = self;
	agent->sender = g_strdup(sender);
	agent->path = g_strdup(path);
	agent->uid = uid;
	agent->proxy = proxy;
	agent->session = e7_session_new(self->bus, pid);
	g_ptr_array_add(self->agents, agent);
	agent->watch = g_bus_watch_name_on_connection(
		self->bus, sender, G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
		on_name_vanished, agent, NULL);
	g_message("agent %s %s registered for uid %u", sender, path, uid);
	return TRUE;
}

gboolean e7_agents_unregister(E7Agents *self, const char *sender,
			      const char *path, GError **error)
{
	E7Agent *agent = lookup(self, sender, path);

	if (!agent) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: %s is the D-Bus object path of a prompt agent */
			_("agent %s is not registered"), path);
		return FALSE;
	}
	agent_gone(self, agent);
	return TRUE;
}
