/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rules-page.h"

#include "rule-editor.h"
#include "rule-format.h"
#include "ui-template.h"

/* Hits of a rule seen in the daemon's recent events. */
typedef struct {
	guint64 count;
	guint64 last_us;
} Hits;

struct _E7RulesPage {
	GtkBox parent_instance;
	GHashTable *hits; /* guint64 *rule id -> Hits */
	char *filter;

	/* from the template */
	GtkListStore *rules;
	GtkTreeModelFilter *rules_filter;
	GtkTreeView *view;
	GtkWidget *edit_button;
	GtkWidget *remove_button;
};

enum {
	SIGNAL_ADD_RULE,
	SIGNAL_UPDATE_RULE,
	SIGNAL_REMOVE_RULE,
	SIGNAL_TOGGLE_RULE,
	N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7RulesPage, e7_rules_page, GTK_TYPE_BOX)

static gboolean find_rule(E7RulesPage *self, guint64 id, GtkTreeIter *iter)
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

/*
 * The daemon's own counters when it reports them, else what its recent
 * events show.
 */
static void describe_hits(E7RulesPage *self, GVariant *rule, char **hits,
			  char **last)
{
	guint64 id = e7_rule_get_id(rule);
	Hits *seen = g_hash_table_lookup(self->hits, &id);
	GVariantDict d;
	g_autoptr(GVariant) counted = NULL;

	if (g_variant_lookup(rule, "hits", "t", NULL) || !seen) {
		*hits = e7_rule_describe_hits(rule);
		*last = e7_rule_describe_last_hit(rule);
		return;
	}
	g_variant_dict_init(&d, rule);
	g_variant_dict_insert(&d, "hits", "t", seen->count);
	g_variant_dict_insert(&d, "last-hit", "t", seen->last_us);
	counted = g_variant_ref_sink(g_variant_dict_end(&d));
	*hits = e7_rule_describe_hits(counted);
	*last = e7_rule_describe_last_hit(counted);
}

static void set_rule_row(E7RulesPage *self, GtkTreeIter *iter, GVariant *rule)
{
	g_autofree char *program = e7_rule_describe_program(rule);
	g_autofree char *action = e7_rule_describe_action(rule);
	g_autofree char *scope = e7_rule_describe_scope(rule);
	g_autofree char *lifetime = e7_rule_describe_lifetime(rule);
	g_autofree char *origin = e7_rule_describe_origin(rule);
	g_autofree char *hits = NULL;
	g_autofree char *last = NULL;

	describe_hits(self, rule, &hits, &last);
	gtk_list_store_set(
		self->rules, iter, E7_RULES_COL_RULE, rule, E7_RULES_COL_ID,
		e7_rule_get_id(rule), E7_RULES_COL_PROGRAM, program,
		E7_RULES_COL_ALLOWED,
		g_strcmp0(e7_rule_get_string(rule, "action"), "allow") == 0,
		E7_RULES_COL_ACTION, action, E7_RULES_COL_SCOPE, scope,
		E7_RULES_COL_LIFETIME, lifetime, E7_RULES_COL_HITS, hits,
		E7_RULES_COL_LAST_HIT, last, E7_RULES_COL_ORIGIN, origin, -1);
}

