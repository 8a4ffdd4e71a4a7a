/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The org.eftirlit7.Firewall1 service: rules (persistent and temporary),
 * mode and flags, the event log, and the bridge between kernel events and
 * prompt agents.
 */
#pragma once

#include "auth.h"
#include "e7-dbus.h"
#include "conf.h"
#include "kernel.h"
#include "rules-file.h"

G_BEGIN_DECLS

typedef struct _E7Daemon E7Daemon;

/* Takes ownership of @kernel and @auth. The kernel's events go to the
 * daemon. A rules file with errors is reported through @error but the
 * daemon is still created: the rules in the kernel stay in force and
 * persistent changes are refused until a Reload succeeds. */
E7Daemon *e7_daemon_new(GDBusConnection *bus, E7Kernel *kernel, E7Auth *auth,
			const char *rules_path, const char *conf_path,
			GError **error);
void e7_daemon_free(E7Daemon *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Daemon, e7_daemon_free)

/* The event callbacks to hand to a kernel bridge (user data: the daemon). */
const E7KernelEvents *e7_daemon_kernel_events(void);
/* Sets the kernel after construction (the bridge needs the daemon first). */
void e7_daemon_set_kernel(E7Daemon *self, E7Kernel *kernel);

gboolean e7_daemon_export(E7Daemon *self, GError **error);
/* Re-reads the rules file and e7d.conf (SIGHUP, Reload). */
gboolean e7_daemon_reload(E7Daemon *self, GError **error);
/* Pushes settings and rules to the kernel and adopts what is there; the
 * work runs in the kernel bridge's worker (a resync asked for meanwhile
 * runs after it). */
void e7_daemon_resync(E7Daemon *self);
/* Completes when no resync is running (at once when none is). */
void e7_daemon_wait_synced(E7Daemon *self, GAsyncReadyCallback callback,
			   gpointer user_data);
gboolean e7_daemon_wait_synced_finish(GAsyncResult *res, GError **error);

const E7Config *e7_daemon_get_config(E7Daemon *self);
GDBusConnection *e7_daemon_get_bus(E7Daemon *self);
E7Kernel *e7_daemon_get_kernel(E7Daemon *self);
/* Cancelled when the daemon is freed: for kernel jobs of its parts. */
GCancellable *e7_daemon_get_cancellable(E7Daemon *self);

/* Adds a rule: persisted when "forever" and announced with RuleAdded at
 * once, then pushed to the kernel (a kernel job, ordered before any job
 * submitted later); @callback (optional) learns whether the kernel took
 * it, and a refused rule is removed again. Takes ownership of @rule;
 * returns its id or 0 with @error set. */
guint64 e7_daemon_add_rule(E7Daemon *self, E7Rule *rule,
			   GAsyncReadyCallback callback, gpointer user_data,
			   GError **error);
gboolean e7_daemon_add_rule_finish(GAsyncResult *res, GError **error);
/* Removes a temporary rule (a "process" rule whose process exited). */
gboolean e7_daemon_remove_rule(E7Daemon *self, guint64 id);
/* Removes the temporary rules of @uid with lifetime @lifetime. */
void e7_daemon_remove_temporary_rules(E7Daemon *self, guint32 uid,
				      E7Lifetime lifetime);

/* Appends to the bounded event log and emits ConnectionEvent. @flow may be
 * NULL; @reason is a short word (rule, agent, no-agent, timeout, ...). */
void e7_daemon_log_event(E7Daemon *self, const char *kind, E7Action action,
			 const char *reason, const E7Flow *flow,
			 guint64 rule_id);

G_END_DECLS
