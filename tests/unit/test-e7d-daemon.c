// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The org.eftirlit7.Firewall1 service over a private bus (GTestDBus), with
 * an in-memory kernel, a table-driven authorizer and a test prompt agent.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "e7-dbus-generated.h"
#include "e7-error.h"
#include "e7d-fake-kernel.h"

typedef struct {
	GTestDBus *bus;
	GDBusConnection *server;
	GDBusConnection *client;
	GDBusConnection *agent_conn;
	E7Daemon *daemon;
	FakeKernel *kernel;
	char *dir;
	char *rules_path;
	char *conf_path;
	GHashTable *allowed; /* polkit actions the fake authorizer grants */
	GPtrArray *asks; /* pending Ask invocations */
	GArray *cancels; /* prompt ids given to Cancel */
	guint agent_reg;
	guint subscription;
	GPtrArray *signals; /* names of signals seen by the client */
} Fixture;

typedef struct {
	const char *rules;
	const char *conf;
	gboolean no_kernel;
} Setup;

static void fake_check(E7Auth *auth, GDBusConnection *bus, const char *sender,
		       const char *action_id, GAsyncReadyCallback callback,
		       gpointer user_data)
{
	Fixture *f = auth->data;
	g_autoptr(GTask) task = g_task_new(NULL, NULL, callback, user_data);

	if (g_hash_table_contains(f->allowed, action_id))
		g_task_return_boolean(task, TRUE);
	else
		g_task_return_new_error(task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
					"not authorized for %s", action_id);
}

static void agent_method(GDBusConnection *connection, const char *sender,
			 const char *path, const char *iface,
			 const char *method, GVariant *params,
			 GDBusMethodInvocation *inv, gpointer user_data)
{
	Fixture *f = user_data;

	if (g_str_equal(method, "Ask")) {
		g_ptr_array_add(f->asks, g_object_ref(inv));
	} else {
		guint64 id;

		g_variant_get(params, "(t)", &id);
		g_array_append_val(f->cancels, id);
		g_dbus_method_invocation_return_value(inv, NULL);
	}
}

static const GDBusInterfaceVTable agent_vtable = { .method_call =
							   agent_method };

static void on_signal(GDBusConnection *c, const char *sender, const char *path,
		      const char *iface, const char *name, GVariant *params,
		      gpointer user_data)
{
	Fixture *f = user_data;

	g_ptr_array_add(f->signals, g_strdup(name));
}

static void write_file(const char *path, const char *data)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, data, -1, &error));
}

static void on_synced(GObject *source, GAsyncResult *res, gpointer user_data)
{
	gboolean *done = user_data;

	g_assert_true(e7_daemon_wait_synced_finish(res, NULL));
	*done = TRUE;
}

