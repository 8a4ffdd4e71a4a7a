/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From the layout before rules.d: e7d kept its rules in
 * /etc/eftirlit7/rules.  The first e7d of the new layout copies that file
 * to its own (/var/lib/eftirlit7/rules) when it has none, once, losing
 * nothing; the old file is left alone and read no more.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies @legacy to @rules when @rules does not exist; says what it did
 * (or why it could not) in the journal. */
void e7_state_migrate_rules(const char *legacy, const char *rules);

G_END_DECLS
