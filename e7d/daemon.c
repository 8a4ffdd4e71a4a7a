// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include "daemon.h"

#include <string.h>

#include "agents.h"
#include "e7-dbus.h"
#include "e7-error.h"

struct _E7Daemon {
	GDBusConnection *bus;
	guint registration;
	E7Kernel *kernel;
	E7Auth *auth;
	E7Agents *agents;
	char *rules_path;
	char *conf_path;
	E7Config config;
	E7RulesFile *file; /* persistent rules */
	gboolean file_broken; /* the file on disk has errors: do not overwrite */
	GPtrArray *temp_rules; /* of E7Rule, not persisted */
	GHashTable *by_id; /* id -> E7Rule (owned by file or temp_rules) */
	guint64 next_id;
	GQueue events; /* of GVariant a{sv} */
	guint64 next_event_id;
	guint64 events_lost;
	E7Mode mode;
	gboolean mode_known;
	gboolean connected;
	GCancellable *cancel; /* cancelled when the daemon goes away */
	gboolean resyncing;
	gboolean resync_again;
	GPtrArray *sync_waiters; /* of GTask, completed when a resync ends */
	GQueue signals; /* of Signal: a backlog, sent a slice at a time */
	guint signals_idle;
};

/* A signal waiting in the backlog; RuleAdded and RuleChanged are built when
 * sent, from the rule as it is then (skipped if it is gone). */
typedef struct {
	const char *name;
	guint64 rule_id;
	GVariant *args; /* NULL: built from rule_id */
} Signal;

/* Signals sent per main loop iteration while a backlog drains. */
#define SIGNALS_PER_SLICE 64

/* ---------------------------------------------------------------------
 * Rules
 * ---------------------------------------------------------------------
 */

static guint64 alloc_id(E7Daemon *self)
{
	while (g_hash_table_contains(self->by_id, &self->next_id))
		self->next_id++;
	return self->next_id++;
}

static void index_rule(E7Daemon *self, E7Rule *rule)
{
	g_hash_table_insert(self->by_id, &rule->id, rule);
}

static E7Rule *lookup_rule(E7Daemon *self, guint64 id, GError **error)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);

	if (!rule)
		g_set_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE,
			    "no rule with id %" G_GUINT64_FORMAT, id);
	return rule;
}

static gboolean is_persistent(const E7Rule *rule)
{
	return rule->lifetime == E7_LIFETIME_FOREVER;
}

static gboolean file_writable(E7Daemon *self, GError **error)
{
	if (self->file_broken) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_FAILED,
			"%s has errors: fix it and reload before changing persistent rules",
			self->rules_path);
		return FALSE;
	}
	return TRUE;
}

static gboolean save_rules(E7Daemon *self, GError **error)
{
	return file_writable(self, error) &&
	       e7_rules_file_save(self->file, self->rules_path, error);
}

static void emit_now(E7Daemon *self, const char *signal, GVariant *args)
{
	g_autoptr(GError) error = NULL;

	if (!self->registration) {
		g_variant_unref(g_variant_ref_sink(args));
		return;
	}
	if (!g_dbus_connection_emit_signal(self->bus, NULL, E7_DBUS_PATH,
					   E7_DBUS_INTERFACE, signal, args,
					   &error))
		g_warning("cannot emit %s: %s", signal, error->message);
}

static void signal_free(gpointer p)
{
	Signal *sig = p;

	if (sig->args)
		g_variant_unref(sig->args);
	g_free(sig);
}

static gboolean send_signals(gpointer user_data)
{
	E7Daemon *self = user_data;

	for (guint n = 0; n < SIGNALS_PER_SLICE && self->signals.length; n++) {
		Signal *sig = g_queue_pop_head(&self->signals);
		E7Rule *rule;

		if (sig->args) {
			emit_now(self, sig->name, g_steal_pointer(&sig->args));
		} else if ((rule = g_hash_table_lookup(self->by_id,
						       &sig->rule_id))) {
			emit_now(self, sig->name,
				 g_variant_new("(t@a{sv})", rule->id,
					       e7_rule_to_variant(rule)));
		}
		signal_free(sig);
	}
	if (self->signals.length)
		return G_SOURCE_CONTINUE;
	self->signals_idle = 0;
	return G_SOURCE_REMOVE;
}

/* Puts a signal in the backlog (in order after those already there); a
 * reload of thousands of rules must not hold the main loop. */
static void emit_later(E7Daemon *self, const char *signal, guint64 rule_id,
		       GVariant *args)
{
	Signal *sig;

	if (!self->registration) {
		if (args)
			g_variant_unref(g_variant_ref_sink(args));
		return;
	}
	sig = g_new0(Signal, 1);
	sig->name = signal;
	sig->rule_id = rule_id;
	sig->args = args ? g_variant_ref_sink(args) : NULL;
	g_queue_push_tail(&self->signals, sig);
	if (!self->signals_idle)
		self->signals_idle = g_idle_add(send_signals, self);
}

static void emit(E7Daemon *self, const char *signal, GVariant *args)
{
	if (self->signals.length)
		emit_later(self, signal, 0, args);
	else
		emit_now(self, signal, args);
}

static void emit_rule(E7Daemon *self, const char *signal, const E7Rule *rule)
{
	if (self->signals.length)
		emit_later(self, signal, rule->id, NULL);
	else
		emit_now(self, signal,
			 g_variant_new("(t@a{sv})", rule->id,
				       e7_rule_to_variant(rule)));
}

static gboolean kernel_connected(E7Daemon *self)
{
	return self->kernel && self->kernel->ops->is_connected(self->kernel);
}

/* Kernel jobs: they run in the bridge's worker, in submission order. */

static gpointer job_add_rule(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->add_rule(k, data, error) ? E7_KERNEL_JOB_OK : NULL;
}

static gpointer job_del_rule(E7Kernel *k, gpointer data, GError **error)
{
	guint64 id = *(guint64 *)data;
	g_autoptr(GError) local = NULL;

	if (!k->ops->del_rule(k, id, &local) &&
	    !g_error_matches(local, E7_ERROR, E7_ERROR_NO_SUCH_RULE))
		g_warning("cannot remove rule %" G_GUINT64_FORMAT
			  " from the kernel: %s",
			  id, local->message);
	return E7_KERNEL_JOB_OK;
}

static void kernel_remove(E7Daemon *self, guint64 id)
{
	if (!kernel_connected(self))
		return;
	e7_kernel_job(self->kernel, job_del_rule, g_memdup2(&id, sizeof(id)),
		      g_free, NULL, self->cancel, NULL, NULL);
}

typedef struct {
	E7Daemon *self;
	guint64 id;
} AddCtx;

/* Takes a rule out of the tables and the file without a kernel request. */
static void forget_rule(E7Daemon *self, guint64 id)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);
	g_autoptr(GError) error = NULL;

	if (!rule)
		return; /* removed meanwhile */
	g_hash_table_remove(self->by_id, &id);
	if (e7_rules_file_remove(self->file, rule)) {
		if (!save_rules(self, &error))
			g_warning("%s", error->message);
	} else {
		g_ptr_array_remove(self->temp_rules, rule);
	}
	emit(self, "RuleRemoved", g_variant_new("(t)", id));
}

static void on_rule_pushed(GObject *source, GAsyncResult *res,
			   gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	AddCtx *ctx = g_task_get_task_data(task);
	GError *error = NULL;

	if (e7_kernel_job_finish(res, &error)) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_warning("the kernel refused rule %" G_GUINT64_FORMAT ": %s",
			  ctx->id, error->message);
		forget_rule(ctx->self, ctx->id);
	}
	g_task_return_error(task, error);
}

