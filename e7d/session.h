/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The logind session of a bus peer (an agent), looked up asynchronously
 * from its pid (org.freedesktop.login1 GetSessionByPID) and followed
 * through the cached Active property of the session. Without logind it
 * stays unknown.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _E7Session E7Session;

/* Starts the lookup of the session of process @pid (0: unknown). */
E7Session *e7_session_new(GDBusConnection *bus, guint32 pid);
void e7_session_free(E7Session *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Session, e7_session_free)

/* TRUE when the session is known and active (in the foreground of its
 * seat); FALSE while unknown, without logind, or for background sessions. */
gboolean e7_session_is_active(E7Session *session);

G_END_DECLS
