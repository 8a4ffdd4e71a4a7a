/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rules and events as text: what the rules window shows for a rule or an
 * event, the rule search, and rules built from (and back to) the editor's
 * form.
 */
#include "config.h"

#include <string.h>

#include "e7-error.h"
#include "rule-format.h"

static GVariant *parse(const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL,
				      &error);

	g_assert_no_error(error);
	return v;
}

#define ASSERT_DESCRIBE(fn, text, expected)           \
	G_STMT_START                                  \
	{                                             \
		g_autoptr(GVariant) _r = parse(text); \
		g_autofree char *_s = fn(_r);         \
		g_assert_cmpstr(_s, ==, expected);    \
	}                                             \
	G_STMT_END

static void test_describe(void)
{
	ASSERT_DESCRIBE(e7_rule_describe_program, "{'program': <'any'>}",
			"Any program");
	ASSERT_DESCRIBE(e7_rule_describe_program, "@a{sv} {}", "Any program");
	ASSERT_DESCRIBE(e7_rule_describe_program, "{'program': <'/usr/bin/'>}",
			"Programs in /usr/bin/");
	ASSERT_DESCRIBE(e7_rule_describe_program,
			"{'program': <'/usr/bin/curl'>}", "/usr/bin/curl");
	ASSERT_DESCRIBE(e7_rule_describe_action, "{'action': <'allow'>}",
			"Allow");
	ASSERT_DESCRIBE(e7_rule_describe_action, "{'action': <'block'>}",
			"Block");
	ASSERT_DESCRIBE(
		e7_rule_describe_scope,
		"{'protocol': <'tcp'>, 'direction': <'out'>,"
		" 'remote-address': <'198.18.0.0/15'>, 'remote-port': <uint16 443>}",
		"TCP, outgoing to 198.18.0.0/15 port 443");
	ASSERT_DESCRIBE(
		e7_rule_describe_scope,
		"{'protocol': <'udp'>, 'direction': <'in'>, 'remote-address': <'2001:2::/48'>,"
		" 'remote-port': <uint16 1000>, 'remote-port-end': <uint16 2000>}",
		"UDP, incoming from 2001:2::/48 port 1000-2000");
	ASSERT_DESCRIBE(e7_rule_describe_scope,
			"{'protocol': <'any'>, 'remote-address': <'any'>}",
			"any protocol, outgoing");
	ASSERT_DESCRIBE(e7_rule_describe_origin, "@a{sv} {}", "Learned");
	ASSERT_DESCRIBE(e7_rule_describe_origin,
			"{'origin': <'/etc/eftirlit7/rules.d/50-site.rules'>}",
			"Administrator (50-site.rules)");
	ASSERT_DESCRIBE(e7_rule_describe_lifetime, "@a{sv} {}", "Forever");
	ASSERT_DESCRIBE(e7_rule_describe_lifetime, "{'lifetime': <'once'>}",
			"Once");
	ASSERT_DESCRIBE(e7_rule_describe_lifetime, "{'lifetime': <'process'>}",
			"Until the program exits");
	ASSERT_DESCRIBE(e7_rule_describe_lifetime, "{'lifetime': <'session'>}",
			"Until logout");
	ASSERT_DESCRIBE(e7_rule_describe_lifetime, "{'lifetime': <'boot'>}",
			"Until reboot");
	ASSERT_DESCRIBE(e7_rule_describe_lifetime,
			"{'lifetime': <'seconds'>, 'duration': <uint32 300>}",
			"For 300 seconds");
	ASSERT_DESCRIBE(e7_rule_describe_hits, "@a{sv} {}", "—");
	ASSERT_DESCRIBE(e7_rule_describe_hits, "{'hits': <uint64 12>}", "12");
	ASSERT_DESCRIBE(e7_rule_describe_last_hit, "@a{sv} {}", "—");
	ASSERT_DESCRIBE(e7_rule_describe_last_hit, "{'last-hit': <uint64 0>}",
			"never");
	ASSERT_DESCRIBE(e7_rule_describe_last_hit,
			"{'last-hit': <uint64 1795000002000000>}",
			"11/18/26 11:06:42");
	ASSERT_DESCRIBE(
		e7_event_describe,
		"{'program': <'/usr/bin/curl'>, 'action': <'block'>, 'reason': <'rule'>,"
		" 'protocol': <'tcp'>, 'remote-address': <'198.18.1.2'>,"
		" 'remote-port': <uint16 80>}",
		"curl blocked: TCP 198.18.1.2 port 80 (rule)");
}

static void test_matches(void)
{
	g_autoptr(GVariant) r = parse(
		"{'action': <'allow'>, 'program': <'/usr/bin/curl'>,"
		" 'protocol': <'tcp'>, 'text': <'allow tcp /usr/bin/curl'>}");

	g_assert_true(e7_rule_matches(r, NULL));
	g_assert_true(e7_rule_matches(r, ""));
	g_assert_true(e7_rule_matches(r, "CURL"));
	g_assert_true(e7_rule_matches(r, "tcp"));
	g_assert_true(e7_rule_matches(r, "allow"));
	g_assert_false(e7_rule_matches(r, "wget"));
}