guint64 e7_daemon_add_rule(E7Daemon *self, E7Rule *rule_in,
			   GAsyncReadyCallback callback, gpointer user_data,
			   GError **error)
{
	g_autoptr(E7Rule) rule = rule_in;
	g_autoptr(GTask) task = NULL;
	AddCtx *ctx;
	E7Rule *r;

	if (is_persistent(rule) && !file_writable(self, error))
		return 0;
	/* Persistent rules wait for the module; temporary ones need it. */
	if (!is_persistent(rule) && !e7_kernel_check(self->kernel, error))
		return 0;
	rule->id = alloc_id(self);
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		rule->expires =
			g_get_real_time() / G_USEC_PER_SEC + rule->duration;
	r = g_steal_pointer(&rule);
	index_rule(self, r);
	if (is_persistent(r)) {
		e7_rules_file_append(self->file, r);
		if (!save_rules(self, error)) {
			g_hash_table_remove(self->by_id, &r->id);
			e7_rules_file_remove(self->file, r);
			return 0;
		}
	} else {
		g_ptr_array_add(self->temp_rules, r);
	}
	emit_rule(self, "RuleAdded", r);
	task = g_task_new(NULL, self->cancel, callback, user_data);
	ctx = g_new0(AddCtx, 1);
	ctx->self = self;
	ctx->id = r->id;
	g_task_set_task_data(task, ctx, g_free);
	if (!kernel_connected(self)) {
		g_task_return_boolean(task, TRUE);
		return r->id;
	}
	e7_kernel_job(self->kernel, job_add_rule, e7_rule_copy(r),
		      (GDestroyNotify)e7_rule_free, NULL, self->cancel,
		      on_rule_pushed, g_steal_pointer(&task));
	return r->id;
}

gboolean e7_daemon_add_rule_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* Removes @rule (kernel, tables, file); the caller wrote the file first. */
static void drop_rule(E7Daemon *self, E7Rule *rule)
{
	guint64 id = rule->id;

	kernel_remove(self, id);
	g_hash_table_remove(self->by_id, &id);
	if (!e7_rules_file_remove(self->file, rule))
		g_ptr_array_remove(self->temp_rules, rule);
	emit(self, "RuleRemoved", g_variant_new("(t)", id));
}

gboolean e7_daemon_remove_rule(E7Daemon *self, guint64 id)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);

	if (!rule || is_persistent(rule))
		return FALSE;
	drop_rule(self, rule);
	return TRUE;
}

void e7_daemon_remove_temporary_rules(E7Daemon *self, guint32 uid,
				      E7Lifetime lifetime)
{
	for (guint i = self->temp_rules->len; i > 0; i--) {
		E7Rule *r = self->temp_rules->pdata[i - 1];

		if (r->lifetime == lifetime && r->has_uid && r->uid == uid)
			drop_rule(self, r);
	}
}

/* Whether @rule may become @changed, before the kernel is asked. */
static gboolean check_update(E7Daemon *self, const E7Rule *rule,
			     const E7Rule *changed, GError **error)
{
	gboolean was_persistent = is_persistent(rule);

	if (was_persistent != is_persistent(changed)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"the lifetime of a rule cannot change between forever and "
			"temporary: remove it and add a new one");
		return FALSE;
	}
	if (was_persistent && !file_writable(self, error))
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
		g_warning("cannot restore rule %" G_GUINT64_FORMAT ": %s",
			  r->old->id, again->message);
	return NULL;
}

/* Gives @rule the fields of @src, its id excepted. */
static void set_rule_fields(E7Rule *rule, const E7Rule *src)
{
	guint64 id = rule->id;

	g_free(rule->program);
	g_free(rule->comment);
	g_clear_object(&rule->remote);
	*rule = *src;
	rule->id = id;
	rule->program = g_strdup(src->program);
	rule->comment = g_strdup(src->comment);
	if (src->remote)
		g_object_ref(rule->remote);
}

/* The local part of an update, once the kernel has it. A failed write of
 * the rules file leaves the rule as it was (the caller restores the
 * kernel's copy). */
static gboolean apply_update(E7Daemon *self, E7Rule *rule,
			     const E7Rule *changed, GError **error)
{
	g_autoptr(E7Rule) old = e7_rule_copy(rule);

	set_rule_fields(rule, changed);
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		rule->expires =
			g_get_real_time() / G_USEC_PER_SEC + rule->duration;
	if (is_persistent(old)) {
		e7_rules_file_touch(self->file, rule);
		if (!save_rules(self, error)) {
			set_rule_fields(rule, old);
			return FALSE;
		}
	}
	emit_rule(self, "RuleChanged", rule);
	return TRUE;
}

static void collect_rules(E7Daemon *self, GPtrArray *out)
{
	for (guint i = 0; i < self->file->lines->len; i++) {
		E7RulesLine *line = self->file->lines->pdata[i];

		if (line->rule)
			g_ptr_array_add(out, line->rule);
	}
	for (guint i = 0; i < self->temp_rules->len; i++)
		g_ptr_array_add(out, self->temp_rules->pdata[i]);
}

static guint count_rules(E7Daemon *self)
{
	return g_hash_table_size(self->by_id);
}

/* ---------------------------------------------------------------------
 * Kernel synchronisation
 * ---------------------------------------------------------------------
 */

static void set_connected(E7Daemon *self, gboolean connected);

static char *rule_key(const E7Rule *rule)
{
	g_autoptr(E7Rule) copy = e7_rule_copy(rule);

	g_clear_pointer(&copy->comment, g_free);
	return e7_rule_to_string(copy);
}

/* Resynchronisation runs in two kernel jobs: read (settings pushed, rules
 * dumped), then, once the main loop has matched the rules, apply (stale
 * rules removed, missing ones pushed, mode and held flows read). */

typedef struct {
	E7Config config;
	gboolean has_mode;
	E7Mode mode;
} ResyncRead;

static gpointer job_resync_read(E7Kernel *k, gpointer data, GError **error)
{
	ResyncRead *in = data;
	g_autoptr(GError) local = NULL;

	if (!k->ops->set_config(k, &in->config, &local))
		g_warning("cannot push the settings to the kernel: %s",
			  local->message);
	if (in->has_mode && !k->ops->set_mode(k, in->mode, NULL))
		g_warning("cannot restore the mode %s",
			  e7_mode_to_string(in->mode));
	if (in->config.flags_set) {
		guint32 flags;

		if (!k->ops->get_flags(k, &flags, NULL) ||
		    !k->ops->set_flags(k,
				       (flags & ~in->config.flags_set) |
					       (in->config.flags &
						in->config.flags_set),
				       NULL))
			g_warning("cannot restore the flags");
	}
	return k->ops->dump_rules(k, error);
}

typedef struct {
	GArray *remove; /* of guint64 */
	GPtrArray *push; /* of E7Rule copies */
	guint adopted;
	/* Results: */
	guint pushed;
	guint removed;
	gboolean mode_ok;
	E7Mode mode;
	GPtrArray *flows;
} ResyncApply;

static void resync_apply_free(gpointer p)
{
	ResyncApply *a = p;

	g_array_unref(a->remove);
	g_ptr_array_unref(a->push);
	if (a->flows)
		g_ptr_array_unref(a->flows);
	g_free(a);
}

static gpointer job_resync_apply(E7Kernel *k, gpointer data, GError **error)
{
	ResyncApply *a = data;

	for (guint i = 0; i < a->remove->len; i++)
		if (k->ops->del_rule(k, g_array_index(a->remove, guint64, i),
				     NULL))
			a->removed++;
	for (guint i = 0; i < a->push->len; i++) {
		E7Rule *r = a->push->pdata[i];
		g_autoptr(GError) local = NULL;

		if (!k->ops->add_rule(k, r, &local)) {
			g_autofree char *text = e7_rule_to_string(r);

			g_warning("cannot push rule '%s': %s", text,
				  local->message);
		} else {
			a->pushed++;
		}
	}
	a->mode_ok = k->ops->get_mode(k, &a->mode, NULL);
	a->flows = k->ops->dump_flows(k, error);
	return a->flows ? E7_KERNEL_JOB_OK : NULL;
}

static void resync_start(E7Daemon *self);

static void resync_done(E7Daemon *self)
{
	g_autoptr(GPtrArray) waiters = NULL;

	self->resyncing = FALSE;
	if (self->resync_again) {
		self->resync_again = FALSE;
		resync_start(self);
		if (self->resyncing)
			return;
	}
	waiters = g_steal_pointer(&self->sync_waiters);
	self->sync_waiters = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < waiters->len; i++)
		g_task_return_boolean(waiters->pdata[i], TRUE);
}

