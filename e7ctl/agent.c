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
	E7Firewall1Agent *skeleton;
	GDBusMethodInvocation *inv;
} Reply;

static GVariant *answer_of(Agent *agent)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "action",
			      g_variant_new_string(agent->answer));
	g_variant_builder_add(&b, "{sv}", "scope",
			      g_variant_new_string(agent->scope));
	g_variant_builder_add(&b, "{sv}", "lifetime",
			      g_variant_new_string(agent->lifetime));
	if (agent->duration > 0)
		g_variant_builder_add(&b, "{sv}", "duration",
				      g_variant_new_uint32(agent->duration));
	return g_variant_builder_end(&b);
}

static void reply_send(Reply *r)
{
	Agent *agent = r->agent;

	if (g_str_equal(agent->answer, "dismiss"))
		g_dbus_method_invocation_return_error_literal(
			r->inv, E7_ERROR, E7_ERROR_CANCELLED, "dismissed");
	else
		e7_firewall1_agent_complete_ask(r->skeleton, r->inv,
						answer_of(agent));
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

static gboolean on_cancel(E7Firewall1Agent *skeleton,
			  GDBusMethodInvocation *inv, guint64 id,
			  gpointer user_data)
{
	g_print("cancel %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
		g_get_real_time(), id);
	fflush(stdout);
	e7_firewall1_agent_complete_cancel(skeleton, inv);
	return TRUE;
}

static void print_request(GVariant *req)
{
	const char *program = "", *proto = "", *addr = "-";
	guint64 id = 0;
	guint32 pid = 0, uid = 0;
	guint16 port = 0;
	gboolean changed = FALSE;

	g_variant_lookup(req, "program-changed", "b", &changed);
	g_variant_lookup(req, "id", "t", &id);
	g_variant_lookup(req, "program", "&s", &program);
	g_variant_lookup(req, "pid", "u", &pid);
	g_variant_lookup(req, "uid", "u", &uid);
	g_variant_lookup(req, "protocol", "&s", &proto);
	g_variant_lookup(req, "remote-address", "&s", &addr);
	g_variant_lookup(req, "remote-port", "q", &port);
	g_print("ask %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT
		" %s pid %u uid %u %s %s %u%s\n",
		g_get_real_time(), id, program, pid, uid, proto, addr, port,
		changed ? " changed" : "");
	fflush(stdout);
}

static gboolean on_ask(E7Firewall1Agent *skeleton, GDBusMethodInvocation *inv,
		       GVariant *request, gpointer user_data)
{
	Agent *agent = user_data;
	Reply *r;

	print_request(request);
	if (g_str_equal(agent->answer, "ignore")) {
		g_ptr_array_add(agent->held, g_object_ref(inv));
		return TRUE;
	}
	r = g_new0(Reply, 1);
	r->agent = agent;
	r->skeleton = skeleton;
	r->inv = inv;
	if (agent->delay_ms > 0)
		g_timeout_add(agent->delay_ms, on_delay, r);
	else
		reply_send(r);
	return TRUE;
}

static gboolean on_signal(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

/* The agent's options; FALSE (after saying why) when they are bad. */
static gboolean parse_options(Agent *agent, int argc, char **argv)
{
	GOptionEntry entries[] = {
		{ "answer", 0, 0, G_OPTION_ARG_STRING, &agent->answer,
		  N_("allow, block, ignore (never answer) or dismiss"),
		  N_("ANSWER") },
		{ "lifetime", 0, 0, G_OPTION_ARG_STRING, &agent->lifetime,
		  N_("once, process, session, forever or seconds"),
		  N_("LIFETIME") },
		{ "scope", 0, 0, G_OPTION_ARG_STRING, &agent->scope,
		  N_("program, destination or port"), N_("SCOPE") },
		{ "duration", 0, 0, G_OPTION_ARG_INT, &agent->duration,
		  N_("seconds, with --lifetime seconds"), N_("N") },
		{ "delay", 0, 0, G_OPTION_ARG_INT, &agent->delay_ms,
		  N_("answer after N ms"), N_("N") },
		{ "prompts", 0, 0, G_OPTION_ARG_INT, &agent->count,
		  N_("exit after answering N prompts"), N_("N") },
		{ NULL }
	};
	static const char *const answers[] = { "allow", "block", "ignore",
					       "dismiss", NULL };
	g_autoptr(GOptionContext) ctx = g_option_context_new("agent");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error) || argc > 1) {
		g_printerr("e7ctl agent: %s\n",
			   error ? error->message : "unexpected arguments");
		return FALSE;
	}
	if (!agent->answer)
		agent->answer = g_strdup("block");
	if (!g_strv_contains(answers, agent->answer)) {
		g_printerr(
			"e7ctl agent: --answer must be allow, block, ignore or dismiss\n");
		return FALSE;
	}
	if (!agent->lifetime)
		agent->lifetime = g_strdup("once");
	if (!agent->scope)
		agent->scope = g_strdup("program");
	return TRUE;
}

/* Exports the agent and registers it with e7d; an exit code. */
static int serve(Agent *agent, E7Firewall1 *proxy)
{
	g_autoptr(GDBusInterfaceSkeleton) iface =
		G_DBUS_INTERFACE_SKELETON(e7_firewall1_agent_skeleton_new());
	g_autoptr(GError) error = NULL;

	g_signal_connect(iface, "handle-ask", G_CALLBACK(on_ask), agent);
	g_signal_connect(iface, "handle-cancel", G_CALLBACK(on_cancel), agent);
	if (!g_dbus_interface_skeleton_export(
		    iface, g_dbus_proxy_get_connection(G_DBUS_PROXY(proxy)),
		    AGENT_PATH, &error) ||
	    !e7_firewall1_call_register_agent_sync(proxy, AGENT_PATH, NULL,
						   &error)) {
		g_dbus_error_strip_remote_error(error);
		g_printerr("e7ctl agent: %s\n", error->message);
		return g_error_matches(error, E7_ERROR,
				       E7_ERROR_NOT_AUTHORIZED) ?
			       3 :
			       1;
	}
	g_print("registered\n");
	fflush(stdout);
	g_unix_signal_add(SIGINT, on_signal, agent->loop);
	g_unix_signal_add(SIGTERM, on_signal, agent->loop);
	g_main_loop_run(agent->loop);
	e7_firewall1_call_unregister_agent_sync(proxy, AGENT_PATH, NULL, NULL);
	g_dbus_interface_skeleton_unexport(iface);
	return 0;
}

int e7ctl_agent_run(E7Firewall1 *proxy, int argc, char **argv)
{
	Agent agent = { 0 };
	int r = 2;

	if (parse_options(&agent, argc, argv)) {
		agent.loop = g_main_loop_new(NULL, FALSE);
		agent.held = g_ptr_array_new_with_free_func(g_object_unref);
		r = serve(&agent, proxy);
		g_ptr_array_unref(agent.held);
		g_main_loop_unref(agent.loop);
	}
	g_free(agent.answer);
	g_free(agent.lifetime);
	g_free(agent.scope);
	return r;
}
