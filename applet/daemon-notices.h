/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the user is told about e7d itself: that it is not running (after a
 * grace period, as it may just be starting), that it refused the prompt
 * agent, that its kernel module is missing, or that the bus is out of reach.
 * One notification (E7_NOTIFY_DAEMON), withdrawn once e7d has the agent.
 */
#pragma once

#include "firewall-client.h"
#include "notifier.h"

G_BEGIN_DECLS

#define E7_TYPE_DAEMON_NOTICES (e7_daemon_notices_get_type())
G_DECLARE_FINAL_TYPE(E7DaemonNotices, e7_daemon_notices, E7, DAEMON_NOTICES,
		     GObject)

E7DaemonNotices *e7_daemon_notices_new(E7Notifier *notifier);
/* Follow e7d from now on, starting from what client knows. */
void e7_daemon_notices_follow(E7DaemonNotices *self, E7FirewallClient *client);
/* The applet cannot reach the bus at all. */
void e7_daemon_notices_no_bus(E7DaemonNotices *self, const GError *error);

G_END_DECLS
