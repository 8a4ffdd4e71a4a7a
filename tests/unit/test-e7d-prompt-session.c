// SPDX-License-Identifier: GPL-2.0-or-later
/* Which agent of a user is asked: the one in the active logind session
 * (a fake logind on the test bus). */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e7d-fixture.h"
#include "rule-text.h"

/* A fake logind: sessions s0, s1 handed out in GetSessionByPID order. */

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
		&e7d_test_agent_vtable, f, NULL, &error);
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

static const Setup plain = { 0 };

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("prompt/active-session", plain,
		     test_prompt_active_session);
	return g_test_run();
}
