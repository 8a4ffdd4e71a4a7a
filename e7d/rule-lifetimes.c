// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule-lifetimes.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <glib-unix.h>

struct _E7RuleLifetimes {
	E7RuleStore *store;
	E7Agents *agents;
	gulong user_gone;
	GPtrArray *watches; /* of ProcessWatch */
};

typedef struct {
	E7RuleLifetimes *owner;
	guint64 rule_id;
	int pidfd;
	guint source;
} ProcessWatch;

static void process_watch_free(gpointer p)
{
	ProcessWatch *w = p;

	g_clear_handle_id(&w->source, g_source_remove);
	if (w->pidfd >= 0)
		close(w->pidfd);
	g_free(w);
}

static void on_user_gone(E7Agents *agents, guint uid, gpointer user_data)
{
	E7RuleLifetimes *self = user_data;

	e7_rule_store_end_temporary_of(self->store, uid, E7_LIFETIME_LOGOUT);
}

E7RuleLifetimes *e7_rule_lifetimes_new(E7RuleStore *store, E7Agents *agents)
{
	E7RuleLifetimes *self = g_new0(E7RuleLifetimes, 1);

	self->store = store;
	self->agents = g_object_ref(agents);
	self->watches = g_ptr_array_new_with_free_func(process_watch_free);
	self->user_gone = g_signal_connect(agents, "user-gone",
					   G_CALLBACK(on_user_gone), self);
	return self;
}

void e7_rule_lifetimes_free(E7RuleLifetimes *self)
{
	if (!self)
		return;
	g_signal_handler_disconnect(self->agents, self->user_gone);
	g_object_unref(self->agents);
	g_ptr_array_unref(self->watches);
	g_free(self);
}

static gboolean on_process_exit(gint fd, GIOCondition cond, gpointer user_data)
{
	ProcessWatch *w = user_data;
	E7RuleLifetimes *self = w->owner;

	w->source = 0;
	e7_rule_store_end_temporary(self->store, w->rule_id);
	g_ptr_array_remove(self->watches, w);
	return G_SOURCE_REMOVE;
}

void e7_rule_lifetimes_watch_process(E7RuleLifetimes *self, guint64 rule_id,
				     guint32 pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);
	ProcessWatch *w;

	if (fd < 0) {
		/* The process is gone already. */
		e7_rule_store_end_temporary(self->store, rule_id);
		return;
	}
	w = g_new0(ProcessWatch, 1);
	w->owner = self;
	w->rule_id = rule_id;
	w->pidfd = fd;
	w->source = g_unix_fd_add(fd, G_IO_IN, on_process_exit, w);
	g_ptr_array_add(self->watches, w);
}
