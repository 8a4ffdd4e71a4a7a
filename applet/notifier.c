/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "notifier.h"

G_DEFINE_INTERFACE(E7Notifier, e7_notifier, G_TYPE_OBJECT)

static guint action_signal;

static void e7_notifier_default_init(E7NotifierInterface *iface)
{
	action_signal = g_signal_new("action", G_TYPE_FROM_INTERFACE(iface),
				     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
				     G_TYPE_NONE, 1, G_TYPE_STRING);
}

void e7_notifier_show(E7Notifier *self, const char *tag, const char *summary,
		      const char *body, const char *action_label)
{
	g_return_if_fail(E7_IS_NOTIFIER(self));
	E7_NOTIFIER_GET_IFACE(self)->show(self, tag, summary, body,
					  action_label);
}

void e7_notifier_withdraw(E7Notifier *self, const char *tag)
{
	g_return_if_fail(E7_IS_NOTIFIER(self));
	E7_NOTIFIER_GET_IFACE(self)->withdraw(self, tag);
}

void e7_notifier_emit_action(E7Notifier *self, const char *tag)
{
	g_return_if_fail(E7_IS_NOTIFIER(self));
	g_signal_emit(self, action_signal, 0, tag);
}
