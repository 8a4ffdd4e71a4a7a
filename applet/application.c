/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "application.h"

#include <glib/gi18n.h>

#include "agent.h"
#include "blocked-notices.h"
#include "daemon-notices.h"
#include "firewall-calls.h"
#include "firewall-client.h"
#include "notifier-libnotify.h"
#include "prompts.h"
#include "rules-window.h"
#include "tray-menu.h"
#include "tray.h"

struct _E7Application {
	GtkApplication parent_instance;
	gboolean session_bus; /* test mode: agent and daemon on the session bus */
	gboolean background; /* started with the session: no window yet */
	gboolean started;
	GCancellable *cancellable;
	E7Notifier *notifier;
	E7Agent *agent;
	E7Prompts *prompts;
	E7DaemonNotices *daemon_notices;
	/* e7d; NULL until the applet is on the bus, like blocked_notices */
	E7FirewallClient *client;
	E7BlockedNotices *blocked_notices;
	GtkWidget *rules_window;
	/* The tray's state and menu; the icon, NULL without a tray. */
	E7TrayMenu *tray_menu;
	E7Tray *tray;
};

G_DEFINE_FINAL_TYPE(E7Application, e7_application, GTK_TYPE_APPLICATION)

static gboolean daemon_running(E7Application *self)
{
	return self->client && e7_firewall_client_is_running(self->client);
}

static void show_rules(E7Application *self, const char *page,
		       const char *filter)
{
	if (!self->rules_window) {
		self->rules_window = e7_rules_window_new();
		gtk_window_set_application(GTK_WINDOW(self->rules_window),
					   GTK_APPLICATION(self));
		e7_rules_window_set_client(E7_RULES_WINDOW(self->rules_window),
					   self->client);
	} else {
		e7_rules_window_refresh(E7_RULES_WINDOW(self->rules_window));
	}
	e7_rules_window_show_page(E7_RULES_WINDOW(self->rules_window), page);
	if (filter)
		e7_rules_window_set_filter(E7_RULES_WINDOW(self->rules_window),
					   filter);
	gtk_window_present(GTK_WINDOW(self->rules_window));
}

static void notifier_action(E7Notifier *notifier, const char *tag,
			    E7Application *self)
{
	if (g_strcmp0(tag, E7_NOTIFY_PENDING) == 0)
		e7_prompts_present(self->prompts);
	else if (g_strcmp0(tag, E7_NOTIFY_BLOCKED) == 0)
		show_rules(self, "rules",
			   self->blocked_notices ?
				   e7_blocked_notices_get_program(
					   self->blocked_notices) :
				   NULL);
}

static void prompts_changed(E7Prompts *prompts, E7Application *self)
{
	if (self->tray_menu) /* NULL once shut down */
		e7_tray_menu_set_pending(self->tray_menu,
					 e7_prompts_get_n_waiting(prompts));
}

/* The mode as e7d says, for the "mode" action's state and the tray. */
static void update_mode(E7Application *self)
{
	GAction *action =
		g_action_map_lookup_action(G_ACTION_MAP(self), "mode");
	gboolean running = daemon_running(self);
	const char *m = running ? e7_firewall_client_get_mode(self->client) :
				  NULL;

	if (!self->tray_menu) /* shut down */
		return;
	g_simple_action_set_state(G_SIMPLE_ACTION(action),
				  g_variant_new_string(m ? m : "unknown"));
	g_simple_action_set_enabled(G_SIMPLE_ACTION(action), running);
	e7_tray_menu_set_mode(self->tray_menu, m);
}

static void firewall_properties_changed(E7FirewallClient *client,
					E7Application *self)
{
	update_mode(self);
}

static void firewall_state_changed(E7FirewallClient *client,
				   E7Application *self)
{
	if (self->tray_menu)
		e7_tray_menu_set_running(self->tray_menu,
					 e7_firewall_client_get_state(client) ==
						 E7_DAEMON_REGISTERED);
	update_mode(self);
}

