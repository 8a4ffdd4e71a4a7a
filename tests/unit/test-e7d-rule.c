// SPDX-License-Identifier: GPL-2.0-or-later
/* The rule grammar, the printer and the a{sv} form. */
#include <glib.h>

#include "e7-error.h"
#include "rule-text.h"
#include "rule-variant.h"

static E7Rule *parse_ok(const char *text)
{
	g_autoptr(GError) error = NULL;
	E7Rule *rule = e7_rule_parse(text, &error);

	g_assert_no_error(error);
	g_assert_nonnull(rule);
	return rule;
}

static void test_seed_examples(void)
{
	g_autoptr(E7Rule) a = parse_ok("allow tcp /usr/bin/curl");
	g_autoptr(E7Rule) b = parse_ok("block any /usr/bin/");
	g_autoptr(E7Rule) c = parse_ok("allow /usr/lib/firefox/firefox");
	g_autoptr(E7Rule) d = parse_ok("allow udp /bin/ping");

	g_assert_cmpint(a->action, ==, E7_ACTION_ALLOW);
	g_assert_cmpint(a->protocol, ==, E7_PROTO_TCP);
	g_assert_cmpstr(a->program, ==, "/usr/bin/curl");
	g_assert_cmpint(a->direction, ==, E7_DIR_OUT);
	g_assert_null(a->remote);
	g_assert_cmpuint(a->port_min, ==, 0);
	g_assert_false(a->has_uid);
	g_assert_cmpint(a->lifetime, ==, E7_LIFETIME_FOREVER);

	g_assert_cmpint(b->action, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(b->protocol, ==, E7_PROTO_ANY);
	g_assert_cmpstr(b->program, ==, "/usr/bin/");

	g_assert_cmpint(c->protocol, ==, E7_PROTO_ANY);
	g_assert_cmpstr(c->program, ==, "/usr/lib/firefox/firefox");
	g_assert_cmpint(d->protocol, ==, E7_PROTO_UDP);
}

static void test_full_clauses(void)
{
	g_autoptr(E7Rule) r = parse_ok(
		"allow udp /usr/bin/ping to 192.0.2.0/24 port 53 user 1000 for 300s");
	g_autofree char *addr = NULL;

	g_assert_nonnull(r->remote);
	addr = g_inet_address_mask_to_string(r->remote);
	g_assert_cmpstr(addr, ==, "192.0.2.0/24");
	g_assert_cmpuint(r->port_min, ==, 53);
	g_assert_cmpuint(r->port_max, ==, 53);
	g_assert_true(r->has_uid);
	g_assert_cmpuint(r->uid, ==, 1000);
	g_assert_cmpint(r->lifetime, ==, E7_LIFETIME_SECONDS);
	g_assert_cmpuint(r->duration, ==, 300);
}

static void test_direction_ranges_ipv6(void)
{
	g_autoptr(E7Rule) r = parse_ok(
		"allow tcp /usr/sbin/sshd in from 2001:db8::/32 port 22");
	g_autoptr(E7Rule) s =
		parse_ok("block udp any to ::1 port 1000-2000 until logout");
	g_autoptr(E7Rule) t = parse_ok("allow any for 2h");
	g_autoptr(E7Rule) u = parse_ok("block any any user 0 once");
	g_autofree char *addr = g_inet_address_mask_to_string(r->remote);

	g_assert_cmpint(r->direction, ==, E7_DIR_IN);
	g_assert_cmpstr(addr, ==, "2001:db8::/32");
	g_assert_cmpint(g_inet_address_mask_get_family(r->remote), ==,
			G_SOCKET_FAMILY_IPV6);
	g_assert_null(s->program);
	g_assert_cmpuint(s->port_min, ==, 1000);
	g_assert_cmpuint(s->port_max, ==, 2000);
	g_assert_cmpint(s->lifetime, ==, E7_LIFETIME_LOGOUT);
	g_assert_null(t->program);
	g_assert_cmpint(t->protocol, ==, E7_PROTO_ANY);
	g_assert_cmpuint(t->duration, ==, 7200);
	g_assert_true(u->has_uid);
	g_assert_cmpuint(u->uid, ==, 0);
	g_assert_cmpint(u->lifetime, ==, E7_LIFETIME_ONCE);
}

static void test_print_canonical(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "allow tcp /usr/bin/curl", "allow tcp /usr/bin/curl" },
		{ "  block   /usr/bin/  ", "block any /usr/bin/" },
		{ "allow udp /usr/bin/ping to 192.0.2.0/24 port 53 user 1000 for 300s",
		  "allow udp /usr/bin/ping to 192.0.2.0/24 port 53 user 1000 for 300s" },
		{ "allow tcp /x for 5m user 7 port 80-81 to 10.0.0.1 out",
		  "allow tcp /x to 10.0.0.1 port 80-81 user 7 for 300s" },
		{ "allow tcp /usr/sbin/sshd from 2001:db8::/32 in port 22",
		  "allow tcp /usr/sbin/sshd in from 2001:db8::/32 port 22" },
		{ "allow any to any port any user any forever # web",
		  "allow any any # web" },
		{ "block icmp any until reboot",
		  "block icmp any until reboot" },
		{ "allow tcp /a until exit", "allow tcp /a until exit" },
		{ "allow tcp /a sha256 "
		  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
		  " user 5 # kept",
		  "allow tcp /a user 5 sha256 "
		  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
		  " # kept" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(E7Rule) r = parse_ok(cases[i].in);
		g_autofree char *s = e7_rule_to_string(r);
		g_autoptr(E7Rule) again = parse_ok(s);

		g_assert_cmpstr(s, ==, cases[i].out);
		g_assert_true(e7_rule_equal(r, again));
	}
}