/* Kernel jobs complete on the main loop: run it until a resync is over. */
static void wait_synced(Fixture *f)
{
	gboolean done = FALSE;

	e7_daemon_wait_synced(f->daemon, on_synced, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
}

static gboolean use_worker;

static void setup(Fixture *f, gconstpointer data)
{
	const Setup *s = data;
	g_autoptr(GError) error = NULL;
	E7Auth *auth;

	e7_error_quark();
	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->server = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(f->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error(error);
	f->client = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(f->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error(error);
	f->agent_conn = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(f->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error(error);

	f->dir = g_dir_make_tmp("e7d-test-XXXXXX", &error);
	g_assert_no_error(error);
	f->rules_path = g_build_filename(f->dir, "rules", NULL);
	f->conf_path = g_build_filename(f->dir, "e7d.conf", NULL);
	if (s && s->rules)
		write_file(f->rules_path, s->rules);
	if (s && s->conf)
		write_file(f->conf_path, s->conf);

	f->allowed = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(f->allowed, E7_ACTION_INFO);
	g_hash_table_add(f->allowed, E7_ACTION_RULES_OWN);
	g_hash_table_add(f->allowed, E7_ACTION_RULES_SYSTEM);
	g_hash_table_add(f->allowed, E7_ACTION_CONFIGURE);
	f->asks = g_ptr_array_new_with_free_func(g_object_unref);
	f->cancels = g_array_new(FALSE, FALSE, sizeof(guint64));
	f->signals = g_ptr_array_new_with_free_func(g_free);

	auth = e7_auth_new(fake_check, f, NULL, FALSE);
	f->daemon = e7_daemon_new(f->server, NULL, auth, f->rules_path,
				  f->conf_path, NULL);
	f->kernel = fake_kernel_new(e7_daemon_kernel_events(), f->daemon);
	f->kernel->connected = !(s && s->no_kernel);
	/* The second pass runs the kernel jobs in a worker thread, as the
	 * netlink bridge does. */
	if (use_worker)
		e7_kernel_start_worker(&f->kernel->parent);
	e7_daemon_set_kernel(f->daemon, &f->kernel->parent);
	e7_daemon_resync(f->daemon);
	wait_synced(f);
	g_assert_true(e7_daemon_export(f->daemon, &error));
	g_assert_no_error(error);

	f->agent_reg = g_dbus_connection_register_object(
		f->agent_conn, "/test/agent",
		(GDBusInterfaceInfo *)e7_firewall1_agent_interface_info(),
		&agent_vtable, f, NULL, &error);
	g_assert_no_error(error);
	f->subscription = g_dbus_connection_signal_subscribe(
		f->client, NULL, E7_DBUS_INTERFACE, NULL, E7_DBUS_PATH, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_signal, f, NULL);
}

static void setup_worker(Fixture *f, gconstpointer data)
{
	use_worker = TRUE;
	setup(f, data);
	use_worker = FALSE;
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_dbus_connection_signal_unsubscribe(f->client, f->subscription);
	g_dbus_connection_unregister_object(f->agent_conn, f->agent_reg);
	e7_daemon_free(f->daemon);
	g_object_unref(f->agent_conn);
	g_object_unref(f->client);
	g_object_unref(f->server);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
	g_unlink(f->rules_path);
	g_unlink(f->conf_path);
	g_rmdir(f->dir);
	g_free(f->rules_path);
	g_free(f->conf_path);
	g_free(f->dir);
	g_hash_table_unref(f->allowed);
	g_ptr_array_unref(f->asks);
	g_array_unref(f->cancels);
	g_ptr_array_unref(f->signals);
}

static void got_result(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static GVariant *call_on(Fixture *f, GDBusConnection *conn, const char *method,
			 GVariant *args, GError **error)
{
	GAsyncResult *res = NULL;
	GVariant *ret;

	g_dbus_connection_call(conn,
			       g_dbus_connection_get_unique_name(f->server),
			       E7_DBUS_PATH, E7_DBUS_INTERFACE, method, args,
			       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
			       got_result, &res);
	while (!res)
		g_main_context_iteration(NULL, TRUE);
	ret = g_dbus_connection_call_finish(conn, res, error);
	g_object_unref(res);
	return ret;
}

static GVariant *call(Fixture *f, const char *method, GVariant *args,
		      GError **error)
{
	return call_on(f, f->client, method, args, error);
}

static GVariant *call_ok(Fixture *f, const char *method, GVariant *args)
{
	g_autoptr(GError) error = NULL;
	GVariant *ret = call(f, method, args, &error);

	g_assert_no_error(error);
	return ret;
}

static guint64 add_rule(Fixture *f, const char *text)
{
	g_autoptr(GVariant) ret = NULL;
	guint64 id;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "text", g_variant_new_string(text));
	ret = call_ok(f, "AddRule", g_variant_new("(a{sv})", &b));
	g_variant_get(ret, "(t)", &id);
	return id;
}

static char *read_rules(Fixture *f)
{
	char *data = NULL;

	g_assert_true(g_file_get_contents(f->rules_path, &data, NULL, NULL));
	return data;
}

static GVariant *list_rules(Fixture *f)
{
	g_autoptr(GVariant) ret =
		call_ok(f, "ListRules", g_variant_new_parsed("(@a{sv} {},)"));

	return g_variant_get_child_value(ret, 0);
}

static char *rule_text_at(GVariant *rules, guint i)
{
	g_autoptr(GVariant) r = g_variant_get_child_value(rules, i);
	char *text = NULL;

	g_assert_true(g_variant_lookup(r, "text", "s", &text));
	return text;
}

static void spin_until(gboolean (*cond)(Fixture *f), Fixture *f)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (!cond(f)) {
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

static void test_rules_round_trip(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *file = NULL, *file2 = NULL, *text0 = NULL;
	guint64 id1, id2, id3;
	guint count;
	E7Rule *k;

	id1 = add_rule(f, "allow tcp /usr/bin/curl");
	id2 = add_rule(f, "block udp /usr/bin/dig port 53");
	id3 = add_rule(f, "allow tcp /usr/bin/wget for 60s");
	g_assert_cmpuint(id1, !=, id2);

	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 3);
	text0 = rule_text_at(rules, 0);
	g_assert_cmpstr(text0, ==, "allow tcp /usr/bin/curl");
	/* Only "forever" rules are written. */
	file = read_rules(f);
	g_assert_cmpstr(file, ==,
			"# existing comment\nallow tcp /usr/bin/curl\n"
			"block udp /usr/bin/dig port 53\n");
	k = g_hash_table_lookup(f->kernel->rules, &id2);
	g_assert_nonnull(k);
	g_assert_cmpuint(k->port_min, ==, 53);
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id3));

	/* UpdateRule changes the file, the kernel and keeps the id. */
	g_variant_unref(
		call_ok(f, "UpdateRule",
			g_variant_new_parsed(
				"(%t, {'remote-port': <uint16 5353>})", id2)));
	k = g_hash_table_lookup(f->kernel->rules, &id2);
	g_assert_cmpuint(k->port_min, ==, 5353);
	file2 = read_rules(f);
	g_assert_nonnull(strstr(file2, "block udp /usr/bin/dig port 5353\n"));

	g_variant_unref(call_ok(f, "RemoveRule", g_variant_new("(t)", id1)));
	g_assert_null(g_hash_table_lookup(f->kernel->rules, &id1));
	ret = call(f, "RemoveRule", g_variant_new("(t)", id1), &error);
	g_assert_null(ret);
	g_assert_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE);

	ret = call_ok(
		f, "ClearRules",
		g_variant_new_parsed("({'program': <'/usr/bin/wget'>},)"));
	g_variant_get(ret, "(u)", &count);
	g_assert_cmpuint(count, ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
}

static gboolean saw_six_signals(Fixture *f)
{
	return f->signals->len >= 6;
}

static void test_signals(Fixture *f, gconstpointer data)
{
	guint64 id = add_rule(f, "allow tcp /a");

	g_variant_unref(call_ok(
		f, "UpdateRule",
		g_variant_new_parsed("(%t, {'action': <'block'>})", id)));
	g_variant_unref(call_ok(f, "RemoveRule", g_variant_new("(t)", id)));
	add_rule(f, "allow tcp /b for 5s");
	g_variant_unref(
		call_ok(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)")));
	add_rule(f, "allow tcp /c");
	spin_until(saw_six_signals, f);
	g_assert_cmpstr(f->signals->pdata[0], ==, "RuleAdded");
	g_assert_cmpstr(f->signals->pdata[1], ==, "RuleChanged");
	g_assert_cmpstr(f->signals->pdata[2], ==, "RuleRemoved");
	g_assert_cmpstr(f->signals->pdata[3], ==, "RuleAdded");
	g_assert_cmpstr(f->signals->pdata[4], ==, "RuleRemoved");
	g_assert_cmpstr(f->signals->pdata[5], ==, "RuleAdded");
}

static void expect_error(Fixture *f, const char *method, GVariant *args,
			 gint code, const char *part)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = call(f, method, args, &error);

	g_assert_null(ret);
	g_assert_error(error, E7_ERROR, code);
	if (part && !strstr(error->message, part))
		g_error("%s: '%s' lacks '%s'", method, error->message, part);
}

static void test_authorization(Fixture *f, gconstpointer data)
{
	g_autofree char *own =
		g_strdup_printf("allow tcp /usr/bin/curl user %u", getuid());
	g_autoptr(GVariant) rules = NULL;
	guint64 system_id = add_rule(f, "allow tcp /usr/bin/ssh");

	g_hash_table_remove(f->allowed, E7_ACTION_RULES_SYSTEM);
	g_hash_table_remove(f->allowed, E7_ACTION_CONFIGURE);
	expect_error(
		f, "AddRule",
		g_variant_new_parsed("({'text': <'allow tcp /usr/bin/nc'>},)"),
		E7_ERROR_NOT_AUTHORIZED, "org.eftirlit7.firewall.rules.system");
	expect_error(
		f, "AddRule",
		g_variant_new_parsed(
			"({'text': <'allow tcp /usr/bin/nc user 4242'>},)"),
		E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "RemoveRule", g_variant_new("(t)", system_id),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)"),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "SetMode", g_variant_new("(s)", "disabled"),
		     E7_ERROR_NOT_AUTHORIZED, "configure");
	expect_error(f, "Reload", NULL, E7_ERROR_NOT_AUTHORIZED, NULL);
	/* The user's own rules need only rules.own. */
	add_rule(f, own);
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed("(uint64 2, {'uid': <uint32 4242>})"),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 2);
	g_variant_unref(call_ok(f, "ClearRules",
				g_variant_new_parsed("({'uid': <%u>},)",
						     (guint32)getuid())));
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	/* Reading needs info. */
	g_hash_table_remove(f->allowed, E7_ACTION_INFO);
	expect_error(f, "ListRules", g_variant_new_parsed("(@a{sv} {},)"),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "GetStats", NULL, E7_ERROR_NOT_AUTHORIZED, NULL);
}

