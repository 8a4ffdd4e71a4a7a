// SPDX-License-Identifier: GPL-2.0-or-later
#include "signal-queue.h"

#include <glib/gi18n.h>

#include "e7-dbus.h"
#include "rule-variant.h"

/* Signals sent per main loop iteration while a backlog drains. */
#define SIGNALS_PER_SLICE 64

struct _E7SignalQueue {
	GDBusConnection *bus;
	E7RuleStore *store;
	gboolean exported;
	GQueue backlog; /* of Signal */
	guint idle;
};

/* A signal in the backlog; with no args, built from rule_id when sent; to
 * one bus name (dest) or broadcast (NULL). */
typedef struct {
	const char *name;
	char *dest;
	guint64 rule_id;
	GVariant *args;
} Signal;

static void signal_free(gpointer p)
{
	Signal *sig = p;

	if (sig->args)
		g_variant_unref(sig->args);
	g_free(sig->dest);
	g_free(sig);
}

E7SignalQueue *e7_signal_queue_new(GDBusConnection *bus, E7RuleStore *store)
{
	E7SignalQueue *self = g_new0(E7SignalQueue, 1);

	self->bus = g_object_ref(bus);
	self->store = g_object_ref(store);
	g_queue_init(&self->backlog);
	return self;
}

void e7_signal_queue_free(E7SignalQueue *self)
{
	if (!self)
		return;
	g_clear_handle_id(&self->idle, g_source_remove);
	g_queue_clear_full(&self->backlog, signal_free);
	g_object_unref(self->store);
	g_object_unref(self->bus);
	g_free(self);
}

void e7_signal_queue_set_exported(E7SignalQueue *self, gboolean exported)
{
	self->exported = exported;
}

static void emit_now(E7SignalQueue *self, const char *dest, const char *name,
		     GVariant *args)
{
	g_autoptr(GError) error = NULL;

	g_variant_ref_sink(args);
	if (self->exported && !g_dbus_connection_emit_signal(
				      self->bus, dest, E7_DBUS_PATH,
				      E7_DBUS_INTERFACE, name, args, &error))
		g_warning(/* TRANSLATORS: a D-Bus signal's name, then the reason */
			  _("cannot emit %s: %s"), name, error->message);
	g_variant_unref(args);
}

static GVariant *rule_args(E7SignalQueue *self, guint64 rule_id)
{
	E7Rule *rule = e7_rule_store_lookup(self->store, rule_id, NULL);

	if (!rule)
		return NULL;
	return g_variant_new("(t@a{sv})", rule->id, e7_rule_to_variant(rule));
}

static gboolean send_slice(gpointer user_data)
{
	E7SignalQueue *self = user_data;

	for (guint n = 0; n < SIGNALS_PER_SLICE && self->backlog.length; n++) {
		Signal *sig = g_queue_pop_head(&self->backlog);
		GVariant *args = sig->args ? g_steal_pointer(&sig->args) :
					     rule_args(self, sig->rule_id);

		if (args)
			emit_now(self, sig->dest, sig->name, args);
		signal_free(sig);
	}
	if (self->backlog.length)
		return G_SOURCE_CONTINUE;
	self->idle = 0;
	return G_SOURCE_REMOVE;
}

static void push(E7SignalQueue *self, const char *dest, const char *name,
		 guint64 rule_id, GVariant *args)
{
	Signal *sig;

	if (!self->exported) {
		if (args)
			g_variant_unref(g_variant_ref_sink(args));
		return;
	}
	sig = g_new0(Signal, 1);
	sig->name = name;
	sig->dest = g_strdup(dest);
	sig->rule_id = rule_id;
	sig->args = args ? g_variant_ref_sink(args) : NULL;
	g_queue_push_tail(&self->backlog, sig);
	if (!self->idle)
		self->idle = g_idle_add(send_slice, self);
}

void e7_signal_queue_emit_later(E7SignalQueue *self, const char *name,
				guint64 rule_id, GVariant *args)
{
	push(self, NULL, name, rule_id, args);
}

void e7_signal_queue_emit(E7SignalQueue *self, const char *name, GVariant *args)
{
	e7_signal_queue_emit_to(self, NULL, name, args);
}

void e7_signal_queue_emit_to(E7SignalQueue *self, const char *dest,
			     const char *name, GVariant *args)
{
	if (self->backlog.length)
		push(self, dest, name, 0, args);
	else
		emit_now(self, dest, name, args);
}

void e7_signal_queue_emit_rule(E7SignalQueue *self, const char *name,
			       guint64 rule_id)
{
	GVariant *args;

	if (self->backlog.length) {
		e7_signal_queue_emit_later(self, name, rule_id, NULL);
		return;
	}
	args = rule_args(self, rule_id);
	if (args)
		emit_now(self, NULL, name, args);
}

void e7_signal_queue_property(E7SignalQueue *self, const char *name,
			      GVariant *value)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", name, value);
	if (!self->exported) {
		g_variant_builder_clear(&b);
		return;
	}
	g_dbus_connection_emit_signal(
		self->bus, NULL, E7_DBUS_PATH,
		"org.freedesktop.DBus.Properties", "PropertiesChanged",
		g_variant_new("(sa{sv}as)", E7_DBUS_INTERFACE, &b, NULL), NULL);
}
