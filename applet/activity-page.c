/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "activity-page.h"

#include <glib/gi18n.h>

#include "rule-format.h"
#include "ui-template.h"

struct _E7ActivityPage {
	GtkBox parent_instance;
	gboolean setting_mode; /* showing e7d's mode is not choosing one */

	/* from the template */
	GtkComboBoxText *mode;
	GtkLabel *kernel;
	GtkLabel *stats;
	GtkListStore *events;
	GtkListStore *programs;
};

enum { SIGNAL_MODE_CHOSEN, SIGNAL_REFRESH, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7ActivityPage, e7_activity_page, GTK_TYPE_BOX)

void e7_activity_page_show_daemon(E7ActivityPage *self, gboolean running,
				  const char *mode, gboolean kernel)
{
	if (!running) {
		gtk_widget_set_sensitive(GTK_WIDGET(self->mode), FALSE);
		gtk_label_set_text(self->kernel,
				   _("The firewall daemon is not running."));
		return;
	}
	self->setting_mode = TRUE;
	if (mode &&
	    !gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->mode), mode)) {
		/* A mode added to e7d later shows by its name. */
		gtk_combo_box_text_append(self->mode, mode, mode);
		gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->mode), mode);
	}
	self->setting_mode = FALSE;
	gtk_widget_set_sensitive(GTK_WIDGET(self->mode), TRUE);
	if (kernel)
		gtk_label_set_text(self->kernel,
				   _("The kernel module is loaded."));
	else
		gtk_label_set_text(
			self->kernel,
			_("The kernel module is not loaded: nothing is filtered."));
}

void e7_activity_page_show_stats(E7ActivityPage *self, GVariant *stats)
{
	guint32 rules = 0, pending = 0, agents = 0;
	guint64 prompts = 0, lost = 0;
	g_autofree char *prompts_s = NULL;
	g_autofree char *lost_s = NULL;
	g_autofree char *text = NULL;

	g_variant_lookup(stats, "rules", "u", &rules);
	g_variant_lookup(stats, "prompts", "t", &prompts);
	g_variant_lookup(stats, "prompts-pending", "u", &pending);
	g_variant_lookup(stats, "agents", "u", &agents);
	g_variant_lookup(stats, "events-lost", "t", &lost);
	/* 64-bit counters as text: translatable strings cannot hold format macros. */
	prompts_s = g_strdup_printf("%" G_GUINT64_FORMAT, prompts);
	lost_s = g_strdup_printf("%" G_GUINT64_FORMAT, lost);
	text = g_strdup_printf(
		_("Rules: %u · Prompts: %s (%u pending) · Prompt agents: "
		  "%u · Events lost: %s"),
		rules, prompts_s, pending, agents, lost_s);
	gtk_label_set_text(self->stats, text);
}

void e7_activity_page_clear(E7ActivityPage *self)
{
	gtk_list_store_clear(self->events);
	gtk_list_store_clear(self->programs);
}

static void count_program(E7ActivityPage *self, const char *program,
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

/* "TCP 198.18.1.2:443", or without a port "ICMP 198.18.1.2". */
static char *describe_destination(GVariant *event)
{
	const char *addr = e7_rule_get_string(event, "remote-address");
	const char *proto = e7_rule_get_string(event, "protocol");
	g_autofree char *proto_up = g_ascii_strup(proto ? proto : "?", -1);
	guint16 port = 0;

	g_variant_lookup(event, "remote-port", "q", &port);
	if (port)
		return g_strdup_printf("%s %s:%u", proto_up, addr ? addr : "?",
				       port);
	return g_strdup_printf("%s %s", proto_up, addr ? addr : "?");
}

void e7_activity_page_add_event(E7ActivityPage *self, GVariant *event)
{
	const char *program = e7_rule_get_string(event, "program");
	const char *action = e7_rule_get_string(event, "action");
	const char *reason = e7_rule_get_string(event, "reason");
	g_autofree char *time = e7_event_describe_time(event);
	g_autofree char *dest = describe_destination(event);
	gboolean allowed = g_strcmp0(action, "allow") == 0;
	GtkTreeModel *model = GTK_TREE_MODEL(self->events);
	GtkTreeIter last;
	gint n;

	gtk_list_store_insert_with_values(
		self->events, NULL, 0, E7_EVENTS_COL_TIME, time,
		E7_EVENTS_COL_PROGRAM, program ? program : "?",
		E7_EVENTS_COL_ACTION, allowed ? _("Allowed") : _("Blocked"),
		E7_EVENTS_COL_DESTINATION, dest, E7_EVENTS_COL_REASON,
		reason ? reason : "", -1);
	n = gtk_tree_model_iter_n_children(model, NULL);
	if (n > E7_ACTIVITY_MAX_EVENTS &&
	    gtk_tree_model_iter_nth_child(model, &last, NULL, n - 1))
		gtk_list_store_remove(self->events, &last);
	if (program && action)
		count_program(self, program, allowed);
}

const char *e7_activity_page_get_mode(E7ActivityPage *self)
{
	return gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->mode));
}

void e7_activity_page_choose_mode(E7ActivityPage *self, const char *mode)
{
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->mode), mode);
}

GtkTreeModel *e7_activity_page_get_events_model(E7ActivityPage *self)
{
	return GTK_TREE_MODEL(self->events);
}

GtkTreeModel *e7_activity_page_get_programs_model(E7ActivityPage *self)
{
	return GTK_TREE_MODEL(self->programs);
}

static void mode_changed(GtkComboBox *combo, E7ActivityPage *self)
{
	const char *id = gtk_combo_box_get_active_id(combo);

	if (self->setting_mode || !id)
		return;
	g_signal_emit(self, signals[SIGNAL_MODE_CHOSEN], 0, id);
}

static void refresh_clicked(GtkButton *button, E7ActivityPage *self)
{
	g_signal_emit(self, signals[SIGNAL_REFRESH], 0);
}

static void e7_activity_page_class_init(E7ActivityPageClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	signals[SIGNAL_MODE_CHOSEN] = g_signal_new(
		"mode-chosen", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
	signals[SIGNAL_REFRESH] = g_signal_new("refresh",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					       NULL, G_TYPE_NONE, 0);
	e7_ui_template_set(widget_class, "activity-page.ui");
	gtk_widget_class_bind_template_child(widget_class, E7ActivityPage,
					     mode);
	gtk_widget_class_bind_template_child(widget_class, E7ActivityPage,
					     kernel);
	gtk_widget_class_bind_template_child(widget_class, E7ActivityPage,
					     stats);
	gtk_widget_class_bind_template_child(widget_class, E7ActivityPage,
					     events);
	gtk_widget_class_bind_template_child(widget_class, E7ActivityPage,
					     programs);
	gtk_widget_class_bind_template_callback(widget_class, mode_changed);
	gtk_widget_class_bind_template_callback(widget_class, refresh_clicked);
}

static void e7_activity_page_init(E7ActivityPage *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}

GtkWidget *e7_activity_page_new(void)
{
	return g_object_new(E7_TYPE_ACTIVITY_PAGE, NULL);
}
