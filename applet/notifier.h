/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Desktop notifications behind a seam: libnotify in the applet, a fake in tests. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define E7_TYPE_NOTIFIER (e7_notifier_get_type())
G_DECLARE_INTERFACE(E7Notifier, e7_notifier, E7, NOTIFIER, GObject)

struct _E7NotifierInterface {
	GTypeInterface parent_iface;

	/*
	 * Show (or replace) the notification known as tag. action_label, if
	 * not NULL, is offered as a button where the server supports actions;
	 * pressing it emits "action" (tag).
	 */
	void (*show)(E7Notifier *self, const char *tag, const char *summary,
		     const char *body, const char *action_label);
	void (*withdraw)(E7Notifier *self, const char *tag);
};

void e7_notifier_show(E7Notifier *self, const char *tag, const char *summary,
		      const char *body, const char *action_label);
void e7_notifier_withdraw(E7Notifier *self, const char *tag);
void e7_notifier_emit_action(E7Notifier *self, const char *tag);

/* Tags of the notifications the applet shows. */
#define E7_NOTIFY_PENDING "pending"
#define E7_NOTIFY_TIMED_OUT "timed-out"
#define E7_NOTIFY_DAEMON "daemon"
#define E7_NOTIFY_BLOCKED "blocked"
#define E7_NOTIFY_MODE "mode"

G_END_DECLS
