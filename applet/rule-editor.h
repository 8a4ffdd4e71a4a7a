/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dialog that adds or edits one rule. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define E7_TYPE_RULE_EDITOR (e7_rule_editor_get_type())
G_DECLARE_FINAL_TYPE(E7RuleEditor, e7_rule_editor, E7, RULE_EDITOR, GtkDialog)

/* rule: the rule to edit, or NULL for a new one. */
GtkWidget *e7_rule_editor_new(GtkWindow *parent, GVariant *rule);
/*
 * The rule as entered (floating a{sv}), or NULL with a message for the user;
 * the dialog shows the message itself and stays open.
 */
GVariant *e7_rule_editor_get_rule(E7RuleEditor *editor, GError **error);
/* The editor's widgets, for tests: "action", "program", "protocol",
 * "direction", "address", "ports", "lifetime", "only-me", "error". */
GtkWidget *e7_rule_editor_get_widget(E7RuleEditor *editor, const char *name);

G_END_DECLS
