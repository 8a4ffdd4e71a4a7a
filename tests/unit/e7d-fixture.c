// SPDX-License-Identifier: GPL-2.0-or-later
#include "e7d-fixture.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rule-text.h"

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

const GDBusInterfaceVTable e7d_test_agent_vtable = { .method_call =
							     agent_method };

static void on_signal(GDBusConnection *c, const char *sender, const char *path,
		      const char *iface, const char *name, GVariant *params,
		      gpointer user_data)
{
	Fixture *f = user_data;

	g_ptr_array_add(f->signals, g_strdup(name));
}

void write_file(const char *path, const char *data)
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
void wait_synced(Fixture *f)
{
	gboolean done = FALSE;

	e7_daemon_wait_synced(f->daemon, on_synced, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
}

static gboolean use_worker;

/* Rules the module kept from an earlier e7d. */
static void preload_kernel(Fixture *f, const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint64 id = 500;

	for (guint i = 0; lines[i] && *lines[i]; i++) {
		g_autoptr(E7Rule) rule = e7_rule_parse(lines[i], NULL);

		g_assert_nonnull(rule);
		rule->id = id++;
		g_assert_true(f->kernel->parent.ops->add_rule(
			&f->kernel->parent, rule, NULL));
	}
}

void setup(Fixture *f, gconstpointer data)
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
	f->rules_dir = g_build_filename(f->dir, "rules.d", NULL);
	f->system_path = g_build_filename(f->rules_dir, "50-admin.rules", NULL);
	f->conf_path = g_build_filename(f->dir, "e7d.conf", NULL);
	f->settings_path = g_build_filename(f->dir, "settings", NULL);
	f->legacy_path = g_build_filename(f->dir, "legacy-rules", NULL);
	g_assert_cmpint(g_mkdir(f->rules_dir, 0755), ==, 0);
	if (s && s->rules)
		write_file(f->rules_path, s->rules);
	if (s && s->conf)
		write_file(f->conf_path, s->conf);
	if (s && s->system_rules)
		write_file(f->system_path, s->system_rules);
	if (s && s->legacy_rules)
		write_file(f->legacy_path, s->legacy_rules);

	f->allowed = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_add(f->allowed, E7_ACTION_INFO);
	g_hash_table_add(f->allowed, E7_ACTION_RULES_OWN);
	g_hash_table_add(f->allowed, E7_ACTION_RULES_SYSTEM);
	g_hash_table_add(f->allowed, E7_ACTION_CONFIGURE);
	f->asks = g_ptr_array_new_with_free_func(g_object_unref);
	f->cancels = g_array_new(FALSE, FALSE, sizeof(guint64));
	f->signals = g_ptr_array_new_with_free_func(g_free);

	auth = e7_auth_new(fake_check, f, NULL, FALSE);
	f->kernel = fake_kernel_new();
	f->kernel->connected = !(s && s->no_kernel);
	if (s && s->kernel_rules)
		preload_kernel(f, s->kernel_rules);
	/* The second pass runs the kernel jobs in a worker thread, as the
	 * netlink bridge does. */
	if (use_worker)
		e7_kernel_start_worker(&f->kernel->parent);
	if (s && s->broken_file)
		g_test_expect_message("e7d", G_LOG_LEVEL_WARNING, "*rules:*");
	if (s && s->expect_warning)
		g_test_expect_message("e7d", G_LOG_LEVEL_WARNING,
				      s->expect_warning);
	f->daemon = e7_daemon_new(f->server, &f->kernel->parent, auth,
				  &(E7DaemonPaths){
					  .conf = f->conf_path,
					  .rules_dir = f->rules_dir,
					  .rules = f->rules_path,
					  .settings = f->settings_path,
					  .legacy_rules = f->legacy_path,
				  },
				  NULL);
	g_test_assert_expected_messages();
	e7_daemon_resync(f->daemon);
	wait_synced(f);
	g_assert_true(e7_daemon_export(f->daemon, &error));
	g_assert_no_error(error);

	f->agent_reg = g_dbus_connection_register_object(
		f->agent_conn, "/test/agent",
		(GDBusInterfaceInfo *)e7_firewall1_agent_interface_info(),
		&e7d_test_agent_vtable, f, NULL, &error);
	g_assert_no_error(error);
	f->subscription = g_dbus_connection_signal_subscribe(
		f->client, NULL, E7_DBUS_INTERFACE, NULL, E7_DBUS_PATH, NULL,
		G_DBUS_SIGNAL_FLAGS_NONE, on_signal, f, NULL);
}

