/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every e7ctl command shares: the typed proxy of e7d, the options, and
 * how a failure becomes a message and an exit code (e7ctl(1)). */
#pragma once

#include "e7-dbus.h"

G_BEGIN_DECLS

/* Exit codes (e7ctl(1)). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_AUTHORIZED = 3,
	EXIT_NO_SUCH_RULE = 4,
	EXIT_NO_MODULE = 5,
	EXIT_NO_DAEMON = 6,
};

typedef struct {
	E7Firewall1 *proxy;
	gboolean json; /* --json */
	gboolean follow; /* log --follow */
	gint count; /* log --count */
	gboolean all_users; /* log --all-users (root: always) */
} Ctl;

/* Prints @error and returns the exit code it means. */
int e7ctl_error_exit(GError *error);
/* e7d could not be reached or started (@error says how): says what to do
 * and returns EXIT_NO_DAEMON. */
int e7ctl_no_daemon_exit(GError *error);
/* Prints a usage error and returns EXIT_USAGE. */
int e7ctl_usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* The words of @argv joined with spaces. */
char *e7ctl_join_args(char **argv, int argc);
/* A rule id: digits only. */
gboolean e7ctl_is_number(const char *s);

G_END_DECLS
