/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pending prompts, coalesced into one group (one page) per program. */
#pragma once

#include <gio/gio.h>

#include "request.h"

G_BEGIN_DECLS

#define E7_TYPE_PROMPT_GROUP (e7_prompt_group_get_type())
G_DECLARE_FINAL_TYPE(E7PromptGroup, e7_prompt_group, E7, PROMPT_GROUP, GObject)

/* Signal "changed": a request joined or left the group. */
const char *e7_prompt_group_get_key(E7PromptGroup *group);
/* The oldest pending request: what the page shows and counts down. */
E7Request *e7_prompt_group_get_first(E7PromptGroup *group);
guint e7_prompt_group_get_n_requests(E7PromptGroup *group);
E7Request *e7_prompt_group_get_request(E7PromptGroup *group, guint index);

#define E7_TYPE_PROMPT_QUEUE (e7_prompt_queue_get_type())
G_DECLARE_FINAL_TYPE(E7PromptQueue, e7_prompt_queue, E7, PROMPT_QUEUE, GObject)

/*
 * Signals:
 *   "group-added" (E7PromptGroup *), "group-removed" (E7PromptGroup *);
 *   "resolved" (guint64 id, gpointer answer): one per request of a resolved
 *       group; answer is a const E7Answer *, or NULL when the user dismissed it.
 *   "changed": the number of pending requests changed.
 */
E7PromptQueue *e7_prompt_queue_new(void);
void e7_prompt_queue_add(E7PromptQueue *queue, E7Request *request);
/* The daemon withdrew a request; returns FALSE if it was not pending. */
gboolean e7_prompt_queue_withdraw(E7PromptQueue *queue, guint64 id);
/* Answer (or with answer NULL dismiss) every request of the group. */
void e7_prompt_queue_resolve(E7PromptQueue *queue, E7PromptGroup *group,
			     const E7Answer *answer);
/* The pending request with this id (borrowed), or NULL. */
E7Request *e7_prompt_queue_find(E7PromptQueue *queue, guint64 id);
guint e7_prompt_queue_get_n_groups(E7PromptQueue *queue);
E7PromptGroup *e7_prompt_queue_get_group(E7PromptQueue *queue, guint index);
guint e7_prompt_queue_get_n_requests(E7PromptQueue *queue);

G_END_DECLS
