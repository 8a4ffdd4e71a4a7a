// SPDX-License-Identifier: GPL-2.0-or-later
/* The changes to the rule store that go to the kernel: each is a kernel
 * job, run in submission order after the jobs before it. */
#include "rule-store-private.h"

#include <glib/gi18n.h>

#include "e7-error.h"
#include "rule-text.h"
#include "rule-variant.h"

typedef struct {
	E7RuleStore *self; /* borrowed: the store outlives its jobs' callbacks */
	guint64 id;
	guint64 flow_id;
	E7Action action;
	E7Rule *rule; /* the rule as sent; the job fills in its identity */
	char *hash_from; /* where its program's content is read, or NULL */
} Push;

static void push_free(gpointer p)
{
	Push *push = p;

	e7_rule_free(push->rule);
	g_free(push->hash_from);
	g_free(push);
}

static gpointer job_add_rule(E7Kernel *k, gpointer data, GError **error)
{
	Push *push = data;

	return k->ops->add_rule(k, push->rule, error) ? E7_KERNEL_JOB_OK : NULL;
}

static gpointer job_verdict_with_rule(E7Kernel *k, gpointer data,
				      GError **error)
{
	Push *push = data;

	return k->ops->verdict(k, push->flow_id, push->action, push->rule,
			       error) ?
		       E7_KERNEL_JOB_OK :
		       NULL;
}

static void on_pushed(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	Push *push = e7_kernel_job_get_data(res);
	GError *error = NULL;

	if (e7_kernel_job_finish(res, &error)) {
		e7_rule_store_learn_identity(push->self, push->id,
					     push->rule->has_exe,
					     &push->rule->exe, push->hash_from);
		g_task_return_boolean(task, TRUE);
		return;
	}
	/* A verdict for a flow no longer held: the rule went in first. */
	if (push->flow_id &&
	    g_error_matches(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE))
		e7_rule_store_learn_identity(push->self, push->id,
					     push->rule->has_exe,
					     &push->rule->exe, push->hash_from);
	else if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_warning(_("the kernel refused rule %llu: %s"),
			  (unsigned long long)push->id, error->message);
		e7_rule_store_discard(push->self, push->id);
	}
	g_task_return_error(task, error);
}

/* Gives @rule an id, stores and announces it; returns the push to send, or
 * NULL with @error. */
static Push *store_new_rule(E7RuleStore *self, E7Rule *rule_in, GError **error)
{
	g_autoptr(E7Rule) rule = rule_in;
	Push *push;

	if (e7_rule_is_persistent(rule) && !e7_rule_store_writable(self, error))
		return NULL;
	/* Persistent rules wait for the module; temporary ones need it. */
	if (!e7_rule_is_persistent(rule) &&
	    !e7_kernel_check(self->kernel, error))
		return NULL;
	rule->id = e7_rule_store_alloc_id(self);
	e7_rule_start_clock(rule);
	/* A rule for one program is bound to the file at its path now. */
	rule->exe_bind = !rule->has_exe && e7_rule_names_one_program(rule);
	push = g_new0(Push, 1);
	push->self = self;
	push->id = rule->id;
	push->rule = e7_rule_copy(rule);
	if (!e7_rule_store_insert(self, g_steal_pointer(&rule), error)) {
		push_free(push);
		return NULL;
	}
	g_signal_emit(self, e7_rule_store_signals[E7_RULE_STORE_ADDED], 0,
		      g_hash_table_lookup(self->by_id, &push->id));
	return push;
}

static guint64 push_rule(E7RuleStore *self, Push *push, E7KernelJobFunc job,
			 GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask)
		task = g_task_new(NULL, self->cancel, callback, user_data);
	guint64 id = push->id;

	if (!e7_rule_store_kernel_connected(self)) {
		/* A persistent rule waits for the module; a verdict cannot. */
		if (push->flow_id)
			g_task_return_new_error(
				task, E7_ERROR, E7_ERROR_KERNEL_MODULE_MISSING,
				_("the kernel module is gone: no verdict sent"));
		else
			g_task_return_boolean(task, TRUE);
		push_free(push);
		return id;
	}
	e7_kernel_job(self->kernel, job, push, push_free, NULL, self->cancel,
		      on_pushed, g_steal_pointer(&task));
	return id;
}

/* The rule that says the same as @rule (its text but for comment and
 * sha256), or NULL. */
static E7Rule *find_same(E7RuleStore *self, const E7Rule *rule)
{
	g_autoptr(GPtrArray) rules = e7_rule_store_list(self);
	g_autofree char *key = e7_rule_key(rule);

	for (guint i = 0; i < rules->len; i++) {
		g_autofree char *other = e7_rule_key(rules->pdata[i]);

		if (g_str_equal(key, other))
			return rules->pdata[i];
	}
	return NULL;
}

