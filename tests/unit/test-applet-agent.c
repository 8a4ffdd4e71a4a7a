/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent over a private bus (GTestDBus): a client calls Ask()/Cancel() on
 * the exported org.eftirlit7.Firewall1.Agent and checks the a{sv} answer and
 * the errors. Its registration with e7d: test-applet-firewall-client.c.
 */
#include "config.h"

#include <string.h>

#include "agent.h"
#include "queue.h"
#include "test-wait.h"

typedef struct {
	GTestDBus *bus;
	GDBusConnection *agent_conn;
	GDBusConnection *client_conn;
	E7Agent *agent;
	GPtrArray *requests; /* E7Request received by the agent */
	GArray *cancelled; /* guint64 */
} Fixture;

typedef struct {
	gboolean done;
	GVariant *reply;
	GError *error;
} CallResult;

static void on_request(E7Agent *agent, E7Request *r, Fixture *f)
{
	g_ptr_array_add(f->requests, e7_request_ref(r));
}

static void on_cancelled(E7Agent *agent, guint64 id, Fixture *f)
{
	g_array_append_val(f->cancelled, id);
}

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

static void setup(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	f->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(f->bus);
	f->agent_conn = connect_bus(f->bus);
	f->client_conn = connect_bus(f->bus);
	f->agent = e7_agent_new();
	e7_agent_set_trusted_sender(
		f->agent, g_dbus_connection_get_unique_name(f->client_conn));
	g_assert_true(e7_agent_export(f->agent, f->agent_conn,
				      E7_AGENT_OBJECT_PATH, &error));
	g_assert_no_error(error);
	f->requests = g_ptr_array_new_with_free_func(
		(GDestroyNotify)e7_request_unref);
	f->cancelled = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_signal_connect(f->agent, "request", G_CALLBACK(on_request), f);
	g_signal_connect(f->agent, "cancelled", G_CALLBACK(on_cancelled), f);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_clear_object(&f->agent);
	g_ptr_array_unref(f->requests);
	g_array_unref(f->cancelled);
	g_dbus_connection_close_sync(f->agent_conn, NULL, NULL);
	g_dbus_connection_close_sync(f->client_conn, NULL, NULL);
	g_object_unref(f->agent_conn);
	g_object_unref(f->client_conn);
	g_test_dbus_down(f->bus);
	g_object_unref(f->bus);
}

static void call_done(GObject *source, GAsyncResult *result, gpointer data)
{
	CallResult *r = data;

	r->reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source),
						 result, &r->error);
	r->done = TRUE;
}

static void call_result_clear(CallResult *r)
{
	g_clear_pointer(&r->reply, g_variant_unref);
	g_clear_error(&r->error);
	r->done = FALSE;
}

static void call_agent(GDBusConnection *conn, const char *dest,
		       const char *method, GVariant *args, CallResult *r)
{
	g_dbus_connection_call(conn, dest, E7_AGENT_OBJECT_PATH,
			       "org.eftirlit7.Firewall1.Agent", method, args,
			       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL,
			       call_done, r);
}

static GVariant *ask_args(guint64 id, const char *program)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id", g_variant_new_uint64(id));
	g_variant_builder_add(&b, "{sv}", "program",
			      g_variant_new_string(program));
	g_variant_builder_add(&b, "{sv}", "pid", g_variant_new_uint32(4242));
	g_variant_builder_add(&b, "{sv}", "protocol",
			      g_variant_new_string("tcp"));
	g_variant_builder_add(&b, "{sv}", "remote-address",
			      g_variant_new_string("198.18.1.2"));
	g_variant_builder_add(&b, "{sv}", "remote-port",
			      g_variant_new_uint16(80));
	return g_variant_new("(@a{sv})", g_variant_builder_end(&b));
}

static void ask(Fixture *f, guint64 id, const char *program, CallResult *r)
{
	call_agent(f->client_conn,
		   g_dbus_connection_get_unique_name(f->agent_conn), "Ask",
		   ask_args(id, program), r);
}

static void assert_remote_error(CallResult *r, const char *name)
{
	g_autofree char *remote = NULL;

	g_assert_true(r->done);
	g_assert_null(r->reply);
	g_assert_nonnull(r->error);
	remote = g_dbus_error_get_remote_error(r->error);
	g_assert_cmpstr(remote, ==, name);
}

