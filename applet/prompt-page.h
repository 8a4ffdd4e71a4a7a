/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One page of the prompt window: one program and its pending connections. */
#pragma once

#include <gtk/gtk.h>

#include "queue.h"

G_BEGIN_DECLS

#define E7_TYPE_PROMPT_PAGE (e7_prompt_page_get_type())
G_DECLARE_FINAL_TYPE(E7PromptPage, e7_prompt_page, E7, PROMPT_PAGE, GtkBox)

/*
 * Signal "answer" (gpointer answer, gboolean automatic): the user chose, or
 * (automatic TRUE) the countdown ran out; answer is a const E7Answer *.
 * Signal "title-changed": the program's name from its desktop file arrived.
 */
GtkWidget *e7_prompt_page_new(E7PromptGroup *group);
E7PromptGroup *e7_prompt_page_get_group(E7PromptPage *page);
/* Short label for the page's tab. */
char *e7_prompt_page_dup_title(E7PromptPage *page);

/* The user touched the page: no automatic answer any more. */
void e7_prompt_page_stop_countdown(E7PromptPage *page);
gboolean e7_prompt_page_is_counting_down(E7PromptPage *page);
/* Escape: answer with the default (as the countdown would). */
void e7_prompt_page_answer_default(E7PromptPage *page);
/* The scope and lifetime currently chosen on the page, with this action. */
void e7_prompt_page_get_choice(E7PromptPage *page, E7Action action,
			       E7Answer *answer);

G_END_DECLS
