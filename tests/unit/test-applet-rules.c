/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules window against a fake e7d on a private bus that implements
 * org.eftirlit7.Firewall1 from its interface description: the lists, changes
 * through the editor, a refused mode change, no daemon.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "e7-error.h"
#include "rule-editor.h"
#include "rule-format.h"
#include "rules-window.h"

#include "test-applet-xvfb.h"
#include "test-wait.h"

static gboolean have_display;

static GVariant *parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL,
				      &error);

	g_assert_no_error(error);
	return v;
}

/* ---- a fake e7d ---- */

typedef struct {
	GTestDBus *bus;
	GDBusConnection *daemon_conn;
	GDBusConnection *client_conn;
	GDBusNodeInfo *node;
	guint object_id;
	GPtrArray *rules; /* GVariant a{sv} with "id" */
	guint64 next_id;
	GVariant *last_added;
	GVariant *last_changes;
	guint set_mode_calls;
	GDBusProxy *proxy;
	GtkWidget *window;
} Fixture;

static GVariant *find(Fixture *f, guint64 id, guint *index)
{
	for (guint i = 0; i < f->rules->len; i++) {
		GVariant *r = g_ptr_array_index(f->rules, i);

		if (e7_rule_get_id(r) == id) {
			if (index)
				*index = i;
			return r;
		}
	}
	return NULL;
}

/* dict + changes, with "id" */
static GVariant *merge(GVariant *base, GVariant *changes, guint64 id)
{
	GVariantDict d;
	GVariantIter it;
	const char *key;
	GVariant *value;

	g_variant_dict_init(&d, base);
	g_variant_iter_init(&it, changes);
	while (g_variant_iter_loop(&it, "{&sv}", &key, &value))
		g_variant_dict_insert_value(&d, key, value);
	g_variant_dict_insert(&d, "id", "t", id);
	return g_variant_ref_sink(g_variant_dict_end(&d));
}

static void emit(Fixture *f, const char *name, GVariant *params)
{
	g_dbus_connection_emit_signal(f->daemon_conn, NULL,
				      "/org/eftirlit7/Firewall1",
				      "org.eftirlit7.Firewall1", name, params,
				      NULL);
}