/* The rule with its "id" set to id. */
static GVariant *with_id(GVariant *rule, guint64 id)
{
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
	g_variant_builder_add(&b, "{sv}", "id", g_variant_new_uint64(id));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

void e7_rules_page_put_rule(E7RulesPage *self, guint64 id, GVariant *rule)
{
	g_autoptr(GVariant) fixed = NULL;
	GtkTreeIter iter;

	/* Signals carry the id beside the rule: make sure the row knows it. */
	if (e7_rule_get_id(rule) != id)
		rule = fixed = with_id(rule, id);
	if (!find_rule(self, id, &iter))
		gtk_list_store_append(self->rules, &iter);
	set_rule_row(self, &iter, rule);
}

void e7_rules_page_remove_rule(E7RulesPage *self, guint64 id)
{
	GtkTreeIter iter;

	if (find_rule(self, id, &iter))
		gtk_list_store_remove(self->rules, &iter);
}

void e7_rules_page_clear(E7RulesPage *self)
{
	gtk_list_store_clear(self->rules);
}

gboolean e7_rules_page_get_allowed(E7RulesPage *self, guint64 id,
				   gboolean *allowed)
{
	GtkTreeIter iter;

	if (!find_rule(self, id, &iter))
		return FALSE;
	gtk_tree_model_get(GTK_TREE_MODEL(self->rules), &iter,
			   E7_RULES_COL_ALLOWED, allowed, -1);
	return TRUE;
}

static void refresh_row(E7RulesPage *self, GtkTreeIter *iter)
{
	g_autoptr(GVariant) rule = NULL;

	gtk_tree_model_get(GTK_TREE_MODEL(self->rules), iter, E7_RULES_COL_RULE,
			   &rule, -1);
	if (rule)
		set_rule_row(self, iter, rule);
}

void e7_rules_page_count_hit(E7RulesPage *self, GVariant *event)
{
	guint64 id, time_us = 0;
	Hits *hits;
	GtkTreeIter iter;

	if (!g_variant_lookup(event, "rule-id", "t", &id))
		return;
	g_variant_lookup(event, "time", "t", &time_us);
	hits = g_hash_table_lookup(self->hits, &id);
	if (!hits) {
		hits = g_new0(Hits, 1);
		g_hash_table_insert(self->hits, g_memdup2(&id, sizeof(id)),
				    hits);
	}
	hits->count++;
	hits->last_us = MAX(hits->last_us, time_us);
	if (find_rule(self, id, &iter))
		refresh_row(self, &iter);
}

void e7_rules_page_forget_hits(E7RulesPage *self)
{
	GtkTreeModel *model = GTK_TREE_MODEL(self->rules);
	GtkTreeIter iter;
	gboolean ok;

	g_hash_table_remove_all(self->hits);
	for (ok = gtk_tree_model_get_iter_first(model, &iter); ok;
	     ok = gtk_tree_model_iter_next(model, &iter))
		refresh_row(self, &iter);
}

static gboolean rule_visible(GtkTreeModel *model, GtkTreeIter *iter,
			     gpointer data)
{
	E7RulesPage *self = data;
	g_autoptr(GVariant) rule = NULL;

	if (!self->filter || !*self->filter)
		return TRUE;
	gtk_tree_model_get(model, iter, E7_RULES_COL_RULE, &rule, -1);
	return rule && e7_rule_matches(rule, self->filter);
}

void e7_rules_page_set_filter(E7RulesPage *self, const char *text)
{
	g_free(self->filter);
	self->filter = g_strdup(text);
	gtk_tree_model_filter_refilter(self->rules_filter);
}

GtkTreeModel *e7_rules_page_get_model(E7RulesPage *self)
{
	return GTK_TREE_MODEL(self->rules_filter);
}

/* ---- the widgets ---- */

static void search_changed(GtkSearchEntry *entry, E7RulesPage *self)
{
	e7_rules_page_set_filter(self, gtk_entry_get_text(GTK_ENTRY(entry)));
}

static GVariant *selected_rule(E7RulesPage *self)
{
	GtkTreeSelection *sel = gtk_tree_view_get_selection(self->view);
	GtkTreeModel *model;
	GtkTreeIter iter;
	GVariant *rule = NULL;

	if (!gtk_tree_selection_get_selected(sel, &model, &iter))
		return NULL;
	gtk_tree_model_get(model, &iter, E7_RULES_COL_RULE, &rule, -1);
	return rule;
}

static void selection_changed(GtkTreeSelection *sel, E7RulesPage *self)
{
	gboolean any = gtk_tree_selection_count_selected_rows(sel) > 0;

	gtk_widget_set_sensitive(self->edit_button, any);
	gtk_widget_set_sensitive(self->remove_button, any);
}

static void editor_response(GtkDialog *dialog, int response, E7RulesPage *self)
{
	guint64 id = GPOINTER_TO_SIZE(
		g_object_get_data(G_OBJECT(dialog), "e7-rule-id"));
	GVariant *rule;

	if (response == GTK_RESPONSE_OK) {
		rule = e7_rule_editor_get_rule(E7_RULE_EDITOR(dialog), NULL);
		if (!rule)
			return; /* the editor shows why and stays open */
		if (id)
			g_signal_emit(self, signals[SIGNAL_UPDATE_RULE], 0, id,
				      rule);
		else
			g_signal_emit(self, signals[SIGNAL_ADD_RULE], 0, rule);
	}
	gtk_widget_destroy(GTK_WIDGET(dialog));
}

static void open_editor(E7RulesPage *self, GVariant *rule)
{
	GtkWidget *toplevel = gtk_widget_get_toplevel(GTK_WIDGET(self));
	GtkWidget *dialog = e7_rule_editor_new(
		GTK_IS_WINDOW(toplevel) ? GTK_WINDOW(toplevel) : NULL, rule);

	if (rule)
		g_object_set_data(
			G_OBJECT(dialog), "e7-rule-id",
			GSIZE_TO_POINTER((gsize)e7_rule_get_id(rule)));
	g_signal_connect(dialog, "response", G_CALLBACK(editor_response), self);
	gtk_window_present(GTK_WINDOW(dialog));
}

static void add_clicked(GtkButton *button, E7RulesPage *self)
{
	open_editor(self, NULL);
}

static void edit_clicked(GtkButton *button, E7RulesPage *self)
{
	g_autoptr(GVariant) rule = selected_rule(self);

	if (rule)
		open_editor(self, rule);
}

static void remove_clicked(GtkButton *button, E7RulesPage *self)
{
	g_autoptr(GVariant) rule = selected_rule(self);

	if (rule)
		g_signal_emit(self, signals[SIGNAL_REMOVE_RULE], 0,
			      e7_rule_get_id(rule));
}

static void row_activated(GtkTreeView *view, GtkTreePath *path,
			  GtkTreeViewColumn *column, E7RulesPage *self)
{
	edit_clicked(NULL, self);
}

static void allowed_toggled(GtkCellRendererToggle *cell, char *path,
			    E7RulesPage *self)
{
	GtkTreeIter iter;
	guint64 id;

	if (!gtk_tree_model_get_iter_from_string(
		    GTK_TREE_MODEL(self->rules_filter), &iter, path))
		return;
	gtk_tree_model_get(GTK_TREE_MODEL(self->rules_filter), &iter,
			   E7_RULES_COL_ID, &id, -1);
	g_signal_emit(self, signals[SIGNAL_TOGGLE_RULE], 0, id);
}

/* ---- the object ---- */

static void e7_rules_page_finalize(GObject *object)
{
	E7RulesPage *self = E7_RULES_PAGE(object);

	g_free(self->filter);
	g_hash_table_destroy(self->hits);
	G_OBJECT_CLASS(e7_rules_page_parent_class)->finalize(object);
}

static void add_signals(GObjectClass *klass)
{
	GType type = G_TYPE_FROM_CLASS(klass);

	signals[SIGNAL_ADD_RULE] =
		g_signal_new("add-rule", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			     NULL, G_TYPE_NONE, 1, G_TYPE_VARIANT);
	signals[SIGNAL_UPDATE_RULE] = g_signal_new(
		"update-rule", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
		G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_VARIANT);
	signals[SIGNAL_REMOVE_RULE] =
		g_signal_new("remove-rule", type, G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
	signals[SIGNAL_TOGGLE_RULE] =
		g_signal_new("toggle-rule", type, G_SIGNAL_RUN_LAST, 0, NULL,
			     NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void e7_rules_page_class_init(E7RulesPageClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = e7_rules_page_finalize;
	add_signals(G_OBJECT_CLASS(klass));
	e7_ui_template_set(widget_class, "rules-page.ui");
	gtk_widget_class_bind_template_child(widget_class, E7RulesPage, rules);
	gtk_widget_class_bind_template_child(widget_class, E7RulesPage,
					     rules_filter);
	gtk_widget_class_bind_template_child(widget_class, E7RulesPage, view);
	gtk_widget_class_bind_template_child(widget_class, E7RulesPage,
					     edit_button);
	gtk_widget_class_bind_template_child(widget_class, E7RulesPage,
					     remove_button);
	gtk_widget_class_bind_template_callback(widget_class, search_changed);
	gtk_widget_class_bind_template_callback(widget_class, add_clicked);
	gtk_widget_class_bind_template_callback(widget_class, edit_clicked);
	gtk_widget_class_bind_template_callback(widget_class, remove_clicked);
	gtk_widget_class_bind_template_callback(widget_class, row_activated);
	gtk_widget_class_bind_template_callback(widget_class,
						selection_changed);
	gtk_widget_class_bind_template_callback(widget_class, allowed_toggled);
}

static void e7_rules_page_init(E7RulesPage *self)
{
	self->hits = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					   g_free);
	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_tree_model_filter_set_visible_func(self->rules_filter, rule_visible,
					       self, NULL);
}

GtkWidget *e7_rules_page_new(void)
{
	return g_object_new(E7_TYPE_RULES_PAGE, NULL);
}
