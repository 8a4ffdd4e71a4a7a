// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel.h"

#include <glib/gi18n.h>

#include "e7-error.h"

E7Flow *e7_flow_new(void)
{
	E7Flow *flow = g_new0(E7Flow, 1);

	flow->direction = E7_DIR_OUT;
	return flow;
}

E7Flow *e7_flow_copy(const E7Flow *flow)
{
	E7Flow *copy = g_memdup2(flow, sizeof(*flow));

	copy->program = g_strdup(flow->program);
	copy->cmdline = g_strdup(flow->cmdline);
	copy->remote_address = g_strdup(flow->remote_address);
	return copy;
}

void e7_flow_free(E7Flow *flow)
{
	if (!flow)
		return;
	g_free(flow->program);
	g_free(flow->cmdline);
	g_free(flow->remote_address);
	g_free(flow);
}

void e7_kernel_set_events(E7Kernel *k, const E7KernelEvents *events,
			  gpointer user_data)
{
	k->events = events;
	k->user_data = user_data;
}

void e7_kernel_free(E7Kernel *k)
{
	if (k)
		k->ops->free(k);
}

typedef struct {
	E7Kernel *kernel;
	E7KernelJobFunc func;
	gpointer data;
	GDestroyNotify data_free;
	GDestroyNotify result_free;
} Job;

static void job_free(gpointer p)
{
	Job *job = p;

	if (job->data_free)
		job->data_free(job->data);
	g_free(job);
}

static void job_run(GTask *task)
{
	Job *job = g_task_get_task_data(task);
	GError *error = NULL;
	gpointer result = job->func(job->kernel, job->data, &error);

	if (error)
		g_task_return_error(task, error);
	else
		g_task_return_pointer(task, result, job->result_free);
}

static void worker_run(gpointer data, gpointer user_data)
{
	g_autoptr(GTask) task = data;

	job_run(task);
}

void e7_kernel_job(E7Kernel *k, E7KernelJobFunc func, gpointer data,
		   GDestroyNotify data_free, GDestroyNotify result_free,
		   GCancellable *cancellable, GAsyncReadyCallback callback,
		   gpointer user_data)
{
	g_autoptr(GTask)
		task = g_task_new(NULL, cancellable, callback, user_data);
	Job *job = g_new0(Job, 1);

	job->kernel = k;
	job->func = func;
	job->data = data;
	job->data_free = data_free;
	job->result_free = result_free;
	g_task_set_task_data(task, job, job_free);
	g_task_set_source_tag(task, e7_kernel_job);
	if (k->worker)
		g_thread_pool_push(k->worker, g_steal_pointer(&task), NULL);
	else
		job_run(task);
}

gpointer e7_kernel_job_finish(GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

gpointer e7_kernel_job_get_data(GAsyncResult *res)
{
	Job *job = g_task_get_task_data(G_TASK(res));

	return job->data;
}

void e7_kernel_start_worker(E7Kernel *k)
{
	/* One thread: the jobs keep their order. */
	k->worker = g_thread_pool_new(worker_run, k, 1, FALSE, NULL);
}

void e7_kernel_stop_worker(E7Kernel *k)
{
	if (k->worker)
		g_thread_pool_free(g_steal_pointer(&k->worker), FALSE, TRUE);
}

gboolean e7_kernel_check(E7Kernel *k, GError **error)
{
	if (k && k->ops->is_connected(k))
		return TRUE;
	g_set_error_literal(
		error, E7_ERROR, E7_ERROR_KERNEL_MODULE_MISSING,
		/* TRANSLATORS: keep eftirlit7 and the command modprobe eftirlit7 */
		_("the eftirlit7 kernel module is not loaded (modprobe eftirlit7)"));
	return FALSE;
}
