/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rules-window.h"

#include <glib/gi18n.h>

#include "firewall-calls.h"
#include "rule-editor.h"
#include "rule-format.h"

/* The activity list keeps this many events. */
#define MAX_EVENTS 500

/* Hits of a rule seen in the daemon's recent events. */
typedef struct {
	guint64 count;
	guint64 last_us;
} Hits;

struct _E7RulesWindow {
	GtkWindow parent_instance;
	GHashTable *hits; /* guint64 *rule id -> Hits */
	E7FirewallClient *client; /* NULL until the applet is on the bus */
	gboolean running; /* what the window last saw of e7d */
	GCancellable *cancellable;
	guint busy;
	gboolean setting_mode;
	char *message;
	char *filter;

	GtkStack *stack;
	GtkInfoBar *infobar;
	GtkLabel *infobar_label;
	GtkListStore *rules;
	GtkTreeModelFilter *rules_filter;
	GtkTreeView *rules_view;
	GtkListStore *events;
	GtkListStore *programs;
	GtkComboBoxText *mode;
	GtkLabel *kernel;
	GtkLabel *stats;
	GtkWidget *edit_button;
	GtkWidget *remove_button;
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

/* ---- rules ---- */

static gboolean find_rule(E7RulesWindow *self, guint64 id, GtkTreeIter *iter)
{
	GtkTreeModel *model = GTK_TREE_MODEL(self->rules);
	gboolean ok;

	for (ok = gtk_tree_model_get_iter_first(model, iter); ok;
	     ok = gtk_tree_model_iter_next(model, iter)) {
		guint64 row_id;

		gtk_tree_model_get(model, iter, E7_RULES_COL_ID, &row_id, -1);
		if (row_id == id)
			return TRUE;
	}
	return FALSE;
}

static void set_rule_row(E7RulesWindow *self, GtkTreeIter *iter, GVariant *rule)
{
	g_autofree char *program = e7_rule_describe_program(rule);
	g_autofree char *action = e7_rule_describe_action(rule);
	g_autofree char *scope = e7_rule_describe_scope(rule);
	g_autofree char *lifetime = e7_rule_describe_lifetime(rule);
	g_autofree char *hits = NULL;
	g_autofree char *last = NULL;
	guint64 id = e7_rule_get_id(rule);
	Hits *seen = g_hash_table_lookup(self->hits, &id);

	/*
	 * The daemon's own counters when it reports them, else what its
	 * recent events show.
	 */
	if (!g_variant_lookup(rule, "hits", "t", NULL) && seen) {
		GVariantDict d;
		g_autoptr(GVariant) counted = NULL;

		g_variant_dict_init(&d, rule);
		g_variant_dict_insert(&d, "hits", "t", seen->count);
		g_variant_dict_insert(&d, "last-hit", "t", seen->last_us);
		counted = g_variant_ref_sink(g_variant_dict_end(&d));
		hits = e7_rule_describe_hits(counted);
		last = e7_rule_describe_last_hit(counted);
	} else {
		hits = e7_rule_describe_hits(rule);
		last = e7_rule_describe_last_hit(rule);
	}

	gtk_list_store_set(
		self->rules, iter, E7_RULES_COL_RULE, rule, E7_RULES_COL_ID,
		e7_rule_get_id(rule), E7_RULES_COL_PROGRAM, program,
		E7_RULES_COL_ALLOWED,
		g_strcmp0(e7_rule_get_string(rule, "action"), "allow") == 0,
		E7_RULES_COL_ACTION, action, E7_RULES_COL_SCOPE, scope,
		E7_RULES_COL_LIFETIME, lifetime, E7_RULES_COL_HITS, hits,
		E7_RULES_COL_LAST_HIT, last, -1);
}

static void put_rule(E7RulesWindow *self, guint64 id, GVariant *rule)
{
	g_autoptr(GVariant) with_id = NULL;
	GtkTreeIter iter;

	/* Signals carry the id beside the rule: make sure the row knows it. */
	if (e7_rule_get_id(rule) != id) {
		GVariantBuilder b;
		GVariantIter it;
		const char *key;
		GVariant *value;

		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
		g_variant_iter_init(&it, rule);
		while (g_variant_iter_loop(&it, "{&sv}", &key, &value)) {
			if (!g_str_equal(key, "id"))
				g_variant_builder_add(&b, "{sv}", key, value);
		}
		g_variant_builder_add(&b, "{sv}", "id",
				      g_variant_new_uint64(id));
		with_id = g_variant_ref_sink(g_variant_builder_end(&b));
		rule = with_id;
	}
	if (!find_rule(self, id, &iter))
		gtk_list_store_append(self->rules, &iter);
	set_rule_row(self, &iter, rule);
}

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
	gtk_list_store_clear(self->rules);
	g_variant_iter_init(&iter, rules);
	while ((rule = g_variant_iter_next_value(&iter))) {
		put_rule(self, e7_rule_get_id(rule), rule);
		g_variant_unref(rule);
	}
}

