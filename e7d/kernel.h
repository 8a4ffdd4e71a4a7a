/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The seam between e7d and the kernel module: a table of operations (the
 * libnl bridge in kernel-nl.c, or a fake in the unit tests) and the events
 * the kernel side reports back to the daemon.
 */
#pragma once

#include "conf.h"
#include "rule.h"

G_BEGIN_DECLS

/* A held (pending) or reported flow (E7_A_FLOW). */
typedef struct {
	guint64 id;
	guint32 pid; /* process id (E7_FLOW_A_TGID) */
	guint32 uid;
	char *program;
	char *cmdline; /* argv joined with spaces */
	guint8 protocol;
	E7Direction direction;
	char *remote_address; /* textual, NULL if unknown */
	guint16 remote_port;
	guint16 local_port;
	gboolean has_exe; /* the program's identity (E7_FLOW_A_EXE_*) */
	E7ExeId exe;
	E7Action action; /* EV_FLOW only */
	guint8 reason; /* EV_FLOW only: enum e7_reason */
	guint64 rule_id; /* EV_FLOW only */
} E7Flow;

E7Flow *e7_flow_new(void);
E7Flow *e7_flow_copy(const E7Flow *flow);
void e7_flow_free(E7Flow *flow);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Flow, e7_flow_free)

typedef struct _E7Kernel E7Kernel;

typedef struct {
	void (*pending)(const E7Flow *flow, gpointer user_data);
	void (*flow)(const E7Flow *flow, gpointer user_data);
	void (*resolved)(guint64 flow_id, E7Action action, guint8 reason,
			 gpointer user_data);
	void (*rule_expired)(guint64 rule_id, gpointer user_data);
	void (*mode_changed)(E7Mode mode, gpointer user_data);
	/* The module appeared (TRUE: push rules and settings) or went away. */
	void (*connected)(gboolean connected, gpointer user_data);
	/* Events were lost: held flows must be dumped again. */
	void (*events_lost)(guint64 lost_total, gpointer user_data);
} E7KernelEvents;

typedef struct {
	gboolean (*is_connected)(E7Kernel *k);
	/* Adds @rule; the identity the module bound it to (rule->has_exe,
	 * rule->exe) is filled in from the reply. */
	gboolean (*add_rule)(E7Kernel *k, E7Rule *rule, GError **error);
	gboolean (*del_rule)(E7Kernel *k, guint64 id, GError **error);
	/* Rules in the kernel (ids and fields), for the resync at start. */
	GPtrArray *(*dump_rules)(E7Kernel *k, GError **error);
	/* Held flows, as E7Flow. */
	GPtrArray *(*dump_flows)(E7Kernel *k, GError **error);
	gboolean (*set_mode)(E7Kernel *k, E7Mode mode, GError **error);
	gboolean (*get_mode)(E7Kernel *k, E7Mode *mode, GError **error);
	gboolean (*get_flags)(E7Kernel *k, guint32 *flags, GError **error);
	gboolean (*set_flags)(E7Kernel *k, guint32 flags, GError **error);
	gboolean (*set_config)(E7Kernel *k, const E7Config *config,
			       GError **error);
	/* @rule (optional) is installed with the verdict. ENOENT (the flow is
	 * gone) is reported as E7_ERROR_NO_SUCH_RULE. */
	gboolean (*verdict)(E7Kernel *k, guint64 flow_id, E7Action action,
			    const E7Rule *rule, GError **error);
	/* Counters as a{sv} of t. */
	GVariant *(*get_stats)(E7Kernel *k, GError **error);
	void (*free)(E7Kernel *k);
} E7KernelOps;

struct _E7Kernel {
	const E7KernelOps *ops;
	const E7KernelEvents *events;
	gpointer user_data;
	/* When set, jobs run one at a time, in order, in a worker thread
	 * (e7_kernel_start_worker); otherwise inline (the test fake). */
	GThreadPool *worker;
};

/* A job runs the (blocking) operations; it returns a pointer result (owned
 * by the caller of _finish, freed with @result_free if nobody takes it) or
 * NULL with @error set. Jobs of one kernel run one at a time in submission
 * order, off the main loop. */
typedef gpointer (*E7KernelJobFunc)(E7Kernel *k, gpointer data, GError **error);

/* Runs @func(@k, @data) and calls @callback in the caller's main context;
 * @callback may be NULL. A cancelled @cancellable makes _finish fail with
 * G_IO_ERROR_CANCELLED (the job itself still runs: kernel state stays
 * consistent with the order of submission). */
void e7_kernel_job(E7Kernel *k, E7KernelJobFunc func, gpointer data,
		   GDestroyNotify data_free, GDestroyNotify result_free,
		   GCancellable *cancellable, GAsyncReadyCallback callback,
		   gpointer user_data);
gpointer e7_kernel_job_finish(GAsyncResult *res, GError **error);
/* The job data of @res (valid in the callback). */
gpointer e7_kernel_job_get_data(GAsyncResult *res);
/* A non-NULL result for jobs that only succeed or fail. */
#define E7_KERNEL_JOB_OK GINT_TO_POINTER(1)

/* Where the kernel's events go from now on (events arrive from the main
 * loop, so setting them before it runs misses none). */
void e7_kernel_set_events(E7Kernel *k, const E7KernelEvents *events,
			  gpointer user_data);

/* Moves the jobs of @k to a dedicated thread; call once, before any job. */
void e7_kernel_start_worker(E7Kernel *k);
/* Waits for the queued jobs and stops the thread (before freeing @k). */
void e7_kernel_stop_worker(E7Kernel *k);

void e7_kernel_free(E7Kernel *k);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Kernel, e7_kernel_free)

/* Fails with E7_ERROR_KERNEL_MODULE_MISSING when not connected. */
gboolean e7_kernel_check(E7Kernel *k, GError **error);

G_END_DECLS
