// SPDX-License-Identifier: GPL-2.0-or-later
/* e7d: the EftirlitSeven system daemon. */
#include "config.h"

#include <locale.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "daemon.h"
#include "e7-dbus.h"
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
		g_warning(
			_("reload failed, the rules in force are unchanged: %s"),
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
 * exit-on-close (turned off in main), would raise SIGTERM instead: a clean
 * stop to systemd. */
static void on_bus_closed(GDBusConnection *bus, gboolean remote_peer_vanished,
			  GError *error, gpointer user_data)
{
	App *app = user_data;

	g_warning(_("lost the bus connection (%s): exiting for a restart"),
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
		/* TRANSLATORS: %s is e7d's D-Bus name, org.eftirlit7.Firewall1 */
		_("cannot own the bus name %s (is another e7d running, and does the D-Bus "
		  "policy allow it?)"),
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

	g_task_return_new_error(
		task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
		/* TRANSLATORS: %s is a polkit action id such as org.eftirlit7.firewall.configure */
		_("polkit is not available: only root may use %s"), action_id);
}

typedef struct {
	char *rules_path;
	char *rules_dir;
	char *conf_path;
	char *settings_path;
	gboolean default_rules; /* rules_path is the default */
	gboolean session;
	gboolean no_kernel;
	gboolean version;
} Options;

/* Parses the command line; returns FALSE (after saying why) on an error. */
static gboolean parse_options(Options *o, int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "rules", 'r', 0, G_OPTION_ARG_FILENAME, &o->rules_path,
		  N_("e7d's own rules file"), N_("FILE") },
		{ "rules-dir", 'R', 0, G_OPTION_ARG_FILENAME, &o->rules_dir,
		  N_("Directory of the administrator's rules"), N_("DIR") },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->conf_path,
		  N_("Configuration file"), N_("FILE") },
		{ "settings", 's', 0, G_OPTION_ARG_FILENAME, &o->settings_path,
		  N_("Settings changed through D-Bus"), N_("FILE") },
		{ "session", 0, 0, G_OPTION_ARG_NONE, &o->session,
		  N_("Serve on the session bus (for tests)"), NULL },
		{ "no-kernel", 0, 0, G_OPTION_ARG_NONE, &o->no_kernel,
		  N_("Do not talk to the kernel module (for tests)"), NULL },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &o->version,
		  N_("Print the version"), NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary(
		ctx, _("The EftirlitSeven firewall daemon: it keeps the "
		       "rules, talks to the kernel module and asks the "
		       "users' prompt agents."));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		g_printerr("e7d: %s\n", error->message);
		return FALSE;
	}
	return TRUE;
}

static E7Auth *make_auth(void)
{
	g_autoptr(GError) error = NULL;
	E7Auth *auth = e7_auth_new_polkit(&error);

	if (auth)
		return auth;
	g_warning(/* TRANSLATORS: %s says why polkit cannot be reached */
		  _("%s: only root will be authorized"), error->message);
	return e7_auth_new(refuse_all, NULL, NULL, TRUE);
}

/* The daemon, its kernel bridge, exported on @bus; NULL (after saying why)
 * when it cannot serve. */
static E7Daemon *make_daemon(GDBusConnection *bus, const Options *o)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Daemon) daemon = NULL;
	E7Kernel *kernel = NULL;
	g_autofree char *legacy =
		g_build_filename(SYSCONFDIR, "eftirlit7", "rules", NULL);
	E7DaemonPaths paths = {
		.conf = o->conf_path,
		.rules_dir = o->rules_dir,
		.rules = o->rules_path,
		.settings = o->settings_path,
		/* Only for the default layout: not for a test's own files. */
		.legacy_rules = o->default_rules ? legacy : NULL,
	};

	if (!o->no_kernel && !(kernel = e7_kernel_nl_new(&error))) {
		g_printerr("e7d: %s\n", error->message);
		return NULL;
	}
	/* A bad rules file is logged by the daemon; it keeps running. */
	daemon = e7_daemon_new(bus, kernel, make_auth(), &paths, NULL);
	e7_daemon_resync(daemon);
	if (!e7_daemon_export(daemon, &error)) {
		g_printerr(/* TRANSLATORS: a D-Bus object path, then the reason */
			   _("e7d: cannot export %s: %s\n"), E7_DBUS_PATH,
			   error->message);
		return NULL;
	}
	return g_steal_pointer(&daemon);
}

static int serve(GDBusConnection *bus, E7Daemon *daemon)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	App app = { .loop = loop, .daemon = daemon };
	guint owner;

	g_signal_connect(bus, "closed", G_CALLBACK(on_bus_closed), &app);
	g_unix_signal_add(SIGHUP, on_sighup, &app);
	g_unix_signal_add(SIGTERM, on_sigterm, &app);
	g_unix_signal_add(SIGINT, on_sigterm, &app);
	owner = g_bus_own_name_on_connection(
		bus, E7_DBUS_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
		on_name_acquired, on_name_lost, &app, NULL);
	g_main_loop_run(loop);
	g_bus_unown_name(owner);
	g_signal_handlers_disconnect_by_data(bus, &app);
	return app.status;
}

int main(int argc, char **argv)
{
	Options o = {
		.rules_path = g_build_filename(E7_STATE_DIR, "rules", NULL),
		.rules_dir = g_build_filename(SYSCONFDIR, "eftirlit7",
					      "rules.d", NULL),
		.conf_path = g_build_filename(SYSCONFDIR, "eftirlit7",
					      "e7d.conf", NULL),
		.settings_path =
			g_build_filename(E7_STATE_DIR, "settings", NULL),
	};
	g_autofree char *default_rules = g_strdup(o.rules_path);
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(E7Daemon) daemon = NULL;
	int status;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	if (!parse_options(&o, &argc, &argv))
		return 2;
	o.default_rules = g_str_equal(o.rules_path, default_rules);
	if (o.version) {
		g_print("e7d %s\n", PACKAGE_VERSION);
		return 0;
	}
	bus = g_bus_get_sync(o.session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
			     NULL, &error);
	if (!bus) {
		g_printerr(/* TRANSLATORS: %s is \"system\" or \"session\" (not translated), then the reason */
			   _("e7d: cannot connect to the %s bus: %s\n"),
			   o.session ? "session" : "system", error->message);
		return 1;
	}
	g_dbus_connection_set_exit_on_close(bus, FALSE);
	daemon = make_daemon(bus, &o);
	status = daemon ? serve(bus, daemon) : 1;
	g_free(o.rules_path);
	g_free(o.rules_dir);
	g_free(o.conf_path);
	g_free(o.settings_path);
	return status;
}