/* ---- activity ---- */

static void count_program(E7RulesWindow *self, const char *program,
			  gboolean allowed)
{
	GtkTreeModel *model = GTK_TREE_MODEL(self->programs);
	GtkTreeIter iter;
	gboolean ok;

	for (ok = gtk_tree_model_get_iter_first(model, &iter); ok;
	     ok = gtk_tree_model_iter_next(model, &iter)) {
		g_autofree char *p = NULL;
		guint a, b;

		gtk_tree_model_get(model, &iter, E7_PROGRAMS_COL_PROGRAM, &p,
				   E7_PROGRAMS_COL_ALLOWED, &a,
				   E7_PROGRAMS_COL_BLOCKED, &b, -1);
		if (g_strcmp0(p, program) == 0) {
			gtk_list_store_set(self->programs, &iter,
					   E7_PROGRAMS_COL_ALLOWED,
					   a + (allowed ? 1 : 0),
					   E7_PROGRAMS_COL_BLOCKED,
					   b + (allowed ? 0 : 1), -1);
			return;
		}
	}
	gtk_list_store_insert_with_values(
		self->programs, NULL, -1, E7_PROGRAMS_COL_PROGRAM, program,
		E7_PROGRAMS_COL_ALLOWED, allowed ? 1u : 0u,
		E7_PROGRAMS_COL_BLOCKED, allowed ? 0u : 1u, -1);
}

static void refresh_rule_rows(E7RulesWindow *self)
{
	GtkTreeModel *model = GTK_TREE_MODEL(self->rules);
	GtkTreeIter iter;
	gboolean ok;

	for (ok = gtk_tree_model_get_iter_first(model, &iter); ok;
	     ok = gtk_tree_model_iter_next(model, &iter)) {
		g_autoptr(GVariant) rule = NULL;

		gtk_tree_model_get(model, &iter, E7_RULES_COL_RULE, &rule, -1);
		if (rule)
			set_rule_row(self, &iter, rule);
	}
}

static void count_rule_hit(E7RulesWindow *self, GVariant *event)
{
	guint64 id, time_us = 0;
	Hits *hits;
	GtkTreeIter iter;

	if (!g_variant_lookup(event, "rule-id", "t", &id))
		return;
	g_variant_lookup(event, "time", "t", &time_us);
	hits = g_hash_table_lookup(self->hits, &id);
	if (!hits) {
		guint64 *key = g_memdup2(&id, sizeof(id));

		hits = g_new0(Hits, 1);
		g_hash_table_insert(self->hits, key, hits);
	}
	hits->count++;
	hits->last_us = MAX(hits->last_us, time_us);
	if (find_rule(self, id, &iter)) {
		g_autoptr(GVariant) rule = NULL;

		gtk_tree_model_get(GTK_TREE_MODEL(self->rules), &iter,
				   E7_RULES_COL_RULE, &rule, -1);
		set_rule_row(self, &iter, rule);
	}
}

