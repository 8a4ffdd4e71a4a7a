/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "application.h"

#include <glib/gi18n.h>

#include "agent.h"
#include "firewall-calls.h"
#include "firewall-client.h"
#include "notifier-libnotify.h"
#include "prompt-page.h"
#include "prompt-window.h"
#include "queue.h"
#include "rule-format.h"
#include "rules-window.h"
#include "tray-menu.h"
#include "tray.h"

#include <unistd.h>

/* Prepare the first prompt this long after the start (the login is busy). */
#define PREWARM_DELAY_S 2
/* How long e7d may be away before the user is told. */
#define ABSENT_GRACE_S 5
/* A program blocked by a rule is notified at most once in this time. */
#define BLOCKED_NOTIFY_INTERVAL_US (60 * G_USEC_PER_SEC)

struct _E7Application {
	GtkApplication parent_instance;
	gboolean session_bus; /* test mode: agent and daemon on the session bus */
	E7Agent *agent;
	E7PromptQueue *queue;
	E7Notifier *notifier;
	/* e7d; NULL until the applet is on the bus */
	E7FirewallClient *client;
	GtkWidget *prompt_window;
	GtkWidget *rules_window;
	GCancellable *cancellable;
	E7DaemonState last_state;
	gboolean kernel_warned;
	guint absent_id;
	guint prewarm_id;
	gboolean started;
	gboolean background;
	/* The program of the last "blocked" notification */
	char *blocked_program;
	/* program -> gint64 monotonic time of its last notification */
	GHashTable *blocked_at;
	/* The tray's state and menu; the icon, NULL without a tray. */
	E7TrayMenu *tray_menu;
	E7Tray *tray;
};

G_DEFINE_FINAL_TYPE(E7Application, e7_application, GTK_TYPE_APPLICATION)

static void present_prompts(E7Application *self)
{
	if (self->prompt_window &&
	    e7_prompt_queue_get_n_groups(self->queue) > 0) {
		gtk_window_present(GTK_WINDOW(self->prompt_window));
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_PENDING);
	}
}

static void window_not_focused(E7PromptWindow *window, E7Application *self)
{
	GtkWidget *page = e7_prompt_window_get_current_page(window);
	guint n = e7_prompt_queue_get_n_groups(self->queue);
	g_autofree char *body = NULL;

	if (!page)
		return;
	body = g_strdup_printf(
		g_dngettext(
			GETTEXT_PACKAGE,
			"%u program is waiting for you to allow or block it.",
			"%u programs are waiting for you to allow or block them.",
			n),
		n);
	e7_notifier_show(self->notifier, E7_NOTIFY_PENDING,
			 _("Network access request"), body, _("Answer…"));
}

static void notify_timed_out(E7Application *self, E7Request *request,
			     gint action)
{
	g_autofree char *name = e7_request_display_name(request);
	g_autofree char *body = NULL;

	if (action == E7_ACTION_ALLOW)
		body = g_strdup_printf(
			_("Nobody answered, so %s was allowed once."), name);
	else
		body = g_strdup_printf(
			_("Nobody answered, so %s was blocked once."), name);
	e7_notifier_show(self->notifier, E7_NOTIFY_TIMED_OUT,
			 _("Prompt timed out"), body, NULL);
}

static void window_timed_out(E7PromptWindow *window, E7Request *request,
			     gint action, E7Application *self)
{
	notify_timed_out(self, request, action);
}

static void ensure_prompt_window(E7Application *self)
{
	if (self->prompt_window)
		return;
	self->prompt_window = e7_prompt_window_new(self->queue);
	gtk_window_set_application(GTK_WINDOW(self->prompt_window),
				   GTK_APPLICATION(self));
	g_signal_connect(self->prompt_window, "not-focused",
			 G_CALLBACK(window_not_focused), self);
	g_signal_connect(self->prompt_window, "timed-out",
			 G_CALLBACK(window_timed_out), self);
}

static void agent_request(E7Agent *agent, E7Request *request,
			  E7Application *self)
{
	/* The window follows the queue; create it before the first page arrives. */
	ensure_prompt_window(self);
	e7_prompt_queue_add(self->queue, request);
}

static void agent_cancelled(E7Agent *agent, guint64 id, E7Application *self)
{
	E7Request *r = e7_prompt_queue_find(self->queue, id);

	/* The daemon's timeout ran out before the user answered: say so. */
	if (r && e7_request_remaining(r, g_get_monotonic_time()) == 0 &&
	    self->client && e7_firewall_client_is_running(self->client))
		notify_timed_out(self, r, r->default_action);
	e7_prompt_queue_withdraw(self->queue, id);
}

static void queue_resolved(E7PromptQueue *queue, guint64 id,
			   const E7Answer *answer, E7Application *self)
{
	if (answer)
		e7_agent_answer(self->agent, id, answer);
	else
		e7_agent_dismiss(self->agent, id);
}

