/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The administrator's rules: the files NAME.rules of /etc/eftirlit7/rules.d,
 * read in the order of their names, never written by e7d.  A bad line is
 * reported with its file and line number and skipped; the other rules are
 * loaded.
 */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

/* At most this many bad lines are reported, and this many files read. */
#define E7_RULES_DIR_MAX_ERRORS 50
#define E7_RULES_DIR_MAX_FILES 1000

/* The rules of @dir's *.rules files (a missing directory has none), each
 * with its file as origin, in order.  Bad lines and unreadable files are
 * added to @errors ("FILE:LINE: message", one a line). */
GPtrArray *e7_rules_dir_load(const char *dir, GString *errors);

G_END_DECLS
