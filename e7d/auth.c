// SPDX-License-Identifier: GPL-2.0-or-later
#include "auth.h"

#include <glib/gi18n.h>
#include <polkit/polkit.h>

#include "e7-error.h"

E7Auth *e7_auth_new(E7AuthCheckFunc check, gpointer data,
		    GDestroyNotify data_free, gboolean trust_root)
{
	E7Auth *auth = g_new0(E7Auth, 1);

	auth->trust_root = trust_root;
	auth->check = check;
	auth->data = data;
	auth->data_free = data_free;
	return auth;
}

void e7_auth_free(E7Auth *auth)
{
	if (!auth)
		return;
	if (auth->data_free)
		auth->data_free(auth->data);
	g_free(auth);
}

static void polkit_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(PolkitAuthorizationResult)
		result = polkit_authority_check_authorization_finish(
			POLKIT_AUTHORITY(source), res, &error);

	if (!result) {
		g_task_return_new_error(
			task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			/* TRANSLATORS: a polkit action id such as org.eftirlit7.firewall.configure, then the reason */
			_("cannot check authorization for %s: %s"),
			(const char *)g_task_get_task_data(task),
			error->message);
	} else if (polkit_authorization_result_get_is_authorized(result)) {
		g_task_return_boolean(task, TRUE);
	} else if (polkit_authorization_result_get_is_challenge(result)) {
		g_task_return_new_error(
			task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			/* TRANSLATORS: %s is a polkit action id such as org.eftirlit7.firewall.configure */
			_("authentication is required for %s"),
			(const char *)g_task_get_task_data(task));
	} else {
		g_task_return_new_error(
			task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			/* TRANSLATORS: %s is a polkit action id such as org.eftirlit7.firewall.configure */
			_("not authorized for %s"),
			(const char *)g_task_get_task_data(task));
	}
}

static void polkit_check(E7Auth *auth, GDBusConnection *bus, const char *sender,
			 const char *action_id, GAsyncReadyCallback callback,
			 gpointer user_data)
{
	GTask *task = g_task_new(NULL, NULL, callback, user_data);
	g_autoptr(PolkitSubject) subject = polkit_system_bus_name_new(sender);

	g_task_set_task_data(task, g_strdup(action_id), g_free);
	polkit_authority_check_authorization(
		POLKIT_AUTHORITY(auth->data), subject, action_id, NULL,
		POLKIT_CHECK_AUTHORIZATION_FLAGS_ALLOW_USER_INTERACTION, NULL,
		polkit_done, task);
}

E7Auth *e7_auth_new_polkit(GError **error)
{
	g_autoptr(GError) local = NULL;
	PolkitAuthority *authority = polkit_authority_get_sync(NULL, &local);

	if (!authority) {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED,
			    _("cannot reach polkit: %s"), local->message);
		return NULL;
	}
	return e7_auth_new(polkit_check, authority, g_object_unref, TRUE);
}

void e7_auth_check_async(E7Auth *auth, GDBusConnection *bus, const char *sender,
			 guint32 uid, const char *action_id,
			 GAsyncReadyCallback callback, gpointer user_data)
{
	if (uid == 0 && auth->trust_root) {
		g_autoptr(GTask)
			task = g_task_new(NULL, NULL, callback, user_data);

		g_task_return_boolean(task, TRUE);
		return;
	}
	auth->check(auth, bus, sender, action_id, callback, user_data);
}

gboolean e7_auth_check_finish(GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void credentials_done(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = g_dbus_connection_call_finish(
		G_DBUS_CONNECTION(source), res, &error);
	g_autoptr(GVariant) dict = NULL;
	E7Caller *caller;

	if (!ret) {
		g_task_return_new_error(task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
					_("cannot identify the caller: %s"),
					error->message);
		return;
	}
	dict = g_variant_get_child_value(ret, 0);
	caller = g_new0(E7Caller, 1);
	if (!g_variant_lookup(dict, "UnixUserID", "u", &caller->uid)) {
		g_free(caller);
		g_task_return_new_error(
			task, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			_("cannot identify the caller: no uid"));
		return;
	}
	g_variant_lookup(dict, "ProcessID", "u", &caller->pid);
	g_task_return_pointer(task, caller, g_free);
}

void e7_auth_get_caller_async(GDBusConnection *bus, const char *sender,
			      GAsyncReadyCallback callback, gpointer user_data)
{
	GTask *task = g_task_new(NULL, NULL, callback, user_data);

	g_dbus_connection_call(
		bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus", "GetConnectionCredentials",
		g_variant_new("(s)", sender), G_VARIANT_TYPE("(a{sv})"),
		G_DBUS_CALL_FLAGS_NONE, -1, NULL, credentials_done, task);
}

gboolean e7_auth_get_caller_finish(GAsyncResult *result, E7Caller *caller,
				   GError **error)
{
	g_autofree E7Caller *c =
		g_task_propagate_pointer(G_TASK(result), error);

	if (!c)
		return FALSE;
	*caller = *c;
	return TRUE;
}
