// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding the .desktop entry of a program for prompts. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "desktop.h"

static char *data_dir;

static void test_lookup(void)
{
	g_autofree char *sh = g_find_program_in_path("sh");
	char *real = sh ? realpath(sh, NULL) : NULL;
	GAppInfo *app;

	g_assert_nonnull(real);
	app = e7_desktop_lookup(real);
	g_assert_nonnull(app);
	g_assert_cmpstr(g_app_info_get_name(app), ==, "E7 Test Shell");
	g_assert_cmpstr(g_app_info_get_id(app), ==, "e7-test-shell.desktop");
	g_assert_null(e7_desktop_lookup("/nonexistent/program"));
	g_assert_null(e7_desktop_lookup("relative"));
	g_assert_null(e7_desktop_lookup(NULL));
	free(real);
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *apps = NULL, *file = NULL;
	int r;

	data_dir = g_dir_make_tmp("e7d-desktop-XXXXXX", &error);
	g_assert_no_error(error);
	apps = g_build_filename(data_dir, "applications", NULL);
	g_mkdir(apps, 0700);
	file = g_build_filename(apps, "e7-test-shell.desktop", NULL);
	g_assert_true(g_file_set_contents(
		file,
		"[Desktop Entry]\nType=Application\nName=E7 Test Shell\n"
		"Exec=sh -c true\nIcon=utilities-terminal\n",
		-1, NULL));
	g_setenv("XDG_DATA_DIRS", data_dir, TRUE);
	g_setenv("XDG_DATA_HOME", data_dir, TRUE);
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/e7d/desktop/lookup", test_lookup);
	r = g_test_run();
	g_unlink(file);
	g_rmdir(apps);
	g_rmdir(data_dir);
	return r;
}