static void test_from_form(void)
{
	E7RuleForm f = { .action = "block",
			 .program = "/usr/bin/ssh",
			 .protocol = "tcp",
			 .direction = "out",
			 .remote_address = "198.18.0.0/15",
			 .ports = "22",
			 .lifetime = "3600",
			 .only_me = TRUE,
			 .uid = 1500 };
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant)
		v = g_variant_ref_sink(e7_rule_from_form(&f, &error));
	g_autofree char *text = NULL;

	g_assert_no_error(error);
	text = g_variant_print(v, TRUE);
	g_assert_cmpstr(
		text, ==,
		"{'action': <'block'>, 'program': <'/usr/bin/ssh'>, 'protocol': <'tcp'>,"
		" 'direction': <'out'>, 'remote-address': <'198.18.0.0/15'>,"
		" 'remote-port': <uint16 22>, 'lifetime': <'seconds'>,"
		" 'duration': <uint32 3600>, 'uid': <uint32 1500>}");

	/* Back to the form, as the editor does. */
	{
		E7RuleForm g;
		g_autofree char *ports = NULL;

		e7_rule_to_form(v, &g, &ports);
		g_assert_cmpstr(g.action, ==, "block");
		g_assert_cmpstr(g.program, ==, "/usr/bin/ssh");
		g_assert_cmpstr(g.remote_address, ==, "198.18.0.0/15");
		g_assert_cmpstr(g.ports, ==, "22");
		g_assert_cmpstr(g.lifetime, ==, "seconds");
		g_assert_cmpuint(g.duration, ==, 3600);
		g_assert_true(g.only_me);
		g_assert_cmpuint(g.uid, ==, 1500);
	}
}

static void expect_form_error(const char *program, const char *addr,
			      const char *ports, const char *lifetime,
			      const char *fragment)
{
	E7RuleForm f = { .action = "allow",
			 .program = program,
			 .remote_address = addr,
			 .ports = ports,
			 .lifetime = lifetime };
	g_autoptr(GError) error = NULL;
	GVariant *v = e7_rule_from_form(&f, &error);

	g_assert_null(v);
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	if (!strstr(error->message, fragment))
		g_error("\"%s\" lacks \"%s\"", error->message, fragment);
}

static void test_form_errors(void)
{
	E7RuleForm bad_action = { .action = "maybe", .program = "any" };
	g_autoptr(GError) error = NULL;

	g_assert_null(e7_rule_from_form(&bad_action, &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	expect_form_error("", "", "", "forever", "absolute path");
	expect_form_error("usr/bin/curl", "", "", "forever", "absolute path");
	expect_form_error("/usr/bin/curl", "198.18.0.0/33", "", "forever",
			  "not an IP");
	expect_form_error("/usr/bin/curl", "example.org", "", "forever",
			  "not an IP");
	expect_form_error("/usr/bin/curl", "", "0", "forever", "not a port");
	expect_form_error("/usr/bin/curl", "", "70000", "forever",
			  "not a port");
	expect_form_error("/usr/bin/curl", "", "2000-1000", "forever",
			  "not a port");
	expect_form_error("/usr/bin/curl", "", "http", "forever", "not a port");
	expect_form_error("/usr/bin/curl", "", "", "12x", "not a number");
}

static void test_form_any(void)
{
	E7RuleForm f = { .action = "allow",
			 .program = "any",
			 .remote_address = "any",
			 .ports = "1000 - 2000",
			 .lifetime = "forever" };
	g_autoptr(GVariant) v = g_variant_ref_sink(e7_rule_from_form(&f, NULL));
	g_autofree char *text = g_variant_print(v, FALSE);

	g_assert_cmpstr(
		text, ==,
		"{'action': <'allow'>, 'program': <'any'>, 'remote-address': <'any'>,"
		" 'remote-port': <uint16 1000>, 'remote-port-end': <uint16 2000>,"
		" 'lifetime': <'forever'>}");
}

int main(int argc, char **argv)
{
	g_setenv("LANGUAGE", "C", TRUE);
	g_unsetenv("LANG");
	g_unsetenv("LC_ALL");
	g_unsetenv("LC_MESSAGES");
	g_setenv("TZ", "UTC", TRUE);

	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/applet/rules/describe", test_describe);
	g_test_add_func("/applet/rules/matches", test_matches);
	g_test_add_func("/applet/rules/from-form", test_from_form);
	g_test_add_func("/applet/rules/form-errors", test_form_errors);
	g_test_add_func("/applet/rules/form-any", test_form_any);
	return g_test_run();
}
