/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules window against a fake e7d (test-applet-fake-e7d.c) through the
 * firewall client: the lists, changes through the editor, a refused mode
 * change, e7d going away.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "agent.h"
#include "e7-error.h"
#include "firewall-client.h"
#include "rule-editor.h"
#include "rule-format.h"
#include "rules-window.h"

#include "test-applet-fake-e7d.h"
#include "test-applet-xvfb.h"
#include "test-wait.h"

static gboolean have_display;

typedef struct {
	GTestDBus *bus;
	GDBusConnection *conn; /* the applet's */
	E7FakeDaemon *daemon;
	E7Agent *agent;
	E7FirewallClient *client;
	GtkWidget *window;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	if (!have_display) {
		g_test_skip("no X server (install Xvfb)");
		return;
	}
	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->daemon = e7_fake_daemon_new();
	e7_fake_daemon_start(f->daemon, f->bus);
	f->conn = e7_test_connect_bus(f->bus);
	f->agent = e7_agent_new();
	f->client =
		e7_firewall_client_new(f->conn, f->agent, E7_AGENT_OBJECT_PATH);
	WAIT_FOR(e7_firewall_client_get_state(f->client) ==
		 E7_DAEMON_REGISTERED);
	f->window = e7_rules_window_new();
	gtk_widget_show(f->window);
	e7_rules_window_set_client(E7_RULES_WINDOW(f->window), f->client);
	WAIT_FOR(e7_rules_window_get_busy(E7_RULES_WINDOW(f->window)) == 0);
}

static void teardown(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	gtk_widget_destroy(f->window);
	g_object_unref(f->client);
	g_object_unref(f->agent);
	e7_fake_daemon_free(f->daemon);
	g_dbus_connection_close_sync(f->conn, NULL, NULL);
	g_object_unref(f->conn);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
}

static void emit(Fixture *f, const char *name, GVariant *params)
{
	e7_fake_daemon_emit(f->daemon, name, params);
}

static E7RulesWindow *win(Fixture *f)
{
	return E7_RULES_WINDOW(f->window);
}

static int n_rows(GtkTreeModel *model)
{
	return gtk_tree_model_iter_n_children(model, NULL);
}

static char *row_string(GtkTreeModel *model, int row, int col)
{
	GtkTreeIter iter;
	char *s = NULL;

	g_assert_true(gtk_tree_model_iter_nth_child(model, &iter, NULL, row));
	gtk_tree_model_get(model, &iter, col, &s, -1);
	return s;
}

static guint row_uint(GtkTreeModel *model, int row, int col)
{
	GtkTreeIter iter;
	guint v = 0;

	g_assert_true(gtk_tree_model_iter_nth_child(model, &iter, NULL, row));
	gtk_tree_model_get(model, &iter, col, &v, -1);
	return v;
}

static gboolean row_bool(GtkTreeModel *model, int row, int col)
{
	GtkTreeIter iter;
	gboolean v = FALSE;

	g_assert_true(gtk_tree_model_iter_nth_child(model, &iter, NULL, row));
	gtk_tree_model_get(model, &iter, col, &v, -1);
	return v;
}

#define ASSERT_CELL(model, row, col, expected)                     \
	G_STMT_START                                               \
	{                                                          \
		g_autofree char *_s = row_string(model, row, col); \
		g_assert_cmpstr(_s, ==, expected);                 \
	}                                                          \
	G_STMT_END

static gboolean cell_is(GtkTreeModel *model, int row, int col,
			const char *expected)
{
	g_autofree char *s = row_string(model, row, col);

	return g_strcmp0(s, expected) == 0;
}

