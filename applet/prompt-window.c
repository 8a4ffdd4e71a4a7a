/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "prompt-window.h"

#include "prompt-page.h"
#include "ui-template.h"

/* How long the window manager may take to give the presented window focus. */
#define FOCUS_CHECK_MS 700

struct _E7PromptWindow {
	GtkWindow parent_instance;
	E7PromptQueue *queue;
	GtkLabel *header;
	GtkNotebook *notebook;
	GtkGesture *press; /* sees every click in the window, before its target */
	guint focus_check_id;
};

enum { SIGNAL_TIMED_OUT, SIGNAL_NOT_FOCUSED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE(E7PromptWindow, e7_prompt_window, GTK_TYPE_WINDOW)

static void update_header(E7PromptWindow *self)
{
	guint n = (guint)gtk_notebook_get_n_pages(self->notebook);

	gtk_notebook_set_show_tabs(self->notebook, n > 1);
	if (n > 1) {
		g_autofree char *text = g_strdup_printf(
			g_dngettext(GETTEXT_PACKAGE,
				    "%u program is waiting for an answer.",
				    "%u programs are waiting for an answer.",
				    n),
			n);
		gtk_label_set_text(self->header, text);
		gtk_widget_show(GTK_WIDGET(self->header));
	} else {
		gtk_widget_hide(GTK_WIDGET(self->header));
	}
}

static void update_tab(E7PromptWindow *self, E7PromptPage *page)
{
	E7PromptGroup *group = e7_prompt_page_get_group(page);
	g_autofree char *title = e7_prompt_page_dup_title(page);
	guint n = e7_prompt_group_get_n_requests(group);
	g_autofree char *text = n > 1 ? g_strdup_printf("%s (%u)", title, n) :
					g_strdup(title);

	gtk_notebook_set_tab_label_text(self->notebook, GTK_WIDGET(page), text);
}

static gboolean check_focus(gpointer data)
{
	E7PromptWindow *self = data;

	self->focus_check_id = 0;
	if (gtk_widget_get_visible(GTK_WIDGET(self)) &&
	    !gtk_window_is_active(GTK_WINDOW(self)))
		g_signal_emit(self, signals[SIGNAL_NOT_FOCUSED], 0);
	return G_SOURCE_REMOVE;
}

/*
 * The window is on screen: log how long after the request (for the tests,
 * with G_MESSAGES_DEBUG=e7-applet), with the wall clock to compare with the
 * moment a program connected.
 */
static gboolean map_event(GtkWidget *widget, GdkEvent *event,
			  E7PromptWindow *self)
{
	GtkWidget *page = e7_prompt_window_get_current_page(self);
	E7Request *first;

	if (!page)
		return GDK_EVENT_PROPAGATE;
	first = e7_prompt_group_get_first(
		e7_prompt_page_get_group(E7_PROMPT_PAGE(page)));
	if (first)
		g_debug("prompt %" G_GUINT64_FORMAT " on screen %.1f ms after "
			"the request, at %" G_GINT64_FORMAT " us",
			first->id,
			(double)(g_get_monotonic_time() - first->received_us) /
				1000.0,
			g_get_real_time());
	return GDK_EVENT_PROPAGATE;
}

static void present(E7PromptWindow *self)
{
	gboolean was_visible = gtk_widget_get_visible(GTK_WIDGET(self));

	if (was_visible && gtk_window_is_active(GTK_WINDOW(self)))
		return;
	gtk_window_present(GTK_WINDOW(self));
	if (!self->focus_check_id)
		self->focus_check_id =
			g_timeout_add(FOCUS_CHECK_MS, check_focus, self);
}

static void page_answer(E7PromptPage *page, const E7Answer *answer,
			gboolean automatic, E7PromptWindow *self)
{
	E7PromptGroup *group = e7_prompt_page_get_group(page);
	g_autoptr(E7Request) first = NULL;

	if (automatic && e7_prompt_group_get_first(group))
		first = e7_request_ref(e7_prompt_group_get_first(group));
	/* Resolving removes the group, which removes and destroys this page. */
	e7_prompt_queue_resolve(self->queue, group, answer);
	if (first)
		g_signal_emit(self, signals[SIGNAL_TIMED_OUT], 0, first,
			      (gint)answer->action);
}

static void group_changed(E7PromptGroup *group, E7PromptWindow *self)
{
	GtkWidget *page = g_object_get_data(G_OBJECT(group), "e7-page");

	if (page)
		update_tab(self, E7_PROMPT_PAGE(page));
}

static void group_added(E7PromptQueue *queue, E7PromptGroup *group,
			E7PromptWindow *self)
{
	GtkWidget *page = e7_prompt_page_new(group);

	g_object_set_data(G_OBJECT(group), "e7-page", page);
	g_signal_connect(page, "answer", G_CALLBACK(page_answer), self);
	g_signal_connect_swapped(page, "title-changed", G_CALLBACK(update_tab),
				 self);
	g_signal_connect(group, "changed", G_CALLBACK(group_changed), self);
	gtk_notebook_append_page(self->notebook, page, NULL);
	gtk_container_child_set(GTK_CONTAINER(self->notebook), page,
				"tab-expand", FALSE, NULL);
	update_tab(self, E7_PROMPT_PAGE(page));
	update_header(self);
	present(self);
}

static void group_removed(E7PromptQueue *queue, E7PromptGroup *group,
			  E7PromptWindow *self)
{
	GtkWidget *page = g_object_get_data(G_OBJECT(group), "e7-page");

	g_signal_handlers_disconnect_by_data(group, self);
	g_object_set_data(G_OBJECT(group), "e7-page", NULL);
	if (page)
		gtk_widget_destroy(page);
	update_header(self);
	if (gtk_notebook_get_n_pages(self->notebook) == 0) {
		g_clear_handle_id(&self->focus_check_id, g_source_remove);
		gtk_widget_hide(GTK_WIDGET(self));
	}
}

GtkWidget *e7_prompt_window_get_current_page(E7PromptWindow *self)
{
	gint i = gtk_notebook_get_current_page(self->notebook);

	return i < 0 ? NULL : gtk_notebook_get_nth_page(self->notebook, i);
}

static gboolean key_press_event(GtkWidget *widget, GdkEventKey *event)
{
	E7PromptWindow *self = E7_PROMPT_WINDOW(widget);
	GtkWidget *page = e7_prompt_window_get_current_page(self);

	if (page && event->keyval == GDK_KEY_Escape) {
		e7_prompt_page_answer_default(E7_PROMPT_PAGE(page));
		return GDK_EVENT_STOP;
	}
	/* Any key the user presses here means they are dealing with the prompt. */
	if (page)
		e7_prompt_page_stop_countdown(E7_PROMPT_PAGE(page));
	return GTK_WIDGET_CLASS(e7_prompt_window_parent_class)
		->key_press_event(widget, event);
}

static void pointer_pressed(GtkGestureMultiPress *gesture, gint n_press,
			    gdouble x, gdouble y, E7PromptWindow *self)
{
	GtkWidget *page = e7_prompt_window_get_current_page(self);

	if (page)
		e7_prompt_page_stop_countdown(E7_PROMPT_PAGE(page));
}

static gboolean delete_event(GtkWidget *widget, GdkEventAny *event)
{
	E7PromptWindow *self = E7_PROMPT_WINDOW(widget);

	/* Closing the window answers nothing: every pending prompt is dismissed. */
	while (e7_prompt_queue_get_n_groups(self->queue) > 0)
		e7_prompt_queue_resolve(
			self->queue, e7_prompt_queue_get_group(self->queue, 0),
			NULL);
	gtk_widget_hide(widget);
	return TRUE;
}

static void e7_prompt_window_dispose(GObject *object)
{
	E7PromptWindow *self = E7_PROMPT_WINDOW(object);

	g_clear_handle_id(&self->focus_check_id, g_source_remove);
	if (self->queue) {
		for (guint i = 0; i < e7_prompt_queue_get_n_groups(self->queue);
		     i++)
			g_signal_handlers_disconnect_by_data(
				e7_prompt_queue_get_group(self->queue, i),
				self);
		g_signal_handlers_disconnect_by_data(self->queue, self);
	}
	g_clear_object(&self->queue);
	g_clear_object(&self->press);
	G_OBJECT_CLASS(e7_prompt_window_parent_class)->dispose(object);
}

static void e7_prompt_window_class_init(E7PromptWindowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);

