/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synchronisation with the module, when e7d starts, when the module
 * appears, and after a reload: the settings and the mode are pushed, the
 * module's rules are matched against the store's (stale ones removed,
 * missing ones pushed), then the mode and the held flows are read back.
 * The held flows are announced with "held-flows" (GPtrArray of E7Flow), as
 * they are when lost events make e7d read them again.
 */
#pragma once

#include "conf.h"
#include "firewall-state.h"
#include "kernel.h"
#include "rule-store.h"

G_BEGIN_DECLS

#define E7_TYPE_KERNEL_SYNC (e7_kernel_sync_get_type())
G_DECLARE_FINAL_TYPE(E7KernelSync, e7_kernel_sync, E7, KERNEL_SYNC, GObject)

/* None of the arguments is owned; all outlive the object.  @config is read
 * at the start of each synchronisation. */
E7KernelSync *e7_kernel_sync_new(E7Kernel *kernel, E7RuleStore *store,
				 E7FirewallState *state, const E7Config *config,
				 GCancellable *cancel);

/* Starts a synchronisation, or asks for one more after the running one. */
void e7_kernel_sync_start(E7KernelSync *self);
/* Completes when no synchronisation is running (at once when none is). */
void e7_kernel_sync_wait(E7KernelSync *self, GAsyncReadyCallback callback,
			 gpointer user_data);
gboolean e7_kernel_sync_wait_finish(GAsyncResult *res, GError **error);
/* Reads the held flows again (events were lost) and announces them. */
void e7_kernel_sync_reread_flows(E7KernelSync *self);

G_END_DECLS