static void on_resync_applied(GObject *source, GAsyncResult *res,
			      gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(GError) error = NULL;
	ResyncApply *a = e7_kernel_job_get_data(res);

	if (!e7_kernel_job_finish(res, &error) &&
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	g_message(
		"kernel rules synchronised: %u adopted, %u pushed, %u removed",
		a->adopted, a->pushed, a->removed);
	if (a->mode_ok) {
		self->mode = a->mode;
		self->mode_known = TRUE;
	}
	if (kernel_connected(self))
		set_connected(self, TRUE);
	if (error)
		g_warning("cannot read the held flows: %s", error->message);
	for (guint i = 0; a->flows && i < a->flows->len; i++)
		e7_agents_handle_flow(self->agents, a->flows->pdata[i]);
	resync_done(self);
}

static void on_resync_read(GObject *source, GAsyncResult *res,
			   gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kernel_rules = e7_kernel_job_finish(res, &error);
	g_autoptr(GPtrArray) mine = g_ptr_array_new();
	g_autoptr(GHashTable)
		by_kid = g_hash_table_new(g_int64_hash, g_int64_equal);
	g_autoptr(GHashTable) by_text =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) matched = g_hash_table_new(NULL, NULL);
	g_autoptr(GPtrArray) to_push = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;
	ResyncApply *a;

	if (!kernel_rules) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		g_warning("cannot read the kernel's rules: %s", error->message);
		resync_done(self);
		return;
	}
	a = g_new0(ResyncApply, 1);
	a->remove = g_array_new(FALSE, FALSE, sizeof(guint64));
	a->push = g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	for (guint i = 0; i < kernel_rules->len; i++) {
		E7Rule *k = kernel_rules->pdata[i];

		g_hash_table_insert(by_kid, &k->id, k);
		g_hash_table_insert(by_text, rule_key(k), k);
	}
	/* Our rules that the kernel has with the same id (and text) stay;
	 * the others lose their id until matched by text (a restart of e7d,
	 * whose ids are new) or pushed. */
	collect_rules(self, mine);
	for (guint i = 0; i < mine->len; i++) {
		E7Rule *r = mine->pdata[i];
		E7Rule *k = g_hash_table_lookup(by_kid, &r->id);

		if (k && !g_hash_table_contains(matched, k)) {
			g_autofree char *text = rule_key(r);
			g_autofree char *ktext = rule_key(k);

			if (!is_persistent(r) || g_str_equal(text, ktext)) {
				g_hash_table_add(matched, k);
				a->adopted++;
				continue;
			}
		}
		g_hash_table_remove(self->by_id, &r->id);
		g_ptr_array_add(to_push, r);
	}
	for (guint i = 0; i < to_push->len;) {
		E7Rule *r = to_push->pdata[i];
		g_autofree char *text = rule_key(r);
		E7Rule *k = g_hash_table_lookup(by_text, text);

		if (k && !g_hash_table_contains(matched, k) &&
		    !g_hash_table_contains(self->by_id, &k->id)) {
			r->id = k->id;
			index_rule(self, r);
			g_hash_table_add(matched, k);
			g_hash_table_remove(by_text, text);
			g_ptr_array_remove_index_fast(to_push, i);
			a->adopted++;
			continue;
		}
		i++;
	}
	for (guint i = 0; i < kernel_rules->len; i++) {
		E7Rule *k = kernel_rules->pdata[i];

		if (!(k->id & E7_RULE_ID_KERNEL) && k->id >= self->next_id)
			self->next_id = k->id + 1;
		if (g_hash_table_contains(matched, k))
			continue;
		if (!is_persistent(k) && !(k->id & E7_RULE_ID_KERNEL) &&
		    !g_hash_table_contains(self->by_id, &k->id)) {
			/* A temporary rule from before a restart of e7d. */
			E7Rule *t = e7_rule_copy(k);

			g_ptr_array_add(self->temp_rules, t);
			index_rule(self, t);
			g_hash_table_add(matched, k);
			a->adopted++;
			continue;
		}
		/* With a broken rules file, persistent kernel rules stay. */
		if (self->file_broken && is_persistent(k)) {
			g_hash_table_add(matched, k);
			continue;
		}
		g_array_append_val(a->remove, k->id);
	}
	/* The rest is pushed, under a new id where the kernel keeps the old. */
	for (guint i = 0; i < to_push->len; i++) {
		E7Rule *r = to_push->pdata[i];
		E7Rule *k = g_hash_table_lookup(by_kid, &r->id);

		if (g_hash_table_contains(self->by_id, &r->id) ||
		    (k && g_hash_table_contains(matched, k)))
			r->id = alloc_id(self);
		index_rule(self, r);
		g_ptr_array_add(a->push, e7_rule_copy(r));
	}
	g_hash_table_iter_init(&it, self->by_id);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		guint64 id = *(guint64 *)key;

		if (id >= self->next_id && !(id & E7_RULE_ID_KERNEL))
			self->next_id = id + 1;
	}
	e7_kernel_job(self->kernel, job_resync_apply, a, resync_apply_free,
		      NULL, self->cancel, on_resync_applied, self);
}

static void resync_start(E7Daemon *self)
{
	ResyncRead *in;

	if (!e7_kernel_check(self->kernel, NULL)) {
		set_connected(self, FALSE);
		return;
	}
	in = g_new0(ResyncRead, 1);
	in->config = self->config;
	in->has_mode = self->config.has_mode;
	in->mode = self->config.mode;
	self->resyncing = TRUE;
	e7_kernel_job(self->kernel, job_resync_read, in, g_free,
		      (GDestroyNotify)g_ptr_array_unref, self->cancel,
		      on_resync_read, self);
}

void e7_daemon_resync(E7Daemon *self)
{
	if (self->resyncing) {
		self->resync_again = TRUE;
		return;
	}
	resync_start(self);
	if (!self->resyncing)
		resync_done(self);
}

void e7_daemon_wait_synced(E7Daemon *self, GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_autoptr(GTask)
		task = g_task_new(NULL, self->cancel, callback, user_data);

	if (!self->resyncing) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	g_ptr_array_add(self->sync_waiters, g_steal_pointer(&task));
}

gboolean e7_daemon_wait_synced_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* ---------------------------------------------------------------------
 * Properties, events
 * ---------------------------------------------------------------------
 */

static const char *mode_string(E7Daemon *self)
{
	return self->connected && self->mode_known ?
		       e7_mode_to_string(self->mode) :
		       "unknown";
}

static void emit_properties_changed(E7Daemon *self, const char *name,
				    GVariant *value)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", name, value);
	if (!self->registration) {
		g_variant_builder_clear(&b);
		return;
	}
	g_dbus_connection_emit_signal(
		self->bus, NULL, E7_DBUS_PATH,
		"org.freedesktop.DBus.Properties", "PropertiesChanged",
		g_variant_new("(sa{sv}as)", E7_DBUS_INTERFACE, &b, NULL), NULL);
}

static void set_connected(E7Daemon *self, gboolean connected)
{
	if (self->connected == connected)
		return;
	self->connected = connected;
	g_message("kernel module %s", connected ? "connected" : "gone");
	emit_properties_changed(self, "KernelConnected",
				g_variant_new_boolean(connected));
	emit_properties_changed(self, "Mode",
				g_variant_new_string(mode_string(self)));
}

static void set_mode(E7Daemon *self, E7Mode mode)
{
	if (self->mode_known && self->mode == mode)
		return;
	self->mode = mode;
	self->mode_known = TRUE;
	emit_properties_changed(self, "Mode",
				g_variant_new_string(mode_string(self)));
}

