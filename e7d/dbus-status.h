/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status methods of org.eftirlit7.Firewall1 (GetStats, GetEvents,
 * WatchEvents) and the ConnectionEvent signal, which follows the event log
 * and goes to each watcher entitled to the event, alone.
 */
#pragma once

#include "dbus-call.h"

G_BEGIN_DECLS

const E7Method *e7_dbus_status_methods(guint *n);
/* Sends ConnectionEvent for each event of @parts' log, until the handler
 * is disconnected (by data: @parts). */
void e7_dbus_status_follow_log(const E7ServiceParts *parts);

G_END_DECLS
