/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A rules file: rules in the text grammar, one a line, with comments and
 * blank lines kept as they are. e7d keeps its own in
 * /var/lib/eftirlit7/rules; the administrator's are in rules.d (rules-dir.h).
 */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

typedef struct {
	char *text; /* the line as read; NULL when @rule was changed since */
	E7Rule *rule; /* NULL for comments and blank lines */
} E7RulesLine;

typedef struct {
	GPtrArray *lines; /* of E7RulesLine */
} E7RulesFile;

E7RulesFile *e7_rules_file_new(void);
void e7_rules_file_free(E7RulesFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7RulesFile, e7_rules_file_free)

/* Parses one line (@len bytes, no newline): TRUE with its text (@text_out)
 * and its rule (@rule_out, NULL for a comment or a blank line). */
gboolean e7_rules_line_parse(const char *p, gsize len, char **text_out,
			     E7Rule **rule_out, GError **error);
/* Calls @func for each line of @data (@len bytes), numbered from 1, without
 * its newline. */
typedef void (*E7RulesLineFunc)(guint lineno, const char *line, gsize len,
				gpointer user_data);
void e7_rules_text_foreach_line(const char *data, gsize len,
				E7RulesLineFunc func, gpointer user_data);
/* Parses the whole text. Every bad line is reported as "NAME:LINE: message"
 * (one a line, at most E7_RULES_FILE_MAX_ERRORS) and nothing is returned. */
#define E7_RULES_FILE_MAX_ERRORS 10
E7RulesFile *e7_rules_file_parse(const char *data, gssize len, const char *name,
				 GError **error);
/* Ends the list of bad lines of @name with "NAME: N more bad lines". */
void e7_rules_append_more_bad_lines(GString *errors, const char *name, guint n);
/* Reads and parses @path; a missing file is an empty rule set. */
E7RulesFile *e7_rules_file_load(const char *path, GError **error);

/* Appends a rule line; the file takes ownership of @rule. */
void e7_rules_file_append(E7RulesFile *file, E7Rule *rule);
/* Appends "# @text" (one line). */
void e7_rules_file_append_comment(E7RulesFile *file, const char *text);
/* Removes the line of @rule (compared by pointer); returns whether found. */
gboolean e7_rules_file_remove(E7RulesFile *file, const E7Rule *rule);
/* Marks the line of @rule as changed, so that it is printed anew. */
void e7_rules_file_touch(E7RulesFile *file, const E7Rule *rule);

char *e7_rules_file_to_string(const E7RulesFile *file);
/* Writes atomically: a temporary file in the same directory, fsync, rename. */
gboolean e7_rules_file_save(const E7RulesFile *file, const char *path,
			    GError **error);
/* Writes the file as it is without the rules in @skip (a set of E7Rule
 * pointers): a removal is written before it is applied, so that a failed
 * write leaves everything as it was. */
gboolean e7_rules_file_save_without(const E7RulesFile *file, GHashTable *skip,
				    const char *path, GError **error);

G_END_DECLS
