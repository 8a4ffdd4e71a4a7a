// SPDX-License-Identifier: GPL-2.0-or-later
/* e7ctl's JSON and table output. */
#include <glib.h>

#include "output.h"

static GVariant *parse(const char *type, const char *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v =
		g_variant_parse(G_VARIANT_TYPE(type), text, NULL, NULL, &error);

	g_assert_no_error(error);
	return g_variant_ref_sink(v);
}

static void test_json(void)
{
	g_autoptr(GVariant)
		v = parse("aa{sv}",
			  "[{'id': <uint64 9007199254740993>, "
			  "'text': <'a \"q\" \\\\ b\\n\\u0001'>, "
			  "'on': <true>, 'port': <uint16 53>, "
			  "'nested': <{'k': <int32 -1>}>, 'list': <[1, 2]>}]");
	g_autofree char *out = e7ctl_to_json(v);

	/* One line, keys in order, every integer exact (2^53 + 1). */
	g_assert_cmpstr(
		out, ==,
		"[{\"id\":9007199254740993,\"text\":\"a \\\"q\\\" \\\\ b\\n\\u0001\","
		"\"on\":true,\"port\":53,\"nested\":{\"k\":-1},\"list\":[1,2]}]");
}

static void test_table(void)
{
	g_autoptr(GVariant) v = parse(
		"aa{sv}",
		"[{'id': <uint64 1>, 'action': <'allow'>, 'protocol': <'tcp'>, "
		"'direction': <'out'>, 'program': <'/usr/bin/curl'>, "
		"'remote-address': <'any'>, 'lifetime': <'forever'>}, "
		"{'id': <uint64 22>, 'action': <'block'>, 'protocol': <'udp'>, "
		"'direction': <'in'>, 'program': <'any'>, 'remote-address': <'::1'>, "
		"'remote-port': <uint16 1000>, 'remote-port-end': <uint16 2000>, "
		"'uid': <uint32 7>, 'lifetime': <'seconds'>, 'duration': <uint32 60>, "
		"'origin': <'/etc/eftirlit7/rules.d/50-site.rules'>}]");
	g_autofree char *table = e7ctl_format_rules_table(v);

	g_assert_cmpstr(
		table, ==,
		"ID  ACTION  PROTO  DIR  PROGRAM        REMOTE  PORT       USER  LIFETIME  FROM\n"
		"1   allow   tcp    out  /usr/bin/curl  any     any        any   forever   e7d\n"
		"22  block   udp    in   any            ::1     1000-2000  7     60s       50-site.rules\n");
}

static void test_event(void)
{
	g_autoptr(GVariant)
		v = parse("a{sv}",
			  "{'kind': <'policy'>, 'action': <'allow'>, "
			  "'reason': <'no-agent'>, 'program': <'/bin/x'>, "
			  "'pid': <uint32 5>, 'uid': <uint32 1000>, "
			  "'protocol': <'tcp'>, 'direction': <'in'>, "
			  "'remote-address': <'198.18.1.2'>, "
			  "'remote-port': <uint16 80>, 'time': <uint64 0>}");
	g_autofree char *text = e7ctl_format_event(v);

	g_assert_true(g_str_has_suffix(
		text,
		" policy  allow no-agent   /bin/x pid 5 uid 1000 tcp in 198.18.1.2:80"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/e7ctl/output/json", test_json);
	g_test_add_func("/e7ctl/output/table", test_table);
	g_test_add_func("/e7ctl/output/event", test_event);
	return g_test_run();
}