guint64 e7_rule_store_add(E7RuleStore *self, E7Rule *rule,
			  GAsyncReadyCallback callback, gpointer user_data,
			  GError **error)
{
	E7Rule *same = find_same(self, rule);
	Push *push;

	/* Idempotent: the same rule again is the rule that exists. */
	if (same) {
		g_autoptr(GTask) task =
			g_task_new(NULL, self->cancel, callback, user_data);

		e7_rule_free(rule);
		g_task_return_boolean(task, TRUE);
		return same->id;
	}
	push = store_new_rule(self, rule, error);

	if (!push)
		return 0;
	return push_rule(self, push, job_add_rule, callback, user_data);
}

guint64 e7_rule_store_add_with_verdict(E7RuleStore *self, E7Rule *rule,
				       guint64 flow_id, E7Action action,
				       const char *hash_from,
				       GAsyncReadyCallback callback,
				       gpointer user_data, GError **error)
{
	Push *push = store_new_rule(self, rule, error);

	if (!push)
		return 0;
	push->flow_id = flow_id;
	push->action = action;
	push->hash_from = g_strdup(hash_from);
	return push_rule(self, push, job_verdict_with_rule, callback,
			 user_data);
}

gboolean e7_rule_store_add_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static gpointer job_del_rule(E7Kernel *k, gpointer data, GError **error)
{
	guint64 id = *(guint64 *)data;
	g_autoptr(GError) local = NULL;

	if (!k->ops->del_rule(k, id, &local) &&
	    !g_error_matches(local, E7_ERROR, E7_ERROR_NO_SUCH_RULE))
		g_warning(_("cannot remove rule %llu from the kernel: %s"),
			  (unsigned long long)id, local->message);
	return E7_KERNEL_JOB_OK;
}

/* Takes @rule out of the kernel, the tables and the file (the caller wrote
 * the file first). */
static void drop_rule(E7RuleStore *self, E7Rule *rule)
{
	guint64 id = rule->id;

	if (e7_rule_store_kernel_connected(self))
		e7_kernel_job(self->kernel, job_del_rule,
			      g_memdup2(&id, sizeof(id)), g_free, NULL,
			      self->cancel, NULL, NULL);
	g_hash_table_remove(self->by_id, &id);
	if (!e7_rules_file_remove(self->file, rule) &&
	    !g_ptr_array_remove(self->temp_rules, rule))
		g_ptr_array_remove(self->system_rules, rule);
	g_signal_emit(self, e7_rule_store_signals[E7_RULE_STORE_REMOVED], 0,
		      id);
}

/* Writes the file without the persistent rules of @gone (a set of rules)
 * before they are dropped: a failed write drops nothing. */
static gboolean save_without(E7RuleStore *self, GHashTable *gone,
			     GError **error)
{
	return e7_rule_store_writable(self, error) &&
	       e7_rules_file_save_without(self->file, gone, self->path, error);
}

gboolean e7_rule_store_remove(E7RuleStore *self, guint64 id, GError **error)
{
	g_autoptr(GHashTable) gone = g_hash_table_new(NULL, NULL);
	E7Rule *rule = e7_rule_store_lookup(self, id, error);
	gboolean persistent;

	if (!rule || !e7_rule_store_owns(rule, error))
		return FALSE;
	persistent = e7_rule_is_persistent(rule);
	g_hash_table_add(gone, rule);
	if (persistent && !save_without(self, gone, error))
		return FALSE;
	drop_rule(self, rule);
	if (persistent)
		e7_rule_store_remember_ids(self);
	return TRUE;
}

gint e7_rule_store_clear(E7RuleStore *self, GVariant *filter, GError **error)
{
	g_autoptr(GPtrArray) rules = e7_rule_store_list(self);
	g_autoptr(GHashTable) gone = g_hash_table_new(NULL, NULL);
	gboolean touches_file = FALSE;
	gint count = 0;

	for (guint i = 0; i < rules->len; i++) {
		E7Rule *r = rules->pdata[i];

		if (r->origin || !e7_rule_matches_filter(r, filter))
			continue;
		g_hash_table_add(gone, r);
		touches_file |= e7_rule_is_persistent(r);
	}
	if (touches_file && !save_without(self, gone, error))
		return -1;
	/* Dropped in list order. */
	for (guint i = 0; i < rules->len; i++) {
		if (g_hash_table_contains(gone, rules->pdata[i])) {
			drop_rule(self, rules->pdata[i]);
			count++;
		}
	}
	if (touches_file)
		e7_rule_store_remember_ids(self);
	return count;
}

gboolean e7_rule_store_end_temporary(E7RuleStore *self, guint64 id)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);

	if (!rule || e7_rule_is_persistent(rule))
		return FALSE;
	drop_rule(self, rule);
	return TRUE;
}

void e7_rule_store_end_temporary_of(E7RuleStore *self, guint32 uid,
				    E7Lifetime lifetime)
{
	for (guint i = self->temp_rules->len; i > 0; i--) {
		E7Rule *r = self->temp_rules->pdata[i - 1];

		if (r->lifetime == lifetime && r->has_uid && r->uid == uid)
			drop_rule(self, r);
	}
}

