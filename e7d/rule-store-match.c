// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Matching the kernel's rules against the store's, when e7d (re)connects to
 * the module: the module may have kept rules across a restart of e7d, under
 * the ids an earlier e7d gave them.
 */
#include "rule-store-private.h"

#include <glib/gi18n.h>

#include "rule-text.h"

typedef struct {
	E7RuleStore *self;
	GHashTable *by_kid; /* kernel id -> kernel rule */
	GHashTable *by_text; /* key text -> kernel rule */
	GHashTable *matched; /* kernel rules taken by one of ours */
	GPtrArray *unmatched; /* our rules without an id for now */
	GPtrArray *bound; /* our rules adopted with the kernel's identity */
	guint adopted;
	guint kept; /* shown while the file is broken */
} Match;

static void match_init(Match *m, E7RuleStore *self, GPtrArray *kernel_rules)
{
	m->self = self;
	m->by_kid = g_hash_table_new(g_int64_hash, g_int64_equal);
	m->by_text =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	m->matched = g_hash_table_new(NULL, NULL);
	m->unmatched = g_ptr_array_new();
	m->bound = g_ptr_array_new();
	m->adopted = 0;
	m->kept = 0;
	for (guint i = 0; i < kernel_rules->len; i++) {
		E7Rule *k = kernel_rules->pdata[i];

		g_hash_table_insert(m->by_kid, &k->id, k);
		g_hash_table_insert(m->by_text, e7_rule_key(k), k);
	}
}

static void match_clear(Match *m)
{
	g_hash_table_unref(m->by_kid);
	g_hash_table_unref(m->by_text);
	g_hash_table_unref(m->matched);
	g_ptr_array_unref(m->unmatched);
	g_ptr_array_unref(m->bound);
}

/* Ours takes over the program identity the module enforces it with. */
static void adopt(Match *m, E7Rule *r, const E7Rule *k)
{
	g_hash_table_add(m->matched, (gpointer)k);
	m->adopted++;
	r->has_exe = k->has_exe;
	r->exe = k->exe;
	if (k->has_exe)
		g_ptr_array_add(m->bound, r);
}

static gboolean same_text(const E7Rule *a, const E7Rule *b)
{
	g_autofree char *ta = e7_rule_key(a);
	g_autofree char *tb = e7_rule_key(b);

	return g_str_equal(ta, tb);
}

/* Our rules that the kernel has with the same id (and text, for persistent
 * ones) stay; the others lose their id until matched by text. */
static void match_by_id(Match *m)
{
	g_autoptr(GPtrArray) mine = e7_rule_store_list(m->self);

	for (guint i = 0; i < mine->len; i++) {
		E7Rule *r = mine->pdata[i];
		E7Rule *k = g_hash_table_lookup(m->by_kid, &r->id);

		if (k && !g_hash_table_contains(m->matched, k) &&
		    (!e7_rule_is_persistent(r) || same_text(r, k))) {
			adopt(m, r, k);
			continue;
		}
		g_hash_table_remove(m->self->by_id, &r->id);
		g_ptr_array_add(m->unmatched, r);
	}
}

/* A rule the kernel has under another id (a restart of e7d, whose ids
 * are new) takes the kernel's id, unless the module chose that id
 * (E7_RULE_ID_KERNEL): e7d's ids never have that bit, so that every id on
 * D-Bus is below 2^63. */
static void match_by_text(Match *m)
{
	for (guint i = 0; i < m->unmatched->len;) {
		E7Rule *r = m->unmatched->pdata[i];
		g_autofree char *text = e7_rule_key(r);
		E7Rule *k = g_hash_table_lookup(m->by_text, text);

		if (k && !(k->id & E7_RULE_ID_KERNEL) &&
		    !g_hash_table_contains(m->matched, k) &&
		    !g_hash_table_contains(m->self->by_id, &k->id)) {
			r->id = k->id;
			e7_rule_store_index(m->self, r);
			adopt(m, r, k);
			g_hash_table_remove(m->by_text, text);
			g_ptr_array_remove_index_fast(m->unmatched, i);
			continue;
		}
		i++;
	}
}

