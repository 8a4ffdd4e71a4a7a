/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "test-applet-fake-e7d.h"

#include "test-wait.h"

#define FAKE_NAME "org.eftirlit7.Firewall1"
#define FAKE_PATH "/org/eftirlit7/Firewall1"
#define FAKE_INTERFACE "org.eftirlit7.Firewall1"
#define FAKE_ERROR(e) "org.eftirlit7.Firewall1.Error." e

/* A new (not floating) reference. */
static GVariant *parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(NULL, text, NULL, NULL, &error);

	g_assert_no_error(error);
	return v;
}

GDBusConnection *e7_test_connect_bus(GTestDBus *bus)
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

static guint64 rule_id(GVariant *rule)
{
	guint64 id = 0;

	g_variant_lookup(rule, "id", "t", &id);
	return id;
}

static GVariant *find(E7FakeDaemon *d, guint64 id, guint *index)
{
	for (guint i = 0; i < d->rules->len; i++) {
		GVariant *r = g_ptr_array_index(d->rules, i);

		if (rule_id(r) == id) {
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
	GVariantDict dict;
	GVariantIter it;
	const char *key;
	GVariant *value;

	g_variant_dict_init(&dict, base);
	g_variant_iter_init(&it, changes);
	while (g_variant_iter_loop(&it, "{&sv}", &key, &value))
		g_variant_dict_insert_value(&dict, key, value);
	g_variant_dict_insert(&dict, "id", "t", id);
	return g_variant_ref_sink(g_variant_dict_end(&dict));
}

void e7_fake_daemon_emit(E7FakeDaemon *d, const char *name, GVariant *params)
{
	g_autoptr(GVariant) args = g_variant_ref_sink(params);

	if (!g_str_equal(name, "ConnectionEvent")) {
		g_dbus_connection_emit_signal(d->conn, NULL, FAKE_PATH,
					      FAKE_INTERFACE, name, args, NULL);
		return;
	}
	for (guint i = 0; i < d->event_watchers->len; i++)
		g_dbus_connection_emit_signal(
			d->conn, g_ptr_array_index(d->event_watchers, i),
			FAKE_PATH, FAKE_INTERFACE, name, args, NULL);
}

static void list_rules(E7FakeDaemon *d, GDBusMethodInvocation *inv)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < d->rules->len; i++)
		g_variant_builder_add_value(&b, g_ptr_array_index(d->rules, i));
	g_dbus_method_invocation_return_value(inv,
					      g_variant_new("(aa{sv})", &b));
}

static void add_rule(E7FakeDaemon *d, GVariant *params,
		     GDBusMethodInvocation *inv)
{
	g_autoptr(GVariant) rule = g_variant_get_child_value(params, 0);
	g_autoptr(GVariant) empty = parse("@a{sv} {}");
	GVariant *stored = merge(empty, rule, d->next_id++);

	g_clear_pointer(&d->last_added, g_variant_unref);
	d->last_added = g_variant_ref(rule);
	g_ptr_array_add(d->rules, stored);
	g_dbus_method_invocation_return_value(
		inv, g_variant_new("(t)", rule_id(stored)));
	e7_fake_daemon_emit(d, "RuleAdded",
			    g_variant_new("(t@a{sv})", rule_id(stored),
					  stored));
}

static void update_rule(E7FakeDaemon *d, GVariant *params,
			GDBusMethodInvocation *inv)
{
	guint64 id;
	g_autoptr(GVariant) changes = NULL;
	guint index;
	GVariant *old;

	g_variant_get(params, "(t@a{sv})", &id, &changes);
	old = find(d, id, &index);
	if (!old) {
		g_dbus_method_invocation_return_dbus_error(
			inv, FAKE_ERROR("NoSuchRule"), "no such rule");
		return;
	}
	g_clear_pointer(&d->last_changes, g_variant_unref);
	d->last_changes = g_variant_ref(changes);
	g_ptr_array_index(d->rules, index) = merge(old, changes, id);
	g_variant_unref(old);
	g_dbus_method_invocation_return_value(inv, NULL);
	e7_fake_daemon_emit(d, "RuleChanged",
			    g_variant_new("(t@a{sv})", id,
					  g_ptr_array_index(d->rules, index)));
}

