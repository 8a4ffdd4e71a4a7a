/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "queue.h"

struct _E7PromptGroup {
	GObject parent_instance;
	char *key;
	GPtrArray *requests; /* E7Request, oldest first */
};

G_DEFINE_FINAL_TYPE(E7PromptGroup, e7_prompt_group, G_TYPE_OBJECT)

static guint group_changed_signal;

static void e7_prompt_group_finalize(GObject *object)
{
	E7PromptGroup *self = E7_PROMPT_GROUP(object);

	g_free(self->key);
	g_ptr_array_unref(self->requests);
	G_OBJECT_CLASS(e7_prompt_group_parent_class)->finalize(object);
}

static void e7_prompt_group_class_init(E7PromptGroupClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_prompt_group_finalize;
	group_changed_signal = g_signal_new("changed", G_TYPE_FROM_CLASS(klass),
					    G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					    NULL, G_TYPE_NONE, 0);
}

static void e7_prompt_group_init(E7PromptGroup *self)
{
	self->requests = g_ptr_array_new_with_free_func(
		(GDestroyNotify)e7_request_unref);
}

const char *e7_prompt_group_get_key(E7PromptGroup *group)
{
	g_return_val_if_fail(E7_IS_PROMPT_GROUP(group), NULL);
	return group->key;
}

E7Request *e7_prompt_group_get_first(E7PromptGroup *group)
{
	g_return_val_if_fail(E7_IS_PROMPT_GROUP(group), NULL);
	return group->requests->len ? g_ptr_array_index(group->requests, 0) :
				      NULL;
}

guint e7_prompt_group_get_n_requests(E7PromptGroup *group)
{
	g_return_val_if_fail(E7_IS_PROMPT_GROUP(group), 0);
	return group->requests->len;
}

E7Request *e7_prompt_group_get_request(E7PromptGroup *group, guint index)
{
	g_return_val_if_fail(E7_IS_PROMPT_GROUP(group), NULL);
	g_return_val_if_fail(index < group->requests->len, NULL);
	return g_ptr_array_index(group->requests, index);
}

struct _E7PromptQueue {
	GObject parent_instance;
	GPtrArray *groups; /* E7PromptGroup, oldest first */
	guint n_requests;
};

enum {
	SIGNAL_GROUP_ADDED,
	SIGNAL_GROUP_REMOVED,
	SIGNAL_RESOLVED,
	SIGNAL_CHANGED,
	N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7PromptQueue, e7_prompt_queue, G_TYPE_OBJECT)

static void e7_prompt_queue_finalize(GObject *object)
{
	E7PromptQueue *self = E7_PROMPT_QUEUE(object);

	g_ptr_array_unref(self->groups);
	G_OBJECT_CLASS(e7_prompt_queue_parent_class)->finalize(object);
}

static void e7_prompt_queue_class_init(E7PromptQueueClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = e7_prompt_queue_finalize;

	signals[SIGNAL_GROUP_ADDED] = g_signal_new(
		"group-added", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, E7_TYPE_PROMPT_GROUP);
	signals[SIGNAL_GROUP_REMOVED] = g_signal_new(
		"group-removed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 1, E7_TYPE_PROMPT_GROUP);
	signals[SIGNAL_RESOLVED] =
		g_signal_new("resolved", G_TYPE_FROM_CLASS(klass),
			     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_POINTER);
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					       NULL, G_TYPE_NONE, 0);
}

static void e7_prompt_queue_init(E7PromptQueue *self)
{
	self->groups = g_ptr_array_new_with_free_func(g_object_unref);
}

E7PromptQueue *e7_prompt_queue_new(void)
{
	return g_object_new(E7_TYPE_PROMPT_QUEUE, NULL);
}

static E7PromptGroup *find_group(E7PromptQueue *self, const char *key)
{
	for (guint i = 0; i < self->groups->len; i++) {
		E7PromptGroup *g = g_ptr_array_index(self->groups, i);

		if (g_str_equal(g->key, key))
			return g;
	}
	return NULL;
}

