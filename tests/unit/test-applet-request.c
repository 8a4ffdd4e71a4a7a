/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsing of Agent.Ask() requests and building of answers. */
#include "config.h"

#include <string.h>

#include "request.h"

static GVariant *parse_dict(const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL,
				      &error);

	g_assert_no_error(error);
	return v;
}

static void test_full(void)
{
	g_autoptr(GVariant) dict = parse_dict(
		"{'id': <uint64 42>, 'program': <'/usr/bin/curl'>, 'pid': <uint32 1234>,"
		" 'cmdline': <'curl https://example.org'>, 'uid': <uint32 1000>, 'user': <'alice'>,"
		" 'protocol': <'tcp'>, 'direction': <'out'>, 'remote-address': <'198.18.1.2'>,"
		" 'remote-port': <uint16 443>, 'local-port': <uint16 50000>,"
		" 'desktop-id': <'curl.desktop'>, 'icon': <'network-workgroup'>,"
		" 'timeout': <uint32 30>, 'default-action': <'allow'>, 'future-key': <true>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Request) r = e7_request_new_from_variant(dict, &error);
	g_autofree char *key = NULL;
	g_autofree char *name = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(r);
	g_assert_cmpuint(r->id, ==, 42);
	g_assert_cmpstr(r->program, ==, "/usr/bin/curl");
	g_assert_cmpuint(r->pid, ==, 1234);
	g_assert_cmpstr(r->cmdline, ==, "curl https://example.org");
	g_assert_cmpuint(r->uid, ==, 1000);
	g_assert_cmpstr(r->user, ==, "alice");
	g_assert_cmpstr(r->protocol, ==, "tcp");
	g_assert_cmpstr(r->direction, ==, "out");
	g_assert_cmpstr(r->remote_address, ==, "198.18.1.2");
	g_assert_cmpuint(r->remote_port, ==, 443);
	g_assert_cmpuint(r->local_port, ==, 50000);
	g_assert_cmpstr(r->desktop_id, ==, "curl.desktop");
	g_assert_cmpstr(r->icon, ==, "network-workgroup");
	g_assert_cmpuint(r->timeout, ==, 30);
	g_assert_cmpint(r->default_action, ==, E7_ACTION_ALLOW);

	key = e7_request_group_key(r);
	g_assert_cmpstr(key, ==, "program:/usr/bin/curl");
	name = e7_request_display_name(r);
	g_assert_cmpstr(name, ==, "curl");
}

static void test_minimal_defaults(void)
{
	g_autoptr(GVariant) dict = parse_dict("{'id': <uint64 7>}");
	g_autoptr(E7Request) r = e7_request_new_from_variant(dict, NULL);
	g_autofree char *key = NULL;

	g_assert_nonnull(r);
	g_assert_null(r->program);
	g_assert_cmpuint(r->uid, ==, G_MAXUINT32);
	g_assert_cmpstr(r->direction, ==, "out");
	g_assert_cmpint(r->default_action, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(e7_request_remaining(r, g_get_monotonic_time()), ==,
			-1);
	key = e7_request_group_key(r);
	g_assert_cmpstr(key, ==, "id:7");
}

static void expect_invalid(const char *text, const char *fragment)
{
	g_autoptr(GVariant) dict = parse_dict(text);
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Request) r = e7_request_new_from_variant(dict, &error);

	g_assert_null(r);
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	if (!strstr(error->message, fragment))
		g_error("message \"%s\" lacks \"%s\"", error->message,
			fragment);
}

static void test_invalid(void)
{
	expect_invalid("{'program': <'/bin/true'>}", "no \"id\"");
	expect_invalid("{'id': <uint32 1>}", "expected \"t\"");
	expect_invalid("{'id': <uint64 1>, 'program': <'relative/path'>}",
		       "absolute path");
	expect_invalid("{'id': <uint64 1>, 'protocol': <'TCP'>}",
		       "not a protocol name");
	expect_invalid("{'id': <uint64 1>, 'protocol': <''>}",
		       "not a protocol name");
	expect_invalid("{'id': <uint64 1>, 'direction': <'sideways'>}",
		       "out|in");
	expect_invalid("{'id': <uint64 1>, 'remote-address': <'198.18.1.300'>}",
		       "not an IP");
	expect_invalid("{'id': <uint64 1>, 'remote-port': <uint32 80>}",
		       "expected \"q\"");
	expect_invalid("{'id': <uint64 1>, 'timeout': <uint32 100000>}",
		       "at most");
	expect_invalid("{'id': <uint64 1>, 'default-action': <'ask'>}",
		       "allow|block");
}

static void test_not_a_dict(void)
{
	g_autoptr(GVariant) v = g_variant_ref_sink(g_variant_new_string("x"));
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Request) r = e7_request_new_from_variant(v, &error);

	g_assert_null(r);
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
}

