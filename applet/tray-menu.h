/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tray's state and menu model, apart from any tray implementation: what
 * the status icon shows (mode, programs waiting, daemon absent) and the menu
 * it offers (answer the waiting programs, switch the mode, open the rules,
 * quit). The menu's items name the application's actions "app.prompts",
 * "app.mode" (string state and target), "app.rules" and "app.quit".
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
	E7_TRAY_OFF, /* e7d is not running or refused the agent */
	E7_TRAY_IDLE, /* running, nothing waiting */
	E7_TRAY_ATTENTION, /* programs are waiting for an answer */
} E7TrayStatus;

#define E7_TYPE_TRAY_MENU (e7_tray_menu_get_type())
G_DECLARE_FINAL_TYPE(E7TrayMenu, e7_tray_menu, E7, TRAY_MENU, GObject)

E7TrayMenu *e7_tray_menu_new(void);

/* Setters emit "changed" when the value differs. */
void e7_tray_menu_set_running(E7TrayMenu *self, gboolean running);
/* mode: the daemon's Mode property, NULL or "unknown" when not known. */
void e7_tray_menu_set_mode(E7TrayMenu *self, const char *mode);
void e7_tray_menu_set_pending(E7TrayMenu *self, guint pending);

E7TrayStatus e7_tray_menu_get_status(E7TrayMenu *self);
guint e7_tray_menu_get_pending(E7TrayMenu *self);
/* The mode, NULL when not known. */
const char *e7_tray_menu_get_mode(E7TrayMenu *self);
/* One line for the icon's title and tooltip. */
char *e7_tray_menu_dup_title(E7TrayMenu *self);
/* The menu; it follows the state. */
GMenuModel *e7_tray_menu_get_model(E7TrayMenu *self);

/* The icon (theme name) for a status. */
const char *e7_tray_icon_name(E7TrayStatus status);
/* The label of a firewall mode ("ask", ...), or NULL for an unknown one. */
const char *e7_tray_mode_label(const char *mode);

G_END_DECLS
