/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The org.eftirlit7.Firewall1 object: every method call is identified
 * (uid and pid in one bus round trip), checked by its method's "decide"
 * step, authorized by polkit, then run (dbus-rules.c, dbus-settings.c,
 * dbus-status.c, and the agent methods here).  Its properties follow the
 * firewall state; its signals go through one queue.
 */
#pragma once

#include "dbus-call.h"

G_BEGIN_DECLS

typedef struct _E7Service E7Service;

/* Copies @parts (but for "signals", which the service makes) and takes
 * @auth. */
E7Service *e7_service_new(const E7ServiceParts *parts, E7Auth *auth);
void e7_service_free(E7Service *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Service, e7_service_free)

gboolean e7_service_export(E7Service *self, GError **error);

G_END_DECLS
