/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The status icon as a StatusNotifierItem (libayatana-appindicator3). */
#include "config.h"

#include "tray.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>

struct _E7Tray {
	AppIndicator *indicator;
	GtkWidget *menu;
	E7TrayMenu *model;
	gulong changed_id;
};

static void update(E7TrayMenu *model, E7Tray *tray)
{
	E7TrayStatus status = e7_tray_menu_get_status(model);
	g_autofree char *title = e7_tray_menu_dup_title(model);
	g_autofree char *label = NULL;
	guint pending = e7_tray_menu_get_pending(model);

	app_indicator_set_icon_full(tray->indicator, e7_tray_icon_name(status),
				    title);
	app_indicator_set_title(tray->indicator, title);
	/* The count next to the icon, where the host shows labels. */
	if (pending > 0)
		label = g_strdup_printf("%u", pending);
	app_indicator_set_label(tray->indicator, label ? label : "", "99");
	app_indicator_set_status(tray->indicator,
				 status == E7_TRAY_ATTENTION ?
					 APP_INDICATOR_STATUS_ATTENTION :
					 APP_INDICATOR_STATUS_ACTIVE);
}

E7Tray *e7_tray_new(GActionGroup *app_actions, E7TrayMenu *model)
{
	E7Tray *tray = g_new0(E7Tray, 1);

	tray->model = g_object_ref(model);
	tray->indicator =
		app_indicator_new("e7-applet", e7_tray_icon_name(E7_TRAY_OFF),
				  APP_INDICATOR_CATEGORY_SYSTEM_SERVICES);
	app_indicator_set_attention_icon_full(
		tray->indicator, e7_tray_icon_name(E7_TRAY_ATTENTION),
		_("Programs are waiting for an answer"));
	tray->menu = gtk_menu_new_from_model(e7_tray_menu_get_model(model));
	g_object_ref_sink(tray->menu);
	gtk_widget_insert_action_group(tray->menu, "app", app_actions);
	app_indicator_set_menu(tray->indicator, GTK_MENU(tray->menu));
	tray->changed_id =
		g_signal_connect(model, "changed", G_CALLBACK(update), tray);
	update(model, tray);
	return tray;
}

void e7_tray_free(E7Tray *tray)
{
	if (!tray)
		return;
	g_clear_signal_handler(&tray->changed_id, tray->model);
	g_clear_object(&tray->indicator);
	if (tray->menu)
		gtk_widget_destroy(tray->menu);
	g_clear_object(&tray->menu);
	g_clear_object(&tray->model);
	g_free(tray);
}
