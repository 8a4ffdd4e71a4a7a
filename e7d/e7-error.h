/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named D-Bus errors of org.eftirlit7.Firewall1, as a GError domain. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define E7_ERROR (e7_error_quark())

typedef enum {
	E7_ERROR_NOT_AUTHORIZED,
	E7_ERROR_INVALID_ARGS,
	E7_ERROR_NO_SUCH_RULE,
	E7_ERROR_KERNEL_MODULE_MISSING,
	E7_ERROR_FAILED,
	E7_ERROR_CANCELLED,
} E7Error;

GQuark e7_error_quark(void);

G_END_DECLS
