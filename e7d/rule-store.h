/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule store: every rule e7d knows: the administrator's system rules
 * (rules.d, read only), e7d's own persistent ones (its rules file) and
 * temporary ones (memory only).  It owns rule ids, writes the file, and
 * pushes each change to the kernel (a kernel job, in submission order).  It
 * announces every change with a GObject signal, so that whoever shows rules
 * (the D-Bus service) follows without being called by the store:
 *
 *   "rule-added"     (E7Rule *rule)
 *   "rule-changed"   (E7Rule *rule)
 *   "rule-removed"   (guint64 id)
 *   "rules-replaced" (GPtrArray *added of E7Rule, GArray *removed of guint64):
 *                    a reload of the file, announced at once.
 *
 * The rules passed to handlers belong to the store; a handler keeps an id,
 * never the pointer.
 */
#pragma once

#include "kernel.h"
#include "rule.h"

G_BEGIN_DECLS

#define E7_TYPE_RULE_STORE (e7_rule_store_get_type())
G_DECLARE_FINAL_TYPE(E7RuleStore, e7_rule_store, E7, RULE_STORE, GObject)

/* @kernel (may be NULL: no module, as e7d --no-kernel) is not owned and
 * must outlive the store; @cancel cancels its kernel jobs' callbacks. */
E7RuleStore *e7_rule_store_new(E7Kernel *kernel, const char *path,
			       GCancellable *cancel);

/* The directory of the administrator's rules (rules-dir.h), read by the
 * next load; NULL: none. */
void e7_rule_store_set_system_dir(E7RuleStore *self, const char *dir);

/* Reads rules.d and the rules file again; ids are kept for rules whose
 * text did not change.  Bad lines of rules.d are logged and skipped.  A
 * rules file with errors changes none of e7d's own rules, and persistent
 * changes are refused until a load succeeds (the kernel keeps what it
 * enforces). */
gboolean e7_rule_store_load(E7RuleStore *self, GError **error);
const char *e7_rule_store_get_path(E7RuleStore *self);
/* The file on disk has errors (the last load failed). */
gboolean e7_rule_store_is_broken(E7RuleStore *self);

E7Rule *e7_rule_store_lookup(E7RuleStore *self, guint64 id, GError **error);
/* Every rule: rules.d's, then the rules file's in file order, then the
 * temporary ones (borrowed). */
GPtrArray *e7_rule_store_list(E7RuleStore *self);
guint e7_rule_store_count(E7RuleStore *self);
guint e7_rule_store_count_temporary(E7RuleStore *self);

/* Adds @rule (taken): written to the file when persistent, announced, then
 * pushed to the kernel; the result says whether the kernel took it (a
 * refused rule is removed again).  Returns the new id, or 0 with @error.
 * Idempotent: a rule that says the same as one that exists (but for its
 * comment and sha256) is not added again; that rule's id is returned. */
guint64 e7_rule_store_add(E7RuleStore *self, E7Rule *rule,
			  GAsyncReadyCallback callback, gpointer user_data,
			  GError **error);
gboolean e7_rule_store_add_finish(GAsyncResult *res, GError **error);
/* The same, but the rule goes to the kernel inside the verdict for the held
 * flow @flow_id: one message.  The result fails with E7_ERROR_NO_SUCH_RULE
 * when the flow was no longer held (the rule stays), with another code when
 * the kernel refused the rule (it is removed again; the flow still waits).
 * A rule bound to the flow's program learns its content from @hash_from
 * (the flow's /proc/PID/exe), else from its path. */
guint64 e7_rule_store_add_with_verdict(E7RuleStore *self, E7Rule *rule,
				       guint64 flow_id, E7Action action,
				       const char *hash_from,
				       GAsyncReadyCallback callback,
				       gpointer user_data, GError **error);

/* Replaces the fields of rule @id with those of @changed (its id aside):
 * the kernel first, then the file; a failure leaves both as they were.  A
 * rule from rules.d only follows its program (sha256 and identity), in
 * memory; anything else fails with E7_ERROR_READ_ONLY. */
void e7_rule_store_update(E7RuleStore *self, guint64 id, const E7Rule *changed,
			  GAsyncReadyCallback callback, gpointer user_data);
gboolean e7_rule_store_update_finish(GAsyncResult *res, GError **error);

/* Removes rule @id (file first: a failed write removes nothing); a rule
 * from rules.d is not removed (E7_ERROR_READ_ONLY). */
gboolean e7_rule_store_remove(E7RuleStore *self, guint64 id, GError **error);
/* Removes the rules that match @filter (see rule-variant.h), but for
 * rules.d's; returns how many, or -1 with @error when the file cannot be
 * written. */
gint e7_rule_store_clear(E7RuleStore *self, GVariant *filter, GError **error);
/* Removes a temporary rule whose lifetime ended (its process exited). */
gboolean e7_rule_store_end_temporary(E7RuleStore *self, guint64 id);
/* Removes the temporary rules of @uid with lifetime @lifetime. */
void e7_rule_store_end_temporary_of(E7RuleStore *self, guint32 uid,
				    E7Lifetime lifetime);
/* The kernel removed rule @id (its lifetime ended there). */
void e7_rule_store_forget(E7RuleStore *self, guint64 id);

/* The module bound rule @id to a program identity (its reply to a push,
 * or a dump): the store keeps it, and learns the program's content (a
 * SHA-256, from @hash_from, else the rule's path) when it does not know
 * it; the rule then changes (rule-changed). */
void e7_rule_store_learn_identity(E7RuleStore *self, guint64 id,
				  gboolean has_exe, const E7ExeId *exe,
				  const char *hash_from);

/* Matches the kernel's rules (from a dump) against the store: rules the
 * kernel has under the same id and text, or the same text, are adopted
 * (their ids become the kernel's); temporary rules from before a restart of
 * e7d are taken back.  Fills @remove (kernel ids to delete, guint64) and
 * @push (copies of the rules the kernel lacks); returns how many were
 * adopted. */
guint e7_rule_store_match_kernel(E7RuleStore *self, GPtrArray *kernel_rules,
				 GArray *remove, GPtrArray *push);

G_END_DECLS