void e7_daemon_log_event(E7Daemon *self, const char *kind, E7Action action,
			 const char *reason, const E7Flow *flow,
			 guint64 rule_id)
{
	GVariantBuilder b;
	GVariant *event;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id",
			      g_variant_new_uint64(++self->next_event_id));
	g_variant_builder_add(&b, "{sv}", "time",
			      g_variant_new_uint64(g_get_real_time()));
	g_variant_builder_add(&b, "{sv}", "kind", g_variant_new_string(kind));
	g_variant_builder_add(
		&b, "{sv}", "action",
		g_variant_new_string(e7_action_to_string(action)));
	g_variant_builder_add(&b, "{sv}", "reason",
			      g_variant_new_string(reason));
	if (flow) {
		g_variant_builder_add(&b, "{sv}", "flow-id",
				      g_variant_new_uint64(flow->id));
		g_variant_builder_add(
			&b, "{sv}", "program",
			g_variant_new_string(flow->program ? flow->program :
							     ""));
		g_variant_builder_add(&b, "{sv}", "pid",
				      g_variant_new_uint32(flow->pid));
		g_variant_builder_add(&b, "{sv}", "uid",
				      g_variant_new_uint32(flow->uid));
		g_variant_builder_add(
			&b, "{sv}", "protocol",
			g_variant_new_string(
				e7_protocol_to_string(flow->protocol)));
		g_variant_builder_add(
			&b, "{sv}", "direction",
			g_variant_new_string(
				e7_direction_to_string(flow->direction)));
		if (flow->remote_address)
			g_variant_builder_add(
				&b, "{sv}", "remote-address",
				g_variant_new_string(flow->remote_address));
		g_variant_builder_add(&b, "{sv}", "remote-port",
				      g_variant_new_uint16(flow->remote_port));
	}
	if (rule_id)
		g_variant_builder_add(&b, "{sv}", "rule-id",
				      g_variant_new_uint64(rule_id));
	event = g_variant_ref_sink(g_variant_builder_end(&b));

	if (g_strcmp0(kind, "policy") == 0)
		g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "E7_REASON",
				 reason, "E7_ACTION",
				 e7_action_to_string(action), "E7_PROGRAM",
				 flow && flow->program ? flow->program : "",
				 "MESSAGE", "policy %s: %s %s (pid %u, uid %u)",
				 reason, e7_action_to_string(action),
				 flow && flow->program ? flow->program : "?",
				 flow ? flow->pid : 0, flow ? flow->uid : 0);
	if (self->config.event_log_size == 0) {
		emit(self, "ConnectionEvent", g_variant_new("(@a{sv})", event));
		g_variant_unref(event);
		return;
	}
	g_queue_push_tail(&self->events, g_variant_ref(event));
	while (self->events.length > self->config.event_log_size)
		g_variant_unref(g_queue_pop_head(&self->events));
	emit(self, "ConnectionEvent", g_variant_new("(@a{sv})", event));
	g_variant_unref(event);
}

/* ---------------------------------------------------------------------
 * Kernel events
 * ---------------------------------------------------------------------
 */

static void on_pending(const E7Flow *flow, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_agents_handle_flow(self->agents, flow);
}

static void on_flow(const E7Flow *flow, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_daemon_log_event(self, "verdict", flow->action,
			    flow->reason == E7_REASON_RULE ? "rule" : "kernel",
			    flow, flow->rule_id);
}

static void on_resolved(guint64 flow_id, E7Action action, guint8 reason,
			gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(E7Flow) flow = e7_flow_new();

	flow->id = flow_id;
	e7_agents_flow_resolved(self->agents, flow_id);
	e7_daemon_log_event(self, "policy", action,
			    reason == E7_REASON_TIMEOUT ? "kernel-timeout" :
							  "kernel",
			    flow, 0);
}

static void on_rule_expired(guint64 rule_id, gpointer user_data)
{
	E7Daemon *self = user_data;
	E7Rule *rule = g_hash_table_lookup(self->by_id, &rule_id);

	if (!rule)
		return;
	g_hash_table_remove(self->by_id, &rule_id);
	if (e7_rules_file_remove(self->file, rule)) {
		g_autoptr(GError) error = NULL;

		if (!save_rules(self, &error))
			g_warning("%s", error->message);
	} else {
		g_ptr_array_remove(self->temp_rules, rule);
	}
	emit(self, "RuleRemoved", g_variant_new("(t)", rule_id));
}

static void on_mode_changed(E7Mode mode, gpointer user_data)
{
	set_mode(user_data, mode);
}

static void on_connected(gboolean connected, gpointer user_data)
{
	E7Daemon *self = user_data;

	if (connected) {
		e7_daemon_resync(self);
	} else {
		e7_agents_cancel_all(self->agents);
		set_connected(self, FALSE);
	}
}

static gpointer job_dump_flows(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->dump_flows(k, error);
}

static void on_flows_dumped(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) flows = e7_kernel_job_finish(res, &error);

	if (!flows) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning("cannot read the held flows: %s",
				  error->message);
		return;
	}
	for (guint i = 0; i < flows->len; i++)
		e7_agents_handle_flow(self->agents, flows->pdata[i]);
}

static void on_events_lost(guint64 lost, gpointer user_data)
{
	E7Daemon *self = user_data;

	g_warning("%" G_GUINT64_FORMAT
		  " kernel events lost in total: reading the held flows again",
		  lost);
	self->events_lost = lost;
	e7_kernel_job(self->kernel, job_dump_flows, NULL, NULL,
		      (GDestroyNotify)g_ptr_array_unref, self->cancel,
		      on_flows_dumped, self);
}

static const E7KernelEvents kernel_events = {
	.pending = on_pending,
	.flow = on_flow,
	.resolved = on_resolved,
	.rule_expired = on_rule_expired,
	.mode_changed = on_mode_changed,
	.connected = on_connected,
	.events_lost = on_events_lost,
};

const E7KernelEvents *e7_daemon_kernel_events(void)
{
	return &kernel_events;
}

/* ---------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------
 */

/* Installs @file as the persistent rules: ids are kept for rules whose text
 * did not change, so that a reload does not churn the kernel. */
static void install_file(E7Daemon *self, E7RulesFile *file)
{
	g_autoptr(GHashTable) old_by_text =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) added = g_ptr_array_new();
	g_autoptr(GArray) removed = g_array_new(FALSE, FALSE, sizeof(guint64));
	E7RulesFile *old = self->file;

	for (guint i = 0; old && i < old->lines->len; i++) {
		E7RulesLine *line = old->lines->pdata[i];

		if (line->rule) {
			char *text = rule_key(line->rule);

			g_hash_table_remove(self->by_id, &line->rule->id);
			if (g_hash_table_contains(old_by_text, text)) {
				g_array_append_val(removed, line->rule->id);
				g_free(text);
			} else {
				g_hash_table_insert(old_by_text, text,
						    line->rule);
			}
		}
	}
	for (guint i = 0; i < file->lines->len; i++) {
		E7RulesLine *line = file->lines->pdata[i];
		g_autofree char *text = NULL;
		E7Rule *prev;

		if (!line->rule)
			continue;
		text = rule_key(line->rule);
		prev = g_hash_table_lookup(old_by_text, text);
		if (prev) {
			line->rule->id = prev->id;
			g_hash_table_remove(old_by_text, text);
		} else {
			line->rule->id = alloc_id(self);
			g_ptr_array_add(added, line->rule);
		}
		if (line->rule->lifetime == E7_LIFETIME_SECONDS)
			line->rule->expires =
				g_get_real_time() / G_USEC_PER_SEC +
				line->rule->duration;
		index_rule(self, line->rule);
	}
	{
		GHashTableIter it;
		gpointer value;

		g_hash_table_iter_init(&it, old_by_text);
		while (g_hash_table_iter_next(&it, NULL, &value))
			g_array_append_val(removed, ((E7Rule *)value)->id);
	}
	self->file = file;
	for (guint i = 0; i < removed->len; i++)
		emit_later(self, "RuleRemoved", 0,
			   g_variant_new("(t)",
					 g_array_index(removed, guint64, i)));
	for (guint i = 0; i < added->len; i++)
		emit_later(self, "RuleAdded", ((E7Rule *)added->pdata[i])->id,
			   NULL);
	e7_rules_file_free(old);
}

