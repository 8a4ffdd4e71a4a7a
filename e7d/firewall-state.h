/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What e7d knows of the module right now: whether it is there, its mode,
 * and how many events it lost.  The kernel synchronisation and the kernel's
 * events set it; the D-Bus service shows it (properties KernelConnected and
 * Mode), following "notify::connected" and "notify::mode".
 */
#pragma once

#include "e7-enums.h"

#include <glib-object.h>

G_BEGIN_DECLS

#define E7_TYPE_FIREWALL_STATE (e7_firewall_state_get_type())
G_DECLARE_FINAL_TYPE(E7FirewallState, e7_firewall_state, E7, FIREWALL_STATE,
		     GObject)

E7FirewallState *e7_firewall_state_new(void);

gboolean e7_firewall_state_get_connected(E7FirewallState *self);
void e7_firewall_state_set_connected(E7FirewallState *self, gboolean connected);
/* The mode's name, or "unknown" while the module is gone or not read. */
const char *e7_firewall_state_get_mode_name(E7FirewallState *self);
void e7_firewall_state_set_mode(E7FirewallState *self, E7Mode mode);

guint64 e7_firewall_state_get_events_lost(E7FirewallState *self);
void e7_firewall_state_set_events_lost(E7FirewallState *self, guint64 lost);

G_END_DECLS
