/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Authorization of D-Bus callers: the caller's uid from the bus, and a
 * polkit check with the caller's bus name as the subject. The checker is a
 * seam so that unit tests can run without polkitd.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define E7_ACTION_INFO "org.eftirlit7.firewall.info"
#define E7_ACTION_INFO_ALL_USERS "org.eftirlit7.firewall.info.all-users"
#define E7_ACTION_RULES_OWN "org.eftirlit7.firewall.rules.own"
#define E7_ACTION_RULES_SYSTEM "org.eftirlit7.firewall.rules.system"
#define E7_ACTION_CONFIGURE "org.eftirlit7.firewall.configure"

typedef struct _E7Auth E7Auth;

/* Starts a check of @action_id for @sender; the callback's result is
 * finished with e7_auth_check_finish(). */
typedef void (*E7AuthCheckFunc)(E7Auth *auth, GDBusConnection *bus,
				const char *sender, const char *action_id,
				GAsyncReadyCallback callback,
				gpointer user_data);

struct _E7Auth {
	E7AuthCheckFunc check;
	gboolean trust_root; /* uid 0 is authorized without asking */
	gpointer data;
	GDestroyNotify data_free;
};

/* The real checker (libpolkit-gobject-1). */
E7Auth *e7_auth_new_polkit(GError **error);
E7Auth *e7_auth_new(E7AuthCheckFunc check, gpointer data,
		    GDestroyNotify data_free, gboolean trust_root);
void e7_auth_free(E7Auth *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Auth, e7_auth_free)

/* With @trust_root, callers with uid 0 are authorized without asking. */
void e7_auth_check_async(E7Auth *auth, GDBusConnection *bus, const char *sender,
			 guint32 uid, const char *action_id,
			 GAsyncReadyCallback callback, gpointer user_data);
/* Fails with E7_ERROR_NOT_AUTHORIZED. */
gboolean e7_auth_check_finish(GAsyncResult *result, GError **error);

/* Who a bus name is: its uid and pid, in one round trip
 * (org.freedesktop.DBus.GetConnectionCredentials); pid is 0 when the bus
 * does not know it. */
typedef struct {
	guint32 uid;
	guint32 pid;
} E7Caller;

void e7_auth_get_caller_async(GDBusConnection *bus, const char *sender,
			      GAsyncReadyCallback callback, gpointer user_data);
gboolean e7_auth_get_caller_finish(GAsyncResult *result, E7Caller *caller,
				   GError **error);

G_END_DECLS
