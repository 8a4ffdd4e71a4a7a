/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rules-window.h"

#include <glib/gi18n.h>

#include "firewall-calls.h"
#include "rule-format.h"
#include "ui-template.h"

struct _E7RulesWindow {
	GtkWindow parent_instance;
	E7FirewallClient *client; /* NULL until the applet is on the bus */
	gboolean running; /* what the window last saw of e7d */
	GCancellable *cancellable;
	guint busy;
	char *message;

	/* from the template */
	GtkStack *stack;
	GtkInfoBar *infobar;
	GtkLabel *infobar_label;
	E7RulesPage *rules_page;
	E7ActivityPage *activity_page;
};

G_DEFINE_FINAL_TYPE(E7RulesWindow, e7_rules_window, GTK_TYPE_WINDOW)

static void show_message(E7RulesWindow *self, GtkMessageType type,
			 const char *text)
{
	g_free(self->message);
	self->message = g_strdup(text);
	gtk_label_set_text(self->infobar_label, text ? text : "");
	gtk_info_bar_set_message_type(self->infobar, type);
	gtk_info_bar_set_revealed(self->infobar, text != NULL);
}

static void show_error(E7RulesWindow *self, const char *what, GError *error)
{
	g_autofree char *text = NULL;

	/* TRANSLATORS: "Cannot remove the rule: <reason>" */
	text = g_strdup_printf(_("%s: %s"), what, error->message);
	show_message(self, GTK_MESSAGE_ERROR, text);
}

static void infobar_response(GtkInfoBar *bar, int response, E7RulesWindow *self)
{
	show_message(self, GTK_MESSAGE_INFO, NULL);
}

/* e7d's mode and kernel state on the activity page. */
static void update_properties(E7RulesWindow *self)
{
	gboolean kernel = FALSE;

	/* Not known counts as not loaded. */
	if (self->running)
		e7_firewall_client_get_kernel_connected(self->client, &kernel);
	e7_activity_page_show_daemon(
		self->activity_page, self->running,
		self->running ? e7_firewall_client_get_mode(self->client) :
				NULL,
		kernel);
}

/* An event of e7d's: on the activity page, and a hit of its rule. */
static void add_event(E7RulesWindow *self, GVariant *event)
{
	e7_activity_page_add_event(self->activity_page, event);
	e7_rules_page_count_hit(self->rules_page, event);
}

/* ---- reading ---- */

static void list_rules_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) rules = e7_firewall_client_list_rules_finish(
		E7_FIREWALL_CLIENT(source), result, &error);
	E7RulesWindow *self;
	GVariantIter iter;
	GVariant *rule;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	self->busy--;
	if (!rules) {
		show_error(self, _("Cannot list the rules"), error);
		return;
	}
	e7_rules_page_clear(self->rules_page);
	g_variant_iter_init(&iter, rules);
	while ((rule = g_variant_iter_next_value(&iter))) {
		e7_rules_page_put_rule(self->rules_page, e7_rule_get_id(rule),
				       rule);
		g_variant_unref(rule);
	}
}

static void get_events_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) events = e7_firewall_client_get_events_finish(
		E7_FIREWALL_CLIENT(source), result, &error);
	E7RulesWindow *self;
	GVariantIter iter;
	GVariant *event;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	self->busy--;
	if (!events) {
		show_error(self, _("Cannot read the recent connections"),
			   error);
		return;
	}
	e7_activity_page_clear(self->activity_page);
	e7_rules_page_forget_hits(self->rules_page);
	g_variant_iter_init(&iter, events);
	while ((event = g_variant_iter_next_value(&iter))) {
		add_event(self, event);
		g_variant_unref(event);
	}
}

static void get_stats_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) stats = e7_firewall_client_get_stats_finish(
		E7_FIREWALL_CLIENT(source), result, &error);
	E7RulesWindow *self;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	self->busy--;
	if (!stats) {
		show_error(self, _("Cannot read the counters"), error);
		return;
	}
	e7_activity_page_show_stats(self->activity_page, stats);
}

void e7_rules_window_refresh(E7RulesWindow *self)
{
	update_properties(self);
	if (!self->running) {
		e7_rules_page_clear(self->rules_page);
		show_message(self, GTK_MESSAGE_WARNING,
			     _("The firewall daemon is not running."));
		return;
	}
	self->busy += 3;
	e7_firewall_client_list_rules(self->client, self->cancellable,
				      list_rules_cb, self);
	e7_firewall_client_get_events(self->client, E7_ACTIVITY_MAX_EVENTS,
				      self->cancellable, get_events_cb, self);
	e7_firewall_client_get_stats(self->client, self->cancellable,
				     get_stats_cb, self);
}

/* ---- changes ---- */

typedef struct {
	E7RulesWindow *self;
	char *what; /* for the error message */
} Change;

