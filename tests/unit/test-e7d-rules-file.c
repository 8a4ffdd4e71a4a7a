// SPDX-License-Identifier: GPL-2.0-or-later
/* The rules file: comments kept, file:line errors, atomic writes. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "e7-error.h"
#include "rule-text.h"
#include "rules-file.h"

static const char sample[] =
	"# E7 rules\n"
	"\n"
	"allow tcp /usr/bin/curl\n"
	"   block   any /usr/bin/   # everything else in /usr/bin\n"
	"allow udp /usr/bin/ping to 192.0.2.0/24 port 53 user 1000 for 300s\n"
	"\t# indented comment\n";

static void test_parse_keeps_text(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile)
		f = e7_rules_file_parse(sample, -1, "rules", &error);
	g_autofree char *out = NULL;
	guint nrules = 0;

	g_assert_no_error(error);
	g_assert_cmpuint(f->lines->len, ==, 6);
	for (guint i = 0; i < f->lines->len; i++)
		nrules += ((E7RulesLine *)f->lines->pdata[i])->rule != NULL;
	g_assert_cmpuint(nrules, ==, 3);
	out = e7_rules_file_to_string(f);
	g_assert_cmpstr(out, ==, sample);
}

static void test_edit(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile)
		f = e7_rules_file_parse(sample, -1, "rules", &error);
	E7RulesLine *curl = f->lines->pdata[2], *block = f->lines->pdata[3];
	g_autofree char *out = NULL;

	g_assert_nonnull(curl->rule);
	curl->rule->protocol = E7_PROTO_UDP;
	e7_rules_file_touch(f, curl->rule);
	g_assert_true(e7_rules_file_remove(f, block->rule));
	g_assert_false(e7_rules_file_remove(f, block->rule));
	e7_rules_file_append(f, e7_rule_parse("block icmp any", NULL));
	out = e7_rules_file_to_string(f);
	g_assert_cmpstr(
		out, ==,
		"# E7 rules\n"
		"\n"
		"allow udp /usr/bin/curl\n"
		"allow udp /usr/bin/ping to 192.0.2.0/24 port 53 user 1000 for 300s\n"
		"\t# indented comment\n"
		"block icmp any\n");
}

/* A removal is written before it is applied: the file is saved without
 * the given rules, which stay in memory. */
static void test_save_without(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile)
		f = e7_rules_file_parse(sample, -1, "rules", &error);
	g_autoptr(GHashTable) skip = g_hash_table_new(NULL, NULL);
	g_autofree char *dir = g_dir_make_tmp("e7d-rules-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "rules", NULL);
	g_autofree char *data = NULL;
	g_autofree char *all = NULL;
	g_autofree char *moved = g_strconcat(dir, ".moved", NULL);

	g_assert_no_error(error);
	g_hash_table_add(skip, ((E7RulesLine *)f->lines->pdata[2])->rule);
	g_hash_table_add(skip, ((E7RulesLine *)f->lines->pdata[4])->rule);
	g_assert_true(e7_rules_file_save_without(f, skip, path, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
	g_assert_cmpstr(
		data, ==,
		"# E7 rules\n"
		"\n"
		"   block   any /usr/bin/   # everything else in /usr/bin\n"
		"\t# indented comment\n");
	g_assert_cmpuint(f->lines->len, ==, 6);
	all = e7_rules_file_to_string(f);
	g_assert_cmpstr(all, ==, sample);
	/* A failed write names the file and leaves the old one. */
	g_assert_cmpint(g_rename(dir, moved), ==, 0);
	g_assert_true(g_file_set_contents(dir, "", 0, NULL));
	g_assert_false(e7_rules_file_save_without(f, NULL, path, &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_cmpint(g_unlink(dir), ==, 0);
	g_assert_cmpint(g_rename(moved, dir), ==, 0);
	g_clear_pointer(&data, g_free);
	g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
	g_assert_nonnull(strstr(data, "block   any"));
	g_assert_null(strstr(data, "curl"));
	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void test_errors_name_lines(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile)
		f = e7_rules_file_parse("# ok\n"
					"allow tcp /bin/a\n"
					"allow tcp bin/b\n"
					"\n"
					"allow tcp /c port 99999\n"
					"allow tcp /d",
					-1, "/etc/eftirlit7/rules", &error);

	g_assert_null(f);
	g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
	g_assert_true(g_str_has_prefix(
		error->message, "/etc/eftirlit7/rules:3: program 'bin/b'"));
	g_assert_nonnull(strstr(error->message,
				"\n/etc/eftirlit7/rules:5: bad port '99999'"));
	g_assert_null(strstr(error->message, ":6:"));
}

static void test_error_cap_and_bytes(void)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile) f = NULL;
	static const char nul[] = "allow tcp /a\nallow \0tcp /b\n";

	for (int i = 0; i < 25; i++)
		g_string_append(s, "nonsense\n");
	f = e7_rules_file_parse(s->str, -1, "r", &error);
	g_assert_null(f);
	g_assert_nonnull(strstr(error->message, "r:10: unknown action"));
	g_assert_null(strstr(error->message, "r:11:"));
	g_assert_nonnull(strstr(error->message, "r: 15 more bad lines"));

	g_clear_error(&error);
	f = e7_rules_file_parse(nul, sizeof(nul) - 1, "r", &error);
	g_assert_null(f);
	g_assert_nonnull(
		strstr(error->message, "r:2: line contains a NUL byte"));
	g_clear_error(&error);
	f = e7_rules_file_parse("allow tcp /\xc3\x28\n", -1, "r", &error);
	g_assert_null(f);
	g_assert_nonnull(
		strstr(error->message, "r:1: line is not valid UTF-8"));
}

static void test_save_load(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("e7d-rules-XXXXXX", &error);
	g_autofree char *path = g_build_filename(dir, "rules", NULL);
	g_autofree char *missing = g_build_filename(dir, "missing", NULL);
	g_autoptr(E7RulesFile)
		f = e7_rules_file_parse(sample, -1, "rules", &error);
	g_autoptr(E7RulesFile) back = NULL;
	g_autoptr(E7RulesFile) empty = NULL;
	g_autofree char *data = NULL;
	g_autoptr(GDir) d = NULL;
	const char *name;
	GStatBuf st;

	g_assert_no_error(error);
	g_assert_true(e7_rules_file_save(f, path, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
	g_assert_cmpstr(data, ==, sample);
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0644);
	/* No temporary file is left behind. */
	d = g_dir_open(dir, 0, NULL);
	while ((name = g_dir_read_name(d)))
		g_assert_cmpstr(name, ==, "rules");

	back = e7_rules_file_load(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(back->lines->len, ==, f->lines->len);

	empty = e7_rules_file_load(missing, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(empty->lines->len, ==, 0);

	/* A directory that does not exist cannot be written. */
	g_clear_pointer(&path, g_free);
	path = g_build_filename(dir, "nodir", "rules", NULL);
	g_assert_false(e7_rules_file_save(f, path, &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_FAILED);

	g_unlink(g_build_filename(dir, "rules", NULL));
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/e7d/rules-file/parse-keeps-text",
			test_parse_keeps_text);
	g_test_add_func("/e7d/rules-file/edit", test_edit);
	g_test_add_func("/e7d/rules-file/errors-name-lines",
			test_errors_name_lines);
	g_test_add_func("/e7d/rules-file/error-cap-and-bytes",
			test_error_cap_and_bytes);
	g_test_add_func("/e7d/rules-file/save-load", test_save_load);
	g_test_add_func("/e7d/rules-file/save-without", test_save_without);
	return g_test_run();
}
