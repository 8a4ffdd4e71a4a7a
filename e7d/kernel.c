// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel.h"

#include "e7-error.h"

E7Flow *e7_flow_new(void)
{
	E7Flow *flow = g_new0(E7Flow, 1);

	flow->direction = E7_DIR_OUT;
	return flow;
}

E7Flow *e7_flow_copy(const E7Flow *flow)
{
	E7Flow *copy = g_memdup2(flow, sizeof(*flow));

	copy->program = g_strdup(flow->program);
	copy->cmdline = g_strdup(flow->cmdline);
	copy->remote_address = g_strdup(flow->remote_address);
	return copy;
}

void e7_flow_free(E7Flow *flow)
{
	if (!flow)
		return;
	g_free(flow->program);
	g_free(flow->cmdline);
	g_free(flow->remote_address);
	g_free(flow);
}

void e7_kernel_free(E7Kernel *k)
{
	if (k)
		k->ops->free(k);
}

gboolean e7_kernel_check(E7Kernel *k, GError **error)
{
	if (k && k->ops->is_connected(k))
		return TRUE;
	g_set_error_literal(
		error, E7_ERROR, E7_ERROR_KERNEL_MODULE_MISSING,
		"the eftirlit7 kernel module is not loaded (modprobe eftirlit7)");
	return FALSE;
}

#define E7_X_MODE_NAME(n, v, s) [v] = s,
static const char *const mode_names[] = { E7_MODES(E7_X_MODE_NAME) };
#undef E7_X_MODE_NAME

const char *e7_mode_to_string(guint8 mode)
{
	return mode < G_N_ELEMENTS(mode_names) && mode_names[mode] ?
		       mode_names[mode] :
		       "unknown";
}

gboolean e7_mode_from_string(const char *s, guint8 *mode)
{
	for (guint i = 0; s && i < G_N_ELEMENTS(mode_names); i++) {
		if (mode_names[i] && g_str_equal(mode_names[i], s)) {
			*mode = i;
			return TRUE;
		}
	}
	return FALSE;
}
