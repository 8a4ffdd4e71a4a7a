/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules window: a rules page (list, filter, add, edit, delete, toggle)
 * and an activity page (mode, counters, events), and the calls to e7d that
 * they ask for, through the firewall client; what fails shows in its bar.
 */
#pragma once

#include <gtk/gtk.h>

#include "activity-page.h"
#include "firewall-client.h"
#include "rules-page.h"

G_BEGIN_DECLS

#define E7_TYPE_RULES_WINDOW (e7_rules_window_get_type())
G_DECLARE_FINAL_TYPE(E7RulesWindow, e7_rules_window, E7, RULES_WINDOW,
		     GtkWindow)

GtkWidget *e7_rules_window_new(void);
/* The way to e7d, or NULL before the applet is on the bus; it follows e7d. */
void e7_rules_window_set_client(E7RulesWindow *window,
				E7FirewallClient *client);
void e7_rules_window_set_filter(E7RulesWindow *window, const char *text);
void e7_rules_window_show_page(E7RulesWindow *window, const char *name);

/* The actions behind the buttons; results and errors show in the window. */
void e7_rules_window_add_rule(E7RulesWindow *window, GVariant *rule);
void e7_rules_window_update_rule(E7RulesWindow *window, guint64 id,
				 GVariant *changes);
void e7_rules_window_remove_rule(E7RulesWindow *window, guint64 id);
void e7_rules_window_toggle_rule(E7RulesWindow *window, guint64 id);
void e7_rules_window_refresh(E7RulesWindow *window);
/* As if the user picked this mode: asks the daemon to switch. */
void e7_rules_window_set_mode(E7RulesWindow *window, const char *mode);

/* For tests: the (filtered) rules, the events and per-program counters. */
GtkTreeModel *e7_rules_window_get_rules_model(E7RulesWindow *window);
GtkTreeModel *e7_rules_window_get_events_model(E7RulesWindow *window);
GtkTreeModel *e7_rules_window_get_programs_model(E7RulesWindow *window);
/* The message shown in the window's info bar, or NULL. */
const char *e7_rules_window_get_message(E7RulesWindow *window);
const char *e7_rules_window_get_mode(E7RulesWindow *window);
/* Number of D-Bus calls still under way. */
guint e7_rules_window_get_busy(E7RulesWindow *window);

G_END_DECLS
