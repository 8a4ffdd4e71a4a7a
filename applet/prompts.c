/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "prompts.h"

#include <glib/gi18n.h>

#include "prompt-page.h"
#include "prompt-window.h"
#include "queue.h"

/* Prepare the first prompt this long after the start (the login is busy). */
#define PREWARM_DELAY_S 2

struct _E7Prompts {
	GObject parent_instance;
	GtkApplication *app; /* not owned: it owns this */
	E7Agent *agent;
	E7Notifier *notifier;
	E7FirewallClient *client; /* nullable */
	E7PromptQueue *queue;
	GtkWidget *window; /* created with the first prompt (or prewarm) */
	guint prewarm_id;
};

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7Prompts, e7_prompts, G_TYPE_OBJECT)

guint e7_prompts_get_n_waiting(E7Prompts *self)
{
	return e7_prompt_queue_get_n_groups(self->queue);
}

void e7_prompts_present(E7Prompts *self)
{
	if (self->window && e7_prompts_get_n_waiting(self) > 0) {
		gtk_window_present(GTK_WINDOW(self->window));
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_PENDING);
	}
}

/* The compositor kept the window behind: a notification points to it. */
static void window_not_focused(E7PromptWindow *window, E7Prompts *self)
{
	guint n = e7_prompts_get_n_waiting(self);
	g_autofree char *body = NULL;

	if (!e7_prompt_window_get_current_page(window))
		return;
	body = g_strdup_printf(
		g_dngettext(
			GETTEXT_PACKAGE,
			"%u program is waiting for you to allow or block it.",
			"%u programs are waiting for you to allow or block them.",
			n),
		n);
	e7_notifier_show(self->notifier, E7_NOTIFY_PENDING,
			 _("Network access request"), body, _("Answer…"));
}

static void notify_timed_out(E7Prompts *self, E7Request *request, gint action)
{
	g_autofree char *name = e7_request_display_name(request);
	g_autofree char *body = NULL;

	if (action == E7_ACTION_ALLOW)
		body = g_strdup_printf(
			_("Nobody answered, so %s was allowed once."), name);
	else
		body = g_strdup_printf(
			_("Nobody answered, so %s was blocked once."), name);
	e7_notifier_show(self->notifier, E7_NOTIFY_TIMED_OUT,
			 _("Prompt timed out"), body, NULL);
}

static void window_timed_out(E7PromptWindow *window, E7Request *request,
			     gint action, E7Prompts *self)
{
	notify_timed_out(self, request, action);
}

static void ensure_window(E7Prompts *self)
{
	if (self->window)
		return;
	self->window = e7_prompt_window_new(self->queue);
	gtk_window_set_application(GTK_WINDOW(self->window), self->app);
	g_signal_connect(self->window, "not-focused",
			 G_CALLBACK(window_not_focused), self);
	g_signal_connect(self->window, "timed-out",
			 G_CALLBACK(window_timed_out), self);
}

static void agent_request(E7Agent *agent, E7Request *request, E7Prompts *self)
{
	/* The window follows the queue; create it before the first page arrives. */
	ensure_window(self);
	e7_prompt_queue_add(self->queue, request);
}

static void agent_cancelled(E7Agent *agent, guint64 id, E7Prompts *self)
{
	E7Request *r = e7_prompt_queue_find(self->queue, id);

	/* The daemon's timeout ran out before the user answered: say so. */
	if (r && e7_request_remaining(r, g_get_monotonic_time()) == 0 &&
	    self->client && e7_firewall_client_is_running(self->client))
		notify_timed_out(self, r, r->default_action);
	e7_prompt_queue_withdraw(self->queue, id);
}

static void queue_resolved(E7PromptQueue *queue, guint64 id,
			   const E7Answer *answer, E7Prompts *self)
{
	if (answer)
		e7_agent_answer(self->agent, id, answer);
	else
		e7_agent_dismiss(self->agent, id);
}

static void queue_changed(E7PromptQueue *queue, E7Prompts *self)
{
	if (e7_prompts_get_n_waiting(self) == 0)
		e7_notifier_withdraw(self->notifier, E7_NOTIFY_PENDING);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0);
}

/*
 * Load once, in the background, what the first prompt would otherwise load
 * while the user waits: the page template, theme, fonts, icons, the desktop
 * file index and the resolver thread. A page built off screen and dropped.
 */
static gboolean prewarm(gpointer data)
{
	E7Prompts *self = data;
	g_autoptr(E7PromptQueue) queue = e7_prompt_queue_new();
	g_autoptr(GVariant) dict = g_variant_ref_sink(g_variant_new_parsed(
		"{'id': <uint64 0>, 'program': <'/usr/bin/true'>,"
		" 'remote-address': <'127.0.0.1'>, 'remote-port': <uint16 1>,"
		" 'protocol': <'tcp'>, 'timeout': <uint32 30>}"));
	g_autoptr(E7Request) request = e7_request_new_from_variant(dict, NULL);
	GtkWidget *offscreen = gtk_offscreen_window_new();

	self->prewarm_id = 0;
	e7_prompt_queue_add(queue, request);
	gtk_container_add(
		GTK_CONTAINER(offscreen),
		e7_prompt_page_new(e7_prompt_queue_get_group(queue, 0)));
	gtk_widget_show_all(offscreen);
	gtk_widget_destroy(offscreen);
	ensure_window(self);
	gtk_widget_realize(self->window);
	g_debug("ready for prompts");
	return G_SOURCE_REMOVE;
}

void e7_prompts_set_client(E7Prompts *self, E7FirewallClient *client)
{
	g_set_object(&self->client, client);
}

static void e7_prompts_dispose(GObject *object)
{
	E7Prompts *self = E7_PROMPTS(object);

	g_clear_handle_id(&self->prewarm_id, g_source_remove);
	if (self->agent)
		g_signal_handlers_disconnect_by_data(self->agent, self);
	if (self->queue)
		g_signal_handlers_disconnect_by_data(self->queue, self);
	g_clear_pointer(&self->window, gtk_widget_destroy);
	g_clear_object(&self->queue);
	g_clear_object(&self->client);
	g_clear_object(&self->notifier);
	g_clear_object(&self->agent);
	G_OBJECT_CLASS(e7_prompts_parent_class)->dispose(object);
}

static void e7_prompts_class_init(E7PromptsClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = e7_prompts_dispose;
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST, 0, NULL, NULL,
					       NULL, G_TYPE_NONE, 0);
}

static void e7_prompts_init(E7Prompts *self)
{
	self->queue = e7_prompt_queue_new();
	g_signal_connect(self->queue, "resolved", G_CALLBACK(queue_resolved),
			 self);
	g_signal_connect(self->queue, "changed", G_CALLBACK(queue_changed),
			 self);
}

E7Prompts *e7_prompts_new(GtkApplication *app, E7Agent *agent,
			  E7Notifier *notifier)
{
	E7Prompts *self = g_object_new(E7_TYPE_PROMPTS, NULL);

	self->app = app;
	self->agent = g_object_ref(agent);
	self->notifier = g_object_ref(notifier);
	g_signal_connect(agent, "request", G_CALLBACK(agent_request), self);
	g_signal_connect(agent, "cancelled", G_CALLBACK(agent_cancelled), self);
	self->prewarm_id =
		g_timeout_add_seconds(PREWARM_DELAY_S, prewarm, self);
	return self;
}
