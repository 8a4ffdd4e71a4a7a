/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rule-editor.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rule-format.h"
#include "ui-template.h"

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
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	e7_ui_template_set(widget_class, "rule-editor.ui");
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     action);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     program);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     protocol);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     direction);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     address);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor, ports);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     lifetime);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor,
					     only_me);
	gtk_widget_class_bind_template_child(widget_class, E7RuleEditor, error);
}

static void e7_rule_editor_init(E7RuleEditor *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	/* The first choice of each list, as a new rule starts. */
	gtk_combo_box_set_active(GTK_COMBO_BOX(self->action), 0);
	gtk_combo_box_set_active(GTK_COMBO_BOX(self->protocol), 0);
	gtk_combo_box_set_active(GTK_COMBO_BOX(self->direction), 0);
	gtk_combo_box_set_active(GTK_COMBO_BOX(self->lifetime), 0);
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