static void change_finished(Change *c, gboolean ok, GError *error)
{
	if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		c->self->busy--;
		if (!ok)
			show_error(c->self, c->what, error);
		else
			show_message(c->self, GTK_MESSAGE_INFO, NULL);
		/* A refused mode change must not stay selected. */
		update_properties(c->self);
	}
	g_free(c->what);
	g_free(c);
}

static void add_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = e7_firewall_client_add_rule_finish(
		E7_FIREWALL_CLIENT(source), result, NULL, &error);

	change_finished(data, ok, error);
}

static void change_done(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = e7_firewall_client_change_finish(
		E7_FIREWALL_CLIENT(source), result, &error);

	change_finished(data, ok, error);
}

/* A change is about to be asked: its bookkeeping, or NULL without e7d. */
static Change *start_change(E7RulesWindow *self, const char *what)
{
	Change *c;

	if (!self->running) {
		show_message(self, GTK_MESSAGE_ERROR,
			     _("The firewall daemon is not running."));
		return NULL;
	}
	c = g_new0(Change, 1);
	c->self = self;
	c->what = g_strdup(what);
	self->busy++;
	return c;
}

void e7_rules_window_add_rule(E7RulesWindow *self, GVariant *rule)
{
	g_autoptr(GVariant) owned = g_variant_ref_sink(rule);
	Change *c = start_change(self, _("Cannot add the rule"));

	if (c)
		e7_firewall_client_add_rule(self->client, owned,
					    self->cancellable, add_done, c);
}

void e7_rules_window_update_rule(E7RulesWindow *self, guint64 id,
				 GVariant *changes)
{
	g_autoptr(GVariant) owned = g_variant_ref_sink(changes);
	Change *c = start_change(self, _("Cannot change the rule"));

	if (c)
		e7_firewall_client_update_rule(self->client, id, owned,
					       self->cancellable, change_done,
					       c);
}

void e7_rules_window_remove_rule(E7RulesWindow *self, guint64 id)
{
	Change *c = start_change(self, _("Cannot remove the rule"));

	if (c)
		e7_firewall_client_remove_rule(
			self->client, id, self->cancellable, change_done, c);
}

void e7_rules_window_toggle_rule(E7RulesWindow *self, guint64 id)
{
	gboolean allowed;
	GVariantDict changes;

	if (!e7_rules_page_get_allowed(self->rules_page, id, &allowed))
		return;
	g_variant_dict_init(&changes, NULL);
	g_variant_dict_insert(&changes, "action", "s",
			      allowed ? "block" : "allow");
	e7_rules_window_update_rule(self, id, g_variant_dict_end(&changes));
}

static void ask_mode(E7RulesWindow *self, const char *mode)
{
	Change *c = start_change(self, _("Cannot change the mode"));

	if (c)
		e7_firewall_client_set_mode(self->client, mode,
					    self->cancellable, change_done, c);
}

/* ---- what the pages ask for ---- */

static void page_add_rule(E7RulesPage *page, GVariant *rule,
			  E7RulesWindow *self)
{
	e7_rules_window_add_rule(self, rule);
}

static void page_update_rule(E7RulesPage *page, guint64 id, GVariant *rule,
			     E7RulesWindow *self)
{
	e7_rules_window_update_rule(self, id, rule);
}

static void page_remove_rule(E7RulesPage *page, guint64 id, E7RulesWindow *self)
{
	e7_rules_window_remove_rule(self, id);
}

static void page_toggle_rule(E7RulesPage *page, guint64 id, E7RulesWindow *self)
{
	e7_rules_window_toggle_rule(self, id);
}

static void page_mode_chosen(E7ActivityPage *page, const char *mode,
			     E7RulesWindow *self)
{
	ask_mode(self, mode);
}

static void page_refresh(E7ActivityPage *page, E7RulesWindow *self)
{
	e7_rules_window_refresh(self);
}

/* ---- e7d's signals ---- */

static void rule_put(E7FirewallClient *client, guint64 id, GVariant *rule,
		     E7RulesWindow *self)
{
	e7_rules_page_put_rule(self->rules_page, id, rule);
}

static void rule_removed(E7FirewallClient *client, guint64 id,
			 E7RulesWindow *self)
{
	e7_rules_page_remove_rule(self->rules_page, id);
}

static void connection_event(E7FirewallClient *client, GVariant *event,
			     E7RulesWindow *self)
{
	add_event(self, event);
}

static void properties_changed(E7FirewallClient *client, E7RulesWindow *self)
{
	update_properties(self);
}

/* e7d came or went: start again from what it says, or from nothing. */
static void state_changed(E7FirewallClient *client, E7RulesWindow *self)
{
	gboolean running = client && e7_firewall_client_is_running(client);

	if (running == self->running)
		return;
	self->running = running;
	g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	self->cancellable = g_cancellable_new();
	self->busy = 0;
	show_message(self, GTK_MESSAGE_INFO, NULL);
	e7_rules_window_refresh(self);
}

