// SPDX-License-Identifier: GPL-2.0-or-later
#include "firewall-state.h"

struct _E7FirewallState {
	GObject parent;
	gboolean connected;
	gboolean mode_known;
	E7Mode mode;
	guint64 events_lost;
};

enum { PROP_0, PROP_CONNECTED, PROP_MODE, N_PROPS };
static GParamSpec *props[N_PROPS];

G_DEFINE_TYPE(E7FirewallState, e7_firewall_state, G_TYPE_OBJECT)

static void get_property(GObject *object, guint id, GValue *value,
			 GParamSpec *pspec)
{
	E7FirewallState *self = E7_FIREWALL_STATE(object);

	switch (id) {
	case PROP_CONNECTED:
		g_value_set_boolean(value, self->connected);
		break;
	case PROP_MODE:
		g_value_set_string(value,
				   e7_firewall_state_get_mode_name(self));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
	}
}

static void e7_firewall_state_class_init(E7FirewallStateClass *klass)
{
	G_OBJECT_CLASS(klass)->get_property = get_property;
	props[PROP_CONNECTED] =
		g_param_spec_boolean("connected", NULL, NULL, FALSE,
				     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	props[PROP_MODE] =
		g_param_spec_string("mode", NULL, NULL, "unknown",
				    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(G_OBJECT_CLASS(klass), N_PROPS,
					  props);
}

static void e7_firewall_state_init(E7FirewallState *self)
{
}

E7FirewallState *e7_firewall_state_new(void)
{
	return g_object_new(E7_TYPE_FIREWALL_STATE, NULL);
}

gboolean e7_firewall_state_get_connected(E7FirewallState *self)
{
	return self->connected;
}

void e7_firewall_state_set_connected(E7FirewallState *self, gboolean connected)
{
	if (self->connected == connected)
		return;
	self->connected = connected;
	g_message("kernel module %s", connected ? "connected" : "gone");
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_CONNECTED]);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_MODE]);
}

const char *e7_firewall_state_get_mode_name(E7FirewallState *self)
{
	return self->connected && self->mode_known ?
		       e7_mode_to_string(self->mode) :
		       "unknown";
}

void e7_firewall_state_set_mode(E7FirewallState *self, E7Mode mode)
{
	if (self->mode_known && self->mode == mode)
		return;
	self->mode = mode;
	self->mode_known = TRUE;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_MODE]);
}

guint64 e7_firewall_state_get_events_lost(E7FirewallState *self)
{
	return self->events_lost;
}

void e7_firewall_state_set_events_lost(E7FirewallState *self, guint64 lost)
{
	self->events_lost = lost;
}
