/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Follows the e7d bus name and (re-)registers the agent whenever it appears. */
#pragma once

#include <gio/gio.h>

#include "agent.h"
#include "e7-dbus.h"

G_BEGIN_DECLS

typedef enum {
	E7_DAEMON_ABSENT, /* nobody owns the bus name */
	E7_DAEMON_REGISTERING, /* RegisterAgent() is under way */
	E7_DAEMON_REGISTERED,
	E7_DAEMON_FAILED, /* the daemon refused the agent; see the error */
} E7DaemonState;

#define E7_TYPE_DAEMON_LINK (e7_daemon_link_get_type())
G_DECLARE_FINAL_TYPE(E7DaemonLink, e7_daemon_link, E7, DAEMON_LINK, GObject)

/* Signal "state-changed": see e7_daemon_link_get_state(). */
E7DaemonLink *e7_daemon_link_new(GDBusConnection *connection, E7Agent *agent,
				 const char *agent_path);
E7DaemonState e7_daemon_link_get_state(E7DaemonLink *link);
/* Why registration failed, or NULL. */
const char *e7_daemon_link_get_error(E7DaemonLink *link);
/* The daemon's unique name while it is on the bus, else NULL. */
const char *e7_daemon_link_get_owner(E7DaemonLink *link);
GDBusConnection *e7_daemon_link_get_connection(E7DaemonLink *link);

G_END_DECLS