static void test_window_lists(Fixture *f, gconstpointer data)
{
	GtkTreeModel *rules, *events, *programs;

	if (!have_display)
		return;
	rules = e7_rules_window_get_rules_model(win(f));
	events = e7_rules_window_get_events_model(win(f));
	programs = e7_rules_window_get_programs_model(win(f));
	g_assert_null(e7_rules_window_get_message(win(f)));

	g_assert_cmpint(n_rows(rules), ==, 2);
	ASSERT_CELL(rules, 0, E7_RULES_COL_PROGRAM, "/usr/bin/curl");
	g_assert_true(row_bool(rules, 0, E7_RULES_COL_ALLOWED));
	ASSERT_CELL(rules, 0, E7_RULES_COL_SCOPE, "TCP, outgoing port 443");
	ASSERT_CELL(rules, 0, E7_RULES_COL_LIFETIME, "Forever");
	ASSERT_CELL(rules, 0, E7_RULES_COL_HITS, "5");
	ASSERT_CELL(rules, 0, E7_RULES_COL_ORIGIN, "Learned");
	ASSERT_CELL(rules, 1, E7_RULES_COL_PROGRAM, "/usr/bin/wget");
	g_assert_false(row_bool(rules, 1, E7_RULES_COL_ALLOWED));
	ASSERT_CELL(rules, 1, E7_RULES_COL_LIFETIME, "Until logout");
	/* No counters from the daemon and no recent event: unknown. */
	ASSERT_CELL(rules, 1, E7_RULES_COL_HITS, "—");
	ASSERT_CELL(rules, 1, E7_RULES_COL_LAST_HIT, "—");

	/* Newest event first. */
	g_assert_cmpint(n_rows(events), ==, 3);
	ASSERT_CELL(events, 0, E7_EVENTS_COL_PROGRAM, "/usr/bin/wget");
	ASSERT_CELL(events, 0, E7_EVENTS_COL_ACTION, "Blocked");
	ASSERT_CELL(events, 0, E7_EVENTS_COL_DESTINATION,
		    "UDP 2001:2:0:1::2:53");
	ASSERT_CELL(events, 0, E7_EVENTS_COL_REASON, "timeout");
	g_assert_cmpint(n_rows(programs), ==, 2);
	ASSERT_CELL(programs, 0, E7_PROGRAMS_COL_PROGRAM, "/usr/bin/curl");
	g_assert_cmpuint(row_uint(programs, 0, E7_PROGRAMS_COL_ALLOWED), ==, 2);
	g_assert_cmpuint(row_uint(programs, 0, E7_PROGRAMS_COL_BLOCKED), ==, 0);
	g_assert_cmpuint(row_uint(programs, 1, E7_PROGRAMS_COL_BLOCKED), ==, 1);
	g_assert_cmpstr(e7_rules_window_get_mode(win(f)), ==, "ask");

	/* A live event is added on top and counted. */
	WAIT_FOR(f->daemon->event_watchers->len >= 1);
	emit(f, "ConnectionEvent",
	     g_variant_new_parsed(
		     "({'id': <uint64 4>, 'time': <uint64 1795000003000000>,"
		     " 'action': <'block'>, 'reason': <'rule'>,"
		     " 'program': <'/usr/bin/curl'>, 'protocol': <'tcp'>,"
		     " 'remote-address': <'198.18.1.3'>, 'remote-port': <uint16 80>},)"));
	WAIT_FOR(n_rows(events) == 4);
	/* The daemon's own count wins over the events (rule 1 says 5). */
	ASSERT_CELL(rules, 0, E7_RULES_COL_HITS, "5");
	/* A rule without counters counts the events that name it. */
	emit(f, "ConnectionEvent",
	     g_variant_new_parsed(
		     "({'id': <uint64 5>, 'time': <uint64 1795000004000000>,"
		     " 'action': <'block'>, 'reason': <'rule'>, 'rule-id': <uint64 2>,"
		     " 'program': <'/usr/bin/wget'>, 'protocol': <'tcp'>,"
		     " 'remote-address': <'198.18.1.3'>, 'remote-port': <uint16 80>},)"));
	WAIT_FOR(cell_is(rules, 1, E7_RULES_COL_HITS, "1"));
	ASSERT_CELL(rules, 1, E7_RULES_COL_LAST_HIT, "11/18/26 11:06:44");
	ASSERT_CELL(events, 0, E7_EVENTS_COL_DESTINATION, "TCP 198.18.1.3:80");
	g_assert_cmpuint(row_uint(programs, 0, E7_PROGRAMS_COL_BLOCKED), ==, 1);

	e7_rules_window_set_filter(win(f), "wget");
	g_assert_cmpint(n_rows(rules), ==, 1);
	ASSERT_CELL(rules, 0, E7_RULES_COL_PROGRAM, "/usr/bin/wget");
	e7_rules_window_set_filter(win(f), "");
	g_assert_cmpint(n_rows(rules), ==, 2);
}

