// SPDX-License-Identifier: GPL-2.0-or-later
#include "dbus-call.h"

E7Call *e7_call_new(const E7ServiceParts *parts,
		    GDBusMethodInvocation *invocation, const E7Method *method)
{
	E7Call *call = g_new0(E7Call, 1);

	call->parts = parts;
	call->inv = g_object_ref(invocation);
	call->params = g_dbus_method_invocation_get_parameters(invocation);
	call->method = method;
	return call;
}

static void call_free(E7Call *call)
{
	g_object_unref(call->inv);
	e7_rule_free(call->rule);
	if (call->reply)
		g_variant_unref(call->reply);
	g_free(call);
}

void e7_call_error(E7Call *call, GError *error)
{
	g_dbus_method_invocation_return_gerror(call->inv, error);
	call_free(call);
}

void e7_call_return(E7Call *call, GVariant *value)
{
	g_dbus_method_invocation_return_value(call->inv, value);
	call_free(call);
}

static gpointer job_barrier(E7Kernel *k, gpointer data, GError **error)
{
	return E7_KERNEL_JOB_OK;
}

static void on_barrier(GObject *source, GAsyncResult *res, gpointer user_data)
{
	E7Call *call = user_data;

	g_dbus_method_invocation_return_value(call->inv, call->reply);
	call_free(call);
}

void e7_call_return_after_kernel(E7Call *call, GVariant *value)
{
	if (!e7_kernel_check(call->parts->kernel, NULL)) {
		e7_call_return(call, value);
		return;
	}
	call->reply = value ? g_variant_ref_sink(value) : NULL;
	e7_kernel_job(call->parts->kernel, job_barrier, NULL, NULL, NULL,
		      call->parts->cancel, on_barrier, call);
}

const char *e7_decide_info(E7Call *call, GError **error)
{
	return E7_ACTION_INFO;
}

const char *e7_decide_system(E7Call *call, GError **error)
{
	return E7_ACTION_RULES_SYSTEM;
}

const char *e7_decide_own(E7Call *call, GError **error)
{
	return E7_ACTION_RULES_OWN;
}
