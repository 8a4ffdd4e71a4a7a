/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firewall client against a fake e7d on a private bus (GTestDBus): the
 * agent registers when e7d appears and again when it comes back, a refusal
 * says why, the typed calls reach e7d and its errors come back as E7_ERROR
 * codes, and e7d's signals and properties pass through.
 */
#include "config.h"

#include "agent.h"
#include "e7-error.h"
#include "firewall-calls.h"
#include "firewall-client.h"

#include "test-applet-fake-e7d.h"
#include "test-wait.h"

typedef struct {
	GTestDBus *bus;
	GDBusConnection *conn; /* the applet's */
	E7Agent *agent;
	GPtrArray *requests; /* E7Request the agent received */
	GArray *cancelled; /* guint64 */
	E7FakeDaemon *daemon;
	E7FirewallClient *client;
	GArray *states; /* E7DaemonState, one per "state-changed" */
} Fixture;

/* An asynchronous call's result, once it is there. */
typedef struct {
	GAsyncResult *result;
} Reply;

static void on_request(E7Agent *agent, E7Request *r, Fixture *f)
{
	g_ptr_array_add(f->requests, e7_request_ref(r));
}

static void on_cancelled(E7Agent *agent, guint64 id, Fixture *f)
{
	g_array_append_val(f->cancelled, id);
}

static void on_state(E7FirewallClient *client, Fixture *f)
{
	E7DaemonState s = e7_firewall_client_get_state(client);

	g_array_append_val(f->states, s);
}

static void setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->conn = e7_test_connect_bus(f->bus);
	f->agent = e7_agent_new();
	g_assert_true(e7_agent_export(f->agent, f->conn, E7_AGENT_OBJECT_PATH,
				      &error));
	f->requests = g_ptr_array_new_with_free_func(
		(GDestroyNotify)e7_request_unref);
	f->cancelled = g_array_new(FALSE, FALSE, sizeof(guint64));
	f->states = g_array_new(FALSE, FALSE, sizeof(E7DaemonState));
	g_signal_connect(f->agent, "request", G_CALLBACK(on_request), f);
	g_signal_connect(f->agent, "cancelled", G_CALLBACK(on_cancelled), f);
	f->daemon = e7_fake_daemon_new();
}

static void start_client(Fixture *f)
{
	f->client =
		e7_firewall_client_new(f->conn, f->agent, E7_AGENT_OBJECT_PATH);
	g_signal_connect(f->client, "state-changed", G_CALLBACK(on_state), f);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->client);
	e7_fake_daemon_free(f->daemon);
	g_clear_object(&f->agent);
	g_ptr_array_unref(f->requests);
	g_array_unref(f->cancelled);
	g_array_unref(f->states);
	g_dbus_connection_close_sync(f->conn, NULL, NULL);
	g_object_unref(f->conn);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
}

static void got_reply(GObject *source, GAsyncResult *result, gpointer data)
{
	((Reply *)data)->result = g_object_ref(result);
}

/* Run the main loop until the call has returned. */
static GAsyncResult *wait_reply(Reply *r)
{
	WAIT_FOR(r->result != NULL);
	return r->result;
}

static void reply_clear(Reply *r)
{
	g_clear_object(&r->result);
}

static GVariant *request(guint64 id, const char *program)
{
	GVariantDict d;

	g_variant_dict_init(&d, NULL);
	g_variant_dict_insert(&d, "id", "t", id);
	g_variant_dict_insert(&d, "program", "s", program);
	g_variant_dict_insert(&d, "pid", "u", 4242);
	return g_variant_dict_end(&d);
}

static void ask(Fixture *f, guint64 id, Reply *r)
{
	e7_fake_daemon_ask(f->daemon, request(id, "/usr/bin/curl"), got_reply,
			   r);
}

static const char *daemon_name(Fixture *f)
{
	return g_dbus_connection_get_unique_name(f->daemon->conn);
}

