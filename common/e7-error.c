// SPDX-License-Identifier: GPL-2.0-or-later
#include "e7-error.h"

#define E7_ERROR_NAME(s) "org.eftirlit7.Firewall1.Error." s

static const GDBusErrorEntry e7_error_entries[] = {
	{ E7_ERROR_NOT_AUTHORIZED, E7_ERROR_NAME("NotAuthorized") },
	{ E7_ERROR_INVALID_ARGS, E7_ERROR_NAME("InvalidArgs") },
	{ E7_ERROR_NO_SUCH_RULE, E7_ERROR_NAME("NoSuchRule") },
	{ E7_ERROR_KERNEL_MODULE_MISSING,
	  E7_ERROR_NAME("KernelModuleMissing") },
	{ E7_ERROR_FAILED, E7_ERROR_NAME("Failed") },
	{ E7_ERROR_CANCELLED, E7_ERROR_NAME("Cancelled") },
	{ E7_ERROR_ACCESS_DENIED, E7_ERROR_NAME("AccessDenied") },
	{ E7_ERROR_EXISTS, E7_ERROR_NAME("Exists") },
	{ E7_ERROR_LIMIT_EXCEEDED, E7_ERROR_NAME("LimitExceeded") },
	{ E7_ERROR_READ_ONLY, E7_ERROR_NAME("ReadOnly") },
};

GQuark e7_error_quark(void)
{
	static gsize quark;

	g_dbus_error_register_error_domain("e7-error-quark", &quark,
					   e7_error_entries,
					   G_N_ELEMENTS(e7_error_entries));
	return (GQuark)quark;
}
