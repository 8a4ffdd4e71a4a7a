// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include "agent.h"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "e7-error.h"

#define AGENT_PATH "/org/eftirlit7/e7ctl/agent"

typedef struct {
	GMainLoop *loop;
	char *answer; /* allow, block, ignore (never answer), dismiss */
	char *lifetime; /* once, process, session, forever, seconds */
	char *scope;
	gint duration;
	gint delay_ms;
	gint count; /* exit after this many answers (0: never) */
	gint answered;
	GPtrArray *held; /* invocations kept unanswered ("ignore") */
} Agent;

typedef struct {
	Agent *agent;
	GDBusMethodInvocation *inv;
} Reply;

static void reply_send(Reply *r)
{
	Agent *agent = r->agent;
	GVariantBuilder b;

	if (g_str_equal(agent->answer, "dismiss")) {
		g_dbus_method_invocation_return_dbus_error(
			r->inv, "org.eftirlit7.Firewall1.Error.Cancelled",
			"dismissed");
	} else {
		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&b, "{sv}", "action",
				      g_variant_new_string(agent->answer));
		g_variant_builder_add(&b, "{sv}", "scope",
				      g_variant_new_string(agent->scope));
		g_variant_builder_add(&b, "{sv}", "lifetime",
				      g_variant_new_string(agent->lifetime));
		if (agent->duration > 0)
			g_variant_builder_add(
				&b, "{sv}", "duration",
				g_variant_new_uint32(agent->duration));
		g_dbus_method_invocation_return_value(
			r->inv, g_variant_new("(a{sv})", &b));
	}
	g_print("answered %" G_GINT64_FORMAT " %s\n", g_get_real_time(),
		agent->answer);
	fflush(stdout);
	if (agent->count > 0 && ++agent->answered >= agent->count)
		g_main_loop_quit(agent->loop);
	g_free(r);
}

static gboolean on_delay(gpointer user_data)
{
	reply_send(user_data);
	return G_SOURCE_REMOVE;
}

static void method_call(GDBusConnection *connection, const char *sender,
			const char *path, const char *iface, const char *method,
			GVariant *params, GDBusMethodInvocation *inv,
			gpointer user_data)
{
	Agent *agent = user_data;
	Reply *r;

	if (g_str_equal(method, "Cancel")) {
		guint64 id;

		g_variant_get(params, "(t)", &id);
		g_print("cancel %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
			g_get_real_time(), id);
		fflush(stdout);
		g_dbus_method_invocation_return_value(inv, NULL);
		return;
	}
	{
		g_autoptr(GVariant) req = g_variant_get_child_value(params, 0);
		const char *program = "", *proto = "", *addr = "-";
		guint64 id = 0;
		guint32 pid = 0, uid = 0;
		guint16 port = 0;

		g_variant_lookup(req, "id", "t", &id);
		g_variant_lookup(req, "program", "&s", &program);
		g_variant_lookup(req, "pid", "u", &pid);
		g_variant_lookup(req, "uid", "u", &uid);
		g_variant_lookup(req, "protocol", "&s", &proto);
		g_variant_lookup(req, "remote-address", "&s", &addr);
		g_variant_lookup(req, "remote-port", "q", &port);
		g_print("ask %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT
			" %s pid %u uid %u %s %s %u\n",
			g_get_real_time(), id, program, pid, uid, proto, addr,
			port);
		fflush(stdout);
	}
	if (g_str_equal(agent->answer, "ignore")) {
		g_ptr_array_add(agent->held, g_object_ref(inv));
		return;
	}
	r = g_new0(Reply, 1);
	r->agent = agent;
	r->inv = inv;
	if (agent->delay_ms > 0)
		g_timeout_add(agent->delay_ms, on_delay, r);
	else
		reply_send(r);
}

static const GDBusInterfaceVTable vtable = { .method_call = method_call };

static gboolean on_signal(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

int e7ctl_agent_run(E7Firewall1 *proxy, int argc, char **argv)
{
	Agent agent = { 0 };
	GOptionEntry entries[] = {
		{ "answer", 0, 0, G_OPTION_ARG_STRING, &agent.answer,
		  N_("allow, block, ignore (never answer) or dismiss"),
		  N_("ANSWER") },
		{ "lifetime", 0, 0, G_OPTION_ARG_STRING, &agent.lifetime,
		  N_("once, process, session, forever or seconds"),
		  N_("LIFETIME") },
		{ "scope", 0, 0, G_OPTION_ARG_STRING, &agent.scope,
		  N_("program, destination or port"), N_("SCOPE") },
		{ "duration", 0, 0, G_OPTION_ARG_INT, &agent.duration,
		  N_("seconds, with --lifetime seconds"), N_("N") },
		{ "delay", 0, 0, G_OPTION_ARG_INT, &agent.delay_ms,
		  N_("answer after N ms"), N_("N") },
		{ "prompts", 0, 0, G_OPTION_ARG_INT, &agent.count,
		  N_("exit after answering N prompts"), N_("N") },
		{ NULL }
	};
	static const char *const answers[] = { "allow", "block", "ignore",
					       "dismiss", NULL };
	g_autoptr(GOptionContext) ctx = g_option_context_new("agent");
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = NULL;
	GDBusConnection *bus = g_dbus_proxy_get_connection(G_DBUS_PROXY(proxy));
	guint reg;

	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc > 1) {
		g_printerr("e7ctl agent: %s\n",
			   error ? error->message : "unexpected arguments");
		return 2;
	}
	if (!agent.answer)
		agent.answer = g_strdup("block");
	if (!g_strv_contains(answers, agent.answer)) {
		g_printerr(
			"e7ctl agent: --answer must be allow, block, ignore or dismiss\n");
		return 2;
	}
	if (!agent.lifetime)
		agent.lifetime = g_strdup("once");
	if (!agent.scope)
		agent.scope = g_strdup("program");
	agent.loop = g_main_loop_new(NULL, FALSE);
	agent.held = g_ptr_array_new_with_free_func(g_object_unref);
	reg = g_dbus_connection_register_object(
		bus, AGENT_PATH,
		(GDBusInterfaceInfo *)e7_firewall1_agent_interface_info(),
		&vtable, &agent, NULL, &error);
	if (!reg || !e7_firewall1_call_register_agent_sync(proxy, AGENT_PATH,
							   NULL, &error)) {
		g_dbus_error_strip_remote_error(error);
		g_printerr("e7ctl agent: %s\n", error->message);
		return g_error_matches(error, E7_ERROR,
				       E7_ERROR_NOT_AUTHORIZED) ?
			       3 :
			       1;
	}
	g_print("registered\n");
	fflush(stdout);
	g_unix_signal_add(SIGINT, on_signal, agent.loop);
	g_unix_signal_add(SIGTERM, on_signal, agent.loop);
	g_main_loop_run(agent.loop);
	e7_firewall1_call_unregister_agent_sync(proxy, AGENT_PATH, NULL, NULL);
	g_dbus_connection_unregister_object(bus, reg);
	g_ptr_array_unref(agent.held);
	g_main_loop_unref(agent.loop);
	g_free(agent.answer);
	g_free(agent.lifetime);
	g_free(agent.scope);
	return 0;
}