static void test_bad_input(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GVariant) v = NULL;
	gboolean b;

	expect_error(
		f, "AddRule",
		g_variant_new_parsed("({'text': <'allow tcp /x port 0'>},)"),
		E7_ERROR_INVALID_ARGS, "bad port '0'");
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'colour': <'red'>},)"),
		     E7_ERROR_INVALID_ARGS, "unknown rule key");
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed("(uint64 99, @a{sv} {})"),
		     E7_ERROR_NO_SUCH_RULE, "99");
	expect_error(f, "ListRules", g_variant_new_parsed("({'uid': <'x'>},)"),
		     E7_ERROR_INVALID_ARGS, "type");
	expect_error(f, "SetMode", g_variant_new("(s)", "paranoid"),
		     E7_ERROR_INVALID_ARGS, "unknown mode");
	expect_error(f, "GetFlag", g_variant_new("(s)", "nope"),
		     E7_ERROR_INVALID_ARGS, "unknown flag 'nope'");
	expect_error(f, "SetFlag",
		     g_variant_new("(sv)", "log-allowed",
				   g_variant_new_string("x")),
		     E7_ERROR_INVALID_ARGS, "boolean");
	expect_error(f, "SetFlag",
		     g_variant_new("(sv)", "profile",
				   g_variant_new_string("strict")),
		     E7_ERROR_INVALID_ARGS, "read-only");
	expect_error(f, "GetEvents", g_variant_new_parsed("({'max': <'x'>},)"),
		     E7_ERROR_INVALID_ARGS, NULL);

	/* Flags and mode reach the kernel. */
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "log-allowed",
					      g_variant_new_boolean(TRUE))));
	g_assert_cmpuint(f->kernel->flags, ==, E7_FLAG_LOG_ALLOWED);
	ret = call_ok(f, "GetFlag", g_variant_new("(s)", "log-allowed"));
	g_variant_get(ret, "(v)", &v);
	g_variant_get(v, "b", &b);
	g_assert_true(b);
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "policy-no-agent",
					      g_variant_new_string("block"))));
	g_variant_unref(
		call_ok(f, "SetMode", g_variant_new("(s)", "deny-unknown")));
	g_assert_cmpuint(f->kernel->mode, ==, E7_MODE_DENY_UNKNOWN);
}

