// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where e7d's state lives (issue 19, point 1): the administrator's rules in
 * rules.d are read (a bad line skipped and reported with file and line),
 * listed with their origin, never written, removed or changed over D-Bus;
 * e7d's own rules go to its rules file; the rules file of before rules.d
 * moves over once.
 */
#include <string.h>

#include "e7d-fixture.h"

/* The rule of @rules whose text is @text; fails the test when none. */
static GVariant *rule_with_text(GVariant *rules, const char *text)
{
	for (gsize i = 0; i < g_variant_n_children(rules); i++) {
		g_autofree char *t = rule_text_at(rules, i);

		if (g_str_equal(t, text))
			return g_variant_get_child_value(rules, i);
	}
	g_error("no rule '%s'", text);
}

static guint64 id_of(GVariant *rule)
{
	guint64 id;

	g_assert_true(g_variant_lookup(rule, "id", "t", &id));
	return id;
}

static void test_system_rules(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = list_rules(f);
	g_autoptr(GVariant)
		admin = rule_with_text(rules, "allow tcp /usr/bin/curl");
	g_autoptr(GVariant) mine = NULL;
	g_autoptr(GVariant) after = NULL;
	g_autofree char *system_before = NULL;
	g_autofree char *system_after = NULL;
	g_autofree char *file = NULL;
	const char *origin = NULL;
	guint64 id = id_of(admin);

	/* Two good lines of three are loaded; the bad one was reported. */
	g_assert_cmpuint(g_variant_n_children(rules), ==, 2);
	g_assert_true(g_variant_lookup(admin, "origin", "&s", &origin));
	g_assert_cmpstr(origin, ==, f->system_path);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
	g_assert_true(g_file_get_contents(f->system_path, &system_before, NULL,
					  NULL));

	/* Not removed, changed or cleared over D-Bus. */
	expect_error(f, "RemoveRule", g_variant_new("(t)", id),
		     E7_ERROR_READ_ONLY, "50-admin.rules: edit that file");
	expect_error(f, "UpdateRule",
		     g_variant_new_parsed(
			     "(%t, {'text': <'block tcp /usr/bin/curl'>})", id),
		     E7_ERROR_READ_ONLY, "administrator's");
	/* Adding it again gives its id; e7d's own rules go to its file. */
	g_assert_cmpuint(add_rule(f, "allow tcp /usr/bin/curl"), ==, id);
	add_rule(f, "allow udp /usr/bin/dig");
	file = read_rules(f);
	g_assert_nonnull(strstr(file, "allow udp /usr/bin/dig\n"));
	g_assert_null(strstr(file, "curl"));
	g_variant_unref(
		call_ok(f, "ClearRules", g_variant_new_parsed("(@a{sv} {},)")));
	after = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(after), ==, 2);
	mine = rule_with_text(after, "allow tcp /usr/bin/curl");
	g_assert_cmpuint(id_of(mine), ==, id);

	/* A reload keeps its id; the file was never written. */
	g_test_expect_message("e7d", G_LOG_LEVEL_WARNING,
			      "*50-admin.rules:3:*");
	g_variant_unref(call_ok(f, "Reload", NULL));
	g_test_assert_expected_messages();
	g_variant_unref(after);
	after = list_rules(f);
	g_variant_unref(mine);
	mine = rule_with_text(after, "allow tcp /usr/bin/curl");
	g_assert_cmpuint(id_of(mine), ==, id);
	g_assert_true(
		g_file_get_contents(f->system_path, &system_after, NULL, NULL));
	g_assert_cmpstr(system_after, ==, system_before);
}

/* The rules file of before rules.d becomes e7d's own, once. */
static void test_legacy_moves(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = list_rules(f);
	g_autofree char *file = read_rules(f);

	g_assert_cmpstr(file, ==, "# mine\nallow tcp /usr/bin/ssh\n");
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	g_variant_unref(rule_with_text(rules, "allow tcp /usr/bin/ssh"));
	/* The copy is e7d's from now on; the old file is left alone. */
	add_rule(f, "allow udp /usr/bin/dig");
	g_free(file);
	file = read_rules(f);
	g_assert_nonnull(strstr(file, "allow udp /usr/bin/dig\n"));
	g_free(file);
	g_assert_true(g_file_get_contents(f->legacy_path, &file, NULL, NULL));
	g_assert_cmpstr(file, ==, "# mine\nallow tcp /usr/bin/ssh\n");
}

/* e7d's new rules file starts with a header that says what it is. */
static void test_new_file_header(Fixture *f, gconstpointer data)
{
	g_autofree char *file = NULL;

	add_rule(f, "allow udp /usr/bin/dig");
	file = read_rules(f);
	g_assert_true(g_str_has_prefix(file, "# "));
	g_assert_nonnull(strstr(file, "rules.d"));
	g_assert_true(g_str_has_suffix(file, "\nallow udp /usr/bin/dig\n"));
}

static const Setup with_system = {
	.system_rules = "# the admin's\n"
			"allow tcp /usr/bin/curl\n"
			"allow tcp not/absolute\n"
			"block udp /usr/bin/nc\n",
	.expect_warning = "*50-admin.rules:3: *",
};
static const Setup with_legacy = {
	.legacy_rules = "# mine\nallow tcp /usr/bin/ssh\n",
};
static const Setup empty = { 0 };

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("system-rules", with_system, test_system_rules);
	E7D_TEST_ADD("legacy-rules-move", with_legacy, test_legacy_moves);
	E7D_TEST_ADD("new-rules-file-header", empty, test_new_file_header);
	return g_test_run();
}
