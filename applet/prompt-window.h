/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one prompt window: a page per program waiting for an answer. */
#pragma once

#include <gtk/gtk.h>

#include "queue.h"

G_BEGIN_DECLS

#define E7_TYPE_PROMPT_WINDOW (e7_prompt_window_get_type())
G_DECLARE_FINAL_TYPE(E7PromptWindow, e7_prompt_window, E7, PROMPT_WINDOW,
		     GtkWindow)

/*
 * Signals:
 *   "timed-out" (gpointer request, gint action): a page's countdown applied
 *       the default answer; request is the E7Request * shown on it.
 *   "not-focused": the window was presented but did not get the focus (the
 *       compositor refused it), so the user may not have seen it.
 */
GtkWidget *e7_prompt_window_new(E7PromptQueue *queue);
guint e7_prompt_window_get_n_pages(E7PromptWindow *window);
GtkWidget *e7_prompt_window_get_page(E7PromptWindow *window, guint index);
GtkWidget *e7_prompt_window_get_current_page(E7PromptWindow *window);

G_END_DECLS