static void test_no_kernel(Fixture *f, gconstpointer data)
{
	g_autofree char *file = NULL;

	expect_error(f, "SetMode", g_variant_new("(s)", "ask"),
		     E7_ERROR_KERNEL_MODULE_MISSING, "not loaded");
	/* Temporary rules need the module; persistent ones wait for it. */
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /x once'>},)"),
		     E7_ERROR_KERNEL_MODULE_MISSING, NULL);
	add_rule(f, "allow tcp /y");
	file = read_rules(f);
	g_assert_cmpstr(file, ==, "allow tcp /y\n");
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 0);
	/* The module appears: the rule is pushed. */
	f->kernel->connected = TRUE;
	f->kernel->parent.events->connected(TRUE, f->daemon);
	wait_synced(f);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	g_assert_cmpuint(f->kernel->set_config_calls, ==, 1);
}

static void test_reload_corrupt(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) rules2 = NULL;
	g_autofree char *msg = NULL;

	add_rule(f, "allow tcp /usr/bin/a");
	write_file(
		f->rules_path,
		"allow tcp /usr/bin/a\nallow tcp usr/bin/b\nblock any /c/\n");
	msg = g_strdup_printf("%s:2: program 'usr/bin/b'", f->rules_path);
	expect_error(f, "Reload", NULL, E7_ERROR_INVALID_ARGS, msg);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	/* The broken file is not overwritten. */
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /z'>},)"),
		     E7_ERROR_FAILED, "has errors");
	write_file(f->rules_path, "allow tcp /usr/bin/a\nblock any /c/\n");
	g_variant_unref(call_ok(f, "Reload", NULL));
	rules2 = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules2), ==, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
}

static guint64 write_failure_id;

static gboolean kernel_rule_a_restored(Fixture *f)
{
	E7Rule *k = g_hash_table_lookup(f->kernel->rules, &write_failure_id);

	return k && k->port_min == 0;
}

/* The rules file cannot be written (its directory is gone, replaced by a
 * plain file, which stops root too): adding, removing and clearing fail
 * with the write error and change nothing, in e7d, the module or the file. */
static void test_write_failure(Fixture *f, gconstpointer data)
{
	g_autofree char *moved = g_strconcat(f->dir, ".moved", NULL);
	g_autofree char *before = NULL;
	g_autofree char *after = NULL;
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) rules2 = NULL;
	g_autofree char *text = NULL;
	guint64 a;

	a = add_rule(f, "allow tcp /usr/bin/a");
	write_failure_id = a;
	add_rule(f, "allow tcp /usr/bin/b once");
	add_rule(f, "block any /c/");
	before = read_rules(f);
	g_assert_cmpint(g_rename(f->dir, moved), ==, 0);
	write_file(f->dir, "not a directory");
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /z'>},)"),
		     E7_ERROR_FAILED, "cannot write");
	expect_error(f, "RemoveRule", g_variant_new("(t)", a), E7_ERROR_FAILED,
		     "cannot write");
	expect_error(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)"),
		     E7_ERROR_FAILED, "cannot write");
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed("(%t, {'remote-port': <uint16 80>})",
					  a),
		     E7_ERROR_FAILED, "cannot write");
	/* The module's copy of the rule is put back. */
	spin_until(kernel_rule_a_restored, f);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 3);
	text = rule_text_at(rules, 0);
	g_assert_cmpstr(text, ==, "allow tcp /usr/bin/a");
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 3);
	g_assert_cmpint(g_unlink(f->dir), ==, 0);
	g_assert_cmpint(g_rename(moved, f->dir), ==, 0);
	after = read_rules(f);
	g_assert_cmpstr(after, ==, before);
	/* Writable again: the removal goes through, file first. */
	g_variant_unref(call_ok(f, "RemoveRule", g_variant_new("(t)", a)));
	g_clear_pointer(&after, g_free);
	after = read_rules(f);
	g_assert_cmpstr(after, ==, "block any /c/\n");
	rules2 = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules2), ==, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
}

static void test_resync(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Rule) same = e7_rule_parse("allow tcp /usr/bin/curl", NULL);
	g_autoptr(E7Rule) stranger = e7_rule_parse("block any /tmp/x", NULL);
	g_autoptr(E7Rule) temp = e7_rule_parse("allow udp /x for 100s", NULL);
	g_autoptr(GVariant) rules = NULL;
	guint64 id;

	/* The daemon restarts: the kernel has rules from its previous run. */
	f->kernel->connected = FALSE;
	f->kernel->parent.events->connected(FALSE, f->daemon);
	g_hash_table_remove_all(f->kernel->rules);
	same->id = 500;
	stranger->id = 501;
	temp->id = 502;
	f->kernel->parent.ops->add_rule(&f->kernel->parent, same, NULL);
	f->kernel->parent.ops->add_rule(&f->kernel->parent, stranger, NULL);
	f->kernel->parent.ops->add_rule(&f->kernel->parent, temp, NULL);
	f->kernel->connected = TRUE;
	f->kernel->parent.events->connected(TRUE, f->daemon);
	wait_synced(f);

	id = 500;
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id));
	id = 501;
	g_assert_null(g_hash_table_lookup(f->kernel->rules, &id));
	id = 502;
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id));
	/* curl (adopted as 500), block udp /y (pushed), the temporary rule. */
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 3);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 3);
	{
		g_autoptr(GVariant) r0 = g_variant_get_child_value(rules, 0);

		g_assert_true(g_variant_lookup(r0, "id", "t", &id));
		g_assert_cmpuint(id, ==, 500);
	}
	/* New ids do not collide with adopted ones. */
	id = add_rule(f, "allow tcp /new");
	g_assert_cmpuint(id, >, 502);
}

