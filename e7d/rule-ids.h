/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e7d's memory of rule ids, so that a rule keeps its id across restarts of
 * e7d and reboots: /var/lib/eftirlit7/rule-ids, beside e7d's rules file.
 * One line per persistent rule, "ID KIND TEXT" (KIND: "admin" for a rule
 * of rules.d, "own" for one of e7d's rules file; TEXT: the rule without its
 * comment and sha256, as e7_rule_key() writes it), and "next ID", the next
 * id to give, so that an id is not given again after a restart.  The file
 * is e7d's: rewritten whole (atomically) after each change.
 */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

typedef struct _E7RuleIds E7RuleIds;

/* Reads @path; a missing file is empty, a bad line is skipped (with one
 * warning for the file).  Never NULL. */
E7RuleIds *e7_rule_ids_read(const char *path);
void e7_rule_ids_free(E7RuleIds *ids);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7RuleIds, e7_rule_ids_free)

/* The "next" line, or the largest id in the file plus one (at least 1). */
guint64 e7_rule_ids_next(const E7RuleIds *ids);
/* The id the file has for a rule of rules.d (@admin) or e7d's own with key
 * @key, and forgets it: rules with the same key take the file's ids in
 * order.  0 when the file has none left. */
guint64 e7_rule_ids_take(E7RuleIds *ids, gboolean admin, const char *key);

/* Writes the ids of @admin_rules and @own_rules (of E7Rule) and @next to
 * @path, atomically. */
gboolean e7_rule_ids_write(const char *path, GPtrArray *admin_rules,
			   GPtrArray *own_rules, guint64 next, GError **error);

G_END_DECLS