static void test_lenient(void)
{
	/* "" is an unknown program; a protocol added later is shown as named. */
	g_autoptr(GVariant) dict = parse_dict(
		"{'id': <uint64 3>, 'program': <''>, 'pid': <uint32 5>,"
		" 'protocol': <'dccp'>}");
	g_autoptr(E7Request) r = e7_request_new_from_variant(dict, NULL);
	g_autofree char *key = NULL;

	g_assert_nonnull(r);
	g_assert_null(r->program);
	g_assert_cmpstr(r->protocol, ==, "dccp");
	key = e7_request_group_key(r);
	g_assert_cmpstr(key, ==, "pid:5");
}

static void test_ipv6_and_grouping(void)
{
	g_autoptr(GVariant)
		d1 = parse_dict("{'id': <uint64 1>, 'pid': <uint32 99>,"
				" 'remote-address': <'2001:2::2'>}");
	g_autoptr(E7Request) r = e7_request_new_from_variant(d1, NULL);
	g_autofree char *key = NULL;
	g_autofree char *name = NULL;

	g_assert_nonnull(r);
	key = e7_request_group_key(r);
	g_assert_cmpstr(key, ==, "pid:99");
	name = e7_request_display_name(r);
	g_assert_cmpstr(name, ==, "99");
}

static void test_remaining(void)
{
	g_autoptr(GVariant)
		dict = parse_dict("{'id': <uint64 1>, 'timeout': <uint32 10>}");
	g_autoptr(E7Request) r = e7_request_new_from_variant(dict, NULL);
	gint64 t0 = r->received_us;

	g_assert_cmpint(e7_request_remaining(r, t0), ==, 10);
	g_assert_cmpint(e7_request_remaining(r, t0 + 1), ==, 10);
	g_assert_cmpint(e7_request_remaining(r, t0 + 9 * G_USEC_PER_SEC), ==,
			1);
	g_assert_cmpint(e7_request_remaining(r, t0 + 9 * G_USEC_PER_SEC + 1),
			==, 1);
	g_assert_cmpint(e7_request_remaining(r, t0 + 10 * G_USEC_PER_SEC), ==,
			0);
	g_assert_cmpint(e7_request_remaining(r, t0 + 60 * G_USEC_PER_SEC), ==,
			0);
}

static void test_answer_variant(void)
{
	E7Answer a = { E7_ACTION_ALLOW, E7_SCOPE_PORT, E7_LIFETIME_SECONDS,
		       300 };
	g_autoptr(GVariant) v = g_variant_ref_sink(e7_answer_to_variant(&a));
	g_autofree char *text = g_variant_print(v, TRUE);

	g_assert_cmpstr(
		text, ==,
		"{'action': <'allow'>, 'scope': <'port'>, 'lifetime': <'seconds'>,"
		" 'duration': <uint32 300>}");
}

static void test_answer_default(void)
{
	g_autoptr(GVariant) dict =
		parse_dict("{'id': <uint64 1>, 'default-action': <'allow'>}");
	g_autoptr(E7Request) r = e7_request_new_from_variant(dict, NULL);
	g_autoptr(GVariant) v = NULL;
	g_autofree char *text = NULL;
	E7Answer a;

	e7_answer_init_default(&a, r);
	v = g_variant_ref_sink(e7_answer_to_variant(&a));
	text = g_variant_print(v, FALSE);
	g_assert_cmpstr(
		text, ==,
		"{'action': <'allow'>, 'scope': <'program'>, 'lifetime': <'once'>}");
}

static void test_strings(void)
{
	E7Action action;
	E7Scope scope;

	g_assert_true(e7_action_from_string("block", &action));
	g_assert_cmpint(action, ==, E7_ACTION_BLOCK);
	g_assert_false(e7_action_from_string("Block", &action));
	g_assert_false(e7_action_from_string(NULL, &action));
	g_assert_true(e7_scope_from_string("destination", &scope));
	g_assert_cmpint(scope, ==, E7_SCOPE_DESTINATION);
	g_assert_false(e7_scope_from_string("everywhere", &scope));
	g_assert_cmpstr(e7_lifetime_to_string(E7_LIFETIME_PROCESS), ==,
			"process");
	g_assert_cmpstr(e7_lifetime_to_string(E7_LIFETIME_LOGOUT), ==,
			"session");
	g_assert_cmpstr(e7_lifetime_to_string(E7_LIFETIME_FOREVER), ==,
			"forever");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/applet/request/full", test_full);
	g_test_add_func("/applet/request/minimal-defaults",
			test_minimal_defaults);
	g_test_add_func("/applet/request/invalid", test_invalid);
	g_test_add_func("/applet/request/not-a-dict", test_not_a_dict);
	g_test_add_func("/applet/request/lenient", test_lenient);
	g_test_add_func("/applet/request/ipv6-and-grouping",
			test_ipv6_and_grouping);
	g_test_add_func("/applet/request/remaining", test_remaining);
	g_test_add_func("/applet/answer/variant", test_answer_variant);
	g_test_add_func("/applet/answer/default", test_answer_default);
	g_test_add_func("/applet/strings", test_strings);
	return g_test_run();
}