gboolean e7_daemon_reload(E7Daemon *self, GError **error)
{
	E7Config config = self->config;
	E7RulesFile *file;

	e7_config_init_defaults(&config, E7_PROFILE_DESKTOP);
	if (!e7_config_load(&config, self->conf_path, error))
		return FALSE;
	file = e7_rules_file_load(self->rules_path, error);
	if (!file) {
		self->file_broken = TRUE;
		return FALSE;
	}
	self->config = config;
	self->file_broken = FALSE;
	install_file(self, file);
	g_message("loaded %u rules from %s",
		  count_rules(self) - self->temp_rules->len, self->rules_path);
	if (kernel_connected(self))
		e7_daemon_resync(self);
	return TRUE;
}

E7Daemon *e7_daemon_new(GDBusConnection *bus, E7Kernel *kernel, E7Auth *auth,
			const char *rules_path, const char *conf_path,
			GError **error)
{
	E7Daemon *self = g_new0(E7Daemon, 1);
	g_autoptr(GError) local = NULL;

	self->bus = g_object_ref(bus);
	self->kernel = kernel;
	self->auth = auth;
	self->rules_path = g_strdup(rules_path);
	self->conf_path = g_strdup(conf_path);
	self->file = e7_rules_file_new();
	self->temp_rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	self->by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	self->next_id = 1;
	g_queue_init(&self->events);
	g_queue_init(&self->signals);
	self->cancel = g_cancellable_new();
	self->sync_waiters = g_ptr_array_new_with_free_func(g_object_unref);
	e7_config_init_defaults(&self->config, E7_PROFILE_DESKTOP);
	self->agents = e7_agents_new(self);
	if (!e7_daemon_reload(self, &local)) {
		g_warning("%s", local->message);
		g_propagate_error(error, g_steal_pointer(&local));
	}
	return self;
}

void e7_daemon_set_kernel(E7Daemon *self, E7Kernel *kernel)
{
	e7_kernel_free(self->kernel);
	self->kernel = kernel;
}

void e7_daemon_free(E7Daemon *self)
{
	if (!self)
		return;
	/* Pending kernel jobs finish in the worker; their callbacks only see
	 * the cancellation. */
	g_cancellable_cancel(self->cancel);
	g_clear_handle_id(&self->signals_idle, g_source_remove);
	g_queue_clear_full(&self->signals, signal_free);
	for (guint i = 0; i < self->sync_waiters->len; i++)
		g_task_return_boolean(self->sync_waiters->pdata[i], TRUE);
	g_ptr_array_unref(self->sync_waiters);
	if (self->registration)
		g_dbus_connection_unregister_object(self->bus,
						    self->registration);
	e7_agents_free(self->agents);
	e7_kernel_free(self->kernel);
	e7_auth_free(self->auth);
	g_hash_table_unref(self->by_id);
	g_ptr_array_unref(self->temp_rules);
	e7_rules_file_free(self->file);
	g_queue_clear_full(&self->events, (GDestroyNotify)g_variant_unref);
	g_free(self->rules_path);
	g_free(self->conf_path);
	g_object_unref(self->bus);
	g_object_unref(self->cancel);
	g_free(self);
}

const E7Config *e7_daemon_get_config(E7Daemon *self)
{
	return &self->config;
}

GDBusConnection *e7_daemon_get_bus(E7Daemon *self)
{
	return self->bus;
}

E7Kernel *e7_daemon_get_kernel(E7Daemon *self)
{
	return self->kernel;
}

GCancellable *e7_daemon_get_cancellable(E7Daemon *self)
{
	return self->cancel;
}

/* ---------------------------------------------------------------------
 * D-Bus methods: every call is authorized asynchronously first.
 * ---------------------------------------------------------------------
 */

typedef struct _Call Call;
typedef const char *(*DecideFunc)(Call *call, GError **error);
typedef void (*RunFunc)(Call *call);

typedef struct {
	const char *name;
	DecideFunc decide; /* the polkit action, after validating the input */
	RunFunc run;
} Method;

struct _Call {
	E7Daemon *self;
	GDBusMethodInvocation *inv;
	GVariant *params;
	const Method *method;
	guint32 uid;
	const char *action;
	E7Rule *rule; /* AddRule, UpdateRule: the validated rule */
	guint64 id; /* AddRule, UpdateRule: the rule's id */
	E7Config config; /* SetFlag: the settings before the change */
	GVariant *reply; /* held until the kernel jobs before it are done */
};

static void call_free(Call *call)
{
	g_object_unref(call->inv);
	e7_rule_free(call->rule);
	g_free(call);
}

static void call_error(Call *call, GError *error)
{
	g_dbus_method_invocation_return_gerror(call->inv, error);
	call_free(call);
}

static void call_return(Call *call, GVariant *value)
{
	g_dbus_method_invocation_return_value(call->inv, value);
	call_free(call);
}

static gpointer job_barrier(E7Kernel *k, gpointer data, GError **error)
{
	return E7_KERNEL_JOB_OK;
}

static void on_barrier(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;
	GVariant *reply = g_steal_pointer(&call->reply);

	call_return(call, reply);
	if (reply)
		g_variant_unref(reply);
}

/* Answers once the kernel jobs submitted so far (rule removals) are done. */
static void call_return_after_kernel(Call *call, GVariant *value)
{
	if (!kernel_connected(call->self)) {
		call_return(call, value);
		return;
	}
	call->reply = value ? g_variant_ref_sink(value) : NULL;
	e7_kernel_job(call->self->kernel, job_barrier, NULL, NULL, NULL,
		      call->self->cancel, on_barrier, call);
}

static gboolean is_own_rule(const E7Rule *rule, guint32 uid)
{
	return rule->has_uid && rule->uid == uid;
}

static const char *decide_info(Call *call, GError **error)
{
	return E7_ACTION_INFO;
}

static const char *decide_system(Call *call, GError **error)
{
	return E7_ACTION_RULES_SYSTEM;
}

static const char *decide_own(Call *call, GError **error)
{
	return E7_ACTION_RULES_OWN;
}

static const char *decide_filter(Call *call, GError **error)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	guint32 uid;

	if (!e7_rule_check_filter(filter, error))
		return NULL;
	if (g_variant_lookup(filter, "uid", "u", &uid) && uid == call->uid)
		return E7_ACTION_RULES_OWN;
	return E7_ACTION_RULES_SYSTEM;
}

static const char *decide_add(Call *call, GError **error)
{
	g_autoptr(GVariant) dict = g_variant_get_child_value(call->params, 0);

	call->rule = e7_rule_new_from_variant(dict, error);
	if (!call->rule)
		return NULL;
	return is_own_rule(call->rule, call->uid) ? E7_ACTION_RULES_OWN :
						    E7_ACTION_RULES_SYSTEM;
}

static E7Rule *changed_rule(Call *call, E7Rule **current, GError **error)
{
	g_autoptr(GVariant) dict = g_variant_get_child_value(call->params, 1);
	guint64 id;
	E7Rule *copy;

	g_variant_get_child(call->params, 0, "t", &id);
	*current = lookup_rule(call->self, id, error);
	if (!*current)
		return NULL;
	copy = e7_rule_copy(*current);
	if (!e7_rule_update_from_variant(copy, dict, error)) {
		e7_rule_free(copy);
		return NULL;
	}
	return copy;
}

static const char *decide_update(Call *call, GError **error)
{
	E7Rule *current;

	call->rule = changed_rule(call, &current, error);
	if (!call->rule)
		return NULL;
	return is_own_rule(current, call->uid) &&
			       is_own_rule(call->rule, call->uid) ?
		       E7_ACTION_RULES_OWN :
		       E7_ACTION_RULES_SYSTEM;
}

static const char *decide_remove(Call *call, GError **error)
{
	guint64 id;
	E7Rule *rule;

	g_variant_get(call->params, "(t)", &id);
	rule = lookup_rule(call->self, id, error);
	if (!rule)
		return NULL;
	return is_own_rule(rule, call->uid) ? E7_ACTION_RULES_OWN :
					      E7_ACTION_RULES_SYSTEM;
}

static void run_list_rules(Call *call)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	g_autoptr(GPtrArray) rules = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;

	if (!e7_rule_check_filter(filter, &error)) {
		call_error(call, error);
		return;
	}
	collect_rules(call->self, rules);
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < rules->len; i++)
		if (e7_rule_matches_filter(rules->pdata[i], filter))
			g_variant_builder_add_value(
				&b, e7_rule_to_variant(rules->pdata[i]));
	call_return(call, g_variant_new("(aa{sv})", &b));
}