	G_OBJECT_CLASS(klass)->dispose = e7_prompt_window_dispose;
	widget_class->delete_event = delete_event;
	widget_class->key_press_event = key_press_event;

	signals[SIGNAL_TIMED_OUT] = g_signal_new(
		"timed-out", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
		NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_INT);
	signals[SIGNAL_NOT_FOCUSED] = g_signal_new("not-focused",
						   G_TYPE_FROM_CLASS(klass),
						   G_SIGNAL_RUN_LAST, 0, NULL,
						   NULL, NULL, G_TYPE_NONE, 0);

	e7_ui_template_set(widget_class, "prompt-window.ui");
	gtk_widget_class_bind_template_child(widget_class, E7PromptWindow,
					     header);
	gtk_widget_class_bind_template_child(widget_class, E7PromptWindow,
					     notebook);
	gtk_widget_class_bind_template_callback(widget_class, map_event);
}

static void e7_prompt_window_init(E7PromptWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_window_set_keep_above(GTK_WINDOW(self), TRUE);
	self->press = gtk_gesture_multi_press_new(GTK_WIDGET(self));
	gtk_gesture_single_set_button(GTK_GESTURE_SINGLE(self->press), 0);
	gtk_event_controller_set_propagation_phase(
		GTK_EVENT_CONTROLLER(self->press), GTK_PHASE_CAPTURE);
	g_signal_connect(self->press, "pressed", G_CALLBACK(pointer_pressed),
			 self);
}

GtkWidget *e7_prompt_window_new(E7PromptQueue *queue)
{
	E7PromptWindow *self = g_object_new(E7_TYPE_PROMPT_WINDOW, NULL);

	self->queue = g_object_ref(queue);
	g_signal_connect(queue, "group-added", G_CALLBACK(group_added), self);
	g_signal_connect(queue, "group-removed", G_CALLBACK(group_removed),
			 self);
	for (guint i = 0; i < e7_prompt_queue_get_n_groups(queue); i++)
		group_added(queue, e7_prompt_queue_get_group(queue, i), self);
	return GTK_WIDGET(self);
}

guint e7_prompt_window_get_n_pages(E7PromptWindow *self)
{
	return (guint)gtk_notebook_get_n_pages(self->notebook);
}

GtkWidget *e7_prompt_window_get_page(E7PromptWindow *self, guint index)
{
	return gtk_notebook_get_nth_page(self->notebook, (gint)index);
}
