// SPDX-License-Identifier: GPL-2.0-or-later
#include "event-log.h"

#include "audit.h"

struct _E7EventLog {
	GObject parent;
	GQueue events; /* of GVariant a{sv} */
	guint size;
	guint64 next_id;
};

enum { EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_TYPE(E7EventLog, e7_event_log, G_TYPE_OBJECT)

static void e7_event_log_finalize(GObject *object)
{
	E7EventLog *self = E7_EVENT_LOG(object);

	g_queue_clear_full(&self->events, (GDestroyNotify)g_variant_unref);
	G_OBJECT_CLASS(e7_event_log_parent_class)->finalize(object);
}

static void e7_event_log_class_init(E7EventLogClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_event_log_finalize;
	signals[EVENT] = g_signal_new("event", G_TYPE_FROM_CLASS(klass),
				      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
				      G_TYPE_NONE, 1, G_TYPE_VARIANT);
}

static void e7_event_log_init(E7EventLog *self)
{
	g_queue_init(&self->events);
}

E7EventLog *e7_event_log_new(guint size)
{
	E7EventLog *self = g_object_new(E7_TYPE_EVENT_LOG, NULL);

	self->size = size;
	return self;
}

static void trim(E7EventLog *self)
{
	while (self->events.length > self->size)
		g_variant_unref(g_queue_pop_head(&self->events));
}

void e7_event_log_set_size(E7EventLog *self, guint size)
{
	self->size = size;
	trim(self);
}

guint e7_event_log_get_size(E7EventLog *self)
{
	return self->size;
}

void e7_event_log_restore(E7EventLog *self, GPtrArray *events)
{
	for (guint i = events->len; i-- > 0;) {
		GVariant *event = events->pdata[i];
		guint64 id = 0;

		g_variant_lookup(event, "id", "t", &id);
		self->next_id = MAX(self->next_id, id);
		g_queue_push_head(&self->events, g_variant_ref(event));
	}
	trim(self);
}

static void add_string(GVariantBuilder *b, const char *key, const char *value)
{
	g_variant_builder_add(b, "{sv}", key, g_variant_new_string(value));
}

static void add_flow(GVariantBuilder *b, const E7Flow *flow)
{
	g_variant_builder_add(b, "{sv}", "flow-id",
			      g_variant_new_uint64(flow->id));
	add_string(b, "program", flow->program ? flow->program : "");
	g_variant_builder_add(b, "{sv}", "pid",
			      g_variant_new_uint32(flow->pid));
	g_variant_builder_add(b, "{sv}", "uid",
			      g_variant_new_uint32(flow->uid));
	add_string(b, "protocol", e7_protocol_to_string(flow->protocol));
	add_string(b, "direction", e7_direction_to_string(flow->direction));
	if (flow->remote_address)
		add_string(b, "remote-address", flow->remote_address);
	g_variant_builder_add(b, "{sv}", "remote-port",
			      g_variant_new_uint16(flow->remote_port));
}

void e7_event_log_add(E7EventLog *self, const char *kind, E7Action action,
		      const char *reason, const E7Flow *flow, guint64 rule_id)
{
	g_autoptr(GVariant) event = NULL;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id",
			      g_variant_new_uint64(++self->next_id));
	g_variant_builder_add(&b, "{sv}", "time",
			      g_variant_new_uint64(g_get_real_time()));
	add_string(&b, "kind", kind);
	add_string(&b, "action", e7_action_to_string(action));
	add_string(&b, "reason", reason);
	if (flow)
		add_flow(&b, flow);
	if (rule_id)
		g_variant_builder_add(&b, "{sv}", "rule-id",
				      g_variant_new_uint64(rule_id));
	event = g_variant_ref_sink(g_variant_builder_end(&b));
	if (g_str_equal(kind, "policy") && flow)
		e7_audit_policy(reason, action, flow);
	if (self->size) {
		g_queue_push_tail(&self->events, g_variant_ref(event));
		trim(self);
	}
	g_signal_emit(self, signals[EVENT], 0, event);
}

gboolean e7_event_reader_may_see(const E7EventReader *reader, GVariant *event)
{
	guint32 uid;

	if (reader->all_users)
		return TRUE;
	return g_variant_lookup(event, "uid", "u", &uid) && uid == reader->uid;
}

GVariant *e7_event_log_query(E7EventLog *self, guint64 since, guint32 max,
			     const E7EventReader *reader)
{
	GVariantBuilder b;
	GList *l, *first = NULL;
	guint n = 0;

	/* Back from the newest: the oldest of the newest @max after @since. */
	for (l = self->events.tail; l && n < max; l = l->prev) {
		guint64 id = 0;

		g_variant_lookup(l->data, "id", "t", &id);
		if (id <= since)
			break;
		if (e7_event_reader_may_see(reader, l->data)) {
			first = l;
			n++;
		}
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (l = first; l; l = l->next)
		if (e7_event_reader_may_see(reader, l->data))
			g_variant_builder_add_value(&b, l->data);
	return g_variant_builder_end(&b);
}