static void add_event(E7RulesWindow *self, GVariant *event)
{
	const char *program = e7_rule_get_string(event, "program");
	const char *action = e7_rule_get_string(event, "action");
	const char *reason = e7_rule_get_string(event, "reason");
	const char *addr = e7_rule_get_string(event, "remote-address");
	const char *proto = e7_rule_get_string(event, "protocol");
	g_autofree char *time = e7_event_describe_time(event);
	g_autofree char *dest = NULL;
	g_autofree char *proto_up = g_ascii_strup(proto ? proto : "?", -1);
	gboolean allowed = g_strcmp0(action, "allow") == 0;
	guint16 port = 0;
	gint n;

	g_variant_lookup(event, "remote-port", "q", &port);
	dest = port ? g_strdup_printf("%s %s:%u", proto_up, addr ? addr : "?",
				      port) :
		      g_strdup_printf("%s %s", proto_up, addr ? addr : "?");
	gtk_list_store_insert_with_values(
		self->events, NULL, 0, E7_EVENTS_COL_TIME, time,
		E7_EVENTS_COL_PROGRAM, program ? program : "?",
		E7_EVENTS_COL_ACTION, allowed ? _("Allowed") : _("Blocked"),
		E7_EVENTS_COL_DESTINATION, dest, E7_EVENTS_COL_REASON,
		reason ? reason : "", -1);
	n = gtk_tree_model_iter_n_children(GTK_TREE_MODEL(self->events), NULL);
	if (n > MAX_EVENTS) {
		GtkTreeIter last;

		if (gtk_tree_model_iter_nth_child(GTK_TREE_MODEL(self->events),
						  &last, NULL, n - 1))
			gtk_list_store_remove(self->events, &last);
	}
	if (program && action)
		count_program(self, program, allowed);
	count_rule_hit(self, event);
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
	gtk_list_store_clear(self->events);
	gtk_list_store_clear(self->programs);
	g_hash_table_remove_all(self->hits);
	g_variant_iter_init(&iter, events);
	while ((event = g_variant_iter_next_value(&iter))) {
		add_event(self, event);
		g_variant_unref(event);
	}
	refresh_rule_rows(self);
}

static void get_stats_cb(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) stats = e7_firewall_client_get_stats_finish(
		E7_FIREWALL_CLIENT(source), result, &error);
	E7RulesWindow *self;
	guint32 rules = 0, pending = 0, agents = 0;
	guint64 prompts = 0, lost = 0;
	g_autofree char *text = NULL;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	self = data;
	self->busy--;
	if (!stats) {
		show_error(self, _("Cannot read the counters"), error);
		return;
	}
	g_variant_lookup(stats, "rules", "u", &rules);
	g_variant_lookup(stats, "prompts", "t", &prompts);
	g_variant_lookup(stats, "prompts-pending", "u", &pending);
	g_variant_lookup(stats, "agents", "u", &agents);
	g_variant_lookup(stats, "events-lost", "t", &lost);
	{
		/* 64-bit counters as text: translatable strings cannot hold format macros. */
		g_autofree char *prompts_s =
			g_strdup_printf("%" G_GUINT64_FORMAT, prompts);
		g_autofree char *lost_s =
			g_strdup_printf("%" G_GUINT64_FORMAT, lost);

		text = g_strdup_printf(
			_("Rules: %u · Prompts: %s (%u pending) · Prompt agents: "
			  "%u · Events lost: %s"),
			rules, prompts_s, pending, agents, lost_s);
	}
	gtk_label_set_text(self->stats, text);
}

static void update_properties(E7RulesWindow *self)
{
	const char *mode;
	gboolean kernel = FALSE;

	if (!self->running) {
		gtk_widget_set_sensitive(GTK_WIDGET(self->mode), FALSE);
		gtk_label_set_text(self->kernel,
				   _("The firewall daemon is not running."));
		return;
	}
	mode = e7_firewall_client_get_mode(self->client);
	self->setting_mode = TRUE;
	if (mode &&
	    !gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->mode), mode)) {
		gtk_combo_box_text_append(self->mode, mode, mode);
		gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->mode), mode);
	}
	self->setting_mode = FALSE;
	gtk_widget_set_sensitive(GTK_WIDGET(self->mode), TRUE);
	if (e7_firewall_client_get_kernel_connected(self->client, &kernel) &&
	    kernel)
		gtk_label_set_text(self->kernel,
				   _("The kernel module is loaded."));
	else
		gtk_label_set_text(
			self->kernel,
			_("The kernel module is not loaded: nothing is filtered."));
}

/* ---- calls ---- */

typedef struct {
	E7RulesWindow *self;
	char *what; /* for the error message */
} CallData;

