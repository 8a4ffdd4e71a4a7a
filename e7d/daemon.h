/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e7d's parts, wired together: the rule store, the kernel synchronisation,
 * the firewall state, the event log, the agents and their prompts, and the
 * D-Bus service in front of them.  The daemon routes the kernel's events to
 * the parts and reloads its files (E7DaemonPaths); the parts follow each
 * other through GObject signals, never through the daemon.
 */
#pragma once

#include "auth.h"
#include "kernel.h"

G_BEGIN_DECLS

typedef struct _E7Daemon E7Daemon;

/* What e7d reads and writes.  It never writes the administrator's files. */
typedef struct {
	const char *conf; /* e7d.conf: read */
	const char *rules_dir; /* rules.d: read; NULL: none */
	const char *rules; /* e7d's own rules file: read and written */
	const char *settings; /* settings changed through D-Bus: written */
	const char *legacy_rules; /* moved to @rules once; NULL: none */
} E7DaemonPaths;

/* Takes ownership of @kernel (NULL: no module, e7d --no-kernel) and @auth;
 * the kernel's events go to the daemon's parts from now on. A rules file
 * with errors is reported through @error but the daemon is still created:
 * the rules in the kernel stay in force and persistent changes are refused
 * until a Reload succeeds.  Nothing goes to the kernel before
 * e7_daemon_resync(). */
E7Daemon *e7_daemon_new(GDBusConnection *bus, E7Kernel *kernel, E7Auth *auth,
			const E7DaemonPaths *paths, GError **error);
void e7_daemon_free(E7Daemon *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Daemon, e7_daemon_free)

gboolean e7_daemon_export(E7Daemon *self, GError **error);
/* Re-reads rules.d, the rules file, e7d.conf and the settings (SIGHUP,
 * Reload). */
gboolean e7_daemon_reload(E7Daemon *self, GError **error);
/* Pushes settings and rules to the kernel and adopts what is there; a
 * resync asked for meanwhile runs after it. */
void e7_daemon_resync(E7Daemon *self);
/* Completes when no resync is running (at once when none is). */
void e7_daemon_wait_synced(E7Daemon *self, GAsyncReadyCallback callback,
			   gpointer user_data);
gboolean e7_daemon_wait_synced_finish(GAsyncResult *res, GError **error);

G_END_DECLS
