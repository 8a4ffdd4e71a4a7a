// SPDX-License-Identifier: GPL-2.0-or-later
#include "rules-dir.h"

#include <string.h>

#include "rules-file.h"

typedef struct {
	GPtrArray *rules; /* of E7Rule */
	GString *errors;
	guint nerrors;
	const char *path; /* the file being read */
} Loading;

static void report(Loading *l, const char *path, guint lineno,
		   const char *message)
{
	if (l->nerrors++ >= E7_RULES_DIR_MAX_ERRORS)
		return;
	if (l->errors->len)
		g_string_append_c(l->errors, '\n');
	if (lineno)
		g_string_append_printf(l->errors, "%s:%u: %s", path, lineno,
				       message);
	else
		g_string_append_printf(l->errors, "%s: %s", path, message);
}

static void load_line(guint lineno, const char *p, gsize len, gpointer data)
{
	Loading *l = data;
	g_autoptr(GError) local = NULL;
	g_autofree char *text = NULL;
	E7Rule *rule;

	if (!e7_rules_line_parse(p, len, &text, &rule, &local)) {
		report(l, l->path, lineno, local->message);
		return;
	}
	if (!rule)
		return;
	if (!e7_rule_is_persistent(rule)) {
		report(l, l->path, lineno,
		       "a rule in rules.d cannot have a lifetime");
		e7_rule_free(rule);
		return;
	}
	rule->origin = g_strdup(l->path);
	g_ptr_array_add(l->rules, rule);
}

static void load_file(Loading *l, const char *path)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, &error)) {
		report(l, path, 0, error->message);
		return;
	}
	l->path = path;
	e7_rules_text_foreach_line(data, len, load_line, l);
}

static gint compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.rules names of @dir, sorted (at most E7_RULES_DIR_MAX_FILES). */
static GPtrArray *rule_file_names(Loading *l, const char *dir)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = g_dir_open(dir, 0, &error);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	if (!d) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			report(l, dir, 0, error->message);
		return names;
	}
	while ((name = g_dir_read_name(d))) {
		if (!g_str_has_suffix(name, ".rules") || name[0] == '.')
			continue;
		if (names->len == E7_RULES_DIR_MAX_FILES) {
			report(l, dir, 0,
			       "too many files: the rest is ignored");
			break;
		}
		g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, compare_names);
	return names;
}

GPtrArray *e7_rules_dir_load(const char *dir, GString *errors)
{
	Loading l = {
		.rules = g_ptr_array_new_with_free_func(
			(GDestroyNotify)e7_rule_free),
		.errors = errors,
	};
	g_autoptr(GPtrArray) names = rule_file_names(&l, dir);

	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path =
			g_build_filename(dir, names->pdata[i], NULL);

		load_file(&l, path);
	}
	if (l.nerrors > E7_RULES_DIR_MAX_ERRORS)
		e7_rules_append_more_bad_lines(
			errors, dir, l.nerrors - E7_RULES_DIR_MAX_ERRORS);
	return l.rules;
}
