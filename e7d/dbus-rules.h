/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule methods of org.eftirlit7.Firewall1 (ListRules, AddRule,
 * UpdateRule, RemoveRule, ClearRules) and its rule signals (RuleAdded,
 * RuleChanged, RuleRemoved), which follow the store's signals.
 */
#pragma once

#include "dbus-call.h"

G_BEGIN_DECLS

const E7Method *e7_dbus_rules_methods(guint *n);
/* Sends the rule signals that follow @parts' store, until the handlers
 * are disconnected (by data: @parts->signals). */
void e7_dbus_rules_follow_store(const E7ServiceParts *parts);

G_END_DECLS