/* On the bus: the agent is exported and follows e7d, and so does the rest. */
static void follow_daemon(E7Application *self, GDBusConnection *connection)
{
	self->client = e7_firewall_client_new(connection, self->agent,
					      E7_AGENT_OBJECT_PATH);
	g_signal_connect(self->client, "state-changed",
			 G_CALLBACK(firewall_state_changed), self);
	g_signal_connect(self->client, "properties-changed",
			 G_CALLBACK(firewall_properties_changed), self);
	e7_prompts_set_client(self->prompts, self->client);
	e7_daemon_notices_follow(self->daemon_notices, self->client);
	self->blocked_notices =
		e7_blocked_notices_new(self->notifier, self->client);
	if (self->rules_window)
		e7_rules_window_set_client(E7_RULES_WINDOW(self->rules_window),
					   self->client);
	firewall_state_changed(self->client, self);
}

static void bus_ready(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection)
		connection = g_bus_get_finish(result, &error);
	E7Application *self;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	if (!connection) {
		e7_daemon_notices_no_bus(self->daemon_notices, error);
		return;
	}
	if (!e7_agent_export(self->agent, connection, E7_AGENT_OBJECT_PATH,
			     &error)) {
		g_warning("cannot export the prompt agent: %s", error->message);
		return;
	}
	follow_daemon(self, connection);
}

static void quit_activated(GSimpleAction *action, GVariant *parameter,
			   gpointer data)
{
	g_application_quit(G_APPLICATION(data));
}

static void prompts_activated(GSimpleAction *action, GVariant *parameter,
			      gpointer data)
{
	e7_prompts_present(E7_APPLICATION(data)->prompts);
}

static void rules_activated(GSimpleAction *action, GVariant *parameter,
			    gpointer data)
{
	show_rules(E7_APPLICATION(data), "rules", NULL);
}

static void set_mode_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = e7_firewall_client_change_finish(
		E7_FIREWALL_CLIENT(source), result, &error);
	g_autoptr(E7Application) self = data;

	/* On success the Mode property follows (PropertiesChanged). */
	if (!ok && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		e7_notifier_show(self->notifier, E7_NOTIFY_MODE,
				 _("Cannot change the mode"), error->message,
				 NULL);
	}
}

/* The tray's mode menu: ask e7d; the state follows its Mode property. */
static void mode_change_state(GSimpleAction *action, GVariant *value,
			      gpointer data)
{
	E7Application *self = data;

	if (!daemon_running(self))
		return;
	e7_notifier_withdraw(self->notifier, E7_NOTIFY_MODE);
	e7_firewall_client_set_mode(self->client,
				    g_variant_get_string(value, NULL),
				    self->cancellable, set_mode_done,
				    g_object_ref(self));
}

static const GActionEntry app_actions[] = {
	{ "quit", quit_activated, NULL, NULL, NULL, { 0 } },
	{ "prompts", prompts_activated, NULL, NULL, NULL, { 0 } },
	{ "rules", rules_activated, NULL, NULL, NULL, { 0 } },
	{ "mode", NULL, "s", "'unknown'", mode_change_state, { 0 } },
};

static void e7_application_startup(GApplication *app)
{
	E7Application *self = E7_APPLICATION(app);

	G_APPLICATION_CLASS(e7_application_parent_class)->startup(app);

	/* The applet lives in the background for the whole session. */
	g_application_hold(app);
	g_action_map_add_action_entries(G_ACTION_MAP(app), app_actions,
					G_N_ELEMENTS(app_actions), app);

	self->notifier = e7_libnotify_new("e7-applet");
	g_signal_connect(self->notifier, "action", G_CALLBACK(notifier_action),
			 self);
	self->daemon_notices = e7_daemon_notices_new(self->notifier);
	self->tray_menu = e7_tray_menu_new();
	update_mode(self);
	self->tray = e7_tray_new(G_ACTION_GROUP(app), self->tray_menu);
	self->agent = e7_agent_new();
	e7_agent_set_check_sender(self->agent, !self->session_bus);
	self->prompts = e7_prompts_new(GTK_APPLICATION(app), self->agent,
				       self->notifier);
	g_signal_connect(self->prompts, "changed", G_CALLBACK(prompts_changed),
			 self);

	self->cancellable = g_cancellable_new();
	g_bus_get(self->session_bus ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
		  self->cancellable, bus_ready, self);
}