static void test_ask_answer(Fixture *f, gconstpointer data)
{
	CallResult r = { 0 };
	E7Answer a = { E7_ACTION_ALLOW, E7_SCOPE_DESTINATION,
		       E7_LIFETIME_SECONDS, 3600 };
	g_autoptr(GVariant) answer = NULL;
	const char *s;
	guint32 duration;

	ask(f, 17, "/usr/bin/curl", &r);
	WAIT_FOR(f->requests->len == 1);
	g_assert_false(r.done);
	g_assert_cmpuint(e7_agent_get_n_pending(f->agent), ==, 1);
	{
		E7Request *req = g_ptr_array_index(f->requests, 0);

		g_assert_cmpuint(req->id, ==, 17);
		g_assert_cmpstr(req->program, ==, "/usr/bin/curl");
		g_assert_cmpuint(req->pid, ==, 4242);
		g_assert_cmpuint(req->remote_port, ==, 80);
	}

	g_assert_false(e7_agent_answer(f->agent, 18, &a));
	g_assert_true(e7_agent_answer(f->agent, 17, &a));
	g_assert_false(e7_agent_answer(f->agent, 17, &a));
	WAIT_FOR(r.done);
	g_assert_no_error(r.error);
	g_assert_cmpstr(g_variant_get_type_string(r.reply), ==, "(a{sv})");
	answer = g_variant_get_child_value(r.reply, 0);
	g_assert_cmpuint(g_variant_n_children(answer), ==, 4);
	g_assert_true(g_variant_lookup(answer, "action", "&s", &s));
	g_assert_cmpstr(s, ==, "allow");
	g_assert_true(g_variant_lookup(answer, "scope", "&s", &s));
	g_assert_cmpstr(s, ==, "destination");
	g_assert_true(g_variant_lookup(answer, "lifetime", "&s", &s));
	g_assert_cmpstr(s, ==, "seconds");
	g_assert_true(g_variant_lookup(answer, "duration", "u", &duration));
	g_assert_cmpuint(duration, ==, 3600);
	g_assert_cmpuint(e7_agent_get_n_pending(f->agent), ==, 0);
	call_result_clear(&r);
}

static void test_cancel(Fixture *f, gconstpointer data)
{
	CallResult r = { 0 }, c = { 0 }, c2 = { 0 };

	ask(f, 5, "/usr/bin/curl", &r);
	WAIT_FOR(f->requests->len == 1);
	call_agent(f->client_conn,
		   g_dbus_connection_get_unique_name(f->agent_conn), "Cancel",
		   g_variant_new("(t)", (guint64)5), &c);
	WAIT_FOR(r.done && c.done);
	assert_remote_error(&r, "org.eftirlit7.Firewall1.Error.Cancelled");
	g_assert_no_error(c.error);
	g_assert_cmpuint(f->cancelled->len, ==, 1);
	g_assert_cmpuint(g_array_index(f->cancelled, guint64, 0), ==, 5);
	g_assert_cmpuint(e7_agent_get_n_pending(f->agent), ==, 0);

	/* Cancelling what is no longer pending is not an error (it races). */
	call_agent(f->client_conn,
		   g_dbus_connection_get_unique_name(f->agent_conn), "Cancel",
		   g_variant_new("(t)", (guint64)5), &c2);
	WAIT_FOR(c2.done);
	g_assert_no_error(c2.error);
	g_assert_cmpuint(f->cancelled->len, ==, 1);
	call_result_clear(&r);
	call_result_clear(&c);
	call_result_clear(&c2);
}

static void test_dismiss(Fixture *f, gconstpointer data)
{
	CallResult r = { 0 };

	ask(f, 6, "/usr/bin/curl", &r);
	WAIT_FOR(f->requests->len == 1);
	g_assert_true(e7_agent_dismiss(f->agent, 6));
	g_assert_false(e7_agent_dismiss(f->agent, 6));
	WAIT_FOR(r.done);
	assert_remote_error(&r, "org.eftirlit7.Firewall1.Error.Cancelled");
	call_result_clear(&r);
}

static void test_untrusted_sender(Fixture *f, gconstpointer data)
{
	CallResult r = { 0 }, r2 = { 0 };

	e7_agent_set_trusted_sender(f->agent, ":1.9999");
	ask(f, 1, "/usr/bin/curl", &r);
	WAIT_FOR(r.done);
	assert_remote_error(&r, "org.eftirlit7.Firewall1.Error.AccessDenied");
	g_assert_cmpuint(f->requests->len, ==, 0);

	/* No daemon known: nobody may ask. */
	e7_agent_set_trusted_sender(f->agent, NULL);
	ask(f, 2, "/usr/bin/curl", &r2);
	WAIT_FOR(r2.done);
	assert_remote_error(&r2, "org.eftirlit7.Firewall1.Error.AccessDenied");
	g_assert_cmpuint(f->requests->len, ==, 0);

	/* Test mode (session bus): every caller is accepted. */
	e7_agent_set_check_sender(f->agent, FALSE);
	call_result_clear(&r);
	ask(f, 3, "/usr/bin/curl", &r);
	WAIT_FOR(f->requests->len == 1);
	e7_agent_dismiss(f->agent, 3);
	WAIT_FOR(r.done);
	call_result_clear(&r);
	call_result_clear(&r2);
}