/* A restarted e7d numbers its rules anew: they collide with the ids the
 * kernel kept from the previous run. */
static void test_resync_restart(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Rule) stranger = e7_rule_parse("block any /tmp/x", NULL);
	g_autoptr(E7Rule) curl = e7_rule_parse("allow tcp /usr/bin/curl", NULL);
	E7Rule *k;
	guint64 id;

	f->kernel->connected = FALSE;
	f->kernel->parent.events->connected(FALSE, f->daemon);
	g_hash_table_remove_all(f->kernel->rules);
	stranger->id = 1;
	curl->id = 2;
	f->kernel->parent.ops->add_rule(&f->kernel->parent, stranger, NULL);
	f->kernel->parent.ops->add_rule(&f->kernel->parent, curl, NULL);
	f->kernel->connected = TRUE;
	f->kernel->parent.events->connected(TRUE, f->daemon);
	wait_synced(f);

	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
	id = 2;
	k = g_hash_table_lookup(f->kernel->rules, &id);
	g_assert_nonnull(k);
	g_assert_cmpstr(k->program, ==, "/usr/bin/curl");
	id = 1;
	g_assert_null(g_hash_table_lookup(f->kernel->rules, &id));
	id = 3;
	k = g_hash_table_lookup(f->kernel->rules, &id);
	g_assert_nonnull(k);
	g_assert_cmpstr(k->program, ==, "/y");
}

/* --- prompts -------------------------------------------------------- */

static void register_agent(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant)
		ret = call_on(f, f->agent_conn, "RegisterAgent",
			      g_variant_new("(o)", "/test/agent"), &error);

	g_assert_no_error(error);
}

static E7Flow *make_flow(guint64 id, const char *program, guint32 uid)
{
	E7Flow *flow = e7_flow_new();

	flow->id = id;
	flow->program = g_strdup(program);
	flow->pid = getpid();
	flow->uid = uid;
	flow->protocol = E7_PROTO_TCP;
	flow->direction = E7_DIR_OUT;
	flow->remote_address = g_strdup("198.18.1.2");
	flow->remote_port = 443;
	return flow;
}

static guint n_asks_wanted;

static gboolean have_asks(Fixture *f)
{
	return f->asks->len >= n_asks_wanted;
}

static void wait_asks(Fixture *f, guint n)
{
	n_asks_wanted = n;
	spin_until(have_asks, f);
}

static guint n_verdicts_wanted;

static gboolean have_verdicts(Fixture *f)
{
	return f->kernel->verdicts->len >= n_verdicts_wanted;
}

static void wait_verdicts(Fixture *f, guint n)
{
	n_verdicts_wanted = n;
	spin_until(have_verdicts, f);
}

static void answer(Fixture *f, guint i, const char *answer_text)
{
	GDBusMethodInvocation *inv = f->asks->pdata[i];
	g_autoptr(GError) error = NULL;
	GVariant *a = g_variant_parse(G_VARIANT_TYPE_VARDICT, answer_text, NULL,
				      NULL, &error);

	g_assert_no_error(error);
	g_dbus_method_invocation_return_value(g_object_ref(inv),
					      g_variant_new("(@a{sv})", a));
}

static void test_prompt_allow_forever(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/curl", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/curl", getuid());
	g_autoptr(GVariant) request = NULL;
	GVariant *params;
	g_autoptr(GVariant) rules = NULL;
	g_autofree char *text = NULL, *expect = NULL, *file = NULL;
	const char *program;
	guint64 id;

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	fake_kernel_hold(f->kernel, b); /* coalesced with a */
	wait_asks(f, 1);
	params = g_dbus_method_invocation_get_parameters(f->asks->pdata[0]);
	request = g_variant_get_child_value(params, 0);
	g_assert_true(g_variant_lookup(request, "program", "&s", &program));
	g_assert_cmpstr(program, ==, "/usr/bin/curl");
	g_assert_true(g_variant_lookup(request, "id", "t", &id));
	answer(f, 0,
	       "{'action': <'allow'>, 'scope': <'destination'>, 'lifetime': <'forever'>}");
	wait_verdicts(f, 2);
	g_assert_cmpuint(f->asks->len, ==, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 2), ==,
			E7_ACTION_ALLOW);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	text = rule_text_at(rules, 0);
	expect = g_strdup_printf(
		"allow tcp /usr/bin/curl to 198.18.1.2 port 443 user %u",
		getuid());
	g_assert_cmpstr(text, ==, expect);
	file = read_rules(f);
	g_assert_nonnull(strstr(file, expect));
}

