/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The settings methods of org.eftirlit7.Firewall1: GetMode, SetMode,
 * GetFlag, SetFlag (the module's flags, the policies, the prompt timeout,
 * the profile) and Reload.
 */
#pragma once

#include "dbus-call.h"

G_BEGIN_DECLS

const E7Method *e7_dbus_settings_methods(guint *n);

G_END_DECLS