static void on_add_rule_done(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_daemon_add_rule_finish(res, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, g_variant_new("(t)", call->id));
}

static void run_add_rule(Call *call)
{
	g_autoptr(GError) error = NULL;
	E7Rule *rule = g_steal_pointer(&call->rule);

	rule->has_owner = TRUE;
	rule->owner_uid = call->uid;
	call->id = e7_daemon_add_rule(call->self, rule, on_add_rule_done, call,
				      &error);
	if (!call->id)
		call_error(call, error);
}

static void on_rule_replaced(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	Call *call = user_data;
	Replace *replace = e7_kernel_job_get_data(res);
	g_autoptr(GError) error = NULL;
	E7Rule *current;

	if (!e7_kernel_job_finish(res, &error)) {
		call_error(call, error);
		return;
	}
	current = lookup_rule(call->self, call->id, &error);
	if (!current) {
		call_error(call, error);
		return;
	}
	if (!apply_update(call->self, current, replace->changed, &error)) {
		/* The file keeps the old rule: so does the module. */
		Replace *back = g_new0(Replace, 1);

		back->old = e7_rule_copy(replace->changed);
		back->changed = e7_rule_copy(current);
		e7_kernel_job(call->self->kernel, job_replace_rule, back,
			      replace_free, NULL, call->self->cancel, NULL,
			      NULL);
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_update_rule(Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Rule) changed = NULL;
	E7Rule *current;
	Replace *replace;

	/* The rule may have changed while polkit was asked: apply again. */
	changed = changed_rule(call, &current, &error);
	if (!changed) {
		call_error(call, error);
		return;
	}
	if (g_str_equal(call->action, E7_ACTION_RULES_OWN) &&
	    !(is_own_rule(current, call->uid) &&
	      is_own_rule(changed, call->uid))) {
		g_set_error_literal(
			&error, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			"the rule changed meanwhile and is no longer your own");
		call_error(call, error);
		return;
	}
	if (!check_update(call->self, current, changed, &error)) {
		call_error(call, error);
		return;
	}
	call->id = current->id;
	if (!kernel_connected(call->self)) {
		/* A persistent rule: the module gets it when it appears. */
		if (!apply_update(call->self, current, changed, &error)) {
			call_error(call, error);
			return;
		}
		call_return(call, NULL);
		return;
	}
	replace = g_new0(Replace, 1);
	replace->old = e7_rule_copy(current);
	replace->changed = g_steal_pointer(&changed);
	e7_kernel_job(call->self->kernel, job_replace_rule, replace,
		      replace_free, NULL, call->self->cancel, on_rule_replaced,
		      call);
}

/* Writes the rules file without the persistent rules of @gone (a set of
 * rules), before they are dropped: a failed write drops nothing. */
static gboolean save_rules_without(E7Daemon *self, GHashTable *gone,
				   GError **error)
{
	return file_writable(self, error) &&
	       e7_rules_file_save_without(self->file, gone, self->rules_path,
					  error);
}

static void run_remove_rule(Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) gone = g_hash_table_new(NULL, NULL);
	guint64 id;
	E7Rule *rule;

	g_variant_get(call->params, "(t)", &id);
	rule = lookup_rule(call->self, id, &error);
	if (!rule) {
		call_error(call, error);
		return;
	}
	g_hash_table_add(gone, rule);
	if (is_persistent(rule) &&
	    !save_rules_without(call->self, gone, &error)) {
		call_error(call, error);
		return;
	}
	drop_rule(call->self, rule);
	call_return_after_kernel(call, NULL);
}

static void run_clear_rules(Call *call)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	g_autoptr(GPtrArray) rules = g_ptr_array_new();
	g_autoptr(GHashTable) gone = g_hash_table_new(NULL, NULL);
	g_autoptr(GError) error = NULL;
	gboolean touches_file = FALSE;
	guint count = 0;

	collect_rules(call->self, rules);
	for (guint i = 0; i < rules->len; i++) {
		E7Rule *r = rules->pdata[i];

		if (!e7_rule_matches_filter(r, filter))
			continue;
		g_hash_table_add(gone, r);
		touches_file |= is_persistent(r);
	}
	if (touches_file && !save_rules_without(call->self, gone, &error)) {
		call_error(call, error);
		return;
	}
	/* Dropped in the order collect_rules gave. */
	for (guint i = 0; i < rules->len; i++) {
		if (g_hash_table_contains(gone, rules->pdata[i])) {
			drop_rule(call->self, rules->pdata[i]);
			count++;
		}
	}
	call_return_after_kernel(call, g_variant_new("(u)", count));
}

static void return_stats(Call *call, GVariant *kernel_stats)
{
	E7Daemon *self = call->self;
	const E7AgentStats *st = e7_agents_get_stats(self->agents);
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "rules",
			      g_variant_new_uint32(count_rules(self)));
	g_variant_builder_add(&b, "{sv}", "rules-temporary",
			      g_variant_new_uint32(self->temp_rules->len));
	g_variant_builder_add(&b, "{sv}", "prompts",
			      g_variant_new_uint64(st->prompts));
	g_variant_builder_add(&b, "{sv}", "prompts-answered",
			      g_variant_new_uint64(st->answered));
	g_variant_builder_add(
		&b, "{sv}", "prompts-pending",
		g_variant_new_uint32(e7_agents_pending(self->agents)));
	g_variant_builder_add(&b, "{sv}", "policy-no-agent",
			      g_variant_new_uint64(st->no_agent));
	g_variant_builder_add(&b, "{sv}", "policy-timeout",
			      g_variant_new_uint64(st->timeouts));
	g_variant_builder_add(&b, "{sv}", "policy-agent-gone",
			      g_variant_new_uint64(st->agent_gone));
	g_variant_builder_add(
		&b, "{sv}", "agents",
		g_variant_new_uint32(e7_agents_count(self->agents)));
	g_variant_builder_add(&b, "{sv}", "events-lost",
			      g_variant_new_uint64(self->events_lost));
	g_variant_builder_add(&b, "{sv}", "kernel-connected",
			      g_variant_new_boolean(self->connected));
	if (kernel_stats)
		g_variant_builder_add(&b, "{sv}", "kernel", kernel_stats);
	call_return(call, g_variant_new("(a{sv})", &b));
}

static gpointer job_get_stats(E7Kernel *k, gpointer data, GError **error)
{
	GVariant *v = k->ops->get_stats(k, error);

	return v ? g_variant_ref_sink(v) : NULL;
}

static void on_stats_read(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) k = e7_kernel_job_finish(res, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		call_error(call, error);
		return;
	}
	if (!k)
		g_warning("cannot read the kernel's counters: %s",
			  error->message);
	return_stats(call, k);
}

static void run_get_stats(Call *call)
{
	if (!call->self->connected) {
		return_stats(call, NULL);
		return;
	}
	e7_kernel_job(call->self->kernel, job_get_stats, NULL, NULL,
		      (GDestroyNotify)g_variant_unref, call->self->cancel,
		      on_stats_read, call);
}

/* Reads an optional key of an a{sv}; FALSE when it has the wrong type. */
static gboolean lookup_option(GVariant *opts, const char *key,
			      const GVariantType *type, gpointer out)
{
	g_autoptr(GVariant) v = g_variant_lookup_value(opts, key, NULL);

	if (!v)
		return TRUE;
	if (!g_variant_is_of_type(v, type))
		return FALSE;
	g_variant_get(v, g_variant_type_peek_string(type), out);
	return TRUE;
}

