// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule-store-private.h"

#include <string.h>

#include <glib/gi18n.h>

#include "e7-error.h"
#include "program-hash.h"
#include "rule-text.h"
#include "rules-dir.h"

guint e7_rule_store_signals[E7_RULE_STORE_N_SIGNALS];

G_DEFINE_TYPE(E7RuleStore, e7_rule_store, G_TYPE_OBJECT)

static void e7_rule_store_finalize(GObject *object)
{
	E7RuleStore *self = E7_RULE_STORE(object);

	g_hash_table_unref(self->by_id);
	g_ptr_array_unref(self->temp_rules);
	g_ptr_array_unref(self->system_rules);
	e7_rules_file_free(self->file);
	g_clear_object(&self->cancel);
	g_free(self->path);
	g_free(self->system_dir);
	g_free(self->ids_path);
	e7_rule_ids_free(self->remembered);
	G_OBJECT_CLASS(e7_rule_store_parent_class)->finalize(object);
}

static void e7_rule_store_class_init(E7RuleStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_rule_store_finalize;
	e7_rule_store_signals[E7_RULE_STORE_ADDED] = g_signal_new(
		"rule-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
	e7_rule_store_signals[E7_RULE_STORE_CHANGED] = g_signal_new(
		"rule-changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
	e7_rule_store_signals[E7_RULE_STORE_REMOVED] = g_signal_new(
		"rule-removed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
	e7_rule_store_signals[E7_RULE_STORE_REPLACED] =
		g_signal_new("rules-replaced", G_TYPE_FROM_CLASS(klass),
			     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_ARRAY);
}

static void e7_rule_store_init(E7RuleStore *self)
{
	self->file = e7_rules_file_new();
	self->system_rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	self->temp_rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	self->by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	self->next_id = 1;
}

E7RuleStore *e7_rule_store_new(E7Kernel *kernel, const char *path,
			       GCancellable *cancel)
{
	E7RuleStore *self = g_object_new(E7_TYPE_RULE_STORE, NULL);
	g_autofree char *dir = g_path_get_dirname(path);

	self->kernel = kernel;
	self->path = g_strdup(path);
	self->ids_path = g_build_filename(dir, "rule-ids", NULL);
	self->cancel = g_object_ref(cancel);
	return self;
}

void e7_rule_store_set_system_dir(E7RuleStore *self, const char *dir)
{
	g_free(self->system_dir);
	self->system_dir = g_strdup(dir);
}

const char *e7_rule_store_get_path(E7RuleStore *self)
{
	return self->path;
}

gboolean e7_rule_store_is_broken(E7RuleStore *self)
{
	return self->file_broken;
}

gboolean e7_rule_store_kernel_connected(E7RuleStore *self)
{
	return self->kernel && self->kernel->ops->is_connected(self->kernel);
}

guint64 e7_rule_store_alloc_id(E7RuleStore *self)
{
	while (g_hash_table_contains(self->by_id, &self->next_id))
		self->next_id++;
	return self->next_id++;
}

void e7_rule_store_index(E7RuleStore *self, E7Rule *rule)
{
	g_hash_table_insert(self->by_id, &rule->id, rule);
}

E7Rule *e7_rule_store_lookup(E7RuleStore *self, guint64 id, GError **error)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);

	if (!rule)
		g_set_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE,
			    _("no rule with id %llu"), (unsigned long long)id);
	return rule;
}

GPtrArray *e7_rule_store_list(E7RuleStore *self)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < self->system_rules->len; i++)
		g_ptr_array_add(out, self->system_rules->pdata[i]);
	for (guint i = 0; i < self->file->lines->len; i++) {
		E7RulesLine *line = self->file->lines->pdata[i];

		if (line->rule)
			g_ptr_array_add(out, line->rule);
	}
	for (guint i = 0; i < self->temp_rules->len; i++)
		g_ptr_array_add(out, self->temp_rules->pdata[i]);
	return out;
}

guint e7_rule_store_count(E7RuleStore *self)
{
	return g_hash_table_size(self->by_id);
}

guint e7_rule_store_count_temporary(E7RuleStore *self)
{
	return self->temp_rules->len;
}

gboolean e7_rule_store_writable(E7RuleStore *self, GError **error)
{
	if (self->file_broken) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_FAILED,
			/* TRANSLATORS: %s is the path of e7d's rules file */
			_("%s has errors: fix it and reload before changing persistent rules"),
			self->path);
		return FALSE;
	}
	return TRUE;
}

gboolean e7_rule_store_owns(const E7Rule *rule, GError **error)
{
	if (!rule->origin)
		return TRUE;
	g_set_error(
		error, E7_ERROR, E7_ERROR_READ_ONLY,
		/* TRANSLATORS: a rule id and the file of /etc/eftirlit7/rules.d it comes from; keep "e7ctl reload" */
		_("rule %llu is the administrator's, from %s: edit that file and run "
		  "\"e7ctl reload\""),
		(unsigned long long)rule->id, rule->origin);
	return FALSE;
}

