/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The status icon (StatusNotifierItem through libayatana-appindicator3 when
 * configure found it; otherwise there is no tray and e7_tray_new() returns
 * NULL). It shows an E7TrayMenu: icon and title follow its state, its menu
 * activates the actions of the application.
 */
#pragma once

#include <gio/gio.h>

#include "tray-menu.h"

G_BEGIN_DECLS

typedef struct _E7Tray E7Tray;

/* NULL when the applet was built without a tray. */
E7Tray *e7_tray_new(GActionGroup *app_actions, E7TrayMenu *menu);
void e7_tray_free(E7Tray *tray);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Tray, e7_tray_free)

G_END_DECLS