static void remove_rule(E7FakeDaemon *d, GVariant *params,
			GDBusMethodInvocation *inv)
{
	guint64 id;
	guint index;

	g_variant_get(params, "(t)", &id);
	if (!find(d, id, &index)) {
		g_dbus_method_invocation_return_dbus_error(
			inv, FAKE_ERROR("NoSuchRule"), "no such rule");
		return;
	}
	g_ptr_array_remove_index(d->rules, index);
	g_dbus_method_invocation_return_value(inv, NULL);
	e7_fake_daemon_emit(d, "RuleRemoved", g_variant_new("(t)", id));
}

static void get_events(GDBusMethodInvocation *inv)
{
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
}

static void get_stats(GDBusMethodInvocation *inv)
{
	g_dbus_method_invocation_return_value(
		inv,
		g_variant_new_parsed(
			"({'rules': <uint32 2>, 'prompts': <uint64 7>,"
			" 'prompts-pending': <uint32 1>,"
			" 'agents': <uint32 1>, 'events-lost': <uint64 0>},)"));
}

static void set_mode(E7FakeDaemon *d, GVariant *params,
		     GDBusMethodInvocation *inv)
{
	const char *mode;

	d->set_mode_calls++;
	if (!d->accept_mode) {
		g_dbus_method_invocation_return_dbus_error(
			inv, FAKE_ERROR("NotAuthorized"), "Not authorized");
		return;
	}
	g_variant_get(params, "(&s)", &mode);
	g_dbus_method_invocation_return_value(inv, NULL);
	e7_fake_daemon_set_mode(d, mode);
}

static void register_agent(E7FakeDaemon *d, const char *sender,
			   GVariant *params, GDBusMethodInvocation *inv)
{
	g_free(d->agent_owner);
	g_free(d->agent_path);
	d->agent_owner = g_strdup(sender);
	g_variant_get(params, "(o)", &d->agent_path);
	d->registrations++;
	if (d->refuse_agent)
		g_dbus_method_invocation_return_dbus_error(
			inv, FAKE_ERROR("NotAuthorized"), "Not authorized");
	else
		g_dbus_method_invocation_return_value(inv, NULL);
}

static void watch_events(E7FakeDaemon *d, const char *sender,
			 GDBusMethodInvocation *inv)
{
	g_ptr_array_add(d->event_watchers, g_strdup(sender));
	g_dbus_method_invocation_return_value(inv, NULL);
}

static void fake_method(GDBusConnection *conn, const char *sender,
			const char *path, const char *iface, const char *method,
			GVariant *params, GDBusMethodInvocation *inv,
			gpointer data)
{
	E7FakeDaemon *d = data;

	if (g_str_equal(method, "ListRules"))
		list_rules(d, inv);
	else if (g_str_equal(method, "AddRule"))
		add_rule(d, params, inv);
	else if (g_str_equal(method, "UpdateRule"))
		update_rule(d, params, inv);
	else if (g_str_equal(method, "RemoveRule"))
		remove_rule(d, params, inv);
	else if (g_str_equal(method, "GetEvents"))
		get_events(inv);
	else if (g_str_equal(method, "GetStats"))
		get_stats(inv);
	else if (g_str_equal(method, "WatchEvents"))
		watch_events(d, sender, inv);
	else if (g_str_equal(method, "SetMode"))
		set_mode(d, params, inv);
	else if (g_str_equal(method, "RegisterAgent"))
		register_agent(d, sender, params, inv);
	else
		g_dbus_method_invocation_return_dbus_error(
			inv, "org.freedesktop.DBus.Error.UnknownMethod",
			"not in the fake daemon");
}

