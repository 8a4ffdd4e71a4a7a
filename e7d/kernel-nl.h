/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel bridge over generic netlink (libnl-genl-3) on the GLib main
 * loop: family "eftirlit" and its "events" group, resolved at start and
 * again when the module is loaded or unloaded (nlctrl notifications).
 */
#pragma once

#include "kernel.h"

G_BEGIN_DECLS

/* Fails only when no netlink socket can be opened; a missing module is a
 * disconnected bridge that connects when the module appears.  Its events
 * go nowhere until e7_kernel_set_events(). */
E7Kernel *e7_kernel_nl_new(GError **error);

G_END_DECLS
