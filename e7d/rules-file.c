// SPDX-License-Identifier: GPL-2.0-or-later
#include "rules-file.h"

#include <string.h>

#include <glib/gi18n.h>

#include "e7-error.h"
#include "rule-text.h"

static void line_free(gpointer p)
{
	E7RulesLine *line = p;

	g_free(line->text);
	e7_rule_free(line->rule);
	g_free(line);
}

E7RulesFile *e7_rules_file_new(void)
{
	E7RulesFile *file = g_new0(E7RulesFile, 1);

	file->lines = g_ptr_array_new_with_free_func(line_free);
	return file;
}

void e7_rules_file_free(E7RulesFile *file)
{
	if (!file)
		return;
	g_ptr_array_unref(file->lines);
	g_free(file);
}

static gboolean is_blank_or_comment(const char *s)
{
	while (g_ascii_isspace(*s))
		s++;
	return *s == '\0' || *s == '#';
}

gboolean e7_rules_line_parse(const char *p, gsize len, char **text_out,
			     E7Rule **rule_out, GError **error)
{
	g_autofree char *text = g_strndup(p, len);

	*rule_out = NULL;
	if (strlen(text) != len) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    _("line contains a NUL byte"));
		return FALSE;
	}
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    _("line is not valid UTF-8"));
		return FALSE;
	}
	if (!is_blank_or_comment(text) &&
	    !(*rule_out = e7_rule_parse(text, error)))
		return FALSE;
	*text_out = g_steal_pointer(&text);
	return TRUE;
}

void e7_rules_text_foreach_line(const char *data, gsize len,
				E7RulesLineFunc func, gpointer user_data)
{
	const char *p, *end = data + len, *nl;
	guint lineno = 0;

	for (p = data; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		func(++lineno, p, nl - p, user_data);
	}
}

typedef struct {
	E7RulesFile *file;
	GString *errors;
	const char *name;
	guint nerrors;
} Parsing;

static void parse_line(guint lineno, const char *p, gsize len, gpointer data)
{
	Parsing *ps = data;
	g_autoptr(GError) local = NULL;
	E7RulesLine *line = g_new0(E7RulesLine, 1);

	if (e7_rules_line_parse(p, len, &line->text, &line->rule, &local)) {
		g_ptr_array_add(ps->file->lines, line);
		return;
	}
	g_free(line);
	if (ps->nerrors++ < E7_RULES_FILE_MAX_ERRORS)
		g_string_append_printf(ps->errors, "%s%s:%u: %s",
				       ps->errors->len ? "\n" : "", ps->name,
				       lineno, local->message);
}

void e7_rules_append_more_bad_lines(GString *errors, const char *name, guint n)
{
	g_string_append_c(errors, '\n');
	g_string_append_printf(errors,
			       /* TRANSLATORS: a rules file or directory */
			       g_dngettext(NULL, "%s: %u more bad line",
					   "%s: %u more bad lines", n),
			       name, n);
}

E7RulesFile *e7_rules_file_parse(const char *data, gssize len, const char *name,
				 GError **error)
{
	g_autoptr(E7RulesFile) file = e7_rules_file_new();
	g_autoptr(GString) errors = g_string_new(NULL);
	Parsing ps = { file, errors, name, 0 };

	if (len < 0)
		len = strlen(data);
	e7_rules_text_foreach_line(data, len, parse_line, &ps);
	if (ps.nerrors) {
		if (ps.nerrors > E7_RULES_FILE_MAX_ERRORS)
			e7_rules_append_more_bad_lines(
				errors, name,
				ps.nerrors - E7_RULES_FILE_MAX_ERRORS);
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    errors->str);
		return NULL;
	}
	return g_steal_pointer(&file);
}

E7RulesFile *e7_rules_file_load(const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *data = NULL;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return e7_rules_file_new();
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED, "%s",
			    local->message);
		return NULL;
	}
	return e7_rules_file_parse(data, len, path, error);
}

void e7_rules_file_append(E7RulesFile *file, E7Rule *rule)
{
	E7RulesLine *line = g_new0(E7RulesLine, 1);

	line->rule = rule;
	g_ptr_array_add(file->lines, line);
}

void e7_rules_file_append_comment(E7RulesFile *file, const char *text)
{
	E7RulesLine *line = g_new0(E7RulesLine, 1);

	line->text = g_strdup_printf("# %s", text);
	g_ptr_array_add(file->lines, line);
}

static gint find_line(const E7RulesFile *file, const E7Rule *rule)
{
	for (guint i = 0; i < file->lines->len; i++) {
		E7RulesLine *line = file->lines->pdata[i];

		if (line->rule == rule)
			return i;
	}
	return -1;
}

gboolean e7_rules_file_remove(E7RulesFile *file, const E7Rule *rule)
{
	gint i = find_line(file, rule);

	if (i < 0)
		return FALSE;
	g_ptr_array_remove_index(file->lines, i);
	return TRUE;
}

void e7_rules_file_touch(E7RulesFile *file, const E7Rule *rule)
{
	gint i = find_line(file, rule);

	if (i >= 0)
		g_clear_pointer(&((E7RulesLine *)file->lines->pdata[i])->text,
				g_free);
}

static char *to_string_without(const E7RulesFile *file, GHashTable *skip)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < file->lines->len; i++) {
		E7RulesLine *line = file->lines->pdata[i];

		if (line->rule && skip &&
		    g_hash_table_contains(skip, line->rule))
			continue;
		if (line->text) {
			g_string_append(s, line->text);
		} else {
			g_autofree char *text = e7_rule_to_string(line->rule);

			g_string_append(s, text);
		}
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

char *e7_rules_file_to_string(const E7RulesFile *file)
{
	return to_string_without(file, NULL);
}

gboolean e7_rules_file_save_without(const E7RulesFile *file, GHashTable *skip,
				    const char *path, GError **error)
{
	g_autofree char *data = to_string_without(file, skip);
	g_autoptr(GError) local = NULL;

	if (!g_file_set_contents_full(path, data, -1,
				      G_FILE_SET_CONTENTS_CONSISTENT |
					      G_FILE_SET_CONTENTS_DURABLE,
				      0644, &local)) {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED,
			    _("cannot write %s: %s"), path, local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean e7_rules_file_save(const E7RulesFile *file, const char *path,
			    GError **error)
{
	return e7_rules_file_save_without(file, NULL, path, error);
}
