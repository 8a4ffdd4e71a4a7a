// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule-ids.h"

#include <glib/gi18n.h>

#include "e7-error.h"
#include "rule-text.h"
#include "rules-file.h"

struct _E7RuleIds {
	GHashTable *by_key; /* "KIND TEXT" -> GArray of guint64, in order */
	guint64 next;
};

static void array_free(gpointer p)
{
	g_array_unref(p);
}

static gboolean parse_id(const char *s, guint64 *id)
{
	return g_ascii_isdigit(*s) &&
	       g_ascii_string_to_unsigned(s, 10, 1, E7_RULE_ID_KERNEL - 1, id,
					  NULL);
}

static void remember(E7RuleIds *ids, const char *key, guint64 id)
{
	GArray *list = g_hash_table_lookup(ids->by_key, key);

	if (!list) {
		list = g_array_new(FALSE, FALSE, sizeof(guint64));
		g_hash_table_insert(ids->by_key, g_strdup(key), list);
	}
	g_array_append_val(list, id);
	ids->next = MAX(ids->next, id + 1);
}

/* "next ID", "ID admin TEXT" or "ID own TEXT"; FALSE for anything else. */
static gboolean parse_line(E7RuleIds *ids, const char *line)
{
	g_auto(GStrv) f = g_strsplit(line, " ", 3);
	g_autofree char *key = NULL;
	guint64 id;

	if (!f[0] || !f[1])
		return FALSE;
	if (g_str_equal(f[0], "next") && !f[2] && parse_id(f[1], &id)) {
		ids->next = MAX(ids->next, id);
		return TRUE;
	}
	if (!f[2] || !*f[2] || !parse_id(f[0], &id) ||
	    !(g_str_equal(f[1], "admin") || g_str_equal(f[1], "own")))
		return FALSE;
	key = g_strconcat(f[1], " ", f[2], NULL);
	remember(ids, key, id);
	return TRUE;
}

typedef struct {
	E7RuleIds *ids;
	const char *path;
	guint bad;
} Reading;

static void read_line(guint lineno, const char *p, gsize len, gpointer data)
{
	Reading *r = data;
	g_autofree char *line = g_strndup(p, len);

	if (*line && *line != '#' && !parse_line(r->ids, line) && !r->bad++)
		g_warning(_("%s:%u: not an id line; skipped"), r->path, lineno);
}

E7RuleIds *e7_rule_ids_read(const char *path)
{
	E7RuleIds *ids = g_new0(E7RuleIds, 1);
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	Reading r = { ids, path, 0 };
	gsize len;

	ids->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					    array_free);
	ids->next = 1;
	if (!g_file_get_contents(path, &data, &len, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_warning(_("%s: %s; rules get new ids"), path,
				  error->message);
		return ids;
	}
	e7_rules_text_foreach_line(data, len, read_line, &r);
	return ids;
}

void e7_rule_ids_free(E7RuleIds *ids)
{
	if (!ids)
		return;
	g_hash_table_unref(ids->by_key);
	g_free(ids);
}

guint64 e7_rule_ids_next(const E7RuleIds *ids)
{
	return ids->next;
}

guint64 e7_rule_ids_take(E7RuleIds *ids, gboolean admin, const char *key)
{
	g_autofree char *k = g_strconcat(admin ? "admin " : "own ", key, NULL);
	GArray *list = g_hash_table_lookup(ids->by_key, k);
	guint64 id;

	if (!list || !list->len)
		return 0;
	id = g_array_index(list, guint64, 0);
	g_array_remove_index(list, 0);
	return id;
}

static void append_rules(GString *s, GPtrArray *rules, const char *kind)
{
	for (guint i = 0; i < rules->len; i++) {
		const E7Rule *rule = rules->pdata[i];
		g_autofree char *key = e7_rule_key(rule);

		g_string_append_printf(s, "%" G_GUINT64_FORMAT " %s %s\n",
				       rule->id, kind, key);
	}
}

gboolean e7_rule_ids_write(const char *path, GPtrArray *admin_rules,
			   GPtrArray *own_rules, guint64 next, GError **error)
{
	g_autoptr(GString) s = g_string_new(
		"# The ids e7d gave to persistent rules, kept across restarts\n"
		"# (see e7d(8)). e7d rewrites this file.\n");
	g_autoptr(GError) local = NULL;

	g_string_append_printf(s, "next %" G_GUINT64_FORMAT "\n", next);
	append_rules(s, admin_rules, "admin");
	append_rules(s, own_rules, "own");
	if (!g_file_set_contents_full(path, s->str, s->len,
				      G_FILE_SET_CONTENTS_CONSISTENT, 0644,
				      &local)) {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED,
			    _("cannot write %s: %s"), path, local->message);
		return FALSE;
	}
	return TRUE;
}