static GVariant *fake_get_property(GDBusConnection *conn, const char *sender,
				   const char *path, const char *iface,
				   const char *name, GError **error,
				   gpointer data)
{
	E7FakeDaemon *d = data;

	if (g_str_equal(name, "Mode"))
		return g_variant_new_string(d->mode);
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

void e7_fake_daemon_set_mode(E7FakeDaemon *d, const char *mode)
{
	g_free(d->mode);
	d->mode = g_strdup(mode);
	g_dbus_connection_emit_signal(
		d->conn, NULL, FAKE_PATH, "org.freedesktop.DBus.Properties",
		"PropertiesChanged",
		g_variant_new_parsed("(%s, {'Mode': <%s>}, @as [])",
				     FAKE_INTERFACE, mode),
		NULL);
}

E7FakeDaemon *e7_fake_daemon_new(void)
{
	E7FakeDaemon *d = g_new0(E7FakeDaemon, 1);

	d->rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	g_ptr_array_add(
		d->rules,
		parse("{'id': <uint64 1>, 'action': <'allow'>,"
		      " 'program': <'/usr/bin/curl'>, 'protocol': <'tcp'>,"
		      " 'remote-port': <uint16 443>, 'hits': <uint64 5>}"));
	g_ptr_array_add(d->rules,
			parse("{'id': <uint64 2>, 'action': <'block'>,"
			      " 'program': <'/usr/bin/wget'>,"
			      " 'lifetime': <'session'>}"));
	d->next_id = 3;
	d->mode = g_strdup("ask");
	d->event_watchers = g_ptr_array_new_with_free_func(g_free);
	return d;
}

void e7_fake_daemon_free(E7FakeDaemon *d)
{
	if (d->conn)
		e7_fake_daemon_stop(d);
	g_ptr_array_unref(d->rules);
	g_ptr_array_unref(d->event_watchers);
	g_clear_pointer(&d->last_added, g_variant_unref);
	g_clear_pointer(&d->last_changes, g_variant_unref);
	g_free(d->mode);
	g_free(d->agent_owner);
	g_free(d->agent_path);
	g_free(d);
}

static void name_acquired(GDBusConnection *c, const char *name, gpointer data)
{
	((E7FakeDaemon *)data)->owned = TRUE;
}

void e7_fake_daemon_start(E7FakeDaemon *d, GTestDBus *bus)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *xml = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;

	g_assert_true(g_file_get_contents(E7_TEST_DATADIR
					  "/org.eftirlit7.Firewall1.xml",
					  &xml, NULL, &error));
	node = g_dbus_node_info_new_for_xml(xml, &error);
	g_assert_no_error(error);
	d->conn = e7_test_connect_bus(bus);
	d->object_id = g_dbus_connection_register_object(
		d->conn, FAKE_PATH,
		g_dbus_node_info_lookup_interface(node, FAKE_INTERFACE),
		&fake_vtable, d, NULL, &error);
	g_assert_no_error(error);
	d->owned = FALSE;
	d->owner_id = g_bus_own_name_on_connection(d->conn, FAKE_NAME,
						   G_BUS_NAME_OWNER_FLAGS_NONE,
						   name_acquired, NULL, d,
						   NULL);
	WAIT_FOR(d->owned);
}

void e7_fake_daemon_stop(E7FakeDaemon *d)
{
	g_bus_unown_name(d->owner_id);
	g_dbus_connection_unregister_object(d->conn, d->object_id);
	g_dbus_connection_close_sync(d->conn, NULL, NULL);
	g_clear_object(&d->conn);
	d->owned = FALSE;
	g_ptr_array_set_size(d->event_watchers, 0);
}

void e7_fake_daemon_ask(E7FakeDaemon *d, GVariant *request,
			GAsyncReadyCallback callback, gpointer user_data)
{
	g_dbus_connection_call(d->conn, d->agent_owner, d->agent_path,
			       "org.eftirlit7.Firewall1.Agent", "Ask",
			       g_variant_new("(@a{sv})", request), NULL,
			       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, callback,
			       user_data);
}