static void test_registration(Fixture *f, gconstpointer data)
{
	E7Answer a = { E7_ACTION_ALLOW, E7_SCOPE_PROGRAM, E7_LIFETIME_ONCE, 0 };
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) answer = NULL;
	Reply r = { 0 };

	start_client(f);
	WAIT_FOR(f->states->len >= 1);
	g_assert_cmpint(e7_firewall_client_get_state(f->client), ==,
			E7_DAEMON_ABSENT);
	g_assert_false(e7_firewall_client_is_running(f->client));

	/* The daemon appears: the agent registers and trusts only the daemon. */
	e7_fake_daemon_start(f->daemon, f->bus);
	WAIT_FOR(e7_firewall_client_get_state(f->client) ==
		 E7_DAEMON_REGISTERED);
	g_assert_cmpuint(f->daemon->registrations, ==, 1);
	g_assert_cmpstr(f->daemon->agent_owner, ==,
			g_dbus_connection_get_unique_name(f->conn));
	g_assert_cmpstr(f->daemon->agent_path, ==, E7_AGENT_OBJECT_PATH);
	g_assert_cmpstr(e7_firewall_client_get_owner(f->client), ==,
			daemon_name(f));
	g_assert_null(e7_firewall_client_get_error(f->client));

	ask(f, 100, &r);
	WAIT_FOR(f->requests->len == 1);
	g_assert_true(e7_agent_answer(f->agent, 100, &a));
	answer = g_dbus_connection_call_finish(f->daemon->conn, wait_reply(&r),
					       &error);
	g_assert_no_error(error);
	g_assert_nonnull(answer);
	reply_clear(&r);

	/* A pending prompt is withdrawn when the daemon goes away. */
	ask(f, 101, &r);
	WAIT_FOR(f->requests->len == 2);
	e7_fake_daemon_stop(f->daemon);
	WAIT_FOR(e7_firewall_client_get_state(f->client) == E7_DAEMON_ABSENT);
	g_assert_cmpuint(f->cancelled->len, ==, 1);
	g_assert_cmpuint(g_array_index(f->cancelled, guint64, 0), ==, 101);
	g_assert_null(e7_firewall_client_get_owner(f->client));
	wait_reply(&r);
	reply_clear(&r);

	/* The daemon restarts: the agent registers again, and asks again
	 * for this user's connection events. */
	e7_fake_daemon_start(f->daemon, f->bus);
	WAIT_FOR(e7_firewall_client_get_state(f->client) ==
		 E7_DAEMON_REGISTERED);
	g_assert_cmpuint(f->daemon->registrations, ==, 2);
	WAIT_FOR(f->daemon->event_watchers->len == 1);
	g_assert_cmpstr(g_ptr_array_index(f->daemon->event_watchers, 0), ==,
			g_dbus_connection_get_unique_name(f->conn));
	g_assert_cmpstr(e7_firewall_client_get_owner(f->client), ==,
			daemon_name(f));
	e7_fake_daemon_stop(f->daemon);
	WAIT_FOR(e7_firewall_client_get_state(f->client) == E7_DAEMON_ABSENT);
}

/* The daemon refuses the agent (polkit said no): the client says why. */
static void test_refused(Fixture *f, gconstpointer data)
{
	f->daemon->refuse_agent = TRUE;
	e7_fake_daemon_start(f->daemon, f->bus);
	start_client(f);
	WAIT_FOR(e7_firewall_client_get_state(f->client) == E7_DAEMON_FAILED);
	g_assert_cmpuint(f->daemon->registrations, ==, 1);
	g_assert_error(e7_firewall_client_get_error(f->client), E7_ERROR,
		       E7_ERROR_NOT_AUTHORIZED);
	g_assert_cmpstr(e7_firewall_client_get_error(f->client)->message, ==,
			"Not authorized");
	/* It is still the daemon, so only it may ask. */
	g_assert_cmpstr(e7_firewall_client_get_owner(f->client), ==,
			daemon_name(f));
	e7_fake_daemon_stop(f->daemon);
	WAIT_FOR(e7_firewall_client_get_state(f->client) == E7_DAEMON_ABSENT);
	g_assert_null(e7_firewall_client_get_error(f->client));
}