static void change_finished(CallData *d, gboolean ok, GError *error)
{
	if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		d->self->busy--;
		if (!ok)
			show_error(d->self, d->what, error);
		else
			show_message(d->self, GTK_MESSAGE_INFO, NULL);
		/* A refused mode change must not stay selected. */
		update_properties(d->self);
	}
	g_free(d->what);
	g_free(d);
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
static CallData *start_change(E7RulesWindow *self, const char *what)
{
	CallData *d;

	if (!self->running) {
		show_message(self, GTK_MESSAGE_ERROR,
			     _("The firewall daemon is not running."));
		return NULL;
	}
	d = g_new0(CallData, 1);
	d->self = self;
	d->what = g_strdup(what);
	self->busy++;
	return d;
}

void e7_rules_window_add_rule(E7RulesWindow *self, GVariant *rule)
{
	g_autoptr(GVariant) owned = g_variant_ref_sink(rule);
	CallData *d = start_change(self, _("Cannot add the rule"));

	if (d)
		e7_firewall_client_add_rule(self->client, owned,
					    self->cancellable, add_done, d);
}

void e7_rules_window_update_rule(E7RulesWindow *self, guint64 id,
				 GVariant *changes)
{
	g_autoptr(GVariant) owned = g_variant_ref_sink(changes);
	CallData *d = start_change(self, _("Cannot change the rule"));

	if (d)
		e7_firewall_client_update_rule(self->client, id, owned,
					       self->cancellable, change_done,
					       d);
}

void e7_rules_window_remove_rule(E7RulesWindow *self, guint64 id)
{
	CallData *d = start_change(self, _("Cannot remove the rule"));

	if (d)
		e7_firewall_client_remove_rule(
			self->client, id, self->cancellable, change_done, d);
}

static void ask_mode(E7RulesWindow *self, const char *mode)
{
	CallData *d = start_change(self, _("Cannot change the mode"));

	if (d)
		e7_firewall_client_set_mode(self->client, mode,
					    self->cancellable, change_done, d);
}

void e7_rules_window_toggle_rule(E7RulesWindow *self, guint64 id)
{
	GtkTreeIter iter;
	gboolean allowed;
	GVariantBuilder b;

	if (!find_rule(self, id, &iter))
		return;
	gtk_tree_model_get(GTK_TREE_MODEL(self->rules), &iter,
			   E7_RULES_COL_ALLOWED, &allowed, -1);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "action",
			      g_variant_new_string(allowed ? "block" :
							     "allow"));
	e7_rules_window_update_rule(self, id, g_variant_builder_end(&b));
}

void e7_rules_window_refresh(E7RulesWindow *self)
{
	update_properties(self);
	if (!self->running) {
		gtk_list_store_clear(self->rules);
		show_message(self, GTK_MESSAGE_WARNING,
			     _("The firewall daemon is not running."));
		return;
	}
	self->busy += 3;
	e7_firewall_client_list_rules(self->client, self->cancellable,
				      list_rules_cb, self);
	e7_firewall_client_get_events(self->client, MAX_EVENTS,
				      self->cancellable, get_events_cb, self);
	e7_firewall_client_get_stats(self->client, self->cancellable,
				     get_stats_cb, self);
}

/* ---- daemon signals ---- */

static void rule_put(E7FirewallClient *client, guint64 id, GVariant *rule,
		     E7RulesWindow *self)
{
	put_rule(self, id, rule);
}