static void run_get_events(Call *call)
{
	g_autoptr(GVariant) opts = g_variant_get_child_value(call->params, 0);
	guint64 since = 0;
	guint32 max = G_MAXUINT32;
	GVariantIter iter;
	const char *key;
	GVariantBuilder b;
	GList *l;
	guint n = 0;

	if (!lookup_option(opts, "since", G_VARIANT_TYPE_UINT64, &since) ||
	    !lookup_option(opts, "max", G_VARIANT_TYPE_UINT32, &max)) {
		g_autoptr(GError) error = g_error_new_literal(
			E7_ERROR, E7_ERROR_INVALID_ARGS,
			"GetEvents options: \"since\" must be a uint64 and \"max\" a uint32");
		call_error(call, error);
		return;
	}
	g_variant_iter_init(&iter, opts);
	while (g_variant_iter_next(&iter, "{&sv}", &key, NULL)) {
		if (!g_str_equal(key, "since") && !g_str_equal(key, "max")) {
			g_autoptr(GError) error = g_error_new(
				E7_ERROR, E7_ERROR_INVALID_ARGS,
				"GetEvents options: unknown key '%s' (since, max)",
				key);
			call_error(call, error);
			return;
		}
	}
	/* The newest @max events after @since, oldest first. */
	for (l = call->self->events.tail; l && n < max; l = l->prev, n++) {
		guint64 id = 0;

		g_variant_lookup(l->data, "id", "t", &id);
		if (id <= since)
			break;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (l = l ? l->next : call->self->events.head; l; l = l->next)
		g_variant_builder_add_value(&b, l->data);
	call_return(call, g_variant_new("(aa{sv})", &b));
}

static void on_reload_synced(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_daemon_wait_synced_finish(res, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_reload(Call *call)
{
	g_autoptr(GError) error = NULL;

	if (!e7_daemon_reload(call->self, &error)) {
		call_error(call, error);
		return;
	}
	/* The answer comes when the kernel has the new rules. */
	e7_daemon_wait_synced(call->self, on_reload_synced, call);
}

static void run_register_agent(Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *path;

	g_variant_get(call->params, "(&o)", &path);
	if (!e7_agents_register(call->self->agents,
				g_dbus_method_invocation_get_sender(call->inv),
				path, call->uid, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_unregister_agent(Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *path;

	g_variant_get(call->params, "(&o)", &path);
	if (!e7_agents_unregister(call->self->agents,
				  g_dbus_method_invocation_get_sender(call->inv),
				  path, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_get_mode(Call *call)
{
	call_return(call, g_variant_new("(s)", mode_string(call->self)));
}

static const char *decide_set_mode(Call *call, GError **error)
{
	const char *name;
	E7Mode mode;

	g_variant_get(call->params, "(&s)", &name);
	if (!e7_mode_from_string(name, &mode)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"unknown mode '%s': expected ask, allow-unknown, deny-unknown, "
			"disabled or block-all",
			name);
		return NULL;
	}
	return E7_ACTION_CONFIGURE;
}

static gpointer job_set_mode(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->set_mode(k, GPOINTER_TO_UINT(data), error) ?
		       E7_KERNEL_JOB_OK :
		       NULL;
}

static void on_mode_set(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Call *call = user_data;
	E7Daemon *self = call->self;
	g_autoptr(GError) error = NULL;
	guint8 mode = GPOINTER_TO_UINT(e7_kernel_job_get_data(res));

	if (!e7_kernel_job_finish(res, &error)) {
		call_error(call, error);
		return;
	}
	g_message("mode set to %s by uid %u", e7_mode_to_string(mode),
		  call->uid);
	set_mode(self, mode);
	self->config.has_mode = TRUE;
	self->config.mode = mode;
	if (!e7_config_set_key(self->conf_path, "daemon", "mode",
			       e7_mode_to_string(mode), &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_set_mode(Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *name;
	E7Mode mode;

	g_variant_get(call->params, "(&s)", &name);
	e7_mode_from_string(name, &mode);
	if (!e7_kernel_check(call->self->kernel, &error)) {
		call_error(call, error);
		return;
	}
	e7_kernel_job(call->self->kernel, job_set_mode, GUINT_TO_POINTER(mode),
		      NULL, NULL, call->self->cancel, on_mode_set, call);
}

/* Flags: the module's E7_FLAGS bits, the policies and the prompt timeout. */
typedef enum {
	FLAG_KERNEL_BIT,
	FLAG_POLICY,
	FLAG_PROMPT_TIMEOUT,
	FLAG_PROFILE,
} FlagKind;

typedef struct {
	const char *name;
	FlagKind kind;
	guint32 bit;
	gsize offset; /* of the E7Action in E7Config, for FLAG_POLICY */
} FlagInfo;

static const FlagInfo flag_table[] = {
#define E7_X_FLAG(n, b, s, d) { s, FLAG_KERNEL_BIT, 1u << (b), 0 },
	E7_FLAGS(E7_X_FLAG)
#undef E7_X_FLAG
		{ "policy-no-daemon", FLAG_POLICY, 0,
		  G_STRUCT_OFFSET(E7Config, no_daemon) },
	{ "policy-timeout", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, timeout) },
	{ "policy-overflow", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, overflow) },
	{ "policy-unidentified", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, unidentified) },
	{ "policy-no-agent", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, no_agent) },
	{ "policy-agent-gone", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, agent_gone) },
	{ "default-answer", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, default_answer) },
	{ "prompt-timeout", FLAG_PROMPT_TIMEOUT, 0, 0 },
	{ "profile", FLAG_PROFILE, 0, 0 },
};

static const FlagInfo *find_flag(const char *name, GError **error)
{
	g_autoptr(GString) names = g_string_new(NULL);

	for (guint i = 0; i < G_N_ELEMENTS(flag_table); i++) {
		if (g_str_equal(flag_table[i].name, name))
			return &flag_table[i];
		g_string_append_printf(names, "%s%s", i ? ", " : "",
				       flag_table[i].name);
	}
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "unknown flag '%s': expected one of %s", name, names->str);
	return NULL;
}

static const char *decide_get_flag(Call *call, GError **error)
{
	const char *name;

	g_variant_get(call->params, "(&s)", &name);
	return find_flag(name, error) ? E7_ACTION_INFO : NULL;
}

static gpointer job_get_flags(E7Kernel *k, gpointer data, GError **error)
{
	guint32 flags;

	if (!k->ops->get_flags(k, &flags, error))
		return NULL;
	return g_memdup2(&flags, sizeof(flags));
}

static void on_flags_read(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree guint32 *flags = e7_kernel_job_finish(res, &error);
	const FlagInfo *flag;
	const char *name;

	if (!flags) {
		call_error(call, error);
		return;
	}
	g_variant_get(call->params, "(&s)", &name);
	flag = find_flag(name, NULL);
	call_return(call,
		    g_variant_new("(v)", g_variant_new_boolean(
						 (*flags & flag->bit) != 0)));
}

static void run_get_flag(Call *call)
{
	E7Daemon *self = call->self;
	g_autoptr(GError) error = NULL;
	const FlagInfo *flag;
	const char *name;
	GVariant *value = NULL;

	g_variant_get(call->params, "(&s)", &name);
	flag = find_flag(name, &error);
	switch (flag->kind) {
	case FLAG_KERNEL_BIT:
		if (!e7_kernel_check(self->kernel, &error)) {
			call_error(call, error);
			return;
		}
		e7_kernel_job(self->kernel, job_get_flags, NULL, NULL, g_free,
			      self->cancel, on_flags_read, call);
		return;
	case FLAG_POLICY:
		value = g_variant_new_string(e7_action_to_string(
			G_STRUCT_MEMBER(E7Action, &self->config,
					flag->offset)));
		break;
	case FLAG_PROMPT_TIMEOUT:
		value = g_variant_new_uint32(self->config.prompt_timeout);
		break;
	case FLAG_PROFILE:
		value = g_variant_new_string(
			e7_profile_to_string(self->config.profile));
		break;
	}
	call_return(call, g_variant_new("(v)", value));
}

static gboolean check_flag_value(const FlagInfo *flag, GVariant *value,
				 GError **error)
{
	E7Action action;
	guint32 u;

	switch (flag->kind) {
	case FLAG_KERNEL_BIT:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "flag '%s' takes a boolean", flag->name);
		return FALSE;
	case FLAG_POLICY:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING) &&
		    e7_action_from_string(g_variant_get_string(value, NULL),
					  &action))
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "flag '%s' takes the string \"allow\" or \"block\"",
			    flag->name);
		return FALSE;
	case FLAG_PROMPT_TIMEOUT:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32) &&
		    (u = g_variant_get_uint32(value)) >= 1 &&
		    u <= E7_CONFIG_PROMPT_TIMEOUT_MAX)
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "flag 'prompt-timeout' takes a uint32 from 1 to %d",
			    E7_CONFIG_PROMPT_TIMEOUT_MAX);
		return FALSE;
	case FLAG_PROFILE:
		break;
	}
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "flag '%s' is read-only (set it in e7d.conf)", flag->name);
	return FALSE;
}

