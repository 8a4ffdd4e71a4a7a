// SPDX-License-Identifier: GPL-2.0-or-later
#include "session.h"

#define LOGIN1_NAME "org.freedesktop.login1"

struct _E7Session {
	GDBusConnection *bus;
	GCancellable *cancel;
	GDBusProxy *proxy; /* org.freedesktop.login1.Session, once known */
};

/* Callbacks run after the session was freed only with G_IO_ERROR_CANCELLED:
 * they look at @user_data only when there is no such error. */
static gboolean lookup_failed(GError *error, const char *what)
{
	if (!error)
		return FALSE;
	if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		g_debug("no logind session for an agent (%s): %s", what,
			error->message);
	return TRUE;
}

static void on_proxy(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	GDBusProxy *proxy = g_dbus_proxy_new_finish(res, &error);

	if (lookup_failed(error, "session object"))
		return;
	((E7Session *)user_data)->proxy = proxy;
}

static void on_session_path(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = g_dbus_connection_call_finish(
		G_DBUS_CONNECTION(source), res, &error);
	E7Session *session = user_data;
	const char *path;

	if (lookup_failed(error, "GetSessionByPID"))
		return;
	g_variant_get(ret, "(&o)", &path);
	g_dbus_proxy_new(session->bus, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
			 NULL, LOGIN1_NAME, path,
			 "org.freedesktop.login1.Session", session->cancel,
			 on_proxy, session);
}

E7Session *e7_session_new(GDBusConnection *bus, guint32 pid)
{
	E7Session *session = g_new0(E7Session, 1);

	session->bus = g_object_ref(bus);
	session->cancel = g_cancellable_new();
	if (pid == 0)
		return session; /* unknown: it stays inactive */
	g_dbus_connection_call(bus, LOGIN1_NAME, "/org/freedesktop/login1",
			       "org.freedesktop.login1.Manager",
			       "GetSessionByPID", g_variant_new("(u)", pid),
			       G_VARIANT_TYPE("(o)"),
			       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
			       session->cancel, on_session_path, session);
	return session;
}

void e7_session_free(E7Session *session)
{
	if (!session)
		return;
	g_cancellable_cancel(session->cancel);
	g_clear_object(&session->cancel);
	g_clear_object(&session->proxy);
	g_object_unref(session->bus);
	g_free(session);
}

gboolean e7_session_is_active(E7Session *session)
{
	g_autoptr(GVariant) active = NULL;

	if (!session || !session->proxy)
		return FALSE;
	active = g_dbus_proxy_get_cached_property(session->proxy, "Active");
	return active && g_variant_is_of_type(active, G_VARIANT_TYPE_BOOLEAN) &&
	       g_variant_get_boolean(active);
}
