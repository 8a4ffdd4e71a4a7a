/* SPDX-License-Identifier: GPL-2.0-or-later */
/* e7ctl output: tables for people, JSON for scripts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @value as one line of JSON (json-glib: a{sv} become objects, arrays
 * lists, variants their value; integers are JSON integers, which json-glib
 * holds as gint64: no value e7d sends is larger). */
char *e7ctl_to_json(GVariant *value);
/* Prints it (a floating reference is consumed). */
void e7ctl_print_json(GVariant *value);
/* aa{sv} of rules as an aligned table. */
char *e7ctl_format_rules_table(GVariant *rules);
void e7ctl_print_rules_table(GVariant *rules);
/* a{sv} as "key: value" lines. */
void e7ctl_print_dict(GVariant *dict, const char *indent);
/* One value (consumes a floating or full reference). */
void e7ctl_print_value(GVariant *value);
char *e7ctl_format_event(GVariant *event);
void e7ctl_print_event(GVariant *event);

G_END_DECLS