static void queue_changed(E7PromptQueue *queue, E7Application *self)
{
	guint n = e7_prompt_queue_get_n_groups(queue);

	if (n == 0)
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_PENDING);
	if (self->tray_menu) /* NULL once shut down */
		e7_tray_menu_set_pending(self->tray_menu, n);
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
		present_prompts(self);
	else if (g_strcmp0(tag, E7_NOTIFY_BLOCKED) == 0)
		show_rules(self, "rules", self->blocked_program);
}

/* A rule blocked one of this user's programs: say so, at most once a minute each. */
static void connection_event(E7FirewallClient *client, GVariant *event,
			     E7Application *self)
{
	const char *action = e7_rule_get_string(event, "action");
	const char *reason = e7_rule_get_string(event, "reason");
	const char *program = e7_rule_get_string(event, "program");
	guint32 uid = G_MAXUINT32;
	gint64 now = g_get_monotonic_time();
	gpointer last;
	g_autofree char *name = NULL;
	g_autofree char *summary = NULL;
	g_autofree char *body = NULL;

	g_variant_lookup(event, "uid", "u", &uid);
	if (g_strcmp0(action, "block") != 0 || g_strcmp0(reason, "rule") != 0 ||
	    !program || uid != (guint32)getuid())
		return;
	if (g_hash_table_lookup_extended(self->blocked_at, program, NULL,
					 &last) &&
	    now - *(gint64 *)last < BLOCKED_NOTIFY_INTERVAL_US)
		return;
	g_hash_table_insert(self->blocked_at, g_strdup(program),
			    g_memdup2(&now, sizeof(now)));
	g_free(self->blocked_program);
	self->blocked_program = g_strdup(program);
	name = g_path_get_basename(program);
	summary = g_strdup_printf(_("%s was blocked"), name);
	body = e7_event_describe(event);
	e7_notifier_show(self->notifier, E7_NOTIFY_BLOCKED, summary, body,
			 _("Allow…"));
}

static void check_kernel(E7Application *self)
{
	gboolean loaded;

	if (!self->client ||
	    !e7_firewall_client_get_kernel_connected(self->client, &loaded))
		return;
	if (!loaded && !self->kernel_warned) {
		e7_notifier_show(
			self->notifier, E7_NOTIFY_DAEMON,
			_("The firewall kernel module is not loaded"),
			_("The firewall daemon runs, but the eftirlit7 module is missing, "
			  "so no connection is filtered."),
			NULL);
	} else if (loaded && self->kernel_warned) {
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_DAEMON);
	}
	self->kernel_warned = !loaded;
}

/* The mode as e7d says, for the "mode" action's state and the tray. */
static void update_mode(E7Application *self)
{
	GAction *action =
		g_action_map_lookup_action(G_ACTION_MAP(self), "mode");
	gboolean running = self->client &&
			   e7_firewall_client_is_running(self->client);
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
	check_kernel(self);
	update_mode(self);
}

static gboolean absent_timeout(gpointer data)
{
	E7Application *self = data;

	self->absent_id = 0;
	if (e7_firewall_client_get_state(self->client) == E7_DAEMON_ABSENT)
		e7_notifier_show(
			self->notifier, E7_NOTIFY_DAEMON,
			_("The firewall is not running"),
			_("The firewall daemon e7d is not on the system bus, so nobody "
			  "asks you about programs that connect."),
			NULL);
	return G_SOURCE_REMOVE;
}

static void firewall_state_changed(E7FirewallClient *client,
				   E7Application *self)
{
	E7DaemonState state = e7_firewall_client_get_state(client);

	if (state == self->last_state)
		return;
	self->last_state = state;
	if (self->tray_menu)
		e7_tray_menu_set_running(self->tray_menu,
					 state == E7_DAEMON_REGISTERED);
	update_mode(self);
	switch (state) {
	case E7_DAEMON_ABSENT:
		/* At login or on restart e7d may take a moment: wait first. */
		g_clear_handle_id(&self->absent_id, g_source_remove);
		self->absent_id = g_timeout_add_seconds(ABSENT_GRACE_S,
							absent_timeout, self);
		break;
	case E7_DAEMON_FAILED: {
		g_autofree char *body = g_strdup_printf(
			_("The firewall daemon refused the prompt agent: %s"),
			e7_firewall_client_get_error(client)->message);
		e7_notifier_show(self->notifier, E7_NOTIFY_DAEMON,
				 _("Firewall prompts are not available"), body,
				 NULL);
		break;
	}
	case E7_DAEMON_REGISTERED:
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_DAEMON);
		self->kernel_warned = FALSE;
		check_kernel(self);
		break;
	case E7_DAEMON_REGISTERING:
	default:
		break;
	}
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
		g_autofree char *body = g_strdup_printf(
			_("Cannot connect to the system bus: %s"),
			error->message);
		g_warning("%s", body);
		e7_notifier_show(self->notifier, E7_NOTIFY_DAEMON,
				 _("Firewall prompts are not available"), body,
				 NULL);
		return;
	}
	if (!e7_agent_export(self->agent, connection, E7_AGENT_OBJECT_PATH,
			     &error)) {
		g_warning("cannot export the prompt agent: %s", error->message);
		return;
	}
	self->client = e7_firewall_client_new(connection, self->agent,
					      E7_AGENT_OBJECT_PATH);
	g_signal_connect(self->client, "state-changed",
			 G_CALLBACK(firewall_state_changed), self);
	g_signal_connect(self->client, "properties-changed",
			 G_CALLBACK(firewall_properties_changed), self);
	g_signal_connect(self->client, "connection-event",
			 G_CALLBACK(connection_event), self);
	if (self->rules_window)
		e7_rules_window_set_client(E7_RULES_WINDOW(self->rules_window),
					   self->client);
	firewall_state_changed(self->client, self);
}

