// SPDX-License-Identifier: GPL-2.0-or-later
#include "program-hash.h"

#include <glib/gi18n.h>

#include "e7-error.h"

/* Programs larger than this are not hashed (no executable is). */
#define E7_PROGRAM_MAX_BYTES (1024 * 1024 * 1024)

static char *checksum_file(GChecksumType type, const char *path, GError **error)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileInputStream) in = g_file_read(file, NULL, error);
	g_autoptr(GChecksum) sum = g_checksum_new(type);
	guchar buf[65536];
	gsize total = 0;
	gssize n;

	if (!in)
		return NULL;
	while ((n = g_input_stream_read(G_INPUT_STREAM(in), buf, sizeof(buf),
					NULL, error)) > 0) {
		total += n;
		if (total > E7_PROGRAM_MAX_BYTES) {
			g_set_error(error, E7_ERROR, E7_ERROR_FAILED,
				    _("%s is too large to be a program"), path);
			return NULL;
		}
		g_checksum_update(sum, buf, n);
	}
	if (n < 0)
		return NULL;
	return g_strdup(g_checksum_get_string(sum));
}

char *e7_program_sha256(const char *path, GError **error)
{
	return checksum_file(G_CHECKSUM_SHA256, path, error);
}

char *e7_program_md5(const char *path, GError **error)
{
	return checksum_file(G_CHECKSUM_MD5, path, error);
}

static void hash_in_thread(GTask *task, gpointer source, gpointer data,
			   GCancellable *cancel)
{
	const char *const *paths = data;
	GError *error = NULL;

	for (guint i = 0; paths[i]; i++) {
		char *sha;

		g_clear_error(&error);
		sha = e7_program_sha256(paths[i], &error);
		if (sha) {
			g_task_return_pointer(task, sha, g_free);
			return;
		}
	}
	g_task_return_error(task, error);
}

void e7_program_sha256_async(const char *path, const char *fallback,
			     GCancellable *cancel, GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancel, callback, user_data);
	char **paths = g_new0(char *, 3);

	paths[0] = g_strdup(path);
	paths[1] = g_strdup(fallback);
	g_task_set_task_data(task, paths, (GDestroyNotify)g_strfreev);
	g_task_run_in_thread(task, hash_in_thread);
}

char *e7_program_sha256_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}
