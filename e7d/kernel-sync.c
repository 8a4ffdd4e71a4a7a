// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel-sync.h"

#include <string.h>

#include <glib/gi18n.h>

#include "program-hash.h"
#include "rule-text.h"

struct _E7KernelSync {
	GObject parent;
	E7Kernel *kernel;
	E7RuleStore *store;
	E7FirewallState *state;
	const E7Config *config;
	GCancellable *cancel;
	gboolean running;
	gboolean again;
	GPtrArray *waiters; /* of GTask, completed when a run ends */
};

enum { HELD_FLOWS, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE(E7KernelSync, e7_kernel_sync, G_TYPE_OBJECT)

static void complete_waiters(E7KernelSync *self)
{
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&self->waiters);

	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < waiters->len; i++)
		g_task_return_boolean(waiters->pdata[i], TRUE);
}

static void e7_kernel_sync_finalize(GObject *object)
{
	E7KernelSync *self = E7_KERNEL_SYNC(object);

	complete_waiters(self);
	g_ptr_array_unref(self->waiters);
	g_clear_object(&self->cancel);
	G_OBJECT_CLASS(e7_kernel_sync_parent_class)->finalize(object);
}

static void e7_kernel_sync_class_init(E7KernelSyncClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_kernel_sync_finalize;
	signals[HELD_FLOWS] = g_signal_new(
		"held-flows", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void e7_kernel_sync_init(E7KernelSync *self)
{
	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
}

E7KernelSync *e7_kernel_sync_new(E7Kernel *kernel, E7RuleStore *store,
				 E7FirewallState *state, const E7Config *config,
				 GCancellable *cancel)
{
	E7KernelSync *self = g_object_new(E7_TYPE_KERNEL_SYNC, NULL);

	self->kernel = kernel;
	self->store = store;
	self->state = state;
	self->config = config;
	self->cancel = g_object_ref(cancel);
	return self;
}

/* A run is two kernel jobs: read (settings pushed, rules dumped), then,
 * once the main loop has matched the rules, apply (stale rules removed,
 * missing ones pushed, mode and held flows read). */

static void push_settings(E7Kernel *k, const E7Config *c)
{
	g_autoptr(GError) local = NULL;
	guint32 flags;

	if (!k->ops->set_config(k, c, &local))
		g_warning(_("cannot push the settings to the kernel: %s"),
			  local->message);
	if (c->has_mode && !k->ops->set_mode(k, c->mode, NULL))
		g_warning(_("cannot restore the mode %s"),
			  e7_mode_to_string(c->mode));
	if (!c->flags_set)
		return;
	if (!k->ops->get_flags(k, &flags, NULL) ||
	    !k->ops->set_flags(
		    k, (flags & ~c->flags_set) | (c->flags & c->flags_set),
		    NULL))
		g_warning(_("cannot restore the flags"));
}

static gpointer job_read(E7Kernel *k, gpointer data, GError **error)
{
	push_settings(k, data);
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
} Apply;

static void apply_free(gpointer p)
{
	Apply *a = p;

	g_array_unref(a->remove);
	g_ptr_array_unref(a->push);
	if (a->flows)
		g_ptr_array_unref(a->flows);
	g_free(a);
}

/*
 * A rule that remembers its program's content is bound to the file at its
 * path only if that file still has this content; otherwise (replaced while
 * e7d was away) it is bound to no program until someone decides.  Blocking:
 * runs in the kernel worker.
 */
static void check_binding(E7Rule *r)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *sha = NULL;

	if (!r->exe_bind || !r->sha256)
		return;
	sha = e7_program_sha256(r->program, &error);
	if (sha && g_str_equal(sha, r->sha256))
		return;
	g_message(
		/* TRANSLATORS: a program's path, a rule id, then why */
		_("%s is not the program rule %llu was made for (%s): the rule waits for a decision"),
		r->program, (unsigned long long)r->id,
		sha ? _("its content changed") : error->message);
	r->exe_bind = FALSE;
	r->has_exe = TRUE;
	memset(&r->exe, 0, sizeof(r->exe)); /* no program has it */
}

static gpointer job_apply(E7Kernel *k, gpointer data, GError **error)
{
	Apply *a = data;

	for (guint i = 0; i < a->remove->len; i++)
		if (k->ops->del_rule(k, g_array_index(a->remove, guint64, i),
				     NULL))
			a->removed++;
	for (guint i = 0; i < a->push->len; i++) {
		g_autoptr(GError) local = NULL;
		g_autofree char *text = NULL;

		check_binding(a->push->pdata[i]);
		if (k->ops->add_rule(k, a->push->pdata[i], &local)) {
			a->pushed++;
			continue;
		}
		text = e7_rule_to_string(a->push->pdata[i]);
		g_warning(_("cannot push rule '%s': %s"), text, local->message);
	}
	a->mode_ok = k->ops->get_mode(k, &a->mode, NULL);
	a->flows = k->ops->dump_flows(k, error);
	return a->flows ? E7_KERNEL_JOB_OK : NULL;
}

static void run_start(E7KernelSync *self);

static void run_done(E7KernelSync *self)
{
	self->running = FALSE;
	if (self->again) {
		self->again = FALSE;
		run_start(self);
		if (self->running)
			return;
	}
	complete_waiters(self);
}

static void on_applied(GObject *source, GAsyncResult *res, gpointer user_data)
{
	E7KernelSync *self = user_data;
	g_autoptr(GError) error = NULL;
	Apply *a = e7_kernel_job_get_data(res);

	if (!e7_kernel_job_finish(res, &error) &&
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	g_message(
		"kernel rules synchronised: %u adopted, %u pushed, %u removed",
		a->adopted, a->pushed, a->removed);
	for (guint i = 0; i < a->push->len; i++) {
		E7Rule *r = a->push->pdata[i];

		e7_rule_store_learn_identity(self->store, r->id, r->has_exe,
					     &r->exe, NULL);
	}
	if (a->mode_ok)
		e7_firewall_state_set_mode(self->state, a->mode);
	if (e7_kernel_check(self->kernel, NULL))
		e7_firewall_state_set_connected(self->state, TRUE);
	if (error)
		g_warning(_("cannot read the held flows: %s"), error->message);
	else
		g_signal_emit(self, signals[HELD_FLOWS], 0, a->flows);
	run_done(self);
}

static void on_read(GObject *source, GAsyncResult *res, gpointer user_data)
{
	E7KernelSync *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kernel_rules = e7_kernel_job_finish(res, &error);
	Apply *a;

	if (!kernel_rules) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			return;
		g_warning(_("cannot read the kernel's rules: %s"),
			  error->message);
		run_done(self);
		return;
	}
	a = g_new0(Apply, 1);
	a->remove = g_array_new(FALSE, FALSE, sizeof(guint64));
	a->push = g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	a->adopted = e7_rule_store_match_kernel(self->store, kernel_rules,
						a->remove, a->push);
	e7_kernel_job(self->kernel, job_apply, a, apply_free, NULL,
		      self->cancel, on_applied, self);
}

static void run_start(E7KernelSync *self)
{
	if (!e7_kernel_check(self->kernel, NULL)) {
		e7_firewall_state_set_connected(self->state, FALSE);
		return;
	}
	self->running = TRUE;
	e7_kernel_job(self->kernel, job_read,
		      g_memdup2(self->config, sizeof(*self->config)), g_free,
		      (GDestroyNotify)g_ptr_array_unref, self->cancel, on_read,
		      self);
}

void e7_kernel_sync_start(E7KernelSync *self)
{
	if (self->running) {
		self->again = TRUE;
		return;
	}
	run_start(self);
	if (!self->running)
		run_done(self);
}

void e7_kernel_sync_wait(E7KernelSync *self, GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask)
		task = g_task_new(NULL, self->cancel, callback, user_data);

	if (!self->running) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	g_ptr_array_add(self->waiters, g_steal_pointer(&task));
}

gboolean e7_kernel_sync_wait_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static gpointer job_dump_flows(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->dump_flows(k, error);
}

static void on_flows_dumped(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	E7KernelSync *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) flows = e7_kernel_job_finish(res, &error);

	if (flows)
		g_signal_emit(self, signals[HELD_FLOWS], 0, flows);
	else if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_warning(_("cannot read the held flows: %s"), error->message);
}

void e7_kernel_sync_reread_flows(E7KernelSync *self)
{
	e7_kernel_job(self->kernel, job_dump_flows, NULL, NULL,
		      (GDestroyNotify)g_ptr_array_unref, self->cancel,
		      on_flows_dumped, self);
}
