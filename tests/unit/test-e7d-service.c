// SPDX-License-Identifier: GPL-2.0-or-later
/* The rule methods of org.eftirlit7.Firewall1: results, signals, authorization, bad input,
 * and what happens without the module or with a rules file that cannot be read or written. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e7d-fixture.h"
#include "rule-text.h"

static void test_rules_round_trip(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *file = NULL, *file2 = NULL, *text0 = NULL;
	guint64 id1, id2, id3;
	guint count;
	E7Rule *k;

	id1 = add_rule(f, "allow tcp /usr/bin/curl");
	id2 = add_rule(f, "block udp /usr/bin/dig port 53");
	id3 = add_rule(f, "allow tcp /usr/bin/wget for 60s");
	g_assert_cmpuint(id1, !=, id2);

	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 3);
	text0 = rule_text_at(rules, 0);
	g_assert_cmpstr(text0, ==, "allow tcp /usr/bin/curl");
	/* Only "forever" rules are written. */
	file = read_rules(f);
	g_assert_cmpstr(file, ==,
			"# existing comment\nallow tcp /usr/bin/curl\n"
			"block udp /usr/bin/dig port 53\n");
	k = g_hash_table_lookup(f->kernel->rules, &id2);
	g_assert_nonnull(k);
	g_assert_cmpuint(k->port_min, ==, 53);
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id3));

	/* UpdateRule changes the file, the kernel and keeps the id. */
	g_variant_unref(
		call_ok(f, "UpdateRule",
			g_variant_new_parsed(
				"(%t, {'remote-port': <uint16 5353>})", id2)));
	k = g_hash_table_lookup(f->kernel->rules, &id2);
	g_assert_cmpuint(k->port_min, ==, 5353);
	file2 = read_rules(f);
	g_assert_nonnull(strstr(file2, "block udp /usr/bin/dig port 5353\n"));

	g_variant_unref(call_ok(f, "RemoveRule", g_variant_new("(t)", id1)));
	g_assert_null(g_hash_table_lookup(f->kernel->rules, &id1));
	ret = call(f, "RemoveRule", g_variant_new("(t)", id1), &error);
	g_assert_null(ret);
	g_assert_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE);

	ret = call_ok(
		f, "ClearRules",
		g_variant_new_parsed("({'program': <'/usr/bin/wget'>},)"));
	g_variant_get(ret, "(u)", &count);
	g_assert_cmpuint(count, ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
}

static gboolean saw_six_signals(Fixture *f)
{
	return f->signals->len >= 6;
}

static void test_signals(Fixture *f, gconstpointer data)
{
	guint64 id = add_rule(f, "allow tcp /a");

	g_variant_unref(call_ok(
		f, "UpdateRule",
		g_variant_new_parsed("(%t, {'action': <'block'>})", id)));
	g_variant_unref(call_ok(f, "RemoveRule", g_variant_new("(t)", id)));
	add_rule(f, "allow tcp /b for 5s");
	g_variant_unref(
		call_ok(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)")));
	add_rule(f, "allow tcp /c");
	spin_until(saw_six_signals, f);
	g_assert_cmpstr(f->signals->pdata[0], ==, "RuleAdded");
	g_assert_cmpstr(f->signals->pdata[1], ==, "RuleChanged");
	g_assert_cmpstr(f->signals->pdata[2], ==, "RuleRemoved");
	g_assert_cmpstr(f->signals->pdata[3], ==, "RuleAdded");
	g_assert_cmpstr(f->signals->pdata[4], ==, "RuleRemoved");
	g_assert_cmpstr(f->signals->pdata[5], ==, "RuleAdded");
}

static void test_authorization(Fixture *f, gconstpointer data)
{
	g_autofree char *own =
		g_strdup_printf("allow tcp /usr/bin/curl user %u", getuid());
	g_autoptr(GVariant) rules = NULL;
	guint64 system_id = add_rule(f, "allow tcp /usr/bin/ssh");

	g_hash_table_remove(f->allowed, E7_ACTION_RULES_SYSTEM);
	g_hash_table_remove(f->allowed, E7_ACTION_CONFIGURE);
	expect_error(
		f, "AddRule",
		g_variant_new_parsed("({'text': <'allow tcp /usr/bin/nc'>},)"),
		E7_ERROR_NOT_AUTHORIZED, "org.eftirlit7.firewall.rules.system");
	expect_error(
		f, "AddRule",
		g_variant_new_parsed(
			"({'text': <'allow tcp /usr/bin/nc user 4242'>},)"),
		E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "RemoveRule", g_variant_new("(t)", system_id),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)"),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "SetMode", g_variant_new("(s)", "disabled"),
		     E7_ERROR_NOT_AUTHORIZED, "configure");
	expect_error(f, "Reload", NULL, E7_ERROR_NOT_AUTHORIZED, NULL);
	/* The user's own rules need only rules.own. */
	add_rule(f, own);
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed("(uint64 2, {'uid': <uint32 4242>})"),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 2);
	g_variant_unref(call_ok(f, "ClearRules",
				g_variant_new_parsed("({'uid': <%u>},)",
						     (guint32)getuid())));
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	/* Reading needs info. */
	g_hash_table_remove(f->allowed, E7_ACTION_INFO);
	expect_error(f, "ListRules", g_variant_new_parsed("(@a{sv} {},)"),
		     E7_ERROR_NOT_AUTHORIZED, NULL);
	expect_error(f, "GetStats", NULL, E7_ERROR_NOT_AUTHORIZED, NULL);
}