/* A rule from rules.d only follows its program: its text stays. */
static gboolean check_system_update(const E7Rule *rule, const E7Rule *changed,
				    GError **error)
{
	g_autofree char *before = e7_rule_key(rule);
	g_autofree char *after = e7_rule_key(changed);

	if (g_str_equal(before, after) &&
	    g_strcmp0(rule->comment, changed->comment) == 0)
		return TRUE;
	return e7_rule_store_owns(rule, error);
}

/* Whether rule @rule may become @changed, before the kernel is asked. */
static gboolean check_update(E7RuleStore *self, const E7Rule *rule,
			     const E7Rule *changed, GError **error)
{
	gboolean was_persistent = e7_rule_is_persistent(rule);

	if (rule->origin)
		return check_system_update(rule, changed, error);
	if (was_persistent != e7_rule_is_persistent(changed)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: forever: a rule that is kept; temporary: once, for a time or until an event */
			_("the lifetime of a rule cannot change between forever and "
			  "temporary: remove it and add a new one"));
		return FALSE;
	}
	if (was_persistent && !e7_rule_store_writable(self, error))
		return FALSE;
	if (!was_persistent && !e7_kernel_check(self->kernel, error))
		return FALSE;
	return TRUE;
}

typedef struct {
	E7Rule *old;
	E7Rule *changed;
} Replace;

static void replace_free(gpointer p)
{
	Replace *r = p;

	e7_rule_free(r->old);
	e7_rule_free(r->changed);
	g_free(r);
}

/* Replaces the kernel's copy of a rule; the old one stays on failure. */
static gpointer job_replace_rule(E7Kernel *k, gpointer data, GError **error)
{
	Replace *r = data;
	g_autoptr(GError) again = NULL;

	k->ops->del_rule(k, r->old->id, NULL);
	if (k->ops->add_rule(k, r->changed, error))
		return E7_KERNEL_JOB_OK;
	if (!k->ops->add_rule(k, r->old, &again))
		g_warning(_("cannot restore rule %llu: %s"),
			  (unsigned long long)r->old->id, again->message);
	return NULL;
}

static void kernel_replace(E7RuleStore *self, const E7Rule *old,
			   const E7Rule *changed, GAsyncReadyCallback callback,
			   gpointer user_data)
{
	Replace *replace = g_new0(Replace, 1);

	replace->old = e7_rule_copy(old);
	replace->changed = e7_rule_copy(changed);
	replace->changed->id = old->id;
	replace->changed->exe_bind = !changed->has_exe &&
				     e7_rule_names_one_program(changed);
	e7_kernel_job(self->kernel, job_replace_rule, replace, replace_free,
		      NULL, self->cancel, callback, user_data);
}

/* The store's part of an update, once the kernel has it.  A failed write of
 * the rules file leaves the rule as it was. */
static gboolean apply_update(E7RuleStore *self, E7Rule *rule,
			     const E7Rule *changed, GError **error)
{
	g_autoptr(E7Rule) old = e7_rule_copy(rule);

	e7_rule_set_fields(rule, changed);
	e7_rule_start_clock(rule);
	if (e7_rule_is_persistent(old) && !old->origin) {
		e7_rules_file_touch(self->file, rule);
		if (!e7_rule_store_save(self, error)) {
			e7_rule_set_fields(rule, old);
			return FALSE;
		}
	}
	g_signal_emit(self, e7_rule_store_signals[E7_RULE_STORE_CHANGED], 0,
		      rule);
	return TRUE;
}

static void on_replaced(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	E7RuleStore *self = g_task_get_source_object(task);
	Replace *replace = e7_kernel_job_get_data(res);
	GError *error = NULL;
	E7Rule *current;

	if (!e7_kernel_job_finish(res, &error)) {
		g_task_return_error(task, error);
		return;
	}
	current = e7_rule_store_lookup(self, replace->old->id, &error);
	if (current && !apply_update(self, current, replace->changed, &error))
		/* The file keeps the old rule: so does the module. */
		kernel_replace(self, replace->changed, current, NULL, NULL);
	else if (current)
		e7_rule_store_learn_identity(self, current->id,
					     replace->changed->has_exe,
					     &replace->changed->exe, NULL);
	if (error)
		g_task_return_error(task, error);
	else
		g_task_return_boolean(task, TRUE);
}

void e7_rule_store_update(E7RuleStore *self, guint64 id, const E7Rule *changed,
			  GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask)
		task = g_task_new(self, self->cancel, callback, user_data);
	GError *error = NULL;
	E7Rule *current = e7_rule_store_lookup(self, id, &error);

	if (!current || !check_update(self, current, changed, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (!e7_rule_store_kernel_connected(self)) {
		/* A persistent rule: the module gets it when it appears. */
		if (apply_update(self, current, changed, &error))
			g_task_return_boolean(task, TRUE);
		else
			g_task_return_error(task, error);
		return;
	}
	kernel_replace(self, current, changed, on_replaced,
		       g_steal_pointer(&task));
}

gboolean e7_rule_store_update_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}