static void rule_removed(E7FirewallClient *client, guint64 id,
			 E7RulesWindow *self)
{
	GtkTreeIter iter;

	if (find_rule(self, id, &iter))
		gtk_list_store_remove(self->rules, &iter);
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

/* ---- widgets ---- */

static gboolean rule_visible(GtkTreeModel *model, GtkTreeIter *iter,
			     gpointer data)
{
	E7RulesWindow *self = data;
	g_autoptr(GVariant) rule = NULL;

	if (!self->filter || !*self->filter)
		return TRUE;
	gtk_tree_model_get(model, iter, E7_RULES_COL_RULE, &rule, -1);
	return rule && e7_rule_matches(rule, self->filter);
}

void e7_rules_window_set_filter(E7RulesWindow *self, const char *text)
{
	g_free(self->filter);
	self->filter = g_strdup(text);
	gtk_tree_model_filter_refilter(self->rules_filter);
}

static void search_changed(GtkSearchEntry *entry, E7RulesWindow *self)
{
	e7_rules_window_set_filter(self, gtk_entry_get_text(GTK_ENTRY(entry)));
}

static GVariant *selected_rule(E7RulesWindow *self)
{
	GtkTreeSelection *sel = gtk_tree_view_get_selection(self->rules_view);
	GtkTreeModel *model;
	GtkTreeIter iter;
	GVariant *rule = NULL;

	if (!gtk_tree_selection_get_selected(sel, &model, &iter))
		return NULL;
	gtk_tree_model_get(model, &iter, E7_RULES_COL_RULE, &rule, -1);
	return rule;
}

static void selection_changed(GtkTreeSelection *sel, E7RulesWindow *self)
{
	gboolean any = gtk_tree_selection_count_selected_rows(sel) > 0;

	gtk_widget_set_sensitive(self->edit_button, any);
	gtk_widget_set_sensitive(self->remove_button, any);
}

static void editor_response(GtkDialog *dialog, int response,
			    E7RulesWindow *self)
{
	guint64 id = GPOINTER_TO_SIZE(
		g_object_get_data(G_OBJECT(dialog), "e7-rule-id"));
	GVariant *rule;

	if (response == GTK_RESPONSE_OK) {
		rule = e7_rule_editor_get_rule(E7_RULE_EDITOR(dialog), NULL);
		if (!rule)
			return; /* the editor shows why and stays open */
		if (id)
			e7_rules_window_update_rule(self, id, rule);
		else
			e7_rules_window_add_rule(self, rule);
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
}

static void open_editor(E7RulesWindow *self, GVariant *rule)
{
	GtkWidget *dialog = e7_rule_editor_new(GTK_WINDOW(self), rule);

	if (rule)
		g_object_set_data(
			G_OBJECT(dialog), "e7-rule-id",
			GSIZE_TO_POINTER((gsize)e7_rule_get_id(rule)));
	g_signal_connect(dialog, "response", G_CALLBACK(editor_response), self);
	gtk_window_present(GTK_WINDOW(dialog));
}

static void add_clicked(GtkButton *button, E7RulesWindow *self)
{
	open_editor(self, NULL);
}

static void edit_clicked(GtkButton *button, E7RulesWindow *self)
{
	g_autoptr(GVariant) rule = selected_rule(self);

	if (rule)
		open_editor(self, rule);
}

static void remove_clicked(GtkButton *button, E7RulesWindow *self)
{
	g_autoptr(GVariant) rule = selected_rule(self);

	if (rule)
		e7_rules_window_remove_rule(self, e7_rule_get_id(rule));
}

static void row_activated(GtkTreeView *view, GtkTreePath *path,
			  GtkTreeViewColumn *column, E7RulesWindow *self)
{
	edit_clicked(NULL, self);
}

static void allowed_toggled(GtkCellRendererToggle *cell, char *path,
			    E7RulesWindow *self)
{
	GtkTreeIter iter;
	guint64 id;

	if (!gtk_tree_model_get_iter_from_string(
		    GTK_TREE_MODEL(self->rules_filter), &iter, path))
		return;
	gtk_tree_model_get(GTK_TREE_MODEL(self->rules_filter), &iter,
			   E7_RULES_COL_ID, &id, -1);
	e7_rules_window_toggle_rule(self, id);
}

static void mode_changed(GtkComboBox *combo, E7RulesWindow *self)
{
	const char *id = gtk_combo_box_get_active_id(combo);

	if (self->setting_mode || !id)
		return;
	ask_mode(self, id);
}

static void refresh_clicked(GtkButton *button, E7RulesWindow *self)
{
	e7_rules_window_refresh(self);
}

static void text_column(GtkTreeView *view, const char *title, int col,
			gboolean expand)
{
	GtkCellRenderer *cell = gtk_cell_renderer_text_new();
	GtkTreeViewColumn *column = gtk_tree_view_column_new_with_attributes(
		title, cell, "text", col, NULL);

	if (expand)
		g_object_set(cell, "ellipsize", PANGO_ELLIPSIZE_MIDDLE, NULL);
	gtk_tree_view_column_set_expand(column, expand);
	gtk_tree_view_column_set_resizable(column, TRUE);
	gtk_tree_view_column_set_sort_column_id(column, col);
	gtk_tree_view_append_column(view, column);
}

static GtkWidget *scrolled(GtkWidget *child)
{
	GtkWidget *sw = gtk_scrolled_window_new(NULL, NULL);

	gtk_scrolled_window_set_shadow_type(GTK_SCROLLED_WINDOW(sw),
					    GTK_SHADOW_IN);
	gtk_widget_set_vexpand(sw, TRUE);
	gtk_container_add(GTK_CONTAINER(sw), child);
	return sw;
}

static GtkWidget *build_rules_page(E7RulesWindow *self)
{
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	GtkWidget *bar = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	GtkWidget *search = gtk_search_entry_new();
	GtkWidget *add = gtk_button_new_with_mnemonic(_("_Add…"));
	GtkCellRenderer *toggle = gtk_cell_renderer_toggle_new();
	GtkTreeViewColumn *column;

	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	gtk_entry_set_placeholder_text(GTK_ENTRY(search), _("Filter rules"));
	gtk_widget_set_hexpand(search, TRUE);
	g_signal_connect(search, "search-changed", G_CALLBACK(search_changed),
			 self);
	self->edit_button = gtk_button_new_with_mnemonic(_("_Edit…"));
	self->remove_button = gtk_button_new_with_mnemonic(_("_Delete"));
	gtk_widget_set_sensitive(self->edit_button, FALSE);
	gtk_widget_set_sensitive(self->remove_button, FALSE);
	g_signal_connect(add, "clicked", G_CALLBACK(add_clicked), self);
	g_signal_connect(self->edit_button, "clicked", G_CALLBACK(edit_clicked),
			 self);
	g_signal_connect(self->remove_button, "clicked",
			 G_CALLBACK(remove_clicked), self);
	gtk_container_add(GTK_CONTAINER(bar), search);
	gtk_container_add(GTK_CONTAINER(bar), add);
	gtk_container_add(GTK_CONTAINER(bar), self->edit_button);
	gtk_container_add(GTK_CONTAINER(bar), self->remove_button);

	self->rules = gtk_list_store_new(E7_RULES_N_COLS, G_TYPE_VARIANT,
					 G_TYPE_UINT64, G_TYPE_STRING,
					 G_TYPE_BOOLEAN, G_TYPE_STRING,
					 G_TYPE_STRING, G_TYPE_STRING,
					 G_TYPE_STRING, G_TYPE_STRING);
	self->rules_filter = GTK_TREE_MODEL_FILTER(
		gtk_tree_model_filter_new(GTK_TREE_MODEL(self->rules), NULL));
	gtk_tree_model_filter_set_visible_func(self->rules_filter, rule_visible,
					       self, NULL);
	self->rules_view = GTK_TREE_VIEW(gtk_tree_view_new_with_model(
		GTK_TREE_MODEL(self->rules_filter)));
	gtk_tree_view_set_search_column(self->rules_view, E7_RULES_COL_PROGRAM);
	text_column(self->rules_view, _("Program"), E7_RULES_COL_PROGRAM, TRUE);
	column = gtk_tree_view_column_new_with_attributes(
		_("Allowed"), toggle, "active", E7_RULES_COL_ALLOWED, NULL);
	g_signal_connect(toggle, "toggled", G_CALLBACK(allowed_toggled), self);
	gtk_tree_view_append_column(self->rules_view, column);
	text_column(self->rules_view, _("Scope"), E7_RULES_COL_SCOPE, TRUE);
	text_column(self->rules_view, _("Lifetime"), E7_RULES_COL_LIFETIME,
		    FALSE);
	text_column(self->rules_view, _("Hits"), E7_RULES_COL_HITS, FALSE);
	text_column(self->rules_view, _("Last hit"), E7_RULES_COL_LAST_HIT,
		    FALSE);
	g_signal_connect(self->rules_view, "row-activated",
			 G_CALLBACK(row_activated), self);
	g_signal_connect(gtk_tree_view_get_selection(self->rules_view),
			 "changed", G_CALLBACK(selection_changed), self);

	gtk_container_add(GTK_CONTAINER(box), bar);
	gtk_container_add(GTK_CONTAINER(box),
			  scrolled(GTK_WIDGET(self->rules_view)));
	return box;
}

static GtkWidget *build_activity_page(E7RulesWindow *self)
{
	static const char *const modes[] = { "ask",
					     N_("Ask about unknown programs"),
					     "allow-unknown",
					     N_("Learn: allow unknown programs"),
					     "deny-unknown",
					     N_("Block unknown programs"),
					     "disabled",
					     N_("Disabled: allow everything"),
					     "block-all",
					     N_("Block everything"),
					     NULL };
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
	GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
	GtkWidget *label = gtk_label_new_with_mnemonic(_("_Mode:"));
	GtkWidget *refresh = gtk_button_new_with_mnemonic(_("Re_fresh"));
	GtkWidget *paned = gtk_paned_new(GTK_ORIENTATION_HORIZONTAL);
	GtkTreeView *events, *programs;

	gtk_container_set_border_width(GTK_CONTAINER(box), 12);
	self->mode = GTK_COMBO_BOX_TEXT(gtk_combo_box_text_new());
	for (guint i = 0; modes[i]; i += 2)
		gtk_combo_box_text_append(self->mode, modes[i],
					  _(modes[i + 1]));
	gtk_label_set_mnemonic_widget(GTK_LABEL(label), GTK_WIDGET(self->mode));
	g_signal_connect(self->mode, "changed", G_CALLBACK(mode_changed), self);
	g_signal_connect(refresh, "clicked", G_CALLBACK(refresh_clicked), self);
	self->kernel = GTK_LABEL(gtk_label_new(NULL));
	gtk_label_set_xalign(self->kernel, 0.0);
	gtk_widget_set_hexpand(GTK_WIDGET(self->kernel), TRUE);
	gtk_container_add(GTK_CONTAINER(row), label);
	gtk_container_add(GTK_CONTAINER(row), GTK_WIDGET(self->mode));
	gtk_container_add(GTK_CONTAINER(row), GTK_WIDGET(self->kernel));
	gtk_container_add(GTK_CONTAINER(row), refresh);
	self->stats = GTK_LABEL(gtk_label_new(NULL));
	gtk_label_set_xalign(self->stats, 0.0);
	gtk_style_context_add_class(
		gtk_widget_get_style_context(GTK_WIDGET(self->stats)),
		"dim-label");

	self->events = gtk_list_store_new(E7_EVENTS_N_COLS, G_TYPE_STRING,
					  G_TYPE_STRING, G_TYPE_STRING,
					  G_TYPE_STRING, G_TYPE_STRING);
	events = GTK_TREE_VIEW(
		gtk_tree_view_new_with_model(GTK_TREE_MODEL(self->events)));
	text_column(events, _("Time"), E7_EVENTS_COL_TIME, FALSE);
	text_column(events, _("Program"), E7_EVENTS_COL_PROGRAM, TRUE);
	text_column(events, _("Verdict"), E7_EVENTS_COL_ACTION, FALSE);
	text_column(events, _("Destination"), E7_EVENTS_COL_DESTINATION, TRUE);
	text_column(events, _("Reason"), E7_EVENTS_COL_REASON, FALSE);
	self->programs = gtk_list_store_new(E7_PROGRAMS_N_COLS, G_TYPE_STRING,
					    G_TYPE_UINT, G_TYPE_UINT);
	programs = GTK_TREE_VIEW(
		gtk_tree_view_new_with_model(GTK_TREE_MODEL(self->programs)));
	text_column(programs, _("Program"), E7_PROGRAMS_COL_PROGRAM, TRUE);
	text_column(programs, _("Allowed"), E7_PROGRAMS_COL_ALLOWED, FALSE);
	text_column(programs, _("Blocked"), E7_PROGRAMS_COL_BLOCKED, FALSE);
	gtk_paned_pack1(GTK_PANED(paned), scrolled(GTK_WIDGET(events)), TRUE,
			FALSE);
	gtk_paned_pack2(GTK_PANED(paned), scrolled(GTK_WIDGET(programs)), FALSE,
			FALSE);
	gtk_paned_set_position(GTK_PANED(paned), 560);

	gtk_container_add(GTK_CONTAINER(box), row);
	gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(self->stats));
	gtk_container_add(GTK_CONTAINER(box), paned);
	return box;
}

static void e7_rules_window_dispose(GObject *object)
{
	E7RulesWindow *self = E7_RULES_WINDOW(object);

	if (self->cancellable)
		g_cancellable_cancel(self->cancellable);
	g_clear_object(&self->cancellable);
	if (self->client)
		g_signal_handlers_disconnect_by_data(self->client, self);
	g_clear_object(&self->client);
	g_clear_object(&self->rules);
	g_clear_object(&self->rules_filter);
	g_clear_object(&self->events);
	g_clear_object(&self->programs);
	G_OBJECT_CLASS(e7_rules_window_parent_class)->dispose(object);
}

static void e7_rules_window_finalize(GObject *object)
{
	E7RulesWindow *self = E7_RULES_WINDOW(object);

	g_free(self->message);
	g_free(self->filter);
	g_hash_table_destroy(self->hits);
	G_OBJECT_CLASS(e7_rules_window_parent_class)->finalize(object);
}

static void e7_rules_window_class_init(E7RulesWindowClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = e7_rules_window_dispose;
	G_OBJECT_CLASS(klass)->finalize = e7_rules_window_finalize;
}

static void infobar_response(GtkInfoBar *bar, int response, E7RulesWindow *self)
{
	show_message(self, GTK_MESSAGE_INFO, NULL);
}

static void e7_rules_window_init(E7RulesWindow *self)
{
	GtkWidget *header = gtk_header_bar_new();
	GtkWidget *switcher = gtk_stack_switcher_new();
	GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 0);

	self->cancellable = g_cancellable_new();
	self->hits = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					   g_free);
	gtk_window_set_title(GTK_WINDOW(self),
			     _("Firewall Rules and Activity"));
	gtk_window_set_icon_name(GTK_WINDOW(self), "e7-applet");
	gtk_window_set_role(GTK_WINDOW(self), "e7-rules");
	gtk_window_set_default_size(GTK_WINDOW(self), 860, 520);
	gtk_header_bar_set_show_close_button(GTK_HEADER_BAR(header), TRUE);
	self->stack = GTK_STACK(gtk_stack_new());
	gtk_stack_switcher_set_stack(GTK_STACK_SWITCHER(switcher), self->stack);
	gtk_header_bar_set_custom_title(GTK_HEADER_BAR(header), switcher);
	gtk_window_set_titlebar(GTK_WINDOW(self), header);

	self->infobar = GTK_INFO_BAR(gtk_info_bar_new());
	self->infobar_label = GTK_LABEL(gtk_label_new(NULL));
	gtk_label_set_line_wrap(self->infobar_label, TRUE);
	gtk_label_set_xalign(self->infobar_label, 0.0);
	gtk_container_add(
		GTK_CONTAINER(gtk_info_bar_get_content_area(self->infobar)),
		GTK_WIDGET(self->infobar_label));
	gtk_info_bar_set_show_close_button(self->infobar, TRUE);
	g_signal_connect(self->infobar, "response",
			 G_CALLBACK(infobar_response), self);
	gtk_info_bar_set_revealed(self->infobar, FALSE);

	gtk_stack_add_titled(self->stack, build_rules_page(self), "rules",
			     _("Rules"));
	gtk_stack_add_titled(self->stack, build_activity_page(self), "activity",
			     _("Activity"));
	gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(self->infobar));
	gtk_container_add(GTK_CONTAINER(box), GTK_WIDGET(self->stack));
	gtk_widget_show_all(box);
	gtk_widget_show_all(header);
	gtk_container_add(GTK_CONTAINER(self), box);
	/* Closing hides: the applet keeps running in the background. */
	g_signal_connect(self, "delete-event",
			 G_CALLBACK(gtk_widget_hide_on_delete), NULL);
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

void e7_rules_window_set_mode(E7RulesWindow *self, const char *mode)
{
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->mode), mode);
}

GtkTreeModel *e7_rules_window_get_rules_model(E7RulesWindow *self)
{
	return GTK_TREE_MODEL(self->rules_filter);
}

GtkTreeModel *e7_rules_window_get_events_model(E7RulesWindow *self)
{
	return GTK_TREE_MODEL(self->events);
}

GtkTreeModel *e7_rules_window_get_programs_model(E7RulesWindow *self)
{
	return GTK_TREE_MODEL(self->programs);
}

const char *e7_rules_window_get_message(E7RulesWindow *self)
{
	return self->message;
}

const char *e7_rules_window_get_mode(E7RulesWindow *self)
{
	return gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->mode));
}

guint e7_rules_window_get_busy(E7RulesWindow *self)
{
	return self->busy;
}