static void test_errors(void)
{
	static const struct {
		const char *text, *message_part;
	} cases[] = {
		{ "", "empty rule" },
		{ "   # only a comment", "empty rule" },
		{ "permit tcp /bin/x", "unknown action 'permit'" },
		{ "allow tcp", "missing program" },
		{ "allow", "missing program" },
		{ "allow tcp port 80", "missing program" },
		{ "allow tcp bin/x", "not an absolute path" },
		{ "allow tcp /usr/../bin/x", "not normalized" },
		{ "allow tcp /usr//bin/x", "not normalized" },
		{ "allow tcp /usr/./x", "not normalized" },
		{ "allow tcp /x port 0", "bad port '0'" },
		{ "allow tcp /x port 65536", "bad port '65536'" },
		{ "allow tcp /x port 90-80", "first port is larger" },
		{ "allow tcp /x port 1-2-3", "bad port" },
		{ "allow tcp /x port -5", "bad port" },
		{ "allow tcp /x port +5", "bad port" },
		{ "allow tcp /x port", "'port' needs a value" },
		{ "allow tcp /x sha256 00ff", "bad sha256" },
		{ "allow tcp /usr/bin/ sha256 "
		  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		  "needs one program" },
		{ "allow tcp /x to 192.0.2.1/24", "bad address" },
		{ "allow tcp /x to 192.0.2.0/33", "bad address" },
		{ "allow tcp /x to example.com", "bad address" },
		{ "allow tcp /x to fe80::1%eth0", "bad address" },
		{ "allow tcp /x from 192.0.2.1", "'from'" },
		{ "allow tcp /x in to 192.0.2.1", "'from', not 'to'" },
		{ "allow tcp /x user bob", "numeric uid" },
		{ "allow tcp /x user 4294967295", "bad user" },
		{ "allow tcp /x user -1", "bad user" },
		{ "allow tcp /x for 0", "bad duration" },
		{ "allow tcp /x for 5w", "bad duration" },
		{ "allow tcp /x for 99999999999d", "bad duration" },
		{ "allow tcp /x for s", "bad duration" },
		{ "allow tcp /x for 5s once", "more than one 'lifetime'" },
		{ "allow tcp /x port 1 port 2", "more than one 'port'" },
		{ "allow tcp /x in out", "more than one 'in/out'" },
		{ "allow tcp /x until never", "bad 'until never'" },
		{ "allow tcp /x bogus", "unexpected 'bogus'" },
		{ "allow tcp /x /y", "unexpected '/y'" },
		{ "allow tcp /\x01x", "control character" },
		{ "allow tcp /\xff", "not valid UTF-8" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(E7Rule) r = e7_rule_parse(cases[i].text, &error);

		g_assert_null(r);
		g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
		if (!strstr(error->message, cases[i].message_part))
			g_error("'%s': message '%s' lacks '%s'", cases[i].text,
				error->message, cases[i].message_part);
	}
}

static void test_long_program(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_strnfill(E7_RULE_PROGRAM_MAX, 'a');
	g_autofree char *text = NULL;
	g_autoptr(E7Rule) r = NULL;

	path[0] = '/';
	text = g_strdup_printf("allow tcp %s", path);
	r = e7_rule_parse(text, &error);
	g_assert_null(r);
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	path[E7_RULE_PROGRAM_MAX - 1] = '\0';
	g_free(text);
	text = g_strdup_printf("allow tcp %s", path);
	g_clear_error(&error);
	r = e7_rule_parse(text, &error);
	g_assert_no_error(error);
}

static GVariant *dict(const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL,
				      &error);

	g_assert_no_error(error);
	return g_variant_ref_sink(v);
}

