// SPDX-License-Identifier: GPL-2.0-or-later
/* e7d: the EftirlitSeven system daemon. */
#include "config.h"

#include <locale.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "daemon.h"
#include "e7-error.h"
#include "kernel-nl.h"

typedef struct {
	GMainLoop *loop;
	E7Daemon *daemon;
	int status;
} App;

static gboolean on_sighup(gpointer user_data)
{
	App *app = user_data;
	g_autoptr(GError) error = NULL;

	g_message("SIGHUP: reloading");
	if (!e7_daemon_reload(app->daemon, &error))
		g_warning("reload failed, the rules in force are unchanged: %s",
			  error->message);
	return G_SOURCE_CONTINUE;
}

static gboolean on_sigterm(gpointer user_data)
{
	App *app = user_data;

	g_message("stopping");
	g_main_loop_quit(app->loop);
	return G_SOURCE_CONTINUE;
}

static void on_name_acquired(GDBusConnection *bus, const char *name,
			     gpointer user_data)
{
	g_message("serving %s", name);
}

/* The bus went away (dbus-daemon stopped or restarted): e7d cannot serve
 * without it.  It exits with a failure status so that systemd
 * (Restart=on-failure) starts it again, on the new bus.  GDBus's default,
 * exit-on-close, would raise SIGTERM instead: a clean stop to systemd. */
static void on_bus_closed(GDBusConnection *bus, gboolean remote_peer_vanished,
			  GError *error, gpointer user_data)
{
	App *app = user_data;

	g_warning("lost the bus connection (%s): exiting for a restart",
		  error ? error->message : "closed");
	app->status = 1;
	g_main_loop_quit(app->loop);
}

static void on_name_lost(GDBusConnection *bus, const char *name,
			 gpointer user_data)
{
	App *app = user_data;

	/* A closed connection loses the name too: on_bus_closed says why. */
	if (!bus || g_dbus_connection_is_closed(bus)) {
		app->status = 1;
		g_main_loop_quit(app->loop);
		return;
	}
	g_warning(
		"cannot own the bus name %s (is another e7d running, and does the D-Bus "
		"policy allow it?)",
		name);
	app->status = 1;
	g_main_loop_quit(app->loop);
}

/* Without polkit only root is authorized (e7_auth_check_async lets uid 0
 * through before asking the checker). */
static void refuse_all(E7Auth *auth, GDBusConnection *bus, const char *sender,
		       const char *action_id, GAsyncReadyCallback callback,
		       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, NULL, callback, user_data);

	g_task_return_new_error(task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
				"polkit is not available: only root may use %s",
				action_id);
}

int main(int argc, char **argv)
{
	g_autofree char *rules_path =
		g_build_filename(SYSCONFDIR, "eftirlit7", "rules", NULL);
	g_autofree char *conf_path =
		g_build_filename(SYSCONFDIR, "eftirlit7", "e7d.conf", NULL);
	gboolean session = FALSE, no_kernel = FALSE, version = FALSE;
	GOptionEntry entries[] = {
		{ "rules", 'r', 0, G_OPTION_ARG_FILENAME, &rules_path,
		  N_("Rules file"), N_("FILE") },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &conf_path,
		  N_("Configuration file"), N_("FILE") },
		{ "session", 0, 0, G_OPTION_ARG_NONE, &session,
		  N_("Serve on the session bus (for tests)"), NULL },
		{ "no-kernel", 0, 0, G_OPTION_ARG_NONE, &no_kernel,
		  N_("Do not talk to the kernel module (for tests)"), NULL },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &version,
		  N_("Print the version"), NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	E7Auth *auth;
	E7Kernel *kernel = NULL;
	App app = { 0 };
	guint owner;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	ctx = g_option_context_new(NULL);
	g_option_context_set_summary(
		ctx, _("The EftirlitSeven firewall daemon: it keeps the "
		       "rules, talks to the kernel module and asks the "
		       "users' prompt agents."));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		g_printerr("e7d: %s\n", error->message);
		return 2;
	}
	if (version) {
		g_print("e7d %s\n", PACKAGE_VERSION);
		return 0;
	}
	bus = g_bus_get_sync(session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
			     NULL, &error);
	if (!bus) {
		g_printerr("e7d: cannot connect to the %s bus: %s\n",
			   session ? "session" : "system", error->message);
		return 1;
	}
	g_dbus_connection_set_exit_on_close(bus, FALSE);
	g_signal_connect(bus, "closed", G_CALLBACK(on_bus_closed), &app);
	auth = e7_auth_new_polkit(&error);
	if (!auth) {
		g_warning("%s: only root will be authorized", error->message);
		g_clear_error(&error);
		auth = e7_auth_new(refuse_all, NULL, NULL, TRUE);
	}
	app.daemon =
		e7_daemon_new(bus, NULL, auth, rules_path, conf_path, &error);
	/* A bad rules file is logged by the daemon; it keeps running. */
	g_clear_error(&error);
	if (!no_kernel) {
		kernel = e7_kernel_nl_new(e7_daemon_kernel_events(), app.daemon,
					  &error);
		if (!kernel) {
			g_printerr("e7d: %s\n", error->message);
			e7_daemon_free(app.daemon);
			return 1;
		}
		e7_daemon_set_kernel(app.daemon, kernel);
		e7_daemon_resync(app.daemon);
	}
	if (!e7_daemon_export(app.daemon, &error)) {
		g_printerr("e7d: cannot export %s: %s\n", E7_DBUS_PATH,
			   error->message);
		e7_daemon_free(app.daemon);
		return 1;
	}
	loop = g_main_loop_new(NULL, FALSE);
	app.loop = loop;
	g_unix_signal_add(SIGHUP, on_sighup, &app);
	g_unix_signal_add(SIGTERM, on_sigterm, &app);
	g_unix_signal_add(SIGINT, on_sigterm, &app);
	owner = g_bus_own_name_on_connection(
		bus, E7_DBUS_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
		on_name_acquired, on_name_lost, &app, NULL);
	g_main_loop_run(loop);
	g_bus_unown_name(owner);
	e7_daemon_free(app.daemon);
	return app.status;
}
