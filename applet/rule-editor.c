/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rule-editor.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rule-format.h"

struct _E7RuleEditor {
	GtkDialog parent_instance;
	GtkComboBoxText *action;
	GtkEntry *program;
	GtkComboBoxText *protocol;
	GtkComboBoxText *direction;
	GtkEntry *address;
	GtkEntry *ports;
	GtkComboBoxText *lifetime;
	GtkCheckButton *only_me;
	GtkLabel *error;
};

G_DEFINE_FINAL_TYPE(E7RuleEditor, e7_rule_editor, GTK_TYPE_DIALOG)

static void e7_rule_editor_class_init(E7RuleEditorClass *klass)
{
}

static GtkWidget *add_row(GtkGrid *grid, int row, const char *mnemonic,
			  GtkWidget *widget)
{
	GtkWidget *label = gtk_label_new_with_mnemonic(mnemonic);

	gtk_label_set_mnemonic_widget(GTK_LABEL(label), widget);
	gtk_label_set_xalign(GTK_LABEL(label), 1.0);
	gtk_widget_set_hexpand(widget, TRUE);
	gtk_grid_attach(grid, label, 0, row, 1, 1);
	gtk_grid_attach(grid, widget, 1, row, 1, 1);
	return widget;
}

static GtkComboBoxText *combo(const char *const *ids_and_labels)
{
	GtkComboBoxText *c = GTK_COMBO_BOX_TEXT(gtk_combo_box_text_new());

	for (guint i = 0; ids_and_labels[i]; i += 2)
		gtk_combo_box_text_append(c, ids_and_labels[i],
					  _(ids_and_labels[i + 1]));
	gtk_combo_box_set_active(GTK_COMBO_BOX(c), 0);
	return c;
}

static void e7_rule_editor_init(E7RuleEditor *self)
{
	static const char *const actions[] = { "allow", N_("Allow"), "block",
					       N_("Block"), NULL };
	static const char *const protocols[] = { "any",	 N_("Any protocol"),
						 "tcp",	 "TCP",
						 "udp",	 "UDP",
						 "icmp", "ICMP",
						 NULL };
	static const char *const directions[] = { "out", N_("Outgoing"), "in",
						  N_("Incoming"), NULL };
	static const char *const lifetimes[] = {
		"forever", N_("Forever"),
		"session", N_("Until logout"),
		"boot",	   N_("Until reboot"),
		"process", N_("Until the program exits"),
		"300",	   N_("For 5 minutes"),
		"3600",	   N_("For 1 hour"),
		NULL
	};
	GtkWidget *area = gtk_dialog_get_content_area(GTK_DIALOG(self));
	GtkGrid *grid = GTK_GRID(gtk_grid_new());
	int row = 0;

	gtk_grid_set_row_spacing(grid, 6);
	gtk_grid_set_column_spacing(grid, 12);
	gtk_container_set_border_width(GTK_CONTAINER(grid), 12);

	self->action = combo(actions);
	add_row(grid, row++, _("_Action:"), GTK_WIDGET(self->action));
	self->program = GTK_ENTRY(gtk_entry_new());
	gtk_entry_set_placeholder_text(self->program, "/usr/bin/curl");
	gtk_entry_set_activates_default(self->program, TRUE);
	gtk_widget_set_tooltip_text(
		GTK_WIDGET(self->program),
		_("An absolute path, a directory ending in /, or \"any\""));
	add_row(grid, row++, _("_Program:"), GTK_WIDGET(self->program));
	self->protocol = combo(protocols);
	add_row(grid, row++, _("Pro_tocol:"), GTK_WIDGET(self->protocol));
	self->direction = combo(directions);
	add_row(grid, row++, _("_Direction:"), GTK_WIDGET(self->direction));
	self->address = GTK_ENTRY(gtk_entry_new());
	gtk_entry_set_placeholder_text(self->address, _("any"));
	gtk_entry_set_activates_default(self->address, TRUE);
	add_row(grid, row++, _("_Remote address:"), GTK_WIDGET(self->address));
	self->ports = GTK_ENTRY(gtk_entry_new());
	gtk_entry_set_placeholder_text(self->ports, _("any"));
	gtk_entry_set_activates_default(self->ports, TRUE);
	add_row(grid, row++, _("Remote p_ort:"), GTK_WIDGET(self->ports));
	self->lifetime = combo(lifetimes);
	add_row(grid, row++, _("_Lifetime:"), GTK_WIDGET(self->lifetime));
	self->only_me = GTK_CHECK_BUTTON(gtk_check_button_new_with_mnemonic(
		_("Only for _my own processes")));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->only_me), TRUE);
	gtk_grid_attach(grid, GTK_WIDGET(self->only_me), 1, row++, 1, 1);
	self->error = GTK_LABEL(gtk_label_new(NULL));
	gtk_label_set_line_wrap(self->error, TRUE);
	gtk_label_set_max_width_chars(self->error, 50);
	gtk_label_set_xalign(self->error, 0.0);
	gtk_style_context_add_class(
		gtk_widget_get_style_context(GTK_WIDGET(self->error)), "error");
	gtk_grid_attach(grid, GTK_WIDGET(self->error), 0, row++, 2, 1);
	gtk_widget_show_all(GTK_WIDGET(grid));
	gtk_widget_hide(GTK_WIDGET(self->error));
	gtk_container_add(GTK_CONTAINER(area), GTK_WIDGET(grid));

	gtk_dialog_add_button(GTK_DIALOG(self), _("_Cancel"),
			      GTK_RESPONSE_CANCEL);
	gtk_dialog_add_button(GTK_DIALOG(self), _("_Save"), GTK_RESPONSE_OK);
	gtk_dialog_set_default_response(GTK_DIALOG(self), GTK_RESPONSE_OK);
}

