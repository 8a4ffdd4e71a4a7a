/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules page of the rules window: e7d's rules as a filtered list, the
 * hits e7d's events show for each, and the buttons and editor that change
 * them. The page asks for changes by signal; the window makes the calls.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The columns of the rules model (rules-page.ui numbers them too). */
enum {
	E7_RULES_COL_RULE, /* GVariant a{sv} */
	E7_RULES_COL_ID,
	E7_RULES_COL_PROGRAM,
	E7_RULES_COL_ALLOWED, /* gboolean: the toggle */
	E7_RULES_COL_ACTION,
	E7_RULES_COL_SCOPE,
	E7_RULES_COL_LIFETIME,
	E7_RULES_COL_HITS,
	E7_RULES_COL_LAST_HIT,
	E7_RULES_COL_ORIGIN,
	E7_RULES_N_COLS
};

#define E7_TYPE_RULES_PAGE (e7_rules_page_get_type())
G_DECLARE_FINAL_TYPE(E7RulesPage, e7_rules_page, E7, RULES_PAGE, GtkBox)

/*
 * Signals:
 *   "add-rule" (GVariant *rule): the editor made a new rule;
 *   "update-rule" (guint64 id, GVariant *changes): the editor changed one;
 *   "remove-rule" (guint64 id): Delete on the selected rule;
 *   "toggle-rule" (guint64 id): the Allowed check box of a rule.
 */
GtkWidget *e7_rules_page_new(void);
/* Add the rule, or replace the rule with this id. */
void e7_rules_page_put_rule(E7RulesPage *page, guint64 id, GVariant *rule);
void e7_rules_page_remove_rule(E7RulesPage *page, guint64 id);
void e7_rules_page_clear(E7RulesPage *page);
/* Whether the rule allows; FALSE when there is no such rule. */
gboolean e7_rules_page_get_allowed(E7RulesPage *page, guint64 id,
				   gboolean *allowed);
/* A hit of the rule an event names ("rule-id"), for rules without counters. */
void e7_rules_page_count_hit(E7RulesPage *page, GVariant *event);
/* Forget the hits counted so far (the events are read again). */
void e7_rules_page_forget_hits(E7RulesPage *page);
void e7_rules_page_set_filter(E7RulesPage *page, const char *text);
/* The rules the filter lets through. */
GtkTreeModel *e7_rules_page_get_model(E7RulesPage *page);

G_END_DECLS