static void test_variant_round_trip(void)
{
	g_autoptr(E7Rule) r = parse_ok(
		"allow udp /usr/bin/ping to 192.0.2.0/24 port 53-54 user 1000 for 300s");
	g_autoptr(GVariant) v = NULL;
	g_autoptr(E7Rule) back = NULL;
	g_autoptr(GError) error = NULL;
	const char *s;
	guint16 q;

	r->id = 42;
	r->has_owner = TRUE;
	r->owner_uid = 1000;
	v = g_variant_ref_sink(e7_rule_to_variant(r));
	g_assert_true(g_variant_lookup(v, "id", "t", &r->id));
	g_assert_cmpuint(r->id, ==, 42);
	g_assert_true(g_variant_lookup(v, "text", "&s", &s));
	g_assert_cmpstr(
		s, ==,
		"allow udp /usr/bin/ping to 192.0.2.0/24 port 53-54 user 1000 for 300s");
	g_assert_true(g_variant_lookup(v, "remote-port-end", "q", &q));
	g_assert_cmpuint(q, ==, 54);
	g_assert_true(g_variant_lookup(v, "remote-address", "&s", &s));
	g_assert_cmpstr(s, ==, "192.0.2.0/24");

	/* Output-only keys are ignored on input: a listed rule can be re-added. */
	back = e7_rule_new_from_variant(v, &error);
	g_assert_no_error(error);
	g_assert_true(e7_rule_equal(r, back));
	g_assert_false(back->has_owner);
	g_assert_cmpuint(back->id, ==, 0);
}

static void test_variant_fields(void)
{
	g_autoptr(GVariant) v = dict(
		"{'action': <'block'>, 'program': <'/usr/bin/'>, "
		"'protocol': <'tcp'>, 'direction': <'in'>, "
		"'remote-address': <'2001:db8::1'>, 'remote-port': <uint16 443>, "
		"'uid': <uint32 5>, 'duration': <uint32 60>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Rule) r = e7_rule_new_from_variant(v, &error);
	g_autofree char *text = NULL;

	g_assert_no_error(error);
	text = e7_rule_to_string(r);
	g_assert_cmpstr(
		text, ==,
		"block tcp /usr/bin/ in from 2001:db8::1 port 443 user 5 for 60s");
}

static void test_variant_errors(void)
{
	static const struct {
		const char *dict, *message_part;
	} cases[] = {
		{ "{'action': <'allow'>}", "needs \"action\" and \"program\"" },
		{ "{'program': <'/x'>}", "needs \"action\" and \"program\"" },
		{ "{'action': <'maybe'>, 'program': <'/x'>}",
		  "bad action 'maybe'" },
		{ "{'action': <'allow'>, 'program': <'x'>}",
		  "not an absolute path" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'color': <'red'>}",
		  "unknown rule key 'color'" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'remote-port': <80>}",
		  "must have type 'q'" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'protocol': <'sctp6'>}",
		  "bad protocol" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'direction': <'up'>}",
		  "bad direction" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'lifetime': <'seconds'>}",
		  "duration" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'lifetime': <'always'>}",
		  "bad lifetime" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'duration': <uint32 0>}",
		  "bad duration" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'remote-address': <'300.1.1.1'>}",
		  "bad address" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'remote-port': <uint16 9>, 'remote-port-end': <uint16 8>}",
		  "first port is larger" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'remote-port-end': <uint16 8>}",
		  "remote-port-end" },
		{ "{'action': <'allow'>, 'program': <'/x'>, 'uid': <uint32 4294967295>}",
		  "bad uid" },
		{ "{'text': <'allow tcp'>}", "missing program" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GVariant) v = dict(cases[i].dict);
		g_autoptr(GError) error = NULL;
		g_autoptr(E7Rule) r = e7_rule_new_from_variant(v, &error);

		g_assert_null(r);
		g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
		if (!strstr(error->message, cases[i].message_part))
			g_error("%s: message '%s' lacks '%s'", cases[i].dict,
				error->message, cases[i].message_part);
	}
}

