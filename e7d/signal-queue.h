/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signals of org.eftirlit7.Firewall1, in order.  A signal goes out at
 * once unless a backlog is draining; a reload of thousands of rules puts
 * its signals in the backlog, which goes out a slice per main loop
 * iteration, so that it never holds the main loop.  Nothing goes out until
 * the object is exported.
 */
#pragma once

#include "rule-store.h"

G_BEGIN_DECLS

typedef struct _E7SignalQueue E7SignalQueue;

E7SignalQueue *e7_signal_queue_new(GDBusConnection *bus, E7RuleStore *store);
void e7_signal_queue_free(E7SignalQueue *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7SignalQueue, e7_signal_queue_free)

void e7_signal_queue_set_exported(E7SignalQueue *self, gboolean exported);

/* Emits signal @name with @args (floating references are taken). */
void e7_signal_queue_emit(E7SignalQueue *self, const char *name,
			  GVariant *args);
/* The same, to bus name @dest alone (NULL: broadcast). */
void e7_signal_queue_emit_to(E7SignalQueue *self, const char *dest,
			     const char *name, GVariant *args);
/* RuleAdded or RuleChanged: (t a{sv}), built from the rule as it is when
 * sent (skipped if it is gone by then). */
void e7_signal_queue_emit_rule(E7SignalQueue *self, const char *name,
			       guint64 rule_id);
/* Into the backlog, even when it is empty. */
void e7_signal_queue_emit_later(E7SignalQueue *self, const char *name,
				guint64 rule_id, GVariant *args);
/* PropertiesChanged for one property of the interface. */
void e7_signal_queue_property(E7SignalQueue *self, const char *name,
			      GVariant *value);

G_END_DECLS
