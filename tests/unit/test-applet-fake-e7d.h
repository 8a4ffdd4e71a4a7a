/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake e7d for the applet's tests: on a private bus (GTestDBus) it owns
 * org.eftirlit7.Firewall1 and implements the interface from its description
 * in data/, with two rules, three recent events, counters, the properties,
 * RegisterAgent, and errors by their D-Bus names as e7d sends them.
 */
#pragma once

#include <gio/gio.h>

typedef struct {
	GDBusConnection *conn; /* while started */
	guint object_id;
	guint owner_id;
	gboolean owned;
	GPtrArray *rules; /* GVariant a{sv} with "id" */
	guint64 next_id;
	GVariant *last_added; /* the last AddRule() argument */
	GVariant *last_changes; /* the last UpdateRule() changes */
	guint set_mode_calls;
	gboolean accept_mode; /* SetMode() succeeds (default: NotAuthorized) */
	char *mode; /* the Mode property */
	guint registrations; /* RegisterAgent() calls */
	gboolean refuse_agent; /* answer RegisterAgent() with NotAuthorized */
	char *agent_owner; /* the caller of the last RegisterAgent() */
	char *agent_path; /* and its argument */
	GPtrArray *event_watchers; /* WatchEvents() callers, as e7d forgets
				    * them when it stops */
} E7FakeDaemon;

/* A client connection to the test bus. */
GDBusConnection *e7_test_connect_bus(GTestDBus *bus);

E7FakeDaemon *e7_fake_daemon_new(void);
void e7_fake_daemon_free(E7FakeDaemon *d);
/* Connect, export the object and own the name (waits until it is owned). */
void e7_fake_daemon_start(E7FakeDaemon *d, GTestDBus *bus);
/* Leave the bus, as a daemon that stops. */
void e7_fake_daemon_stop(E7FakeDaemon *d);
/* Emit one of org.eftirlit7.Firewall1's signals (ConnectionEvent: to each
 * caller of WatchEvents() alone, as e7d does). */
void e7_fake_daemon_emit(E7FakeDaemon *d, const char *name, GVariant *params);
/* Change the Mode property and say so (PropertiesChanged). */
void e7_fake_daemon_set_mode(E7FakeDaemon *d, const char *mode);
/* Ask the registered agent, as e7d does; the reply goes to callback. */
void e7_fake_daemon_ask(E7FakeDaemon *d, GVariant *request,
			GAsyncReadyCallback callback, gpointer user_data);
