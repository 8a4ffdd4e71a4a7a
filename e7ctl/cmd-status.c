// SPDX-License-Identifier: GPL-2.0-or-later
#include "cmd-status.h"

#include <stdio.h>

#include <glib-unix.h>

#include "output.h"

int e7ctl_cmd_stats(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) stats = NULL;

	if (argc)
		return e7ctl_usage_error("'stats' takes no arguments");
	if (!e7_firewall1_call_get_stats_sync(ctl->proxy, &stats, NULL, &error))
		return e7ctl_error_exit(error);
	if (ctl->json)
		e7ctl_print_json(stats);
	else
		e7ctl_print_dict(stats, "");
	return EXIT_OK;
}

/* What log has printed: an event that came both in the history and as a
 * signal is printed once. */
typedef struct {
	Ctl *ctl;
	guint64 last_id;
} LogPrinter;

static void print_event(LogPrinter *p, GVariant *event)
{
	guint64 id = 0;

	g_variant_lookup(event, "id", "t", &id);
	if (id && id <= p->last_id)
		return;
	p->last_id = MAX(p->last_id, id);
	if (p->ctl->json)
		e7ctl_print_json(event);
	else
		e7ctl_print_event(event);
	fflush(stdout);
}

static void on_event(E7Firewall1 *proxy, GVariant *event, gpointer user_data)
{
	print_event(user_data, event);
}

static gboolean on_quit(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

static GVariant *event_options(Ctl *ctl, gboolean history)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (ctl->all_users)
		g_variant_builder_add(&b, "{sv}", "all-users",
				      g_variant_new_boolean(TRUE));
	if (history)
		g_variant_builder_add(&b, "{sv}", "max",
				      g_variant_new_uint32(MAX(ctl->count, 0)));
	return g_variant_builder_end(&b);
}

static void watch_done(GObject *source, GAsyncResult *res, gpointer data)
{
	g_autoptr(GError) error = NULL;

	if (!e7_firewall1_call_watch_events_finish(E7_FIREWALL1(source), res,
						   &error)) {
		g_dbus_error_strip_remote_error(error);
		g_printerr("e7ctl: %s\n", error->message);
	}
}

/* A restarted e7d has forgotten its watchers and counts events from 1. */
static void on_owner(GObject *proxy, GParamSpec *pspec, gpointer user_data)
{
	LogPrinter *p = user_data;
	g_autofree char *owner =
		g_dbus_proxy_get_name_owner(G_DBUS_PROXY(proxy));

	if (!owner)
		return;
	p->last_id = 0;
	e7_firewall1_call_watch_events(E7_FIREWALL1(proxy),
				       event_options(p->ctl, FALSE), NULL,
				       watch_done, NULL);
}

static void follow_events(LogPrinter *p)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

	g_signal_connect(p->ctl->proxy, "notify::g-name-owner",
			 G_CALLBACK(on_owner), p);

	g_unix_signal_add(SIGINT, on_quit, loop);
	g_unix_signal_add(SIGTERM, on_quit, loop);
	g_main_loop_run(loop);
}

int e7ctl_cmd_log(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) events = NULL;
	LogPrinter printer = { ctl, 0 };
	GVariantIter iter;
	GVariant *event;

	if (argc)
		return e7ctl_usage_error(
			"'log' takes no arguments (options: --follow, --count N, --all-users)");
	/* ConnectionEvent comes to watchers alone, from WatchEvents on. */
	if (ctl->follow) {
		g_signal_connect(ctl->proxy, "connection-event",
				 G_CALLBACK(on_event), &printer);
		if (!e7_firewall1_call_watch_events_sync(
			    ctl->proxy, event_options(ctl, FALSE), NULL,
			    &error))
			return e7ctl_error_exit(error);
	}
	if (!e7_firewall1_call_get_events_sync(ctl->proxy,
					       event_options(ctl, TRUE),
					       &events, NULL, &error))
		return e7ctl_error_exit(error);
	/* One JSON document (a list, [] when empty); with --follow, one
	 * document a line as events come (JSON Lines). */
	if (ctl->json && !ctl->follow) {
		e7ctl_print_json(events);
		return EXIT_OK;
	}
	g_variant_iter_init(&iter, events);
	while ((event = g_variant_iter_next_value(&iter))) {
		print_event(&printer, event);
		g_variant_unref(event);
	}
	if (ctl->follow)
		follow_events(&printer);
	return EXIT_OK;
}