static void e7_application_shutdown(GApplication *app)
{
	E7Application *self = E7_APPLICATION(app);

	g_cancellable_cancel(self->cancellable);
	/* Pending calls fail with Cancelled: the daemon applies its policy. */
	if (self->agent)
		e7_agent_unexport(self->agent);
	if (self->prompts)
		g_signal_handlers_disconnect_by_data(self->prompts, self);
	g_clear_object(&self->prompts);
	g_clear_pointer(&self->rules_window, gtk_widget_destroy);
	g_clear_pointer(&self->tray, e7_tray_free);
	g_clear_object(&self->tray_menu);
	g_clear_object(&self->daemon_notices);
	g_clear_object(&self->blocked_notices);
	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	g_clear_object(&self->agent);
	g_clear_object(&self->notifier);
	g_clear_object(&self->cancellable);
	G_APPLICATION_CLASS(e7_application_parent_class)->shutdown(app);
}

/* Started again (menu entry): the pending prompts, else the rules. */
static void e7_application_activate(GApplication *app)
{
	E7Application *self = E7_APPLICATION(app);

	if (e7_prompts_get_n_waiting(self->prompts) > 0)
		e7_prompts_present(self->prompts);
	else if (self->started || !self->background)
		show_rules(self, "rules", NULL);
	/* Started with the session (--background): no window until needed. */
	self->started = TRUE;
}

static gint e7_application_handle_local_options(GApplication *app,
						GVariantDict *options)
{
	E7Application *self = E7_APPLICATION(app);

	if (g_variant_dict_contains(options, "version")) {
		g_print("e7-applet %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (g_variant_dict_contains(options, "session-bus"))
		self->session_bus = TRUE;
	if (g_variant_dict_contains(options, "background"))
		self->background = TRUE;
	if (g_variant_dict_contains(options, "quit")) {
		g_autoptr(GError) error = NULL;

		if (!g_application_register(app, NULL, &error)) {
			g_printerr("e7-applet: %s\n", error->message);
			return 1;
		}
		if (!g_application_get_is_remote(app)) {
			g_printerr("e7-applet: %s\n",
				   _("no applet is running in this session"));
			return 1;
		}
		g_action_group_activate_action(G_ACTION_GROUP(app), "quit",
					       NULL);
		return 0;
	}
	return -1;
}

static void e7_application_class_init(E7ApplicationClass *klass)
{
	GApplicationClass *app_class = G_APPLICATION_CLASS(klass);

	app_class->startup = e7_application_startup;
	app_class->shutdown = e7_application_shutdown;
	app_class->activate = e7_application_activate;
	app_class->handle_local_options = e7_application_handle_local_options;
}

static const GOptionEntry options[] = {
	{ "session-bus", 0, 0, G_OPTION_ARG_NONE, NULL,
	  N_("Serve prompts on the session bus (for tests with a fake daemon)"),
	  NULL },
	{ "background", 'b', 0, G_OPTION_ARG_NONE, NULL,
	  N_("Start without opening a window (for the session autostart)"),
	  NULL },
	{ "quit", 'q', 0, G_OPTION_ARG_NONE, NULL,
	  N_("Stop the applet running in this session"), NULL },
	{ "version", 0, 0, G_OPTION_ARG_NONE, NULL,
	  N_("Print the version and exit"), NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};

static void e7_application_init(E7Application *self)
{
	g_application_add_main_option_entries(G_APPLICATION(self), options);
	g_application_set_option_context_summary(
		G_APPLICATION(self),
		_("Asks whether programs may use the network."));
}

E7Application *e7_application_new(void)
{
	return g_object_new(E7_TYPE_APPLICATION, "application-id", E7_APPLET_ID,
			    "flags", G_APPLICATION_DEFAULT_FLAGS, NULL);
}