static GPtrArray *file_rules(E7RulesFile *file)
{
	GPtrArray *rules = g_ptr_array_new();

	for (guint i = 0; i < file->lines->len; i++) {
		E7RulesLine *line = file->lines->pdata[i];

		if (line->rule)
			g_ptr_array_add(rules, line->rule);
	}
	return rules;
}

void e7_rule_store_remember_ids(E7RuleStore *self)
{
	g_autoptr(GPtrArray) own = NULL;
	g_autoptr(GError) error = NULL;

	if (self->file_broken)
		return;
	own = file_rules(self->file);
	if (!e7_rule_ids_write(self->ids_path, self->system_rules, own,
			       self->next_id, &error))
		g_warning(_("%s; rule ids may change at the next start"),
			  error->message);
}

gboolean e7_rule_store_save(E7RuleStore *self, GError **error)
{
	if (!e7_rule_store_writable(self, error) ||
	    !e7_rules_file_save(self->file, self->path, error))
		return FALSE;
	e7_rule_store_remember_ids(self);
	return TRUE;
}

gboolean e7_rule_store_insert(E7RuleStore *self, E7Rule *rule, GError **error)
{
	e7_rule_store_index(self, rule);
	if (!e7_rule_is_persistent(rule)) {
		g_ptr_array_add(self->temp_rules, rule);
		return TRUE;
	}
	e7_rules_file_append(self->file, rule);
	if (e7_rule_store_save(self, error))
		return TRUE;
	g_hash_table_remove(self->by_id, &rule->id);
	e7_rules_file_remove(self->file, rule); /* frees it */
	return FALSE;
}

void e7_rule_store_discard(E7RuleStore *self, guint64 id)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);
	g_autoptr(GError) error = NULL;

	if (!rule)
		return; /* removed meanwhile */
	g_hash_table_remove(self->by_id, &id);
	if (e7_rules_file_remove(self->file, rule)) {
		if (!e7_rule_store_save(self, &error))
			g_warning("%s", error->message);
	} else if (!g_ptr_array_remove(self->temp_rules, rule)) {
		g_ptr_array_remove(self->system_rules, rule);
	}
	g_signal_emit(self, e7_rule_store_signals[E7_RULE_STORE_REMOVED], 0,
		      id);
}

void e7_rule_store_forget(E7RuleStore *self, guint64 id)
{
	e7_rule_store_discard(self, id);
}

/* Takes @rules out of the id index into @by_text (key text -> rule): a
 * rule whose text did not change keeps its id.  Duplicates go to
 * @removed. */
static void old_rules_by_text(E7RuleStore *self, GPtrArray *rules,
			      GHashTable *by_text, GArray *removed)
{
	for (guint i = 0; i < rules->len; i++) {
		E7Rule *rule = rules->pdata[i];
		char *text = e7_rule_key(rule);

		g_hash_table_remove(self->by_id, &rule->id);
		if (g_hash_table_contains(by_text, text)) {
			g_array_append_val(removed, rule->id);
			g_free(text);
		} else {
			g_hash_table_insert(by_text, text, rule);
		}
	}
}

/* The id for a rule that is new to this run of e7d: the one it had before
 * a restart (rule-ids), if free, else a new one. */
static guint64 first_id(E7RuleStore *self, gboolean admin, const char *key)
{
	guint64 id = 0;

	if (self->remembered)
		id = e7_rule_ids_take(self->remembered, admin, key);
	if (id && !g_hash_table_contains(self->by_id, &id))
		return id;
	return e7_rule_store_alloc_id(self);
}

/* Gives each of @rules (@admin: rules.d's) the id of the old rule with its
 * text, else its id from before a restart, else a new one (then it is in
 * @added). */
static void take_ids(E7RuleStore *self, GPtrArray *rules, gboolean admin,
		     GHashTable *old, GPtrArray *added)
{
	for (guint i = 0; i < rules->len; i++) {
		E7Rule *rule = rules->pdata[i];
		g_autofree char *text = e7_rule_key(rule);
		E7Rule *prev = g_hash_table_lookup(old, text);

		if (prev) {
			rule->id = prev->id;
			g_hash_table_remove(old, text);
		} else {
			rule->id = first_id(self, admin, text);
			g_ptr_array_add(added, rule);
		}
		e7_rule_start_clock(rule);
		e7_rule_store_index(self, rule);
	}
}

/* Installs @system (taken) as rules.d's rules and @file (taken; NULL:
 * the rules file stays) as e7d's own: ids are kept for rules whose text
 * did not change, so that a reload does not churn the kernel. */
