// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include "ctl.h"

#include <glib/gi18n.h>

#include "e7-error.h"

/* e7d is not on the bus and the bus could not start it (no service file,
 * or systemd has no such unit: e7d.service disabled, masked or not
 * installed): say what to do, not what D-Bus said. */
static gboolean daemon_missing(const GError *error)
{
	g_autofree char *remote = NULL;

	if (g_error_matches(error, G_DBUS_ERROR,
			    G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	    g_error_matches(error, G_DBUS_ERROR,
			    G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		return TRUE;
	if (error->domain == G_DBUS_ERROR &&
	    error->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED &&
	    error->code <= G_DBUS_ERROR_SPAWN_NO_MEMORY)
		return TRUE;
	remote = g_dbus_error_get_remote_error(error);
	return remote && g_str_has_prefix(remote, "org.freedesktop.systemd1.");
}

int e7ctl_error_exit(GError *error)
{
	int code = EXIT_FAILED;

	if (g_error_matches(error, E7_ERROR, E7_ERROR_NOT_AUTHORIZED) ||
	    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
		code = EXIT_NOT_AUTHORIZED;
	else if (g_error_matches(error, E7_ERROR, E7_ERROR_INVALID_ARGS))
		code = EXIT_USAGE;
	else if (g_error_matches(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE))
		code = EXIT_NO_SUCH_RULE;
	else if (g_error_matches(error, E7_ERROR,
				 E7_ERROR_KERNEL_MODULE_MISSING))
		code = EXIT_NO_MODULE;
	if (daemon_missing(error))
		return e7ctl_no_daemon_exit(error);
	g_dbus_error_strip_remote_error(error);
	g_printerr("e7ctl: %s\n", error->message);
	return code;
}

int e7ctl_no_daemon_exit(GError *error)
{
	g_dbus_error_strip_remote_error(error);
	g_printerr(_("e7ctl: the firewall daemon e7d is not running "
		     "(start it with: systemctl start e7d)\n"));
	g_printerr("e7ctl: (%s)\n", error->message);
	return EXIT_NO_DAEMON;
}

int e7ctl_usage_error(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_printerr("e7ctl: %s (see e7ctl --help)\n", msg);
	return EXIT_USAGE;
}

char *e7ctl_join_args(char **argv, int argc)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	g_auto(GStrv) v = NULL;

	for (int i = 0; i < argc; i++)
		g_strv_builder_add(b, argv[i]);
	v = g_strv_builder_end(b);
	return g_strjoinv(" ", v);
}

gboolean e7ctl_is_number(const char *s)
{
	guint64 v;

	return s && g_ascii_isdigit(s[0]) &&
	       g_ascii_string_to_unsigned(s, 10, 1, G_MAXUINT64, &v, NULL);
}