void setup_worker(Fixture *f, gconstpointer data)
{
	use_worker = TRUE;
	setup(f, data);
	use_worker = FALSE;
}

void teardown(Fixture *f, gconstpointer data)
{
	g_autofree char *ids = g_build_filename(f->dir, "rule-ids", NULL);
	g_autofree char *blocked =
		g_build_filename(f->dir, "blocked-events", NULL);

	g_dbus_connection_signal_unsubscribe(f->client, f->subscription);
	g_dbus_connection_unregister_object(f->agent_conn, f->agent_reg);
	e7_daemon_free(f->daemon);
	g_object_unref(f->agent_conn);
	g_object_unref(f->client);
	g_object_unref(f->server);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
	g_unlink(f->rules_path);
	g_unlink(f->system_path);
	g_rmdir(f->rules_dir);
	g_unlink(f->conf_path);
	g_unlink(f->settings_path);
	g_unlink(f->legacy_path);
	g_unlink(ids);
	g_unlink(blocked);
	g_rmdir(f->dir);
	g_free(f->rules_path);
	g_free(f->rules_dir);
	g_free(f->system_path);
	g_free(f->conf_path);
	g_free(f->settings_path);
	g_free(f->legacy_path);
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

GVariant *call_on(Fixture *f, GDBusConnection *conn, const char *method,
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

GVariant *call(Fixture *f, const char *method, GVariant *args, GError **error)
{
	return call_on(f, f->client, method, args, error);
}

GVariant *call_ok(Fixture *f, const char *method, GVariant *args)
{
	g_autoptr(GError) error = NULL;
	GVariant *ret = call(f, method, args, &error);

	g_assert_no_error(error);
	return ret;
}

guint64 add_rule(Fixture *f, const char *text)
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

char *read_rules(Fixture *f)
{
	char *data = NULL;

	g_assert_true(g_file_get_contents(f->rules_path, &data, NULL, NULL));
	return data;
}

GVariant *list_rules(Fixture *f)
{
	g_autoptr(GVariant) ret =
		call_ok(f, "ListRules", g_variant_new_parsed("(@a{sv} {},)"));

	return g_variant_get_child_value(ret, 0);
}

char *rule_text_at(GVariant *rules, guint i)
{
	g_autoptr(GVariant) r = g_variant_get_child_value(rules, i);
	char *text = NULL;

	g_assert_true(g_variant_lookup(r, "text", "s", &text));
	return text;
}

void spin_until(gboolean (*cond)(Fixture *f), Fixture *f)
{
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	while (!cond(f)) {
		g_assert_cmpint(g_get_monotonic_time(), <, end);
		g_main_context_iteration(NULL, FALSE);
		g_usleep(1000);
	}
}

void expect_error(Fixture *f, const char *method, GVariant *args, gint code,
		  const char *part)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = call(f, method, args, &error);

	g_assert_null(ret);
	g_assert_error(error, E7_ERROR, code);
	if (part && !strstr(error->message, part))
		g_error("%s: '%s' lacks '%s'", method, error->message, part);
}

void register_agent(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant)
		ret = call_on(f, f->agent_conn, "RegisterAgent",
			      g_variant_new("(o)", "/test/agent"), &error);

	g_assert_no_error(error);
}

E7Flow *make_flow(guint64 id, const char *program, guint32 uid)
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

void wait_asks(Fixture *f, guint n)
{
	n_asks_wanted = n;
	spin_until(have_asks, f);
}

static guint n_verdicts_wanted;

static gboolean have_verdicts(Fixture *f)
{
	return f->kernel->verdicts->len >= n_verdicts_wanted;
}

void wait_verdicts(Fixture *f, guint n)
{
	n_verdicts_wanted = n;
	spin_until(have_verdicts, f);
}

void answer(Fixture *f, guint i, const char *answer_text)
{
	GDBusMethodInvocation *inv = f->asks->pdata[i];
	g_autoptr(GError) error = NULL;
	GVariant *a = g_variant_parse(G_VARIANT_TYPE_VARDICT, answer_text, NULL,
				      NULL, &error);

	g_assert_no_error(error);
	g_dbus_method_invocation_return_value(g_object_ref(inv),
					      g_variant_new("(@a{sv})", a));
}
