/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inside of E7RuleStore, shared by the files of the store only:
 * rule-store.c (the tables, ids and the file), rule-store-changes.c (the
 * changes that go to the kernel) and rule-store-match.c (matching the
 * kernel's rules).  Both of the latter build on rule-store.c; it calls
 * neither.
 */
#pragma once

#include "rule-store.h"
#include "rule-ids.h"
#include "rules-file.h"

G_BEGIN_DECLS

struct _E7RuleStore {
	GObject parent;
	E7Kernel *kernel; /* not owned; NULL without a module */
	GCancellable *cancel;
	char *path; /* e7d's own rules: /var/lib/eftirlit7/rules */
	char *system_dir; /* the administrator's: /etc/eftirlit7/rules.d */
	GPtrArray *system_rules; /* of E7Rule, from system_dir: never written */
	E7RulesFile *file; /* persistent rules of e7d's own */
	gboolean file_broken; /* the file on disk has errors: do not write */
	GPtrArray *temp_rules; /* of E7Rule, not persisted */
	GHashTable *by_id; /* id -> E7Rule (owned by file or temp_rules) */
	guint64 next_id;
	char *ids_path; /* rule-ids beside the rules file (rule-ids.h) */
	E7RuleIds *remembered; /* read at the first load, until one succeeds */
	gboolean ids_read;
};

enum {
	E7_RULE_STORE_ADDED,
	E7_RULE_STORE_CHANGED,
	E7_RULE_STORE_REMOVED,
	E7_RULE_STORE_REPLACED,
	E7_RULE_STORE_N_SIGNALS,
};
extern guint e7_rule_store_signals[E7_RULE_STORE_N_SIGNALS];

/* rule-store.c */
guint64 e7_rule_store_alloc_id(E7RuleStore *self);
void e7_rule_store_index(E7RuleStore *self, E7Rule *rule);
/* Writes the ids of the persistent rules to rule-ids (but while the rules
 * file is broken: its rules' ids are not known then); a failure is logged. */
void e7_rule_store_remember_ids(E7RuleStore *self);
/* Writes the file, unless it is broken (then fails), and the ids. */
gboolean e7_rule_store_save(E7RuleStore *self, GError **error);
gboolean e7_rule_store_writable(E7RuleStore *self, GError **error);
/* Fails with E7_ERROR_READ_ONLY for a rule from rules.d. */
gboolean e7_rule_store_owns(const E7Rule *rule, GError **error);
/* Puts @rule (taken, with its id) in the tables and the file; the file is
 * written when persistent. */
gboolean e7_rule_store_insert(E7RuleStore *self, E7Rule *rule, GError **error);
/* Takes @id out of the tables and the file (written when persistent) and
 * announces it; no kernel request. */
void e7_rule_store_discard(E7RuleStore *self, guint64 id);
gboolean e7_rule_store_kernel_connected(E7RuleStore *self);

G_END_DECLS
