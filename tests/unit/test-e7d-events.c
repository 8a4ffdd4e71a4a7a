// SPDX-License-Identifier: GPL-2.0-or-later
/* Connection events are private: a caller reads the events of its own uid,
 * everyone's needs org.eftirlit7.firewall.info.all-users, and
 * ConnectionEvent goes to the callers of WatchEvents alone. */
#include <string.h>
#include <unistd.h>

#include "e7d-fixture.h"

static const Setup plain = { 0 };

/* Holds a flow of /usr/bin/x for @uid; with no agent, policy decides it
 * and logs one event. */
static void hold(Fixture *f, guint64 id, guint32 uid, guint n_verdicts)
{
	g_autoptr(E7Flow) flow = make_flow(id, "/usr/bin/x", uid);

	fake_kernel_hold(f->kernel, flow);
	wait_verdicts(f, n_verdicts);
}

static GVariant *get_events(Fixture *f, const char *options)
{
	g_autoptr(GVariant) ret = call_ok(
		f, "GetEvents",
		g_variant_new_tuple(
			(GVariant *[]){ g_variant_new_parsed(options) }, 1));

	return g_variant_get_child_value(ret, 0);
}

static guint32 event_uid(GVariant *events, guint i)
{
	g_autoptr(GVariant) ev = g_variant_get_child_value(events, i);
	guint32 uid = G_MAXUINT32;

	g_assert_true(g_variant_lookup(ev, "uid", "u", &uid));
	return uid;
}

static void test_events_private(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) mine = NULL;
	g_autoptr(GVariant) all = NULL;

	hold(f, 1, getuid() + 1, 1);
	hold(f, 2, getuid(), 2);
	hold(f, 3, getuid() + 2, 3);
	mine = get_events(f, "@a{sv} {}");
	g_assert_cmpuint(g_variant_n_children(mine), ==, 1);
	g_assert_cmpuint(event_uid(mine, 0), ==, getuid());

	/* Everyone's events need their own action. */
	expect_error(f, "GetEvents",
		     g_variant_new_parsed("({'all-users': <true>},)"),
		     E7_ERROR_NOT_AUTHORIZED, E7_ACTION_INFO_ALL_USERS);
	g_hash_table_add(f->allowed, E7_ACTION_INFO_ALL_USERS);
	all = get_events(f, "{'all-users': <true>, 'max': <uint32 2>}");
	g_assert_cmpuint(g_variant_n_children(all), ==, 2);
	g_assert_cmpuint(event_uid(all, 0), ==, getuid());
	g_assert_cmpuint(event_uid(all, 1), ==, getuid() + 2);

	expect_error(f, "GetEvents",
		     g_variant_new_parsed("({'all-users': <'yes'>},)"),
		     E7_ERROR_INVALID_ARGS, "\"all-users\" a boolean");
	expect_error(f, "WatchEvents",
		     g_variant_new_parsed("({'max': <uint32 1>},)"),
		     E7_ERROR_INVALID_ARGS, "unknown key 'max'");
}

/* The uids of the ConnectionEvents a connection received. */
static GArray *client_uids, *agent_uids;

static void on_event(GDBusConnection *c, const char *sender, const char *path,
		     const char *iface, const char *name, GVariant *params,
		     gpointer user_data)
{
	g_autoptr(GVariant) ev = g_variant_get_child_value(params, 0);
	guint32 uid = G_MAXUINT32;

	g_variant_lookup(ev, "uid", "u", &uid);
	g_array_append_val((GArray *)user_data, uid);
}

static guint subscribe(GDBusConnection *conn, GArray *uids)
{
	return g_dbus_connection_signal_subscribe(
		conn, NULL, E7_DBUS_INTERFACE, "ConnectionEvent", E7_DBUS_PATH,
		NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_event, uids, NULL);
}

static gboolean client_got_event(Fixture *f)
{
	return client_uids->len >= 1;
}

static gboolean agent_conn_got_event(Fixture *f)
{
	return agent_uids->len >= 1;
}

static guint32 n_watchers(Fixture *f)
{
	g_autoptr(GVariant) ret = call_ok(f, "GetStats", NULL);
	g_autoptr(GVariant) stats = g_variant_get_child_value(ret, 0);
	guint32 n = G_MAXUINT32;

	g_assert_true(g_variant_lookup(stats, "event-watchers", "u", &n));
	return n;
}

static gboolean one_watcher(Fixture *f)
{
	return n_watchers(f) == 1;
}

static void test_events_watchers(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GError) error = NULL;
	guint client_sub, agent_sub;

	client_uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	agent_uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	client_sub = subscribe(f->client, client_uids);
	agent_sub = subscribe(f->agent_conn, agent_uids);
	g_variant_unref(call_ok(f, "WatchEvents",
				g_variant_new_parsed("(@a{sv} {},)")));
	/* Another user's event, then the caller's: the caller gets its own
	 * alone (one sender to one receiver keeps the order). */
	hold(f, 1, getuid() + 1, 1);
	hold(f, 2, getuid(), 2);
	spin_until(client_got_event, f);
	g_assert_cmpuint(client_uids->len, ==, 1);
	g_assert_cmpuint(g_array_index(client_uids, guint32, 0), ==, getuid());

	/* A connection that did not ask got nothing, though it listens: once
	 * it watches everyone's, it gets the next event, another user's. */
	g_hash_table_add(f->allowed, E7_ACTION_INFO_ALL_USERS);
	ret = call_on(f, f->agent_conn, "WatchEvents",
		      g_variant_new_parsed("({'all-users': <true>},)"), &error);
	g_assert_no_error(error);
	hold(f, 3, getuid() + 1, 3);
	spin_until(agent_conn_got_event, f);
	g_assert_cmpuint(agent_uids->len, ==, 1);
	g_assert_cmpuint(g_array_index(agent_uids, guint32, 0), ==,
			 getuid() + 1);
	g_assert_cmpuint(n_watchers(f), ==, 2);

	/* A watcher that leaves the bus is forgotten. */
	g_dbus_connection_signal_unsubscribe(f->agent_conn, agent_sub);
	g_dbus_connection_close_sync(f->agent_conn, NULL, NULL);
	spin_until(one_watcher, f);
	g_assert_cmpuint(client_uids->len, ==, 1);
	g_dbus_connection_signal_unsubscribe(f->client, client_sub);
	g_array_unref(client_uids);
	g_array_unref(agent_uids);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("events/private", plain, test_events_private);
	E7D_TEST_ADD("events/watchers", plain, test_events_watchers);
	return g_test_run();
}