static void fake_method(GDBusConnection *conn, const char *sender,
			const char *path, const char *iface, const char *method,
			GVariant *params, GDBusMethodInvocation *inv,
			gpointer data)
{
	Fixture *f = data;

	if (g_str_equal(method, "ListRules")) {
		GVariantBuilder b;

		g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
		for (guint i = 0; i < f->rules->len; i++)
			g_variant_builder_add_value(
				&b, g_ptr_array_index(f->rules, i));
		g_dbus_method_invocation_return_value(
			inv, g_variant_new("(aa{sv})", &b));
	} else if (g_str_equal(method, "AddRule")) {
		g_autoptr(GVariant) rule = g_variant_get_child_value(params, 0);
		g_autoptr(GVariant)
			empty = g_variant_ref_sink(parse("@a{sv} {}"));
		GVariant *stored = merge(empty, rule, f->next_id++);

		g_clear_pointer(&f->last_added, g_variant_unref);
		f->last_added = g_variant_ref(rule);
		g_ptr_array_add(f->rules, stored);
		g_dbus_method_invocation_return_value(
			inv, g_variant_new("(t)", e7_rule_get_id(stored)));
		emit(f, "RuleAdded",
		     g_variant_new("(t@a{sv})", e7_rule_get_id(stored),
				   stored));
	} else if (g_str_equal(method, "UpdateRule")) {
		guint64 id;
		g_autoptr(GVariant) changes = NULL;
		guint index;
		GVariant *old;

		g_variant_get(params, "(t@a{sv})", &id, &changes);
		old = find(f, id, &index);
		if (!old) {
			g_dbus_method_invocation_return_dbus_error(
				inv, "org.eftirlit7.Firewall1.Error.NoSuchRule",
				"no such rule");
			return;
		}
		g_clear_pointer(&f->last_changes, g_variant_unref);
		f->last_changes = g_variant_ref(changes);
		g_ptr_array_index(f->rules, index) = merge(old, changes, id);
		g_variant_unref(old);
		g_dbus_method_invocation_return_value(inv, NULL);
		emit(f, "RuleChanged",
		     g_variant_new("(t@a{sv})", id,
				   g_ptr_array_index(f->rules, index)));
	} else if (g_str_equal(method, "RemoveRule")) {
		guint64 id;
		guint index;

		g_variant_get(params, "(t)", &id);
		if (!find(f, id, &index)) {
			g_dbus_method_invocation_return_dbus_error(
				inv, "org.eftirlit7.Firewall1.Error.NoSuchRule",
				"no such rule");
			return;
		}
		g_ptr_array_remove_index(f->rules, index);
		g_dbus_method_invocation_return_value(inv, NULL);
		emit(f, "RuleRemoved", g_variant_new("(t)", id));
	} else if (g_str_equal(method, "GetEvents")) {
		g_dbus_method_invocation_return_value(
			inv,
			g_variant_new_parsed(
				"([{'id': <uint64 1>, 'time': <uint64 1795000000000000>,"
				"  'kind': <'verdict'>, 'action': <'allow'>, 'reason': <'rule'>,"
				"  'rule-id': <uint64 1>,"
				"  'program': <'/usr/bin/curl'>, 'protocol': <'tcp'>,"
				"  'remote-address': <'198.18.1.2'>, 'remote-port': <uint16 443>},"
				" {'id': <uint64 2>, 'time': <uint64 1795000001000000>,"
				"  'kind': <'verdict'>, 'action': <'allow'>, 'reason': <'agent'>,"
				"  'program': <'/usr/bin/curl'>, 'protocol': <'tcp'>,"
				"  'remote-address': <'198.18.1.2'>, 'remote-port': <uint16 443>},"
				" {'id': <uint64 3>, 'time': <uint64 1795000002000000>,"
				"  'kind': <'policy'>, 'action': <'block'>, 'reason': <'timeout'>,"
				"  'program': <'/usr/bin/wget'>, 'protocol': <'udp'>,"
				"  'remote-address': <'2001:2:0:1::2'>, 'remote-port': <uint16 53>}],)"));
	} else if (g_str_equal(method, "GetStats")) {
		g_dbus_method_invocation_return_value(
			inv,
			g_variant_new_parsed(
				"({'rules': <uint32 2>, 'prompts': <uint64 7>,"
				" 'prompts-pending': <uint32 1>,"
				" 'agents': <uint32 1>, 'events-lost': <uint64 0>},)"));
	} else if (g_str_equal(method, "SetMode")) {
		f->set_mode_calls++;
		g_dbus_method_invocation_return_dbus_error(
			inv, "org.eftirlit7.Firewall1.Error.NotAuthorized",
			"Not authorized");
	} else {
		g_dbus_method_invocation_return_dbus_error(
			inv, "org.freedesktop.DBus.Error.UnknownMethod",
			"not in the fake daemon");
	}
}

static GVariant *fake_get_property(GDBusConnection *conn, const char *sender,
				   const char *path, const char *iface,
				   const char *name, GError **error,
				   gpointer data)
{
	if (g_str_equal(name, "Mode"))
		return g_variant_new_string("ask");
	if (g_str_equal(name, "KernelConnected"))
		return g_variant_new_boolean(TRUE);
	if (g_str_equal(name, "Version"))
		return g_variant_new_string("test");
	g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "no %s",
		    name);
	return NULL;
}

static const GDBusInterfaceVTable fake_vtable = { fake_method,
						  fake_get_property,
						  NULL,
						  { 0 } };

static GDBusConnection *connect_bus(GTestDBus *bus)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *c = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);

	g_assert_no_error(error);
	return c;
}

static void proxy_ready(GObject *source, GAsyncResult *result, gpointer data)
{
	g_autoptr(GError) error = NULL;

	*(GDBusProxy **)data = g_dbus_proxy_new_finish(result, &error);
	g_assert_no_error(error);
}