void e7_prompt_queue_add(E7PromptQueue *self, E7Request *request)
{
	g_autofree char *key = NULL;
	E7PromptGroup *group;

	g_return_if_fail(E7_IS_PROMPT_QUEUE(self));
	g_return_if_fail(request != NULL);

	key = e7_request_group_key(request);
	group = find_group(self, key);
	self->n_requests++;
	if (group) {
		g_ptr_array_add(group->requests, e7_request_ref(request));
		g_signal_emit(group, group_changed_signal, 0);
	} else {
		group = g_object_new(E7_TYPE_PROMPT_GROUP, NULL);
		group->key = g_steal_pointer(&key);
		g_ptr_array_add(group->requests, e7_request_ref(request));
		g_ptr_array_add(self->groups, group);
		g_signal_emit(self, signals[SIGNAL_GROUP_ADDED], 0, group);
	}
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

static void remove_group(E7PromptQueue *self, E7PromptGroup *group)
{
	g_autoptr(E7PromptGroup) keep = g_object_ref(group);

	g_ptr_array_remove(self->groups, group);
	g_signal_emit(self, signals[SIGNAL_GROUP_REMOVED], 0, group);
}

gboolean e7_prompt_queue_withdraw(E7PromptQueue *self, guint64 id)
{
	g_return_val_if_fail(E7_IS_PROMPT_QUEUE(self), FALSE);

	for (guint i = 0; i < self->groups->len; i++) {
		E7PromptGroup *g = g_ptr_array_index(self->groups, i);

		for (guint j = 0; j < g->requests->len; j++) {
			E7Request *r = g_ptr_array_index(g->requests, j);

			if (r->id != id)
				continue;
			g_ptr_array_remove_index(g->requests, j);
			self->n_requests--;
			if (g->requests->len == 0)
				remove_group(self, g);
			else
				g_signal_emit(g, group_changed_signal, 0);
			g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
			return TRUE;
		}
	}
	return FALSE;
}

void e7_prompt_queue_resolve(E7PromptQueue *self, E7PromptGroup *group,
			     const E7Answer *answer)
{
	g_autoptr(E7PromptGroup) keep = NULL;
	g_autoptr(GPtrArray) requests = NULL;

	g_return_if_fail(E7_IS_PROMPT_QUEUE(self));
	g_return_if_fail(E7_IS_PROMPT_GROUP(group));

	/* Already resolved or withdrawn (e.g. a late click on a closing page). */
	if (!g_ptr_array_find(self->groups, group, NULL))
		return;

	keep = g_object_ref(group);
	requests = g_steal_pointer(&group->requests);
	group->requests = g_ptr_array_new_with_free_func(
		(GDestroyNotify)e7_request_unref);
	self->n_requests -= requests->len;
	remove_group(self, group);
	for (guint i = 0; i < requests->len; i++) {
		E7Request *r = g_ptr_array_index(requests, i);

		g_signal_emit(self, signals[SIGNAL_RESOLVED], 0, r->id, answer);
	}
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

E7Request *e7_prompt_queue_find(E7PromptQueue *self, guint64 id)
{
	g_return_val_if_fail(E7_IS_PROMPT_QUEUE(self), NULL);

	for (guint i = 0; i < self->groups->len; i++) {
		E7PromptGroup *g = g_ptr_array_index(self->groups, i);

		for (guint j = 0; j < g->requests->len; j++) {
			E7Request *r = g_ptr_array_index(g->requests, j);

			if (r->id == id)
				return r;
		}
	}
	return NULL;
}

guint e7_prompt_queue_get_n_groups(E7PromptQueue *self)
{
	g_return_val_if_fail(E7_IS_PROMPT_QUEUE(self), 0);
	return self->groups->len;
}

E7PromptGroup *e7_prompt_queue_get_group(E7PromptQueue *self, guint index)
{
	g_return_val_if_fail(E7_IS_PROMPT_QUEUE(self), NULL);
	g_return_val_if_fail(index < self->groups->len, NULL);
	return g_ptr_array_index(self->groups, index);
}

guint e7_prompt_queue_get_n_requests(E7PromptQueue *self)
{
	g_return_val_if_fail(E7_IS_PROMPT_QUEUE(self), 0);
	return self->n_requests;
}