static void test_prompt_many_programs(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/b", getuid());
	g_autoptr(E7Flow) c = make_flow(3, "/usr/bin/c", getuid());
	g_autoptr(GVariant) rules = NULL;

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	fake_kernel_hold(f->kernel, b);
	fake_kernel_hold(f->kernel, c);
	/* Three prompts are open at once; answering the last first works. */
	wait_asks(f, 3);
	answer(f, 2, "{'action': <'block'>, 'lifetime': <'once'>}");
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 3), ==,
			E7_ACTION_BLOCK);
	answer(f, 0, "{'action': <'allow'>, 'lifetime': <'once'>}");
	answer(f, 1,
	       "{'action': <'block'>, 'lifetime': <'seconds'>, 'duration': <uint32 60>}");
	wait_verdicts(f, 3);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 2), ==,
			E7_ACTION_BLOCK);
	/* "once" makes no rule; "seconds" makes a temporary one. */
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
}

static gboolean kernel_has_no_rules(Fixture *f)
{
	return g_hash_table_size(f->kernel->rules) == 0;
}

/* "until the program exits" and "until logout" rules end with the process
 * and with the user's last agent. */
static void test_prompt_lifetimes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) child = g_subprocess_new(
		G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "60", NULL);
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/sleep", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/b", getuid());

	g_assert_no_error(error);
	a->pid = atoi(g_subprocess_get_identifier(child));
	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	answer(f, 0, "{'action': <'allow'>, 'lifetime': <'process'>}");
	wait_verdicts(f, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	g_subprocess_force_exit(child);
	spin_until(kernel_has_no_rules, f);

	fake_kernel_hold(f->kernel, b);
	wait_asks(f, 2);
	answer(f, 1, "{'action': <'block'>, 'lifetime': <'session'>}");
	wait_verdicts(f, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	g_dbus_connection_close_sync(f->agent_conn, NULL, NULL);
	spin_until(kernel_has_no_rules, f);
}

static void test_prompt_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/slow", getuid());
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GVariant) stats = NULL;
	guint64 timeouts;

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	/* prompt-timeout=1 and default-answer=allow in e7d.conf. */
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	while (f->cancels->len == 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(g_array_index(f->cancels, guint64, 0), ==, 1);
	ret = call_ok(f, "GetStats", NULL);
	stats = g_variant_get_child_value(ret, 0);
	g_assert_true(
		g_variant_lookup(stats, "policy-timeout", "t", &timeouts));
	g_assert_cmpuint(timeouts, ==, 1);
	/* A late answer changes nothing. */
	answer(f, 0, "{'action': <'block'>, 'lifetime': <'forever'>}");
	g_main_context_iteration(NULL, FALSE);
	g_assert_cmpuint(f->kernel->verdicts->len, ==, 1);
}

static void test_prompt_no_agent(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) mine = make_flow(1, "/usr/bin/x", getuid());
	g_autoptr(E7Flow) other = make_flow(2, "/usr/bin/x", getuid() + 1);
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GVariant) events = NULL;
	g_autoptr(GVariant) ev = NULL;
	const char *reason;

	/* desktop profile: no agent means allow (logged). */
	fake_kernel_hold(f->kernel, mine);
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	register_agent(f);
	/* The agent is only asked about its own uid. */
	fake_kernel_hold(f->kernel, other);
	wait_verdicts(f, 2);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 2), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpuint(f->asks->len, ==, 0);
	ret = call_ok(f, "GetEvents",
		      g_variant_new_parsed("({'max': <uint32 1>},)"));
	events = g_variant_get_child_value(ret, 0);
	g_assert_cmpuint(g_variant_n_children(events), ==, 1);
	ev = g_variant_get_child_value(events, 0);
	g_assert_true(g_variant_lookup(ev, "reason", "&s", &reason));
	g_assert_cmpstr(reason, ==, "no-agent");
}

static void test_prompt_agent_gone(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	/* The agent leaves the bus with the prompt open: agent-gone policy
	 * (block by default). */
	g_dbus_connection_close_sync(f->agent_conn, NULL, NULL);
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_BLOCK);
}

static void test_prompt_dismissed(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	g_dbus_method_invocation_return_dbus_error(
		g_object_ref(f->asks->pdata[0]),
		"org.eftirlit7.Firewall1.Error.Cancelled", "closed");
	wait_verdicts(f, 1);
	/* default-answer (block) */
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_BLOCK);
}