static void reserve_id(E7RuleStore *self, guint64 id)
{
	if (!(id & E7_RULE_ID_KERNEL) && id >= self->next_id)
		self->next_id = id + 1;
}

/* A persistent rule the kernel enforces while the rules file is broken:
 * the kernel keeps it, and the store shows it (in memory; nothing is
 * written until a load succeeds and replaces it). */
static void keep_kernel_rule(Match *m, const E7Rule *k)
{
	E7Rule *copy;

	g_hash_table_add(m->matched, (gpointer)k);
	if (g_hash_table_contains(m->self->by_id, &k->id))
		return;
	copy = e7_rule_copy(k);
	e7_rules_file_append(m->self->file, copy);
	e7_rule_store_index(m->self, copy);
	m->kept++;
}

/* What is left of the kernel's rules: temporary rules from before a
 * restart of e7d are taken back, the rest is removed (but for persistent
 * rules while the file is broken: the kernel keeps enforcing them). */
static void sort_kernel_rules(Match *m, GPtrArray *kernel_rules, GArray *remove)
{
	for (guint i = 0; i < kernel_rules->len; i++) {
		E7Rule *k = kernel_rules->pdata[i];

		reserve_id(m->self, k->id);
		if (g_hash_table_contains(m->matched, k))
			continue;
		if (!e7_rule_is_persistent(k) && !(k->id & E7_RULE_ID_KERNEL) &&
		    !g_hash_table_contains(m->self->by_id, &k->id)) {
			E7Rule *t = e7_rule_copy(k);

			g_ptr_array_add(m->self->temp_rules, t);
			e7_rule_store_index(m->self, t);
			g_hash_table_add(m->matched, k);
			m->adopted++;
			continue;
		}
		if (m->self->file_broken && e7_rule_is_persistent(k)) {
			keep_kernel_rule(m, k);
			continue;
		}
		g_array_append_val(remove, k->id);
	}
}

/* The rest of ours is pushed, under a new id where the kernel keeps the
 * old one. */
static void push_unmatched(Match *m, GPtrArray *push)
{
	for (guint i = 0; i < m->unmatched->len; i++) {
		E7Rule *r = m->unmatched->pdata[i];
		E7Rule *k = g_hash_table_lookup(m->by_kid, &r->id);

		if (g_hash_table_contains(m->self->by_id, &r->id) ||
		    (k && g_hash_table_contains(m->matched, k)))
			r->id = e7_rule_store_alloc_id(m->self);
		e7_rule_store_index(m->self, r);
		r->exe_bind = !r->has_exe && e7_rule_names_one_program(r);
		g_ptr_array_add(push, e7_rule_copy(r));
	}
}

guint e7_rule_store_match_kernel(E7RuleStore *self, GPtrArray *kernel_rules,
				 GArray *remove, GPtrArray *push)
{
	GHashTableIter it;
	gpointer key;
	Match m;
	guint adopted;

	match_init(&m, self, kernel_rules);
	match_by_id(&m);
	match_by_text(&m);
	sort_kernel_rules(&m, kernel_rules, remove);
	push_unmatched(&m, push);
	g_hash_table_iter_init(&it, self->by_id);
	while (g_hash_table_iter_next(&it, &key, NULL))
		reserve_id(self, *(guint64 *)key);
	for (guint i = 0; i < m.bound->len; i++) {
		E7Rule *r = m.bound->pdata[i];

		e7_rule_store_learn_identity(self, r->id, TRUE, &r->exe, NULL);
	}
	adopted = m.adopted + m.kept;
	if (m.kept)
		g_message(
			g_dngettext(
				NULL,
				"%s has errors: the %u rule the module enforces from before is shown and kept until it loads",
				"%s has errors: the %u rules the module enforces from before are shown and kept until it loads",
				m.kept),
			self->path, m.kept);
	match_clear(&m);
	e7_rule_store_remember_ids(self);
	return adopted;
}
