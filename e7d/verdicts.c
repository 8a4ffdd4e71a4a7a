// SPDX-License-Identifier: GPL-2.0-or-later
#include "verdicts.h"

#include <glib/gi18n.h>

#include "e7-error.h"

typedef struct {
	E7Kernel *kernel;
	E7EventLog *log;
	GCancellable *cancel;
	E7Flow *flow;
	E7Action action;
	char *kind;
	char *reason;
	guint64 rule_id;
} Verdict;

static void verdict_free(gpointer p)
{
	Verdict *v = p;

	g_object_unref(v->log);
	g_clear_object(&v->cancel);
	e7_flow_free(v->flow);
	g_free(v->kind);
	g_free(v->reason);
	g_free(v);
}

static gboolean not_worth_a_warning(const GError *error)
{
	return g_error_matches(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gpointer job_verdict(E7Kernel *k, gpointer data, GError **error)
{
	Verdict *v = data;

	return k->ops->verdict(k, v->flow->id, v->action, NULL, error) ?
		       E7_KERNEL_JOB_OK :
		       NULL;
}

static void on_verdict_sent(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	Verdict *v = e7_kernel_job_get_data(res);
	g_autoptr(GError) error = NULL;

	if (!e7_kernel_job_finish(res, &error)) {
		if (!not_worth_a_warning(error))
			g_warning(
				_("cannot send the verdict for flow %llu: %s"),
				(unsigned long long)v->flow->id,
				error->message);
		return;
	}
	e7_event_log_add(v->log, v->kind, v->action, v->reason, v->flow,
			 v->rule_id);
}

static Verdict *verdict_new(E7Kernel *kernel, E7EventLog *log,
			    GCancellable *cancel, const E7Flow *flow,
			    E7Action action, const char *kind,
			    const char *reason)
{
	Verdict *v = g_new0(Verdict, 1);

	v->kernel = kernel;
	v->log = g_object_ref(log);
	v->cancel = cancel ? g_object_ref(cancel) : NULL;
	v->flow = e7_flow_copy(flow);
	v->action = action;
	v->kind = g_strdup(kind);
	v->reason = g_strdup(reason);
	return v;
}

void e7_verdict_send(E7Kernel *kernel, E7EventLog *log, GCancellable *cancel,
		     const E7Flow *flow, E7Action action, const char *kind,
		     const char *reason, guint64 rule_id)
{
	Verdict *v;

	if (!kernel)
		return;
	v = verdict_new(kernel, log, cancel, flow, action, kind, reason);
	v->rule_id = rule_id;
	e7_kernel_job(kernel, job_verdict, v, verdict_free, NULL, cancel,
		      on_verdict_sent, NULL);
}

static void on_rule_verdict_sent(GObject *source, GAsyncResult *res,
				 gpointer user_data)
{
	Verdict *v = user_data;
	g_autoptr(GError) error = NULL;

	if (e7_rule_store_add_finish(res, &error)) {
		e7_event_log_add(v->log, v->kind, v->action, v->reason, v->flow,
				 v->rule_id);
	} else if (!not_worth_a_warning(error)) {
		/* The kernel refused the rule: the flow still waits. */
		e7_verdict_send(v->kernel, v->log, v->cancel, v->flow,
				v->action, v->kind, v->reason, 0);
	}
	verdict_free(v);
}

guint64 e7_verdict_send_with_rule(E7Kernel *kernel, E7RuleStore *store,
				  E7EventLog *log, const E7Flow *flow,
				  E7Action action, E7Rule *rule, GError **error)
{
	Verdict *v =
		verdict_new(kernel, log, NULL, flow, action, "prompt", "agent");
	/* The program the user was asked about, while it runs. */
	g_autofree char *exe = g_strdup_printf("/proc/%u/exe", flow->pid);
	guint64 id;

	/* A rule for the asking program is bound to its identity, not to
	 * whatever file is at its path by the time the rule goes in. */
	if (flow->has_exe && !rule->has_exe &&
	    e7_rule_names_one_program(rule) &&
	    g_strcmp0(rule->program, flow->program) == 0) {
		rule->has_exe = TRUE;
		rule->exe = flow->exe;
	}
	id = e7_rule_store_add_with_verdict(store, rule, flow->id, action, exe,
					    on_rule_verdict_sent, v, error);

	/* The callback runs from the main loop, never before this returns. */
	if (!id)
		verdict_free(v);
	else
		v->rule_id = id;
	return id;
}