static void test_prompt_resolved_by_kernel(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	g_hash_table_remove(f->kernel->held, &a->id);
	f->kernel->parent.events->resolved(1, E7_ACTION_BLOCK,
					   E7_REASON_TIMEOUT, f->daemon);
	while (f->cancels->len == 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(f->kernel->verdicts->len, ==, 0);
}

/* SetMode and SetFlag are kept in e7d.conf (comments stay) and pushed
 * again by the next start or reload. */
static void test_settings_persist(Fixture *f, gconstpointer data)
{
	g_autofree char *conf = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;

	g_variant_unref(
		call_ok(f, "SetMode", g_variant_new("(s)", "deny-unknown")));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "log-allowed",
					      g_variant_new_boolean(TRUE))));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "incoming",
					      g_variant_new_boolean(FALSE))));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "policy-no-agent",
					      g_variant_new_string("block"))));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "prompt-timeout",
					      g_variant_new_uint32(42))));
	g_assert_true(g_file_get_contents(f->conf_path, &conf, NULL, NULL));
	g_assert_nonnull(strstr(conf, "# kept comment"));
	g_assert_true(g_key_file_load_from_data(kf, conf, -1, 0, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(g_key_file_get_string(kf, "daemon", "mode", NULL), ==,
			"deny-unknown");
	g_assert_cmpstr(g_key_file_get_string(kf, "flags", "log-allowed", NULL),
			==, "true");
	g_assert_cmpstr(g_key_file_get_string(kf, "flags", "incoming", NULL),
			==, "false");
	g_assert_cmpstr(g_key_file_get_string(kf, "policies", "no-agent", NULL),
			==, "block");
	g_assert_cmpstr(g_key_file_get_string(kf, "daemon", "prompt-timeout",
					      NULL),
			==, "42");
	/* The module forgets (reloaded); the daemon's next sync restores. */
	f->kernel->mode = E7_MODE_ASK;
	f->kernel->flags = E7_FLAG_INCOMING | E7_FLAG_LOG_BLOCKED;
	f->kernel->config.no_agent = E7_ACTION_ALLOW;
	g_variant_unref(call_ok(f, "Reload", NULL));
	g_assert_cmpuint(f->kernel->mode, ==, E7_MODE_DENY_UNKNOWN);
	g_assert_cmpuint(f->kernel->flags, ==,
			 E7_FLAG_LOG_ALLOWED | E7_FLAG_LOG_BLOCKED);
	g_assert_cmpuint(e7_daemon_get_config(f->daemon)->prompt_timeout, ==,
			 42);
	g_assert_cmpuint(e7_daemon_get_config(f->daemon)->no_agent, ==,
			 E7_ACTION_BLOCK);
}

static const Setup with_conf = { .conf = "# kept comment\n[daemon]\n" };
/* --- a fake logind: sessions s0, s1 handed out in GetSessionByPID order -- */

static const char logind_xml[] =
	"<node>"
	"<interface name='org.freedesktop.login1.Manager'>"
	"<method name='GetSessionByPID'><arg type='u' direction='in'/>"
	"<arg type='o' direction='out'/></method></interface>"
	"<interface name='org.freedesktop.login1.Session'>"
	"<property name='Active' type='b' access='read'/></interface>"
	"</node>";

static struct {
	GDBusConnection *conn;
	GDBusNodeInfo *info;
	gboolean owned;
	guint lookups; /* GetSessionByPID calls */
	guint reads; /* Active reads (one per proxy created) */
	gboolean active[2];
} logind;

static void logind_method(GDBusConnection *c, const char *sender,
			  const char *path, const char *iface,
			  const char *method, GVariant *params,
			  GDBusMethodInvocation *inv, gpointer user_data)
{
	g_autofree char *session = g_strdup_printf(
		"/org/freedesktop/login1/session/s%u", logind.lookups++ % 2);

	g_dbus_method_invocation_return_value(inv,
					      g_variant_new("(o)", session));
}

static GVariant *logind_get(GDBusConnection *c, const char *sender,
			    const char *path, const char *iface,
			    const char *name, GError **error,
			    gpointer user_data)
{
	logind.reads++;
	return g_variant_new_boolean(
		logind.active[GPOINTER_TO_UINT(user_data)]);
}

static const GDBusInterfaceVTable logind_vtable = {
	.method_call = logind_method,
	.get_property = logind_get,
};

static void logind_set_active(guint i, gboolean active)
{
	g_autofree char *path =
		g_strdup_printf("/org/freedesktop/login1/session/s%u", i);
	GVariantBuilder b;

	logind.active[i] = active;
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "Active",
			      g_variant_new_boolean(active));
	g_dbus_connection_emit_signal(
		logind.conn, NULL, path, "org.freedesktop.DBus.Properties",
		"PropertiesChanged",
		g_variant_new("(sa{sv}as)", "org.freedesktop.login1.Session",
			      &b, NULL),
		NULL);
}

static void on_logind_name(GDBusConnection *c, const char *name,
			   gpointer user_data)
{
	logind.owned = TRUE;
}

static gboolean logind_owned(Fixture *f)
{
	return logind.owned;
}

static guint n_reads_wanted;

static gboolean logind_read(Fixture *f)
{
	return logind.reads >= n_reads_wanted;
}

static gint64 settle_until;

/* Lets the daemon's session proxies take in GetAll and PropertiesChanged. */
static gboolean settled(Fixture *f)
{
	return g_get_monotonic_time() >= settle_until;
}

/* Messages from the fake logind reach the daemon in order: once a call
 * from the same connection is answered, the GetAll replies and the
 * PropertiesChanged signals sent before it were received; the margin lets
 * the proxies take them in under load. */
static void logind_settle(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant)
		ret = call_on(f, logind.conn, "GetMode", NULL, &error);

	g_assert_no_error(error);
	settle_until = g_get_monotonic_time() + 300 * 1000;
	spin_until(settled, f);
}

static void register_agent_at(Fixture *f, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = call_on(f, f->agent_conn, "RegisterAgent",
					  g_variant_new("(o)", path), &error);

	g_assert_no_error(error);
}