static const char *decide_set_flag(Call *call, GError **error)
{
	g_autoptr(GVariant) value = NULL;
	const FlagInfo *flag;
	const char *name;

	g_variant_get(call->params, "(&sv)", &name, &value);
	flag = find_flag(name, error);
	if (!flag || !check_flag_value(flag, value, error))
		return NULL;
	return E7_ACTION_CONFIGURE;
}

typedef struct {
	guint32 bit;
	gboolean on;
} FlagChange;

/* Read, modify, write: no other job runs in between. */
static gpointer job_change_flag(E7Kernel *k, gpointer data, GError **error)
{
	FlagChange *c = data;
	guint32 flags;

	if (!k->ops->get_flags(k, &flags, error) ||
	    !k->ops->set_flags(k, c->on ? flags | c->bit : flags & ~c->bit,
			       error))
		return NULL;
	return g_memdup2(&flags, sizeof(flags));
}

static gpointer job_set_config(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->set_config(k, data, error) ? E7_KERNEL_JOB_OK : NULL;
}

/* Persists a changed flag in e7d.conf, then answers. */
static void flag_changed(Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autofree char *text = NULL;
	const FlagInfo *flag;
	const char *name, *group = "daemon", *key;

	g_variant_get(call->params, "(&sv)", &name, &value);
	flag = find_flag(name, NULL);
	key = flag->name;
	if (flag->kind == FLAG_KERNEL_BIT) {
		group = "flags";
		text = g_strdup(g_variant_get_boolean(value) ? "true" :
							       "false");
	} else if (flag->kind == FLAG_POLICY) {
		if (g_str_has_prefix(key, "policy-")) {
			group = "policies";
			key += strlen("policy-");
		}
		text = g_variant_dup_string(value, NULL);
	} else {
		text = g_strdup_printf("%u", g_variant_get_uint32(value));
	}
	if (!e7_config_set_key(call->self->conf_path, group, key, text,
			       &error)) {
		call_error(call, error);
		return;
	}
	g_message("flag %s changed by uid %u", name, call->uid);
	call_return(call, NULL);
}

static void on_flag_changed(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	Call *call = user_data;
	FlagChange *change = e7_kernel_job_get_data(res);
	g_autoptr(GError) error = NULL;
	g_autofree guint32 *old = e7_kernel_job_finish(res, &error);
	E7Config *config;

	if (!old) {
		call_error(call, error);
		return;
	}
	config = &call->self->config;
	config->flags_set |= change->bit;
	if (change->on)
		config->flags |= change->bit;
	else
		config->flags &= ~change->bit;
	flag_changed(call);
}

static void on_config_pushed(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_kernel_job_finish(res, &error)) {
		/* Back to the settings the kernel still has. */
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			call->self->config = call->config;
		call_error(call, error);
		return;
	}
	flag_changed(call);
}

static void run_set_flag(Call *call)
{
	E7Daemon *self = call->self;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) value = NULL;
	const FlagInfo *flag;
	const char *name;

	g_variant_get(call->params, "(&sv)", &name, &value);
	flag = find_flag(name, &error);
	if (flag->kind == FLAG_KERNEL_BIT) {
		FlagChange *change;

		if (!e7_kernel_check(self->kernel, &error)) {
			call_error(call, error);
			return;
		}
		change = g_new0(FlagChange, 1);
		change->bit = flag->bit;
		change->on = g_variant_get_boolean(value);
		e7_kernel_job(self->kernel, job_change_flag, change, g_free,
			      g_free, self->cancel, on_flag_changed, call);
		return;
	}
	/* The settings change at once, so that a second SetFlag builds on
	 * this one; a refusal by the kernel puts them back. */
	call->config = self->config;
	if (flag->kind == FLAG_POLICY)
		e7_action_from_string(g_variant_get_string(value, NULL),
				      &G_STRUCT_MEMBER(E7Action, &self->config,
						       flag->offset));
	else
		self->config.prompt_timeout = g_variant_get_uint32(value);
	if (!kernel_connected(self)) {
		flag_changed(call);
		return;
	}
	e7_kernel_job(self->kernel, job_set_config,
		      g_memdup2(&self->config, sizeof(self->config)), g_free,
		      NULL, self->cancel, on_config_pushed, call);
}

static const Method methods[] = {
	{ "ListRules", decide_info, run_list_rules },
	{ "AddRule", decide_add, run_add_rule },
	{ "UpdateRule", decide_update, run_update_rule },
	{ "RemoveRule", decide_remove, run_remove_rule },
	{ "ClearRules", decide_filter, run_clear_rules },
	{ "GetStats", decide_info, run_get_stats },
	{ "GetEvents", decide_info, run_get_events },
	{ "Reload", decide_system, run_reload },
	{ "RegisterAgent", decide_own, run_register_agent },
	{ "UnregisterAgent", decide_own, run_unregister_agent },
	{ "GetMode", decide_info, run_get_mode },
	{ "SetMode", decide_set_mode, run_set_mode },
	{ "GetFlag", decide_get_flag, run_get_flag },
	{ "SetFlag", decide_set_flag, run_set_flag },
};

static void on_authorized(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_auth_check_finish(res, &error)) {
		g_message("uid %u refused %s (%s): %s", call->uid,
			  call->method->name, call->action, error->message);
		call_error(call, error);
		return;
	}
	call->method->run(call);
}

static void on_caller_uid(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_auth_get_uid_finish(res, &call->uid, &error)) {
		call_error(call, error);
		return;
	}
	call->action = call->method->decide(call, &error);
	if (!call->action) {
		call_error(call, error);
		return;
	}
	e7_auth_check_async(call->self->auth, call->self->bus,
			    g_dbus_method_invocation_get_sender(call->inv),
			    call->uid, call->action, on_authorized, call);
}

static void method_call(GDBusConnection *connection, const char *sender,
			const char *object_path, const char *interface_name,
			const char *method_name, GVariant *parameters,
			GDBusMethodInvocation *invocation, gpointer user_data)
{
	Call *call;

	for (guint i = 0; i < G_N_ELEMENTS(methods); i++) {
		if (!g_str_equal(methods[i].name, method_name))
			continue;
		call = g_new0(Call, 1);
		call->self = user_data;
		call->inv = g_object_ref(invocation);
		call->params = parameters;
		call->method = &methods[i];
		e7_auth_get_uid_async(connection, sender, on_caller_uid, call);
		return;
	}
	g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR,
					      G_DBUS_ERROR_UNKNOWN_METHOD,
					      "unknown method %s", method_name);
}

static GVariant *get_property(GDBusConnection *connection, const char *sender,
			      const char *object_path,
			      const char *interface_name,
			      const char *property_name, GError **error,
			      gpointer user_data)
{
	E7Daemon *self = user_data;

	if (g_str_equal(property_name, "Mode"))
		return g_variant_new_string(mode_string(self));
	if (g_str_equal(property_name, "Version"))
		return g_variant_new_string(PACKAGE_VERSION);
	if (g_str_equal(property_name, "KernelConnected"))
		return g_variant_new_boolean(self->connected);
	g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
		    "unknown property %s", property_name);
	return NULL;
}

static const GDBusInterfaceVTable vtable = {
	.method_call = method_call,
	.get_property = get_property,
};

gboolean e7_daemon_export(E7Daemon *self, GError **error)
{
	self->registration = g_dbus_connection_register_object(
		self->bus, E7_DBUS_PATH,
		(GDBusInterfaceInfo *)e7_firewall1_interface_info(), &vtable,
		self, NULL, error);
	return self->registration != 0;
}