void e7_rules_window_set_client(E7RulesWindow *self, E7FirewallClient *client)
{
	if (self->client == client)
		return;
	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_set_object(&self->client, client);
	if (client) {
		g_signal_connect(client, "rule-added", G_CALLBACK(rule_put),
				 self);
		g_signal_connect(client, "rule-changed", G_CALLBACK(rule_put),
				 self);
		g_signal_connect(client, "rule-removed",
				 G_CALLBACK(rule_removed), self);
		g_signal_connect(client, "connection-event",
				 G_CALLBACK(connection_event), self);
		g_signal_connect(client, "properties-changed",
				 G_CALLBACK(properties_changed), self);
		g_signal_connect(client, "state-changed",
				 G_CALLBACK(state_changed), self);
	}
	state_changed(client, self);
}

/* ---- the object ---- */

static void e7_rules_window_dispose(GObject *object)
{
	E7RulesWindow *self = E7_RULES_WINDOW(object);

	if (self->cancellable)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	G_OBJECT_CLASS(e7_rules_window_parent_class)->dispose(object);
}

static void e7_rules_window_finalize(GObject *object)
{
	E7RulesWindow *self = E7_RULES_WINDOW(object);

	g_free(self->message);
	G_OBJECT_CLASS(e7_rules_window_parent_class)->finalize(object);
}

static void bind_template(GtkWidgetClass *widget_class)
{
	e7_ui_template_set(widget_class, "rules-window.ui");
	gtk_widget_class_bind_template_child(widget_class, E7RulesWindow,
					     stack);
	gtk_widget_class_bind_template_child(widget_class, E7RulesWindow,
					     infobar);
	gtk_widget_class_bind_template_child(widget_class, E7RulesWindow,
					     infobar_label);
	gtk_widget_class_bind_template_child(widget_class, E7RulesWindow,
					     rules_page);
	gtk_widget_class_bind_template_child(widget_class, E7RulesWindow,
					     activity_page);
	gtk_widget_class_bind_template_callback(widget_class,
						gtk_widget_hide_on_delete);
	gtk_widget_class_bind_template_callback(widget_class, infobar_response);
	gtk_widget_class_bind_template_callback(widget_class, page_add_rule);
	gtk_widget_class_bind_template_callback(widget_class, page_update_rule);
	gtk_widget_class_bind_template_callback(widget_class, page_remove_rule);
	gtk_widget_class_bind_template_callback(widget_class, page_toggle_rule);
	gtk_widget_class_bind_template_callback(widget_class, page_mode_chosen);
	gtk_widget_class_bind_template_callback(widget_class, page_refresh);
}

static void e7_rules_window_class_init(E7RulesWindowClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = e7_rules_window_dispose;
	G_OBJECT_CLASS(klass)->finalize = e7_rules_window_finalize;
	/* The template names the pages' types. */
	g_type_ensure(E7_TYPE_RULES_PAGE);
	g_type_ensure(E7_TYPE_ACTIVITY_PAGE);
	bind_template(GTK_WIDGET_CLASS(klass));
}

static void e7_rules_window_init(E7RulesWindow *self)
{
	self->cancellable = g_cancellable_new();
	gtk_widget_init_template(GTK_WIDGET(self));
	/* No daemon until e7_rules_window_set_client() says otherwise. */
	e7_rules_window_refresh(self);
}

GtkWidget *e7_rules_window_new(void)
{
	return g_object_new(E7_TYPE_RULES_WINDOW, NULL);
}

void e7_rules_window_show_page(E7RulesWindow *self, const char *name)
{
	gtk_stack_set_visible_child_name(self->stack, name);
}

void e7_rules_window_set_filter(E7RulesWindow *self, const char *text)
{
	e7_rules_page_set_filter(self->rules_page, text);
}

void e7_rules_window_set_mode(E7RulesWindow *self, const char *mode)
{
	e7_activity_page_choose_mode(self->activity_page, mode);
}

GtkTreeModel *e7_rules_window_get_rules_model(E7RulesWindow *self)
{
	return e7_rules_page_get_model(self->rules_page);
}

GtkTreeModel *e7_rules_window_get_events_model(E7RulesWindow *self)
{
	return e7_activity_page_get_events_model(self->activity_page);
}

GtkTreeModel *e7_rules_window_get_programs_model(E7RulesWindow *self)
{
	return e7_activity_page_get_programs_model(self->activity_page);
}

const char *e7_rules_window_get_message(E7RulesWindow *self)
{
	return self->message;
}

const char *e7_rules_window_get_mode(E7RulesWindow *self)
{
	return e7_activity_page_get_mode(self->activity_page);
}

guint e7_rules_window_get_busy(E7RulesWindow *self)
{
	return self->busy;
}