static const char *asked_path(Fixture *f, guint i)
{
	return g_dbus_method_invocation_get_object_path(f->asks->pdata[i]);
}

/* Two agents of one uid: the one in the active session is asked, even when
 * it registered first; when the active session changes, so does the agent. */
static void test_prompt_active_session(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/b", getuid());
	guint reg2, mgr, s0, s1, own;

	logind.conn = g_dbus_connection_new_for_address_sync(
		g_test_dbus_get_bus_address(f->bus),
		G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		NULL, NULL, &error);
	g_assert_no_error(error);
	logind.info = g_dbus_node_info_new_for_xml(logind_xml, &error);
	g_assert_no_error(error);
	logind.active[0] = TRUE;
	logind.active[1] = FALSE;
	mgr = g_dbus_connection_register_object(
		logind.conn, "/org/freedesktop/login1",
		logind.info->interfaces[0], &logind_vtable, NULL, NULL, &error);
	s0 = g_dbus_connection_register_object(
		logind.conn, "/org/freedesktop/login1/session/s0",
		logind.info->interfaces[1], &logind_vtable, GUINT_TO_POINTER(0),
		NULL, &error);
	s1 = g_dbus_connection_register_object(
		logind.conn, "/org/freedesktop/login1/session/s1",
		logind.info->interfaces[1], &logind_vtable, GUINT_TO_POINTER(1),
		NULL, &error);
	g_assert_no_error(error);
	own = g_bus_own_name_on_connection(logind.conn,
					   "org.freedesktop.login1",
					   G_BUS_NAME_OWNER_FLAGS_NONE,
					   on_logind_name, NULL, NULL, NULL);
	spin_until(logind_owned, f);
	reg2 = g_dbus_connection_register_object(
		f->agent_conn, "/test/agent2",
		(GDBusInterfaceInfo *)e7_firewall1_agent_interface_info(),
		&agent_vtable, f, NULL, &error);
	g_assert_no_error(error);

	/* The first agent gets the active session s0, the second s1. */
	register_agent_at(f, "/test/agent");
	n_reads_wanted = 1;
	spin_until(logind_read, f);
	register_agent_at(f, "/test/agent2");
	n_reads_wanted = 2;
	spin_until(logind_read, f);
	/* The proxies have their properties once GetAll returned. */
	logind_settle(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	g_assert_cmpstr(asked_path(f, 0), ==, "/test/agent");

	/* The user switches to the second session. */
	logind_set_active(0, FALSE);
	logind_set_active(1, TRUE);
	logind_settle(f);
	fake_kernel_hold(f->kernel, b);
	wait_asks(f, 2);
	g_assert_cmpstr(asked_path(f, 1), ==, "/test/agent2");
	answer(f, 0, "{'action': <'allow'>}");
	answer(f, 1, "{'action': <'block'>}");
	wait_verdicts(f, 2);

	g_bus_unown_name(own);
	g_dbus_connection_unregister_object(f->agent_conn, reg2);
	g_dbus_connection_unregister_object(logind.conn, mgr);
	g_dbus_connection_unregister_object(logind.conn, s0);
	g_dbus_connection_unregister_object(logind.conn, s1);
	g_clear_pointer(&logind.info, g_dbus_node_info_unref);
	g_clear_object(&logind.conn);
}

static const Setup with_file = { .rules = "# existing comment\n" };
static const Setup plain = { 0 };
static const Setup no_kernel = { .no_kernel = TRUE };
static const Setup resync = {
	.rules = "allow tcp /usr/bin/curl\nblock udp /y\n"
};
static const Setup fast_timeout = {
	.conf = "[daemon]\nprompt-timeout=1\ndefault-answer=allow\n"
};

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, setup_data, fn)                                            \
	do {                                                                 \
		g_test_add("/e7d/daemon/" path, Fixture, &setup_data, setup, \
			   fn, teardown);                                    \
		g_test_add("/e7d/daemon-worker/" path, Fixture, &setup_data, \
			   setup_worker, fn, teardown);                      \
	} while (0)
	ADD("rules-round-trip", with_file, test_rules_round_trip);
	ADD("signals", plain, test_signals);
	ADD("authorization", plain, test_authorization);
	ADD("bad-input", plain, test_bad_input);
	ADD("no-kernel", no_kernel, test_no_kernel);
	ADD("reload-corrupt", plain, test_reload_corrupt);
	ADD("write-failure", plain, test_write_failure);
	ADD("settings-persist", with_conf, test_settings_persist);
	ADD("resync", resync, test_resync);
	ADD("resync-restart", resync, test_resync_restart);
	ADD("prompt/allow-forever", plain, test_prompt_allow_forever);
	ADD("prompt/many-programs", plain, test_prompt_many_programs);
	ADD("prompt/timeout", fast_timeout, test_prompt_timeout);
	ADD("prompt/lifetimes", plain, test_prompt_lifetimes);
	ADD("prompt/no-agent", plain, test_prompt_no_agent);
	ADD("prompt/agent-gone", plain, test_prompt_agent_gone);
	ADD("prompt/dismissed", plain, test_prompt_dismissed);
	ADD("prompt/resolved-by-kernel", plain, test_prompt_resolved_by_kernel);
	ADD("prompt/active-session", plain, test_prompt_active_session);
#undef ADD
	return g_test_run();
}
