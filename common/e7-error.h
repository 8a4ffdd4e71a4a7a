/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one error domain of e7d, e7ctl and the applet.  Each code is a named
 * D-Bus error (org.eftirlit7.Firewall1.Error.*), so a GError crosses the bus
 * and comes back as the same code: compare with g_error_matches(), never by
 * name.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define E7_ERROR (e7_error_quark())

typedef enum {
	E7_ERROR_NOT_AUTHORIZED, /* polkit said no */
	E7_ERROR_INVALID_ARGS, /* bad rule, filter, flag or answer */
	E7_ERROR_NO_SUCH_RULE, /* no rule (or held flow) with that id */
	E7_ERROR_KERNEL_MODULE_MISSING, /* eftirlit7.ko is not loaded */
	E7_ERROR_FAILED, /* anything else: the message says what */
	E7_ERROR_CANCELLED, /* a prompt was withdrawn or dismissed */
	E7_ERROR_ACCESS_DENIED, /* an agent refused a caller */
	E7_ERROR_EXISTS, /* an agent already shows that prompt */
	E7_ERROR_LIMIT_EXCEEDED, /* an agent has too many prompts open */
	E7_ERROR_READ_ONLY, /* a rule of the administrator's rules.d */
} E7Error;

GQuark e7_error_quark(void);

G_END_DECLS