static void start_both(Fixture *f)
{
	e7_fake_daemon_start(f->daemon, f->bus);
	start_client(f);
	WAIT_FOR(e7_firewall_client_get_state(f->client) ==
		 E7_DAEMON_REGISTERED);
}

static void test_reads(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) events = NULL;
	g_autoptr(GVariant) stats = NULL;
	Reply r = { 0 };
	guint32 n = 0;

	start_both(f);
	e7_firewall_client_list_rules(f->client, NULL, got_reply, &r);
	rules = e7_firewall_client_list_rules_finish(f->client, wait_reply(&r),
						     &error);
	g_assert_no_error(error);
	g_assert_cmpstr(g_variant_get_type_string(rules), ==, "aa{sv}");
	g_assert_cmpuint(g_variant_n_children(rules), ==, 2);
	reply_clear(&r);

	e7_firewall_client_get_events(f->client, 500, NULL, got_reply, &r);
	events = e7_firewall_client_get_events_finish(f->client, wait_reply(&r),
						      &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_variant_n_children(events), ==, 3);
	reply_clear(&r);

	e7_firewall_client_get_stats(f->client, NULL, got_reply, &r);
	stats = e7_firewall_client_get_stats_finish(f->client, wait_reply(&r),
						    &error);
	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(stats, "rules", "u", &n));
	g_assert_cmpuint(n, ==, 2);
	reply_clear(&r);
}

static void on_rule_added(E7FirewallClient *client, guint64 id, GVariant *rule,
			  guint64 *seen)
{
	*seen = id;
}