static void install(E7RuleStore *self, GPtrArray *system, E7RulesFile *file)
{
	g_autoptr(GPtrArray) added = g_ptr_array_new();
	g_autoptr(GArray) removed = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_autoptr(GHashTable) old =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) old_file = file ? file_rules(self->file) : NULL;
	g_autoptr(GPtrArray) new_file = file ? file_rules(file) : NULL;
	GHashTableIter it;
	gpointer value;

	old_rules_by_text(self, self->system_rules, old, removed);
	if (file)
		old_rules_by_text(self, old_file, old, removed);
	take_ids(self, system, TRUE, old, added);
	if (file)
		take_ids(self, new_file, FALSE, old, added);
	g_hash_table_iter_init(&it, old);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_array_append_val(removed, ((E7Rule *)value)->id);
	g_ptr_array_unref(self->system_rules);
	self->system_rules = system;
	if (file) {
		e7_rules_file_free(self->file);
		self->file = file;
	}
	/* A broken file of e7d's is announced only if rules.d changed. */
	if (file || added->len || removed->len)
		g_signal_emit(self,
			      e7_rule_store_signals[E7_RULE_STORE_REPLACED], 0,
			      added, removed);
}

static GPtrArray *load_system_rules(E7RuleStore *self)
{
	g_autoptr(GString) errors = g_string_new(NULL);
	GPtrArray *rules;

	if (!self->system_dir)
		return g_ptr_array_new_with_free_func(
			(GDestroyNotify)e7_rule_free);
	rules = e7_rules_dir_load(self->system_dir, errors);
	if (errors->len)
		g_warning(/* TRANSLATORS: %s is a directory, then one bad line a line */
			  _("bad lines in %s, skipped:\n%s"), self->system_dir,
			  errors->str);
	return rules;
}

/* What a new rules file of e7d's says first. */
static void add_header(E7RuleStore *self, E7RulesFile *file)
{
	g_autofree char *first = g_strdup_printf(
		"%s: the rules e7d keeps (see eftirlit7-rules(5)).",
		self->path);

	e7_rules_file_append_comment(file, first);
	e7_rules_file_append_comment(
		file,
		"Rules taught through prompts, e7ctl and D-Bus; e7d rewrites this");
	e7_rules_file_append_comment(
		file,
		"file. The administrator's own go in /etc/eftirlit7/rules.d/*.rules.");
}

gboolean e7_rule_store_load(E7RuleStore *self, GError **error)
{
	GPtrArray *system = load_system_rules(self);
	E7RulesFile *file = e7_rules_file_load(self->path, error);

	if (file && !file->lines->len &&
	    !g_file_test(self->path, G_FILE_TEST_EXISTS))
		add_header(self, file);

	if (!self->ids_read) {
		self->remembered = e7_rule_ids_read(self->ids_path);
		self->next_id =
			MAX(self->next_id, e7_rule_ids_next(self->remembered));
		self->ids_read = TRUE;
	}
	self->file_broken = !file;
	install(self, system, file);
	if (file)
		g_clear_pointer(&self->remembered, e7_rule_ids_free);
	e7_rule_store_remember_ids(self);
	return file != NULL;
}

typedef struct {
	E7RuleStore *self;
	guint64 id;
	E7ExeId exe;
} Hashing;

static void on_hashed(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree Hashing *h = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree char *sha = e7_program_sha256_finish(res, &error);
	E7Rule *rule;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	rule = g_hash_table_lookup(h->self->by_id, &h->id);
	/* Gone, rebound or learnt meanwhile: this hash is not its own. */
	if (!rule || rule->sha256 || !rule->has_exe ||
	    memcmp(&rule->exe, &h->exe, sizeof(h->exe)))
		return;
	if (!sha) {
		g_message(_("cannot read program %s of rule %llu: %s"),
			  rule->program, (unsigned long long)h->id,
			  error->message);
		return;
	}
	rule->sha256 = g_steal_pointer(&sha);
	if (e7_rule_is_persistent(rule) && !rule->origin) {
		e7_rules_file_touch(h->self->file, rule);
		if (!e7_rule_store_save(h->self, &error))
			g_message("%s", error->message);
	}
	g_signal_emit(h->self, e7_rule_store_signals[E7_RULE_STORE_CHANGED], 0,
		      rule);
}

void e7_rule_store_learn_identity(E7RuleStore *self, guint64 id,
				  gboolean has_exe, const E7ExeId *exe,
				  const char *hash_from)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);
	Hashing *h;

	if (!rule || !has_exe)
		return;
	rule->has_exe = TRUE;
	rule->exe = *exe;
	rule->exe_bind = FALSE;
	if (rule->sha256 || !e7_rule_names_one_program(rule))
		return;
	h = g_new0(Hashing, 1);
	h->self = self;
	h->id = id;
	h->exe = *exe;
	e7_program_sha256_async(hash_from ? hash_from : rule->program,
				hash_from ? rule->program : NULL, self->cancel,
				on_hashed, h);
}