static void test_invalid_and_duplicate(Fixture *f, gconstpointer data)
{
	CallResult bad = { 0 }, first = { 0 }, dup = { 0 };
	g_autoptr(GVariant) empty = g_variant_ref_sink(g_variant_new(
		"(@a{sv})",
		g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0)));

	call_agent(f->client_conn,
		   g_dbus_connection_get_unique_name(f->agent_conn), "Ask",
		   g_variant_ref(empty), &bad);
	WAIT_FOR(bad.done);
	assert_remote_error(&bad, "org.eftirlit7.Firewall1.Error.InvalidArgs");
	g_assert_true(strstr(bad.error->message, "\"id\"") != NULL);

	ask(f, 8, "/usr/bin/curl", &first);
	WAIT_FOR(f->requests->len == 1);
	ask(f, 8, "/usr/bin/curl", &dup);
	WAIT_FOR(dup.done);
	assert_remote_error(&dup, "org.eftirlit7.Firewall1.Error.Exists");
	g_assert_false(first.done);
	e7_agent_dismiss(f->agent, 8);
	WAIT_FOR(first.done);
	call_result_clear(&bad);
	call_result_clear(&first);
	call_result_clear(&dup);
}

static void test_limit(Fixture *f, gconstpointer data)
{
	CallResult *calls = g_new0(CallResult, E7_AGENT_MAX_PENDING + 1);

	for (guint i = 0; i <= E7_AGENT_MAX_PENDING; i++)
		ask(f, i + 1, "/usr/bin/curl", &calls[i]);
	WAIT_FOR(calls[E7_AGENT_MAX_PENDING].done);
	assert_remote_error(&calls[E7_AGENT_MAX_PENDING],
			    "org.eftirlit7.Firewall1.Error.LimitExceeded");
	g_assert_cmpuint(e7_agent_get_n_pending(f->agent), ==,
			 E7_AGENT_MAX_PENDING);
	e7_agent_cancel_all(f->agent);
	g_assert_cmpuint(f->cancelled->len, ==, E7_AGENT_MAX_PENDING);
	for (guint i = 0; i < E7_AGENT_MAX_PENDING; i++) {
		WAIT_FOR(calls[i].done);
		assert_remote_error(&calls[i],
				    "org.eftirlit7.Firewall1.Error.Cancelled");
	}
	for (guint i = 0; i <= E7_AGENT_MAX_PENDING; i++)
		call_result_clear(&calls[i]);
	g_free(calls);
}

/* Agent and queue wired as the applet wires them. */
static void queue_resolved(E7PromptQueue *q, guint64 id, const E7Answer *answer,
			   E7Agent *agent)
{
	if (answer)
		e7_agent_answer(agent, id, answer);
	else
		e7_agent_dismiss(agent, id);
}

static void agent_to_queue(E7Agent *agent, E7Request *r, E7PromptQueue *q)
{
	e7_prompt_queue_add(q, r);
}

static void agent_cancel_to_queue(E7Agent *agent, guint64 id, E7PromptQueue *q)
{
	e7_prompt_queue_withdraw(q, id);
}

static void test_coalesced_answer(Fixture *f, gconstpointer data)
{
	g_autoptr(E7PromptQueue) q = e7_prompt_queue_new();
	CallResult a1 = { 0 }, a2 = { 0 }, b1 = { 0 };
	E7Answer block = { E7_ACTION_BLOCK, E7_SCOPE_PROGRAM,
			   E7_LIFETIME_FOREVER, 0 };
	const char *s;

	g_signal_connect(f->agent, "request", G_CALLBACK(agent_to_queue), q);
	g_signal_connect(f->agent, "cancelled",
			 G_CALLBACK(agent_cancel_to_queue), q);
	g_signal_connect(q, "resolved", G_CALLBACK(queue_resolved), f->agent);

	ask(f, 1, "/usr/bin/curl", &a1);
	ask(f, 2, "/usr/bin/wget", &b1);
	ask(f, 3, "/usr/bin/curl", &a2);
	WAIT_FOR(f->requests->len == 3);
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(q), ==, 2);

	e7_prompt_queue_resolve(q, e7_prompt_queue_get_group(q, 0), &block);
	WAIT_FOR(a1.done && a2.done);
	g_assert_false(b1.done);
	for (CallResult *r = &a1; r; r = (r == &a1) ? &a2 : NULL) {
		g_autoptr(GVariant) answer = NULL;

		g_assert_no_error(r->error);
		answer = g_variant_get_child_value(r->reply, 0);
		g_assert_true(g_variant_lookup(answer, "action", "&s", &s));
		g_assert_cmpstr(s, ==, "block");
		g_assert_true(g_variant_lookup(answer, "lifetime", "&s", &s));
		g_assert_cmpstr(s, ==, "forever");
		g_assert_false(g_variant_lookup(answer, "duration", "u", NULL));
	}
	e7_agent_cancel_all(f->agent);
	WAIT_FOR(b1.done);
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(q), ==, 0);
	g_signal_handlers_disconnect_by_data(f->agent, q);
	call_result_clear(&a1);
	call_result_clear(&a2);
	call_result_clear(&b1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) \
	g_test_add("/applet/agent/" name, Fixture, NULL, setup, fn, teardown)
	ADD("ask-answer", test_ask_answer);
	ADD("cancel", test_cancel);
	ADD("dismiss", test_dismiss);
	ADD("untrusted-sender", test_untrusted_sender);
	ADD("invalid-and-duplicate", test_invalid_and_duplicate);
	ADD("limit", test_limit);
	ADD("coalesced-answer", test_coalesced_answer);
	return g_test_run();
}