static void test_changes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	Reply r = { 0 };
	guint64 id = 0, added = 0;
	const char *s;

	start_both(f);
	g_signal_connect(f->client, "rule-added", G_CALLBACK(on_rule_added),
			 &added);
	e7_firewall_client_add_rule(f->client,
				    g_variant_new_parsed(
					    "{'action': <'block'>,"
					    " 'program': <'/usr/bin/ssh'>}"),
				    NULL, got_reply, &r);
	g_assert_true(e7_firewall_client_add_rule_finish(
		f->client, wait_reply(&r), &id, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(id, ==, 3);
	g_assert_true(
		g_variant_lookup(f->daemon->last_added, "program", "&s", &s));
	g_assert_cmpstr(s, ==, "/usr/bin/ssh");
	/* e7d's RuleAdded signal passes through the client. */
	WAIT_FOR(added == 3);
	reply_clear(&r);

	e7_firewall_client_update_rule(
		f->client, 3, g_variant_new_parsed("{'action': <'allow'>}"),
		NULL, got_reply, &r);
	g_assert_true(e7_firewall_client_change_finish(f->client,
						       wait_reply(&r), &error));
	g_assert_no_error(error);
	g_assert_true(
		g_variant_lookup(f->daemon->last_changes, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "allow");
	reply_clear(&r);

	e7_firewall_client_remove_rule(f->client, 3, NULL, got_reply, &r);
	g_assert_true(e7_firewall_client_change_finish(f->client,
						       wait_reply(&r), &error));
	g_assert_no_error(error);
	g_assert_cmpuint(f->daemon->rules->len, ==, 2);
	reply_clear(&r);
}

/* e7d's refusals come back as E7_ERROR codes, with e7d's own message. */
static void test_errors(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	Reply r = { 0 };

	start_both(f);
	e7_firewall_client_remove_rule(f->client, 99, NULL, got_reply, &r);
	g_assert_false(e7_firewall_client_change_finish(
		f->client, wait_reply(&r), &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE);
	g_assert_cmpstr(error->message, ==, "no such rule");
	g_clear_error(&error);
	reply_clear(&r);

	e7_firewall_client_set_mode(f->client, "block-all", NULL, got_reply,
				    &r);
	g_assert_false(e7_firewall_client_change_finish(
		f->client, wait_reply(&r), &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_NOT_AUTHORIZED);
	g_assert_cmpstr(error->message, ==, "Not authorized");
	g_assert_cmpuint(f->daemon->set_mode_calls, ==, 1);
	g_clear_error(&error);
	reply_clear(&r);
}

static void count(E7FirewallClient *client, guint *n)
{
	(*n)++;
}

static void on_event(E7FirewallClient *client, GVariant *event, GVariant **seen)
{
	g_clear_pointer(seen, g_variant_unref);
	*seen = g_variant_ref(event);
}

static void test_properties_and_events(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) event = NULL;
	Reply r = { 0 };
	guint changed = 0;
	gboolean kernel = FALSE;
	const char *program = NULL;

	start_client(f);
	WAIT_FOR(f->states->len >= 1);
	g_assert_null(e7_firewall_client_get_mode(f->client));
	g_assert_false(
		e7_firewall_client_get_kernel_connected(f->client, &kernel));
	/* When the client says e7d is there, e7d's properties are known. */
	e7_fake_daemon_start(f->daemon, f->bus);
	WAIT_FOR(e7_firewall_client_is_running(f->client));
	g_assert_cmpstr(e7_firewall_client_get_mode(f->client), ==, "ask");
	g_assert_true(
		e7_firewall_client_get_kernel_connected(f->client, &kernel));
	g_assert_true(kernel);

	g_signal_connect(f->client, "properties-changed", G_CALLBACK(count),
			 &changed);
	f->daemon->accept_mode = TRUE;
	e7_firewall_client_set_mode(f->client, "deny-unknown", NULL, got_reply,
				    &r);
	g_assert_true(e7_firewall_client_change_finish(f->client,
						       wait_reply(&r), &error));
	WAIT_FOR(changed >= 1);
	g_assert_cmpstr(e7_firewall_client_get_mode(f->client), ==,
			"deny-unknown");
	reply_clear(&r);

	g_signal_connect(f->client, "connection-event", G_CALLBACK(on_event),
			 &event);
	/* ConnectionEvent comes only to those who asked (WatchEvents). */
	WAIT_FOR(f->daemon->event_watchers->len == 1);
	e7_fake_daemon_emit(f->daemon, "ConnectionEvent",
			    g_variant_new_parsed(
				    "({'id': <uint64 4>, 'action': <'block'>,"
				    " 'program': <'/usr/bin/nc'>},)"));
	WAIT_FOR(event != NULL);
	g_assert_true(g_variant_lookup(event, "program", "&s", &program));
	g_assert_cmpstr(program, ==, "/usr/bin/nc");

	/* Gone: nothing is known any more. */
	e7_fake_daemon_stop(f->daemon);
	WAIT_FOR(!e7_firewall_client_is_running(f->client));
	g_assert_null(e7_firewall_client_get_mode(f->client));
	g_assert_false(
		e7_firewall_client_get_kernel_connected(f->client, &kernel));
}

/* Without e7d a call fails at once, and says so. */
static void test_absent(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) rules = NULL;
	Reply r = { 0 };

	start_client(f);
	WAIT_FOR(f->states->len >= 1);
	e7_firewall_client_list_rules(f->client, NULL, got_reply, &r);
	rules = e7_firewall_client_list_rules_finish(f->client, wait_reply(&r),
						     &error);
	g_assert_null(rules);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
	g_assert_cmpstr(error->message, ==,
			"The firewall daemon is not running.");
	g_clear_error(&error);
	reply_clear(&r);

	e7_firewall_client_add_rule(
		f->client, g_variant_new_parsed("{'action': <'allow'>}"), NULL,
		got_reply, &r);
	g_assert_false(e7_firewall_client_add_rule_finish(
		f->client, wait_reply(&r), NULL, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
	reply_clear(&r);
}

int main(int argc, char **argv)
{
	g_setenv("LANGUAGE", "C", TRUE);
	g_unsetenv("LANG");
	g_unsetenv("LC_ALL");
	g_unsetenv("LC_MESSAGES");
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn)                                                         \
	g_test_add("/applet/firewall-client/" name, Fixture, NULL, setup, fn, \
		   teardown)
	ADD("registration", test_registration);
	ADD("refused", test_refused);
	ADD("reads", test_reads);
	ADD("changes", test_changes);
	ADD("errors", test_errors);
	ADD("properties-and-events", test_properties_and_events);
	ADD("absent", test_absent);
	return g_test_run();
}