static void test_window_changes(Fixture *f, gconstpointer data)
{
	GtkTreeModel *rules;
	GtkWidget *editor;
	g_autoptr(GError) error = NULL;
	GVariant *rule;
	const char *s;
	guint16 port;

	if (!have_display)
		return;
	rules = e7_rules_window_get_rules_model(win(f));

	/* Add through the editor. */
	editor = e7_rule_editor_new(GTK_WINDOW(f->window), NULL);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(e7_rule_editor_get_widget(
					    E7_RULE_EDITOR(editor), "action")),
				    "block");
	gtk_entry_set_text(GTK_ENTRY(e7_rule_editor_get_widget(
				   E7_RULE_EDITOR(editor), "program")),
			   "ssh");
	g_assert_null(e7_rule_editor_get_rule(E7_RULE_EDITOR(editor), &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	g_assert_true(gtk_widget_get_visible(
		e7_rule_editor_get_widget(E7_RULE_EDITOR(editor), "error")));
	g_clear_error(&error);
	gtk_entry_set_text(GTK_ENTRY(e7_rule_editor_get_widget(
				   E7_RULE_EDITOR(editor), "program")),
			   "/usr/bin/ssh");
	gtk_entry_set_text(GTK_ENTRY(e7_rule_editor_get_widget(
				   E7_RULE_EDITOR(editor), "ports")),
			   "22");
	rule = e7_rule_editor_get_rule(E7_RULE_EDITOR(editor), &error);
	g_assert_no_error(error);
	gtk_widget_destroy(editor);
	e7_rules_window_add_rule(win(f), rule);
	WAIT_FOR(n_rows(rules) == 3);
	g_assert_nonnull(f->daemon->last_added);
	g_assert_true(
		g_variant_lookup(f->daemon->last_added, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "block");
	g_assert_true(g_variant_lookup(f->daemon->last_added, "remote-port",
				       "q", &port));
	g_assert_cmpuint(port, ==, 22);
	g_assert_true(
		g_variant_lookup(f->daemon->last_added, "uid", "u", NULL));
	ASSERT_CELL(rules, 2, E7_RULES_COL_PROGRAM, "/usr/bin/ssh");

	/* Toggle: the allowed curl rule becomes a block rule. */
	e7_rules_window_toggle_rule(win(f), 1);
	WAIT_FOR(!row_bool(rules, 0, E7_RULES_COL_ALLOWED));
	g_assert_true(
		g_variant_lookup(f->daemon->last_changes, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "block");
	g_assert_cmpuint(g_variant_n_children(f->daemon->last_changes), ==, 1);

	/* Edit the lifetime through the editor on the existing rule. */
	{
		GtkTreeIter iter;
		g_autoptr(GVariant) wget = NULL;

		g_assert_true(
			gtk_tree_model_iter_nth_child(rules, &iter, NULL, 1));
		gtk_tree_model_get(rules, &iter, E7_RULES_COL_RULE, &wget, -1);
		editor = e7_rule_editor_new(GTK_WINDOW(f->window), wget);
		g_assert_cmpstr(
			gtk_entry_get_text(GTK_ENTRY(e7_rule_editor_get_widget(
				E7_RULE_EDITOR(editor), "program"))),
			==, "/usr/bin/wget");
		g_assert_cmpstr(
			gtk_combo_box_get_active_id(
				GTK_COMBO_BOX(e7_rule_editor_get_widget(
					E7_RULE_EDITOR(editor), "lifetime"))),
			==, "session");
		gtk_combo_box_set_active_id(
			GTK_COMBO_BOX(e7_rule_editor_get_widget(
				E7_RULE_EDITOR(editor), "lifetime")),
			"forever");
		rule = e7_rule_editor_get_rule(E7_RULE_EDITOR(editor), &error);
		g_assert_no_error(error);
		gtk_widget_destroy(editor);
		e7_rules_window_update_rule(win(f), 2, rule);
		WAIT_FOR(cell_is(rules, 1, E7_RULES_COL_LIFETIME, "Forever"));
	}

	/* Remove. */
	e7_rules_window_remove_rule(win(f), 2);
	WAIT_FOR(n_rows(rules) == 2);
	ASSERT_CELL(rules, 1, E7_RULES_COL_PROGRAM, "/usr/bin/ssh");

	/* Errors from the daemon show in the window. */
	e7_rules_window_remove_rule(win(f), 99);
	WAIT_FOR(e7_rules_window_get_busy(win(f)) == 0);
	g_assert_cmpstr(e7_rules_window_get_message(win(f)), ==,
			"Cannot remove the rule: no such rule");
	g_assert_cmpint(n_rows(rules), ==, 2);
}

static void test_window_mode_denied(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	/* The daemon refuses (polkit said no): the window says so and shows the real mode. */
	e7_rules_window_show_page(win(f), "activity");
	e7_rules_window_set_mode(win(f), "block-all");
	WAIT_FOR(f->daemon->set_mode_calls == 1 &&
		 e7_rules_window_get_busy(win(f)) == 0);
	g_assert_cmpstr(e7_rules_window_get_message(win(f)), ==,
			"Cannot change the mode: Not authorized");
	g_assert_cmpstr(e7_rules_window_get_mode(win(f)), ==, "ask");
	/* Showing the daemon's mode again is not a request to change it. */
	g_assert_cmpuint(f->daemon->set_mode_calls, ==, 1);
}

/* The models of the .ui files have the columns the headers number. */
static void test_models(Fixture *f, gconstpointer data)
{
	GtkTreeModel *rules, *events, *programs;

	if (!have_display)
		return;
	rules = e7_rules_window_get_rules_model(win(f));
	events = e7_rules_window_get_events_model(win(f));
	programs = e7_rules_window_get_programs_model(win(f));
	g_assert_cmpint(gtk_tree_model_get_n_columns(rules), ==,
			E7_RULES_N_COLS);
	g_assert_true(gtk_tree_model_get_column_type(
			      rules, E7_RULES_COL_RULE) == G_TYPE_VARIANT);
	g_assert_true(gtk_tree_model_get_column_type(rules, E7_RULES_COL_ID) ==
		      G_TYPE_UINT64);
	g_assert_true(gtk_tree_model_get_column_type(
			      rules, E7_RULES_COL_ALLOWED) == G_TYPE_BOOLEAN);
	for (int col = E7_RULES_COL_PROGRAM; col < E7_RULES_N_COLS; col++)
		if (col != E7_RULES_COL_ALLOWED)
			g_assert_true(gtk_tree_model_get_column_type(
					      rules, col) == G_TYPE_STRING);
	g_assert_cmpint(gtk_tree_model_get_n_columns(events), ==,
			E7_EVENTS_N_COLS);
	for (int col = 0; col < E7_EVENTS_N_COLS; col++)
		g_assert_true(gtk_tree_model_get_column_type(events, col) ==
			      G_TYPE_STRING);
	g_assert_cmpint(gtk_tree_model_get_n_columns(programs), ==,
			E7_PROGRAMS_N_COLS);
	g_assert_true(gtk_tree_model_get_column_type(programs,
						     E7_PROGRAMS_COL_PROGRAM) ==
		      G_TYPE_STRING);
	g_assert_true(gtk_tree_model_get_column_type(programs,
						     E7_PROGRAMS_COL_ALLOWED) ==
		      G_TYPE_UINT);
	g_assert_true(gtk_tree_model_get_column_type(programs,
						     E7_PROGRAMS_COL_BLOCKED) ==
		      G_TYPE_UINT);
}

static void test_no_daemon(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	/* e7d stops: the window follows. */
	e7_fake_daemon_stop(f->daemon);
	WAIT_FOR(!e7_firewall_client_is_running(f->client));
	g_assert_cmpint(n_rows(e7_rules_window_get_rules_model(win(f))), ==, 0);
	g_assert_cmpstr(e7_rules_window_get_message(win(f)), ==,
			"The firewall daemon is not running.");
	e7_rules_window_remove_rule(win(f), 1);
	g_assert_cmpstr(e7_rules_window_get_message(win(f)), ==,
			"The firewall daemon is not running.");
}

int main(int argc, char **argv)
{
	int ret;

	e7_test_gtk_env();
	g_setenv("TZ", "UTC", TRUE);

	g_test_init(&argc, &argv, NULL);
	have_display = e7_test_gtk_init(&argc, &argv);
#define ADD(name, fn) \
	g_test_add("/applet/rules/" name, Fixture, NULL, setup, fn, teardown)
	ADD("window-lists", test_window_lists);
	ADD("window-changes", test_window_changes);
	ADD("window-mode-denied", test_window_mode_denied);
	ADD("models", test_models);
	ADD("no-daemon", test_no_daemon);
	ret = g_test_run();
	e7_test_stop_xvfb();
	return ret;
}
