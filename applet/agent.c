/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "agent.h"
#include "e7-dbus.h"

typedef struct {
	GDBusMethodInvocation *invocation;
	E7Request *request;
} Pending;

struct _E7Agent {
	GObject parent_instance;
	E7Firewall1Agent *skeleton;
	GHashTable *pending; /* guint64 *id -> Pending */
	char *trusted_sender;
	gboolean check_sender;
};

enum { SIGNAL_REQUEST, SIGNAL_CANCELLED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7Agent, e7_agent, G_TYPE_OBJECT)

static void pending_free(Pending *p)
{
	if (p->invocation)
		g_dbus_method_invocation_return_error_literal(
			p->invocation, E7_ERROR, E7_ERROR_CANCELLED,
			"the agent went away");
	e7_request_unref(p->request);
	g_free(p);
}

static gboolean sender_ok(E7Agent *self, GDBusMethodInvocation *invocation)
{
	const char *sender = g_dbus_method_invocation_get_sender(invocation);

	if (!self->check_sender)
		return TRUE;
	if (self->trusted_sender &&
	    g_strcmp0(sender, self->trusted_sender) == 0)
		return TRUE;
	g_dbus_method_invocation_return_error(
		invocation, E7_ERROR, E7_ERROR_ACCESS_DENIED,
		"only the e7d daemon may call the agent, not %s",
		sender ? sender : "(unknown)");
	return FALSE;
}

