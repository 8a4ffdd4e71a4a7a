/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The text form of a rule: the extended seed grammar of eftirlit7-rules(5),
 * as in the rules file, e7ctl and AddRule's "text".
 */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

/* Parses one rule. Errors are E7_ERROR_INVALID_ARGS. */
E7Rule *e7_rule_parse(const char *text, GError **error);
/* The canonical text form; e7_rule_parse() of it gives an equal rule. */
char *e7_rule_to_string(const E7Rule *rule);
/* The text form without the comment and the sha256: equal for rules that
 * match alike (the module's dump has neither). */
char *e7_rule_key(const E7Rule *rule);

G_END_DECLS
