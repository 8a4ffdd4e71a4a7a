/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The program's name and icon from its .desktop file, looked up off the main loop. */
#pragma once

#include <gio/gio.h>

#include "request.h"

G_BEGIN_DECLS

typedef struct {
	char *name; /* nullable */
	GIcon *icon; /* nullable */
} E7AppInfo;

void e7_app_info_free(E7AppInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7AppInfo, e7_app_info_free)

/*
 * Uses the request's "desktop-id" if the daemon gave one, else looks for a
 * desktop file whose Exec resolves to the request's program. Fails with
 * G_IO_ERROR_NOT_FOUND when nothing describes the program.
 */
void e7_app_info_lookup_async(E7Request *request, GCancellable *cancellable,
			      GAsyncReadyCallback callback, gpointer user_data);
E7AppInfo *e7_app_info_lookup_finish(GAsyncResult *result, GError **error);

/* The synchronous part, exposed for tests; call it only from a worker thread. */
E7AppInfo *e7_app_info_lookup_sync(const char *desktop_id, const char *program,
				   GError **error);

G_END_DECLS