static void set_combo(GtkComboBoxText *c, const char *id,
		      const char *label_if_new)
{
	if (!gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), id) &&
	    label_if_new) {
		gtk_combo_box_text_append(c, id, label_if_new);
		gtk_combo_box_set_active_id(GTK_COMBO_BOX(c), id);
	}
}

GtkWidget *e7_rule_editor_new(GtkWindow *parent, GVariant *rule)
{
	E7RuleEditor *self =
		g_object_new(E7_TYPE_RULE_EDITOR, "use-header-bar", FALSE,
			     "transient-for", parent, "modal", TRUE, "title",
			     rule ? _("Edit Rule") : _("New Rule"), NULL);

	if (rule) {
		E7RuleForm f;
		g_autofree char *ports = NULL;

		e7_rule_to_form(rule, &f, &ports);
		set_combo(self->action, f.action, NULL);
		gtk_entry_set_text(self->program, f.program);
		set_combo(self->protocol, f.protocol, f.protocol);
		set_combo(self->direction, f.direction, NULL);
		gtk_entry_set_text(self->address,
				   g_strcmp0(f.remote_address, "any") == 0 ?
					   "" :
					   f.remote_address);
		gtk_entry_set_text(self->ports, f.ports);
		if (g_strcmp0(f.lifetime, "seconds") == 0) {
			g_autofree char *id = g_strdup_printf("%u", f.duration);
			g_autofree char *label = g_strdup_printf(
				g_dngettext(GETTEXT_PACKAGE, "For %u second",
					    "For %u seconds", f.duration),
				f.duration);

			set_combo(self->lifetime, id, label);
		} else {
			set_combo(self->lifetime, f.lifetime, f.lifetime);
		}
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->only_me),
					     f.only_me);
	}
	return GTK_WIDGET(self);
}

GVariant *e7_rule_editor_get_rule(E7RuleEditor *self, GError **error)
{
	g_autoptr(GError) local = NULL;
	E7RuleForm f = { 0 };
	GVariant *rule;

	f.action = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->action));
	f.program = gtk_entry_get_text(self->program);
	f.protocol = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->protocol));
	f.direction =
		gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->direction));
	f.remote_address = gtk_entry_get_text(self->address);
	f.ports = gtk_entry_get_text(self->ports);
	f.lifetime = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->lifetime));
	f.only_me =
		gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->only_me));
	f.uid = (guint32)getuid();
	rule = e7_rule_from_form(&f, &local);
	if (!rule) {
		gtk_label_set_text(self->error, local->message);
		gtk_widget_show(GTK_WIDGET(self->error));
		g_propagate_error(error, g_steal_pointer(&local));
		return NULL;
	}
	gtk_widget_hide(GTK_WIDGET(self->error));
	return rule;
}

GtkWidget *e7_rule_editor_get_widget(E7RuleEditor *self, const char *name)
{
	if (g_str_equal(name, "action"))
		return GTK_WIDGET(self->action);
	if (g_str_equal(name, "program"))
		return GTK_WIDGET(self->program);
	if (g_str_equal(name, "protocol"))
		return GTK_WIDGET(self->protocol);
	if (g_str_equal(name, "direction"))
		return GTK_WIDGET(self->direction);
	if (g_str_equal(name, "address"))
		return GTK_WIDGET(self->address);
	if (g_str_equal(name, "ports"))
		return GTK_WIDGET(self->ports);
	if (g_str_equal(name, "lifetime"))
		return GTK_WIDGET(self->lifetime);
	if (g_str_equal(name, "only-me"))
		return GTK_WIDGET(self->only_me);
	if (g_str_equal(name, "error"))
		return GTK_WIDGET(self->error);
	return NULL;
}
