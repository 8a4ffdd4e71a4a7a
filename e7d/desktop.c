// SPDX-License-Identifier: GPL-2.0-or-later
#include "desktop.h"

#include <stdlib.h>

static GHashTable *index_by_path; /* resolved executable -> GAppInfo */
static GAppInfoMonitor *monitor;

static void on_changed(GAppInfoMonitor *m, gpointer user_data)
{
	g_clear_pointer(&index_by_path, g_hash_table_unref);
}

static void build_index(void)
{
	GList *apps = g_app_info_get_all();

	index_by_path = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      g_object_unref);
	for (GList *l = apps; l; l = l->next) {
		const char *exe = g_app_info_get_executable(l->data);
		g_autofree char *found = exe ? g_find_program_in_path(exe) :
					       NULL;
		char *real = found ? realpath(found, NULL) : NULL;

		if (real && !g_hash_table_contains(index_by_path, real) &&
		    g_app_info_should_show(l->data))
			g_hash_table_insert(index_by_path, real,
					    g_object_ref(l->data));
		else
			free(real);
	}
	g_list_free_full(apps, g_object_unref);
	if (!monitor) {
		monitor = g_app_info_monitor_get();
		g_signal_connect(monitor, "changed", G_CALLBACK(on_changed),
				 NULL);
	}
}

GAppInfo *e7_desktop_lookup(const char *program)
{
	if (!program || program[0] != '/')
		return NULL;
	if (!index_by_path)
		build_index();
	return g_hash_table_lookup(index_by_path, program);
}
