/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status icon as a desktop's tray host sees it: on a private session bus
 * (GTestDBus) a fake org.kde.StatusNotifierWatcher receives the applet's
 * StatusNotifierItem, and the test reads the item's properties while the
 * tray's state changes (daemon running, mode, programs waiting).
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "tray.h"

#include "test-applet-xvfb.h"

static gboolean have_display;

static const char watcher_xml[] =
	"<node><interface name='org.kde.StatusNotifierWatcher'>"
	"<method name='RegisterStatusNotifierItem'>"
	"<arg name='service' type='s' direction='in'/></method>"
	"<method name='RegisterStatusNotifierHost'>"
	"<arg name='service' type='s' direction='in'/></method>"
	"<property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
	"<property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
	"<property name='ProtocolVersion' type='i' access='read'/>"
	"<signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
	"</interface></node>";

typedef struct {
	GTestDBus *bus;
	GDBusConnection *conn;
	guint watcher_id;
	guint owner_id;
	char *item_sender;
	char *item_path;
	GSimpleActionGroup *actions;
	E7TrayMenu *menu;
	E7Tray *tray;
} Fixture;

static void watcher_call(GDBusConnection *conn, const char *sender,
			 const char *path, const char *iface,
			 const char *method, GVariant *params,
			 GDBusMethodInvocation *invocation, gpointer data)
{
	Fixture *f = data;
	const char *service;

	g_variant_get(params, "(&s)", &service);
	if (g_str_equal(method, "RegisterStatusNotifierItem")) {
		g_free(f->item_sender);
		g_free(f->item_path);
		f->item_sender = g_strdup(sender);
		/* The item names its object path (or a bus name). */
		f->item_path = g_strdup(
			service[0] == '/' ? service : "/StatusNotifierItem");
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static GVariant *watcher_get(GDBusConnection *conn, const char *sender,
			     const char *path, const char *iface,
			     const char *property, GError **error,
			     gpointer data)
{
	if (g_str_equal(property, "IsStatusNotifierHostRegistered"))
		return g_variant_new_boolean(TRUE);
	if (g_str_equal(property, "ProtocolVersion"))
		return g_variant_new_int32(0);
	return g_variant_new_strv(NULL, 0);
}

static const GDBusInterfaceVTable watcher_vtable = { watcher_call,
						     watcher_get,
						     NULL,
						     { 0 } };

static void spin_until(gboolean *cond, const char *what)
{
	gint64 end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	while (!*cond && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, FALSE);
	if (!*cond)
		g_error("timed out waiting for %s", what);
}

static void noop_activate(GSimpleAction *action, GVariant *parameter,
			  gpointer data)
{
}

static void setup(Fixture *f, gconstpointer data)
{
	static const GActionEntry entries[] = {
		{ "quit", noop_activate, NULL, NULL, NULL, { 0 } },
		{ "prompts", noop_activate, NULL, NULL, NULL, { 0 } },
		{ "rules", noop_activate, NULL, NULL, NULL, { 0 } },
		{ "mode", NULL, "s", "'ask'", NULL, { 0 } },
	};
	g_autoptr(GDBusNodeInfo) info = NULL;
	g_autoptr(GError) error = NULL;
	gint64 end;

	if (!have_display)
		return;
	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->conn = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	g_assert_no_error(error);
	info = g_dbus_node_info_new_for_xml(watcher_xml, &error);
	g_assert_no_error(error);
	f->watcher_id = g_dbus_connection_register_object(
		f->conn, "/StatusNotifierWatcher", info->interfaces[0],
		&watcher_vtable, f, NULL, &error);
	g_assert_no_error(error);
	f->owner_id = g_bus_own_name_on_connection(
		f->conn, "org.kde.StatusNotifierWatcher",
		G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);

	f->actions = g_simple_action_group_new();
	g_action_map_add_action_entries(G_ACTION_MAP(f->actions), entries,
					G_N_ELEMENTS(entries), NULL);
	f->menu = e7_tray_menu_new();
	f->tray = e7_tray_new(G_ACTION_GROUP(f->actions), f->menu);
	g_assert_nonnull(f->tray);
	end = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (!f->item_sender && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, FALSE);
	if (!f->item_sender)
		g_error("the tray never registered its item with the watcher");
}

static void teardown(Fixture *f, gconstpointer data)
{
	if (!f->bus)
		return;
	g_clear_pointer(&f->tray, e7_tray_free);
	g_clear_object(&f->menu);
	g_clear_object(&f->actions);
	g_bus_unown_name(f->owner_id);
	g_dbus_connection_unregister_object(f->conn, f->watcher_id);
	g_clear_pointer(&f->item_sender, g_free);
	g_clear_pointer(&f->item_path, g_free);
	g_clear_object(&f->conn);
	g_test_dbus_down(f->bus);
	g_clear_object(&f->bus);
}

typedef struct {
	GVariant *value;
	gboolean done;
} GetResult;

static void get_done(GObject *source, GAsyncResult *result, gpointer data)
{
	GetResult *r = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = g_dbus_connection_call_finish(
		G_DBUS_CONNECTION(source), result, &error);

	g_assert_no_error(error);
	g_variant_get(ret, "(v)", &r->value);
	r->done = TRUE;
}

/* A property of the item, read as the tray host reads it. */
static GVariant *item_get(Fixture *f, const char *name)
{
	GetResult r = { 0 };

	g_dbus_connection_call(
		f->conn, f->item_sender, f->item_path,
		"org.freedesktop.DBus.Properties", "Get",
		g_variant_new("(ss)", "org.kde.StatusNotifierItem", name),
		G_VARIANT_TYPE("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
		get_done, &r);
	spin_until(&r.done, name);
	return r.value;
}

static void assert_string(Fixture *f, const char *name, const char *want)
{
	g_autoptr(GVariant) v = item_get(f, name);

	g_assert_true(g_variant_is_of_type(v, G_VARIANT_TYPE_STRING));
	g_assert_cmpstr(g_variant_get_string(v, NULL), ==, want);
}

/* Let the item's property updates (idle sources) run. */
static void settle(void)
{
	gint64 end = g_get_monotonic_time() + G_USEC_PER_SEC / 5;

	while (g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, FALSE);
}

/*
 * Labels of a com.canonical.dbusmenu layout (ia{sv}av), depth first, each
 * followed by "|".
 */
static void collect_labels(GVariant *node, GString *out)
{
	g_autoptr(GVariant) props = g_variant_get_child_value(node, 1);
	g_autoptr(GVariant) children = g_variant_get_child_value(node, 2);
	const char *label, *toggle;
	gint32 state;

	if (g_variant_lookup(props, "label", "&s", &label))
		g_string_append(out, label);
	/* A radio item that is on ends in "(*)". */
	if (g_variant_lookup(props, "toggle-type", "&s", &toggle) &&
	    g_str_equal(toggle, "radio") &&
	    g_variant_lookup(props, "toggle-state", "i", &state) && state == 1)
		g_string_append(out, "(*)");
	g_string_append_c(out, '|');
	for (gsize i = 0; i < g_variant_n_children(children); i++) {
		g_autoptr(GVariant)
			boxed = g_variant_get_child_value(children, i);
		g_autoptr(GVariant) child = g_variant_get_variant(boxed);

		collect_labels(child, out);
	}
}

static void layout_done(GObject *source, GAsyncResult *result, gpointer data)
{
	GetResult *r = data;
	g_autoptr(GError) error = NULL;

	r->value = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
						 result, &error);
	g_assert_no_error(error);
	r->done = TRUE;
}

/* The menu as the host shows it: every label, "|"-separated. */
static char *menu_labels(Fixture *f, const char *path)
{
	GetResult r = { 0 };
	g_autoptr(GVariant) layout = NULL;
	GString *out = g_string_new(NULL);

	g_dbus_connection_call(
		f->conn, f->item_sender, path, "com.canonical.dbusmenu",
		"GetLayout",
		g_variant_new("(ii@as)", 0, -1, g_variant_new_strv(NULL, 0)),
		G_VARIANT_TYPE("(u(ia{sv}av))"), G_DBUS_CALL_FLAGS_NONE, -1,
		NULL, layout_done, &r);
	spin_until(&r.done, "the menu layout");
	layout = g_variant_get_child_value(r.value, 1);
	collect_labels(layout, out);
	g_variant_unref(r.value);
	return g_string_free(out, FALSE);
}

static void test_item(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) menu_path = NULL;
	g_autofree char *labels = NULL;

	if (!have_display) {
		g_test_skip("no X display");
		return;
	}
	/* e7d not running yet. */
	assert_string(f, "Id", "e7-applet");
	assert_string(f, "Category", "SystemServices");
	assert_string(f, "Status", "Active");
	assert_string(f, "IconName", "e7-applet-off");
	assert_string(f, "AttentionIconName", "e7-applet-attention");
	assert_string(f, "Title", "Firewall: The firewall is not running");
	menu_path = item_get(f, "Menu");
	g_assert_true(
		g_variant_is_of_type(menu_path, G_VARIANT_TYPE_OBJECT_PATH));

	e7_tray_menu_set_running(f->menu, TRUE);
	e7_tray_menu_set_mode(f->menu, "ask");
	settle();
	assert_string(f, "IconName", "e7-applet");
	assert_string(f, "Title", "Firewall: Mode: Ask about unknown programs");

	e7_tray_menu_set_pending(f->menu, 3);
	settle();
	assert_string(f, "Status", "NeedsAttention");
	assert_string(
		f, "Title",
		"Firewall: Mode: Ask about unknown programs; 3 programs are waiting");

	labels = menu_labels(f, g_variant_get_string(menu_path, NULL));
	g_test_message("menu: %s", labels);
	g_assert_nonnull(strstr(labels, "_Answer 3 Waiting Programs|"));
	g_assert_nonnull(strstr(labels, "_Mode|"));
	/* The "mode" action's state ('ask') is the chosen radio item. */
	g_assert_nonnull(strstr(labels, "|Ask about unknown programs(*)|"));
	g_assert_nonnull(strstr(labels, "|Block everything|"));
	g_assert_nonnull(strstr(labels, "_Rules and Activity|"));
	g_assert_nonnull(strstr(labels, "_Quit|"));

	e7_tray_menu_set_pending(f->menu, 0);
	settle();
	assert_string(f, "Status", "Active");
}

int main(int argc, char **argv)
{
	int ret;

	e7_test_gtk_env();

	g_test_init(&argc, &argv, NULL);
	have_display = e7_test_gtk_init(&argc, &argv);
	g_test_add("/applet/tray-sni/item", Fixture, NULL, setup, test_item,
		   teardown);
	ret = g_test_run();
	e7_test_stop_xvfb();
	return ret;
}
