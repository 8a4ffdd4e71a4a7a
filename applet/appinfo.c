/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "appinfo.h"

#include <gio/gdesktopappinfo.h>
#include <stdlib.h>

void e7_app_info_free(E7AppInfo *info)
{
	if (!info)
		return;
	g_free(info->name);
	g_clear_object(&info->icon);
	g_free(info);
}

static E7AppInfo *from_app_info(GAppInfo *app)
{
	E7AppInfo *info = g_new0(E7AppInfo, 1);
	GIcon *icon = g_app_info_get_icon(app);

	info->name = g_strdup(g_app_info_get_name(app));
	info->icon = icon ? g_object_ref(icon) : NULL;
	return info;
}

static gboolean same_program(GAppInfo *app, const char *program)
{
	const char *exec = g_app_info_get_executable(app);
	g_autofree char *path = NULL;
	g_autofree char *target = NULL;

	if (!exec || !*exec)
		return FALSE;
	path = g_find_program_in_path(exec);
	if (!path)
		return FALSE;
	if (g_str_equal(path, program))
		return TRUE;
	/* /usr/bin/firefox may be a symlink to the real executable in the request. */
	target = realpath(path, NULL);
	return target && g_str_equal(target, program);
}

E7AppInfo *e7_app_info_lookup_sync(const char *desktop_id, const char *program,
				   GError **error)
{
	if (desktop_id && *desktop_id) {
		g_autoptr(GDesktopAppInfo)
			app = g_desktop_app_info_new(desktop_id);

		if (app)
			return from_app_info(G_APP_INFO(app));
	}
	if (program && *program) {
		GList *all = g_app_info_get_all();
		E7AppInfo *found = NULL;

		for (GList *l = all; l && !found; l = l->next) {
			if (same_program(l->data, program))
				found = from_app_info(l->data);
		}
		g_list_free_full(all, g_object_unref);
		if (found)
			return found;
	}
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
		    "no desktop file describes %s",
		    program    ? program :
		    desktop_id ? desktop_id :
				 "this program");
	return NULL;
}

typedef struct {
	char *desktop_id;
	char *program;
} LookupData;

static void lookup_data_free(LookupData *d)
{
	g_free(d->desktop_id);
	g_free(d->program);
	g_free(d);
}

static void lookup_thread(GTask *task, gpointer source, gpointer task_data,
			  GCancellable *cancellable)
{
	LookupData *d = task_data;
	GError *error = NULL;
	E7AppInfo *info =
		e7_app_info_lookup_sync(d->desktop_id, d->program, &error);

	if (info)
		g_task_return_pointer(task, info,
				      (GDestroyNotify)e7_app_info_free);
	else
		g_task_return_error(task, error);
}

void e7_app_info_lookup_async(E7Request *request, GCancellable *cancellable,
			      GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask)
		task = g_task_new(NULL, cancellable, callback, user_data);
	LookupData *d = g_new0(LookupData, 1);

	d->desktop_id = g_strdup(request->desktop_id);
	d->program = g_strdup(request->program);
	g_task_set_source_tag(task, e7_app_info_lookup_async);
	g_task_set_task_data(task, d, (GDestroyNotify)lookup_data_free);
	g_task_set_return_on_cancel(task, TRUE);
	g_task_run_in_thread(task, lookup_thread);
}

E7AppInfo *e7_app_info_lookup_finish(GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}
