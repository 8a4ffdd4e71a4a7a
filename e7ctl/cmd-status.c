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

static void on_event(E7Firewall1 *proxy, GVariant *event, gpointer user_data)
{
	Ctl *ctl = user_data;

	if (ctl->json)
		e7ctl_print_json(event);
	else
		e7ctl_print_event(event);
	fflush(stdout);
}

static gboolean on_quit(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

int e7ctl_cmd_log(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) events = NULL;
	GVariantBuilder b;
	GVariantIter iter;
	GVariant *event;

	if (argc)
		return e7ctl_usage_error(
			"'log' takes no arguments (options: --follow, --count N)");
	if (ctl->follow)
		g_signal_connect(ctl->proxy, "connection-event",
				 G_CALLBACK(on_event), ctl);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "max",
			      g_variant_new_uint32(MAX(ctl->count, 0)));
	if (!e7_firewall1_call_get_events_sync(ctl->proxy,
					       g_variant_builder_end(&b),
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
		on_event(ctl->proxy, event, ctl);
		g_variant_unref(event);
	}
	if (ctl->follow) {
		g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

		g_unix_signal_add(SIGINT, on_quit, loop);
		g_unix_signal_add(SIGTERM, on_quit, loop);
		g_main_loop_run(loop);
	}
	return EXIT_OK;
}
