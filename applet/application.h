/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The e7-applet GtkApplication: one instance per session. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define E7_APPLET_ID "org.eftirlit7.Applet"

#define E7_TYPE_APPLICATION (e7_application_get_type())
G_DECLARE_FINAL_TYPE(E7Application, e7_application, E7, APPLICATION,
		     GtkApplication)

E7Application *e7_application_new(void);

G_END_DECLS
