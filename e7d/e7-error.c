// SPDX-License-Identifier: GPL-2.0-or-later
#include "e7-error.h"

static const GDBusErrorEntry e7_error_entries[] = {
	{ E7_ERROR_NOT_AUTHORIZED,
	  "org.eftirlit7.Firewall1.Error.NotAuthorized" },
	{ E7_ERROR_INVALID_ARGS, "org.eftirlit7.Firewall1.Error.InvalidArgs" },
	{ E7_ERROR_NO_SUCH_RULE, "org.eftirlit7.Firewall1.Error.NoSuchRule" },
	{ E7_ERROR_KERNEL_MODULE_MISSING,
	  "org.eftirlit7.Firewall1.Error.KernelModuleMissing" },
	{ E7_ERROR_FAILED, "org.eftirlit7.Firewall1.Error.Failed" },
	{ E7_ERROR_CANCELLED, "org.eftirlit7.Firewall1.Error.Cancelled" },
};

GQuark e7_error_quark(void)
{
	static gsize quark;

	g_dbus_error_register_error_domain("e7-error-quark", &quark,
					   e7_error_entries,
					   G_N_ELEMENTS(e7_error_entries));
	return (GQuark)quark;
}
