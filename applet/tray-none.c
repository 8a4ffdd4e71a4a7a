/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Built without libayatana-appindicator3: no status icon. */
#include "config.h"

#include "tray.h"

E7Tray *e7_tray_new(GActionGroup *app_actions, E7TrayMenu *menu)
{
	return NULL;
}

void e7_tray_free(E7Tray *tray)
{
}
