/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The a{sv} form of a rule on D-Bus (org.eftirlit7.Firewall1.xml) and the
 * filters of ListRules and ClearRules.
 */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

GVariant *e7_rule_to_variant(const E7Rule *rule);
/* Applies the keys of an a{sv} dictionary to @rule; on error @rule is
 * unchanged. */
gboolean e7_rule_update_from_variant(E7Rule *rule, GVariant *dict,
				     GError **error);
/* A new rule from an a{sv} dictionary; "action" and "program" (or "text")
 * are required. */
E7Rule *e7_rule_new_from_variant(GVariant *dict, GError **error);

/* Whether every key of @filter (an a{sv}) matches the rule; unknown keys or
 * wrong types fail with E7_ERROR_INVALID_ARGS. */
gboolean e7_rule_check_filter(GVariant *filter, GError **error);
gboolean e7_rule_matches_filter(const E7Rule *rule, GVariant *filter);

G_END_DECLS
