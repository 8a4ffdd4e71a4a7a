/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "curl was blocked": a notification (E7_NOTIFY_BLOCKED) when a rule blocks
 * one of this user's programs, at most once a minute per program, with an
 * "Allow…" action that opens the rules for that program.
 */
#pragma once

#include "firewall-client.h"
#include "notifier.h"

G_BEGIN_DECLS

#define E7_TYPE_BLOCKED_NOTICES (e7_blocked_notices_get_type())
G_DECLARE_FINAL_TYPE(E7BlockedNotices, e7_blocked_notices, E7, BLOCKED_NOTICES,
		     GObject)

/* Follows client's connection events. */
E7BlockedNotices *e7_blocked_notices_new(E7Notifier *notifier,
					 E7FirewallClient *client);
/* The program of the last notification, or NULL. */
const char *e7_blocked_notices_get_program(E7BlockedNotices *self);

G_END_DECLS