static void test_bad_input(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GVariant) v = NULL;
	gboolean b;

	expect_error(
		f, "AddRule",
		g_variant_new_parsed("({'text': <'allow tcp /x port 0'>},)"),
		E7_ERROR_INVALID_ARGS, "bad port '0'");
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'colour': <'red'>},)"),
		     E7_ERROR_INVALID_ARGS, "unknown rule key");
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed("(uint64 99, @a{sv} {})"),
		     E7_ERROR_NO_SUCH_RULE, "99");
	expect_error(f, "ListRules", g_variant_new_parsed("({'uid': <'x'>},)"),
		     E7_ERROR_INVALID_ARGS, "type");
	expect_error(f, "SetMode", g_variant_new("(s)", "paranoid"),
		     E7_ERROR_INVALID_ARGS, "unknown mode");
	expect_error(f, "GetFlag", g_variant_new("(s)", "nope"),
		     E7_ERROR_INVALID_ARGS, "unknown flag 'nope'");
	expect_error(f, "SetFlag",
		     g_variant_new("(sv)", "log-allowed",
				   g_variant_new_string("x")),
		     E7_ERROR_INVALID_ARGS, "boolean");
	expect_error(f, "SetFlag",
		     g_variant_new("(sv)", "profile",
				   g_variant_new_string("strict")),
		     E7_ERROR_INVALID_ARGS, "read-only");
	expect_error(f, "GetEvents", g_variant_new_parsed("({'max': <'x'>},)"),
		     E7_ERROR_INVALID_ARGS, NULL);

	/* Flags and mode reach the kernel. */
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "log-allowed",
					      g_variant_new_boolean(TRUE))));
	g_assert_cmpuint(f->kernel->flags, ==, E7_FLAG_LOG_ALLOWED);
	ret = call_ok(f, "GetFlag", g_variant_new("(s)", "log-allowed"));
	g_variant_get(ret, "(v)", &v);
	g_variant_get(v, "b", &b);
	g_assert_true(b);
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "policy-no-agent",
					      g_variant_new_string("block"))));
	g_variant_unref(
		call_ok(f, "SetMode", g_variant_new("(s)", "deny-unknown")));
	g_assert_cmpuint(f->kernel->mode, ==, E7_MODE_DENY_UNKNOWN);
}

static void test_no_kernel(Fixture *f, gconstpointer data)
{
	g_autofree char *file = NULL;

	expect_error(f, "SetMode", g_variant_new("(s)", "ask"),
		     E7_ERROR_KERNEL_MODULE_MISSING, "not loaded");
	/* Temporary rules need the module; persistent ones wait for it. */
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /x once'>},)"),
		     E7_ERROR_KERNEL_MODULE_MISSING, NULL);
	add_rule(f, "allow tcp /y");
	/* A new file: e7d's header, then the rule. */
	file = read_rules(f);
	g_assert_true(g_str_has_prefix(file, "# "));
	g_assert_true(g_str_has_suffix(file, "\nallow tcp /y\n"));
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 0);
	/* The module appears: the rule is pushed. */
	f->kernel->connected = TRUE;
	f->kernel->parent.events->connected(TRUE, f->daemon);
	wait_synced(f);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	g_assert_cmpuint(f->kernel->set_config_calls, ==, 1);
}