static void test_update(void)
{
	g_autoptr(E7Rule) r = parse_ok("allow tcp /usr/bin/curl port 443");
	g_autoptr(GVariant)
		ok = dict("{'action': <'block'>, 'remote-port': <uint16 80>}");
	g_autoptr(GVariant)
		bad = dict("{'protocol': <'udp'>, 'remote-address': <'nope'>}");
	g_autoptr(GVariant)
		text = dict("{'text': <'block udp /usr/bin/dig port 53'>}");
	g_autoptr(GError) error = NULL;
	g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL;

	r->id = 7;
	g_assert_true(e7_rule_update_from_variant(r, ok, &error));
	g_assert_no_error(error);
	s1 = e7_rule_to_string(r);
	g_assert_cmpstr(s1, ==, "block tcp /usr/bin/curl port 80");

	/* A failed update leaves the rule as it was. */
	g_assert_false(e7_rule_update_from_variant(r, bad, &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	s2 = e7_rule_to_string(r);
	g_assert_cmpstr(s2, ==, s1);

	g_clear_error(&error);
	g_assert_true(e7_rule_update_from_variant(r, text, &error));
	s3 = e7_rule_to_string(r);
	g_assert_cmpstr(s3, ==, "block udp /usr/bin/dig port 53");
	g_assert_cmpuint(r->id, ==, 7);
}

static void test_filter(void)
{
	g_autoptr(E7Rule) r = parse_ok("allow tcp /usr/bin/curl user 1000");
	g_autoptr(GVariant) empty = dict("@a{sv} {}");
	g_autoptr(GVariant) prog =
		dict("{'program': <'/usr/bin/curl'>, 'action': <'allow'>}");
	g_autoptr(GVariant) other = dict("{'program': <'/usr/bin/wget'>}");
	g_autoptr(GVariant) uid = dict("{'uid': <uint32 1000>}");
	g_autoptr(GVariant) any_addr = dict("{'remote-address': <'any'>}");
	g_autoptr(GVariant) unknown = dict("{'colour': <'red'>}");
	g_autoptr(GVariant) text = dict("{'text': <'allow tcp /x'>}");
	g_autoptr(GVariant) badtype = dict("{'uid': <'1000'>}");
	g_autoptr(GError) error = NULL;

	g_assert_true(e7_rule_check_filter(prog, &error));
	g_assert_true(e7_rule_matches_filter(r, empty));
	g_assert_true(e7_rule_matches_filter(r, prog));
	g_assert_false(e7_rule_matches_filter(r, other));
	g_assert_true(e7_rule_matches_filter(r, uid));
	g_assert_true(e7_rule_matches_filter(r, any_addr));
	g_assert_false(e7_rule_check_filter(unknown, &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	g_clear_error(&error);
	g_assert_false(e7_rule_check_filter(text, &error));
	g_clear_error(&error);
	g_assert_false(e7_rule_check_filter(badtype, &error));
}

static void test_enum_names(void)
{
	E7Protocol p;
	E7Lifetime l;

	g_assert_true(e7_protocol_from_string("icmp", &p));
	g_assert_cmpint(p, ==, E7_PROTO_ICMP);
	g_assert_false(e7_protocol_from_string("TCP", &p));
	g_assert_false(e7_protocol_from_string(NULL, &p));
	g_assert_true(e7_lifetime_from_string("session", &l));
	g_assert_cmpstr(e7_lifetime_to_string(l), ==, "session");
	g_assert_cmpstr(e7_action_to_string(99), ==, "unknown");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/e7d/rule/seed-examples", test_seed_examples);
	g_test_add_func("/e7d/rule/full-clauses", test_full_clauses);
	g_test_add_func("/e7d/rule/direction-ranges-ipv6",
			test_direction_ranges_ipv6);
	g_test_add_func("/e7d/rule/print-canonical", test_print_canonical);
	g_test_add_func("/e7d/rule/errors", test_errors);
	g_test_add_func("/e7d/rule/long-program", test_long_program);
	g_test_add_func("/e7d/rule/variant-round-trip",
			test_variant_round_trip);
	g_test_add_func("/e7d/rule/variant-fields", test_variant_fields);
	g_test_add_func("/e7d/rule/variant-errors", test_variant_errors);
	g_test_add_func("/e7d/rule/update", test_update);
	g_test_add_func("/e7d/rule/filter", test_filter);
	g_test_add_func("/e7d/rule/enum-names", test_enum_names);
	return g_test_run();
}
