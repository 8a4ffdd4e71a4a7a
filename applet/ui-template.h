/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The applet's GtkBuilder templates, compiled in from e7-applet.gresource.xml. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A widget class's template: the .ui file of that name in the resources. */
void e7_ui_template_set(GtkWidgetClass *widget_class, const char *ui_file);

G_END_DECLS