static void quit_activated(GSimpleAction *action, GVariant *parameter,
			   gpointer data)
{
	g_application_quit(G_APPLICATION(data));
}

static void prompts_activated(GSimpleAction *action, GVariant *parameter,
			      gpointer data)
{
	present_prompts(E7_APPLICATION(data));
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

	if (!self->client || !e7_firewall_client_is_running(self->client))
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

/*
 * Load once, in the background, what the first prompt would otherwise load
 * while the user waits: the page template, theme, fonts, icons, the desktop
 * file index and the resolver thread. A page built off screen and dropped.
 */
static gboolean prewarm(gpointer data)
{
	E7Application *self = data;
	g_autoptr(E7PromptQueue) queue = e7_prompt_queue_new();
	g_autoptr(GVariant) dict = g_variant_ref_sink(g_variant_new_parsed(
		"{'id': <uint64 0>, 'program': <'/usr/bin/true'>,"
		" 'remote-address': <'127.0.0.1'>, 'remote-port': <uint16 1>,"
		" 'protocol': <'tcp'>, 'timeout': <uint32 30>}"));
	g_autoptr(E7Request) request = e7_request_new_from_variant(dict, NULL);
	GtkWidget *offscreen = gtk_offscreen_window_new();

	self->prewarm_id = 0;
	e7_prompt_queue_add(queue, request);
	gtk_container_add(
		GTK_CONTAINER(offscreen),
		e7_prompt_page_new(e7_prompt_queue_get_group(queue, 0)));
	gtk_widget_show_all(offscreen);
	gtk_widget_destroy(offscreen);
	ensure_prompt_window(self);
	gtk_widget_realize(self->prompt_window);
	g_debug("ready for prompts");
	return G_SOURCE_REMOVE;
}

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
	self->blocked_at =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->queue = e7_prompt_queue_new();
	g_signal_connect(self->queue, "resolved", G_CALLBACK(queue_resolved),
			 self);
	g_signal_connect(self->queue, "changed", G_CALLBACK(queue_changed),
			 self);
	self->tray_menu = e7_tray_menu_new();
	update_mode(self);
	self->tray = e7_tray_new(G_ACTION_GROUP(app), self->tray_menu);
	self->agent = e7_agent_new();
	e7_agent_set_check_sender(self->agent, !self->session_bus);
	g_signal_connect(self->agent, "request", G_CALLBACK(agent_request),
			 self);
	g_signal_connect(self->agent, "cancelled", G_CALLBACK(agent_cancelled),
			 self);

	self->cancellable = g_cancellable_new();
	self->prewarm_id =
		g_timeout_add_seconds(PREWARM_DELAY_S, prewarm, self);
	g_bus_get(self->session_bus ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
		  self->cancellable, bus_ready, self);
}

static void e7_application_shutdown(GApplication *app)
{
	E7Application *self = E7_APPLICATION(app);

	g_cancellable_cancel(self->cancellable);
	g_clear_handle_id(&self->absent_id, g_source_remove);
	g_clear_handle_id(&self->prewarm_id, g_source_remove);
	/* Pending calls fail with Cancelled: the daemon applies its policy. */
	if (self->agent)
		e7_agent_unexport(self->agent);
	g_clear_pointer(&self->prompt_window, gtk_widget_destroy);
	g_clear_pointer(&self->rules_window, gtk_widget_destroy);
	g_clear_pointer(&self->tray, e7_tray_free);
	g_clear_object(&self->tray_menu);
	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	g_clear_pointer(&self->blocked_at, g_hash_table_destroy);
	g_clear_pointer(&self->blocked_program, g_free);
	g_clear_object(&self->agent);
	g_clear_object(&self->queue);
	g_clear_object(&self->notifier);
	g_clear_object(&self->cancellable);
	G_APPLICATION_CLASS(e7_application_parent_class)->shutdown(app);
}

/* Started again (menu entry): the pending prompts, else the rules. */
static void e7_application_activate(GApplication *app)
{
	E7Application *self = E7_APPLICATION(app);

	if (self->prompt_window &&
	    e7_prompt_queue_get_n_groups(self->queue) > 0)
		present_prompts(self);
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
	self->last_state = (E7DaemonState)-1;
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