static gboolean handle_ask(E7Firewall1Agent *skeleton,
			   GDBusMethodInvocation *invocation, GVariant *dict,
			   E7Agent *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Request) request = NULL;
	Pending *p;

	if (!sender_ok(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;

	request = e7_request_new_from_variant(dict, &error);
	if (!request) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (g_hash_table_contains(self->pending, &request->id)) {
		g_dbus_method_invocation_return_error(
			invocation, E7_ERROR, E7_ERROR_EXISTS,
			"prompt %" G_GUINT64_FORMAT " is already pending",
			request->id);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (g_hash_table_size(self->pending) >= E7_AGENT_MAX_PENDING) {
		g_dbus_method_invocation_return_error(
			invocation, E7_ERROR, E7_ERROR_LIMIT_EXCEEDED,
			"%u prompts are already pending", E7_AGENT_MAX_PENDING);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}

	p = g_new0(Pending, 1);
	/* The call's reference is ours until we return a value or an error. */
	p->invocation = invocation;
	p->request = e7_request_ref(request);
	g_hash_table_insert(self->pending, &p->request->id, p);
	g_debug("prompt %" G_GUINT64_FORMAT " asked for %s (timeout %u s)",
		request->id, request->program ? request->program : "?",
		request->timeout);
	g_signal_emit(self, signals[SIGNAL_REQUEST], 0, request);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void finish(E7Agent *self, guint64 id, Pending *p)
{
	g_autoptr(E7Request) request = e7_request_ref(p->request);

	/* Remove before emitting, so that handlers see a consistent table. */
	g_hash_table_remove(self->pending, &id);
	g_signal_emit(self, signals[SIGNAL_CANCELLED], 0, request->id);
}

static gboolean handle_cancel(E7Firewall1Agent *skeleton,
			      GDBusMethodInvocation *invocation, guint64 id,
			      E7Agent *self)
{
	Pending *p;

	if (!sender_ok(self, invocation))
		return G_DBUS_METHOD_INVOCATION_HANDLED;

	p = g_hash_table_lookup(self->pending, &id);
	if (p) {
		g_dbus_method_invocation_return_error_literal(
			g_steal_pointer(&p->invocation), E7_ERROR,
			E7_ERROR_CANCELLED, "cancelled by the daemon");
		finish(self, id, p);
	}
	/* Cancelling an unknown or already answered prompt is not an error: it races. */
	e7_firewall1_agent_complete_cancel(skeleton, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void e7_agent_finalize(GObject *object)
{
	E7Agent *self = E7_AGENT(object);

	e7_agent_unexport(self);
	g_hash_table_destroy(self->pending);
	g_object_unref(self->skeleton);
	g_free(self->trusted_sender);
	G_OBJECT_CLASS(e7_agent_parent_class)->finalize(object);
}

static void e7_agent_class_init(E7AgentClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_agent_finalize;

	signals[SIGNAL_REQUEST] = g_signal_new(
		"request", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
		NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
	signals[SIGNAL_CANCELLED] = g_signal_new(
		"cancelled", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void e7_agent_init(E7Agent *self)
{
	self->check_sender = TRUE;
	self->pending = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					      (GDestroyNotify)pending_free);
	self->skeleton = e7_firewall1_agent_skeleton_new();
	g_signal_connect(self->skeleton, "handle-ask", G_CALLBACK(handle_ask),
			 self);
	g_signal_connect(self->skeleton, "handle-cancel",
			 G_CALLBACK(handle_cancel), self);
}

E7Agent *e7_agent_new(void)
{
	return g_object_new(E7_TYPE_AGENT, NULL);
}

gboolean e7_agent_export(E7Agent *self, GDBusConnection *connection,
			 const char *path, GError **error)
{
	g_return_val_if_fail(E7_IS_AGENT(self), FALSE);
	e7_agent_unexport(self);
	return g_dbus_interface_skeleton_export(
		G_DBUS_INTERFACE_SKELETON(self->skeleton), connection, path,
		error);
}

void e7_agent_unexport(E7Agent *self)
{
	GDBusInterfaceSkeleton *skel =
		G_DBUS_INTERFACE_SKELETON(self->skeleton);

	if (g_dbus_interface_skeleton_get_connection(skel))
		g_dbus_interface_skeleton_unexport(skel);
}

void e7_agent_set_trusted_sender(E7Agent *self, const char *unique_name)
{
	g_return_if_fail(E7_IS_AGENT(self));
	g_free(self->trusted_sender);
	self->trusted_sender = g_strdup(unique_name);
}

void e7_agent_set_check_sender(E7Agent *self, gboolean check_sender)
{
	g_return_if_fail(E7_IS_AGENT(self));
	self->check_sender = check_sender;
}

gboolean e7_agent_answer(E7Agent *self, guint64 id, const E7Answer *answer)
{
	Pending *p;

	g_return_val_if_fail(E7_IS_AGENT(self), FALSE);
	p = g_hash_table_lookup(self->pending, &id);
	if (!p)
		return FALSE;
	e7_firewall1_agent_complete_ask(self->skeleton,
					g_steal_pointer(&p->invocation),
					e7_answer_to_variant(answer));
	g_hash_table_remove(self->pending, &id);
	return TRUE;
}

gboolean e7_agent_dismiss(E7Agent *self, guint64 id)
{
	Pending *p;

	g_return_val_if_fail(E7_IS_AGENT(self), FALSE);
	p = g_hash_table_lookup(self->pending, &id);
	if (!p)
		return FALSE;
	g_dbus_method_invocation_return_error_literal(
		g_steal_pointer(&p->invocation), E7_ERROR, E7_ERROR_CANCELLED,
		"the user closed the prompt");
	g_hash_table_remove(self->pending, &id);
	return TRUE;
}

void e7_agent_cancel_all(E7Agent *self)
{
	g_autoptr(GArray) ids = g_array_new(FALSE, FALSE, sizeof(guint64));
	GHashTableIter iter;
	guint64 *id;

	g_hash_table_iter_init(&iter, self->pending);
	while (g_hash_table_iter_next(&iter, (gpointer *)&id, NULL))
		g_array_append_val(ids, *id);
	for (guint i = 0; i < ids->len; i++) {
		guint64 one = g_array_index(ids, guint64, i);
		Pending *p = g_hash_table_lookup(self->pending, &one);

		if (p)
			finish(self, one, p);
	}
}

guint e7_agent_get_n_pending(E7Agent *self)
{
	return g_hash_table_size(self->pending);
}