static void test_reload_corrupt(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) rules2 = NULL;
	g_autofree char *msg = NULL;

	add_rule(f, "allow tcp /usr/bin/a");
	write_file(
		f->rules_path,
		"allow tcp /usr/bin/a\nallow tcp usr/bin/b\nblock any /c/\n");
	msg = g_strdup_printf("%s:2: program 'usr/bin/b'", f->rules_path);
	expect_error(f, "Reload", NULL, E7_ERROR_INVALID_ARGS, msg);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	/* The broken file is not overwritten. */
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /z'>},)"),
		     E7_ERROR_FAILED, "has errors");
	write_file(f->rules_path, "allow tcp /usr/bin/a\nblock any /c/\n");
	g_variant_unref(call_ok(f, "Reload", NULL));
	rules2 = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules2), ==, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
}

static guint64 write_failure_id;

static gboolean kernel_rule_a_restored(Fixture *f)
{
	E7Rule *k = g_hash_table_lookup(f->kernel->rules, &write_failure_id);

	return k && k->port_min == 0;
}

/* The rules file cannot be written (its directory is gone, replaced by a
 * plain file, which stops root too): adding, removing and clearing fail
 * with the write error and change nothing, in e7d, the module or the file. */
static void test_write_failure(Fixture *f, gconstpointer data)
{
	g_autofree char *moved = g_strconcat(f->dir, ".moved", NULL);
	g_autofree char *before = NULL;
	g_autofree char *after = NULL;
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) rules2 = NULL;
	g_autofree char *text = NULL;
	guint64 a;

	a = add_rule(f, "allow tcp /usr/bin/a");
	write_failure_id = a;
	add_rule(f, "allow tcp /usr/bin/b once");
	add_rule(f, "block any /c/");
	before = read_rules(f);
	g_assert_cmpint(g_rename(f->dir, moved), ==, 0);
	write_file(f->dir, "not a directory");
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /z'>},)"),
		     E7_ERROR_FAILED, "cannot write");
	expect_error(f, "RemoveRule", g_variant_new("(t)", a), E7_ERROR_FAILED,
		     "cannot write");
	expect_error(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)"),
		     E7_ERROR_FAILED, "cannot write");
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed("(%t, {'remote-port': <uint16 80>})",
					  a),
		     E7_ERROR_FAILED, "cannot write");
	/* The module's copy of the rule is put back. */
	spin_until(kernel_rule_a_restored, f);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 3);
	text = rule_text_at(rules, 0);
	g_assert_cmpstr(text, ==, "allow tcp /usr/bin/a");
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 3);
	g_assert_cmpint(g_unlink(f->dir), ==, 0);
	g_assert_cmpint(g_rename(moved, f->dir), ==, 0);
	after = read_rules(f);
	g_assert_cmpstr(after, ==, before);
	/* Writable again: the removal goes through, file first. */
	g_variant_unref(call_ok(f, "RemoveRule", g_variant_new("(t)", a)));
	g_clear_pointer(&after, g_free);
	after = read_rules(f);
	g_assert_true(g_str_has_suffix(after, "\nblock any /c/\n"));
	g_assert_null(strstr(after, "/usr/bin/a"));
	rules2 = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules2), ==, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
}

static const Setup with_file = { .rules = "# existing comment\n" };
static const Setup plain = { 0 };
static const Setup no_kernel = { .no_kernel = TRUE };

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("rules-round-trip", with_file, test_rules_round_trip);
	E7D_TEST_ADD("signals", plain, test_signals);
	E7D_TEST_ADD("authorization", plain, test_authorization);
	E7D_TEST_ADD("bad-input", plain, test_bad_input);
	E7D_TEST_ADD("no-kernel", no_kernel, test_no_kernel);
	E7D_TEST_ADD("reload-corrupt", plain, test_reload_corrupt);
	E7D_TEST_ADD("write-failure", plain, test_write_failure);
	return g_test_run();
}
