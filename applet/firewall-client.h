/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The applet's one door to e7d: the typed org.eftirlit7.Firewall1 proxy for
 * the daemon's bus name. It follows the name's owner, registers the prompt
 * agent whenever e7d appears, and passes on e7d's signals and properties.
 * Its calls are in firewall-calls.h. Windows get this object, never a proxy.
 */
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

#define E7_TYPE_FIREWALL_CLIENT (e7_firewall_client_get_type())
G_DECLARE_FINAL_TYPE(E7FirewallClient, e7_firewall_client, E7, FIREWALL_CLIENT,
		     GObject)

/*
 * Signals:
 *   "state-changed": see e7_firewall_client_get_state(); the first one says
 *       whether e7d was there when the client started following it.
 *   "properties-changed": e7d's mode or kernel state changed.
 *   "rule-added" (guint64 id, GVariant *rule), "rule-changed" (guint64 id,
 *   GVariant *rule), "rule-removed" (guint64 id), "connection-event"
 *   (GVariant *event): e7d's signals, as its interface describes them.
 */
E7FirewallClient *e7_firewall_client_new(GDBusConnection *connection,
					 E7Agent *agent,
					 const char *agent_path);
E7DaemonState e7_firewall_client_get_state(E7FirewallClient *self);
/* Why e7d refused the agent (an E7_ERROR), or NULL. */
const GError *e7_firewall_client_get_error(E7FirewallClient *self);
/* The daemon's unique name while it is on the bus, else NULL. */
const char *e7_firewall_client_get_owner(E7FirewallClient *self);
/* Whether e7d is on the bus (its calls can be made). */
gboolean e7_firewall_client_is_running(E7FirewallClient *self);
/* e7d's Mode property, NULL while e7d is away or has not said. */
const char *e7_firewall_client_get_mode(E7FirewallClient *self);
/*
 * e7d's KernelConnected property; FALSE (and connected untouched) while e7d
 * is away or has not sent its properties.
 */
gboolean e7_firewall_client_get_kernel_connected(E7FirewallClient *self,
						 gboolean *connected);

/*
 * The typed proxy while e7d is on the bus, else NULL. Only for the calls
 * (firewall-calls.h): windows call through those.
 */
E7Firewall1 *e7_firewall_client_get_proxy(E7FirewallClient *self);

G_END_DECLS