static void setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *xml = NULL;
	gboolean owned = FALSE;
	guint owner;

	if (!have_display) {
		g_test_skip("no X server (install Xvfb)");
		return;
	}
	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->daemon_conn = connect_bus(f->bus);
	f->client_conn = connect_bus(f->bus);
	g_assert_true(g_file_get_contents(E7_TEST_DATADIR
					  "/org.eftirlit7.Firewall1.xml",
					  &xml, NULL, &error));
	f->node = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	f->object_id = g_dbus_connection_register_object(
		f->daemon_conn, "/org/eftirlit7/Firewall1",
		g_dbus_node_info_lookup_interface(f->node,
						  "org.eftirlit7.Firewall1"),
		&fake_vtable, f, NULL, &error);
	g_assert_no_error(error);
	f->rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	g_ptr_array_add(
		f->rules,
		g_variant_ref_sink(parse(
			"{'id': <uint64 1>, 'action': <'allow'>,"
			" 'program': <'/usr/bin/curl'>, 'protocol': <'tcp'>,"
			" 'remote-port': <uint16 443>, 'hits': <uint64 5>}")));
	g_ptr_array_add(f->rules,
			g_variant_ref_sink(
				parse("{'id': <uint64 2>, 'action': <'block'>,"
				      " 'program': <'/usr/bin/wget'>,"
				      " 'lifetime': <'session'>}")));
	f->next_id = 3;
	owner = g_bus_own_name_on_connection(f->daemon_conn,
					     "org.eftirlit7.Firewall1",
					     G_BUS_NAME_OWNER_FLAGS_NONE, NULL,
					     NULL, NULL, NULL);
	{
		/* Wait until the name is ours, so that the proxy finds an owner. */
		g_autoptr(GVariant) ret = NULL;

		while (!owned) {
			g_clear_pointer(&ret, g_variant_unref);
			ret = g_dbus_connection_call_sync(
				f->client_conn, "org.freedesktop.DBus",
				"/org/freedesktop/DBus", "org.freedesktop.DBus",
				"NameHasOwner",
				g_variant_new("(s)", "org.eftirlit7.Firewall1"),
				G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE,
				-1, NULL, NULL);
			g_variant_get(ret, "(b)", &owned);
			if (!owned)
				g_main_context_iteration(NULL, FALSE);
		}
	}
	g_object_set_data(G_OBJECT(f->daemon_conn), "owner-id",
			  GUINT_TO_POINTER(owner));
	/* Asynchronously: the fake daemon answers GetAll from this main loop. */
	g_dbus_proxy_new(f->client_conn, G_DBUS_PROXY_FLAGS_NONE, NULL,
			 "org.eftirlit7.Firewall1", "/org/eftirlit7/Firewall1",
			 "org.eftirlit7.Firewall1", NULL, proxy_ready,
			 &f->proxy);
	WAIT_FOR(f->proxy != NULL);
	f->window = e7_rules_window_new();
	gtk_widget_show(f->window);
	e7_rules_window_set_proxy(E7_RULES_WINDOW(f->window), f->proxy);
	WAIT_FOR(e7_rules_window_get_busy(E7_RULES_WINDOW(f->window)) == 0);
}

static void teardown(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	gtk_widget_destroy(f->window);
	g_object_unref(f->proxy);
	g_bus_unown_name(GPOINTER_TO_UINT(
		g_object_get_data(G_OBJECT(f->daemon_conn), "owner-id")));
	g_dbus_connection_unregister_object(f->daemon_conn, f->object_id);
	g_dbus_node_info_unref(f->node);
	g_ptr_array_unref(f->rules);
	g_clear_pointer(&f->last_added, g_variant_unref);
	g_clear_pointer(&f->last_changes, g_variant_unref);
	g_dbus_connection_close_sync(f->daemon_conn, NULL, NULL);
	g_dbus_connection_close_sync(f->client_conn, NULL, NULL);
	g_object_unref(f->daemon_conn);
	g_object_unref(f->client_conn);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
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
	g_assert_nonnull(f->last_added);
	g_assert_true(g_variant_lookup(f->last_added, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "block");
	g_assert_true(
		g_variant_lookup(f->last_added, "remote-port", "q", &port));
	g_assert_cmpuint(port, ==, 22);
	g_assert_true(g_variant_lookup(f->last_added, "uid", "u", NULL));
	ASSERT_CELL(rules, 2, E7_RULES_COL_PROGRAM, "/usr/bin/ssh");

	/* Toggle: the allowed curl rule becomes a block rule. */
	e7_rules_window_toggle_rule(win(f), 1);
	WAIT_FOR(!row_bool(rules, 0, E7_RULES_COL_ALLOWED));
	g_assert_true(g_variant_lookup(f->last_changes, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "block");
	g_assert_cmpuint(g_variant_n_children(f->last_changes), ==, 1);

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
	WAIT_FOR(f->set_mode_calls == 1 &&
		 e7_rules_window_get_busy(win(f)) == 0);
	g_assert_cmpstr(e7_rules_window_get_message(win(f)), ==,
			"Cannot change the mode: Not authorized");
	g_assert_cmpstr(e7_rules_window_get_mode(win(f)), ==, "ask");
	/* Showing the daemon's mode again is not a request to change it. */
	g_assert_cmpuint(f->set_mode_calls, ==, 1);
}

static void test_no_daemon(Fixture *f, gconstpointer data)
{
	if (!have_display)
		return;
	e7_rules_window_set_proxy(win(f), NULL);
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
	ADD("no-daemon", test_no_daemon);
	ret = g_test_run();
	e7_test_stop_xvfb();
	return ret;
}
