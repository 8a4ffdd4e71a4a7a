// SPDX-License-Identifier: GPL-2.0-or-later
#include "dbus-rules.h"

#include <glib/gi18n.h>

#include "audit.h"
#include "e7-error.h"
#include "rule-variant.h"

static gboolean is_own_rule(const E7Rule *rule, guint32 uid)
{
	return rule->has_uid && rule->uid == uid;
}

static const char *own_or_system(gboolean own)
{
	return own ? E7_ACTION_RULES_OWN : E7_ACTION_RULES_SYSTEM;
}

static const char *decide_filter(E7Call *call, GError **error)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	guint32 uid;

	if (!e7_rule_check_filter(filter, error))
		return NULL;
	return own_or_system(g_variant_lookup(filter, "uid", "u", &uid) &&
			     uid == call->caller.uid);
}

static const char *decide_add(E7Call *call, GError **error)
{
	g_autoptr(GVariant) dict = g_variant_get_child_value(call->params, 0);

	call->rule = e7_rule_new_from_variant(dict, error);
	if (!call->rule)
		return NULL;
	return own_or_system(is_own_rule(call->rule, call->caller.uid));
}

/* UpdateRule's rule as it would become, and the rule as it is. */
static E7Rule *changed_rule(E7Call *call, E7Rule **current, GError **error)
{
	g_autoptr(GVariant) dict = g_variant_get_child_value(call->params, 1);
	g_autoptr(E7Rule) copy = NULL;
	guint64 id;

	g_variant_get_child(call->params, 0, "t", &id);
	*current = e7_rule_store_lookup(call->parts->store, id, error);
	if (!*current)
		return NULL;
	copy = e7_rule_copy(*current);
	if (!e7_rule_update_from_variant(copy, dict, error))
		return NULL;
	return g_steal_pointer(&copy);
}

static gboolean both_own(const E7Rule *a, const E7Rule *b, guint32 uid)
{
	return is_own_rule(a, uid) && is_own_rule(b, uid);
}

static const char *decide_update(E7Call *call, GError **error)
{
	E7Rule *current;

	call->rule = changed_rule(call, &current, error);
	if (!call->rule)
		return NULL;
	return own_or_system(both_own(current, call->rule, call->caller.uid));
}

static const char *decide_remove(E7Call *call, GError **error)
{
	guint64 id;
	E7Rule *rule;

	g_variant_get(call->params, "(t)", &id);
	rule = e7_rule_store_lookup(call->parts->store, id, error);
	if (!rule)
		return NULL;
	return own_or_system(is_own_rule(rule, call->caller.uid));
}

static void run_list_rules(E7Call *call)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	g_autoptr(GPtrArray) rules = e7_rule_store_list(call->parts->store);
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;

	if (!e7_rule_check_filter(filter, &error)) {
		e7_call_error(call, error);
		return;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < rules->len; i++)
		if (e7_rule_matches_filter(rules->pdata[i], filter))
			g_variant_builder_add_value(
				&b, e7_rule_to_variant(rules->pdata[i]));
	e7_call_return(call, g_variant_new("(aa{sv})", &b));
}

typedef struct {
	E7Call *call;
	guint64 id;
	gboolean existed; /* the same rule was there: nothing changed */
} Added;

static void on_add_rule_done(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	g_autofree Added *added = user_data;
	g_autoptr(GError) error = NULL;
	E7Rule *rule;

	if (!e7_rule_store_add_finish(res, &error)) {
		e7_call_error(added->call, error);
		return;
	}
	rule = e7_rule_store_lookup(added->call->parts->store, added->id, NULL);
	if (rule && !added->existed)
		e7_audit_rule(E7_AUDIT_RULE_ADDED, rule, &added->call->caller);
	e7_call_return(added->call, g_variant_new("(t)", added->id));
}

static void run_add_rule(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	E7Rule *rule = g_steal_pointer(&call->rule);
	Added *added = g_new0(Added, 1);
	guint n;

	rule->has_owner = TRUE;
	rule->owner_uid = call->caller.uid;
	added->call = call;
	n = e7_rule_store_count(call->parts->store);
	added->id = e7_rule_store_add(call->parts->store, rule,
				      on_add_rule_done, added, &error);
	added->existed = e7_rule_store_count(call->parts->store) == n;
	if (!added->id) {
		g_free(added);
		e7_call_error(call, error);
	}
}

static void on_rule_updated(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	E7Call *call = user_data;
	g_autoptr(GError) error = NULL;
	guint64 id;
	E7Rule *rule;

	if (!e7_rule_store_update_finish(res, &error)) {
		e7_call_error(call, error);
		return;
	}
	g_variant_get_child(call->params, 0, "t", &id);
	rule = e7_rule_store_lookup(call->parts->store, id, NULL);
	if (rule)
		e7_audit_rule(E7_AUDIT_RULE_CHANGED, rule, &call->caller);
	e7_call_return(call, NULL);
}

static void run_update_rule(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Rule) changed = NULL;
	E7Rule *current;

	/* The rule may have changed while polkit was asked: apply again. */
	changed = changed_rule(call, &current, &error);
	if (!changed) {
		e7_call_error(call, error);
		return;
	}
	if (g_str_equal(call->action, E7_ACTION_RULES_OWN) &&
	    !both_own(current, changed, call->caller.uid)) {
		g_set_error_literal(
			&error, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			_("the rule changed meanwhile and is no longer your own"));
		e7_call_error(call, error);
		return;
	}
	e7_rule_store_update(call->parts->store, current->id, changed,
			     on_rule_updated, call);
}

static void run_remove_rule(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Rule) gone = NULL;
	E7Rule *rule;
	guint64 id;

	g_variant_get(call->params, "(t)", &id);
	rule = e7_rule_store_lookup(call->parts->store, id, NULL);
	gone = rule ? e7_rule_copy(rule) : NULL;
	if (!e7_rule_store_remove(call->parts->store, id, &error)) {
		e7_call_error(call, error);
		return;
	}
	e7_audit_rule(E7_AUDIT_RULE_REMOVED, gone, &call->caller);
	e7_call_return_after_kernel(call, NULL);
}

static void run_clear_rules(E7Call *call)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	g_autoptr(GError) error = NULL;
	gint count = e7_rule_store_clear(call->parts->store, filter, &error);
	g_autofree char *text = NULL;

	if (count < 0) {
		e7_call_error(call, error);
		return;
	}
	text = g_variant_print(filter, FALSE);
	e7_audit_rules_cleared(count, text, &call->caller);
	e7_call_return_after_kernel(call, g_variant_new("(u)", count));
}

static const E7Method methods[] = {
	{ "ListRules", e7_decide_info, run_list_rules },
	{ "AddRule", decide_add, run_add_rule },
	{ "UpdateRule", decide_update, run_update_rule },
	{ "RemoveRule", decide_remove, run_remove_rule },
	{ "ClearRules", decide_filter, run_clear_rules },
};

const E7Method *e7_dbus_rules_methods(guint *n)
{
	*n = G_N_ELEMENTS(methods);
	return methods;
}

static void on_rule_added(E7RuleStore *store, E7Rule *rule, gpointer data)
{
	e7_signal_queue_emit_rule(data, "RuleAdded", rule->id);
}

static void on_rule_changed(E7RuleStore *store, E7Rule *rule, gpointer data)
{
	e7_signal_queue_emit_rule(data, "RuleChanged", rule->id);
}

static void on_rule_removed(E7RuleStore *store, guint64 id, gpointer data)
{
	e7_signal_queue_emit(data, "RuleRemoved", g_variant_new("(t)", id));
}

/* A reload: its signals go to the backlog, removals first. */
static void on_rules_replaced(E7RuleStore *store, GPtrArray *added,
			      GArray *removed, gpointer data)
{
	for (guint i = 0; i < removed->len; i++)
		e7_signal_queue_emit_later(
			data, "RuleRemoved", 0,
			g_variant_new("(t)",
				      g_array_index(removed, guint64, i)));
	for (guint i = 0; i < added->len; i++)
		e7_signal_queue_emit_later(data, "RuleAdded",
					   ((E7Rule *)added->pdata[i])->id,
					   NULL);
}

void e7_dbus_rules_follow_store(const E7ServiceParts *parts)
{
	/* Disconnected by data (the queue) when the service goes away. */
	g_signal_connect(parts->store, "rule-added", G_CALLBACK(on_rule_added),
			 parts->signals);
	g_signal_connect(parts->store, "rule-changed",
			 G_CALLBACK(on_rule_changed), parts->signals);
	g_signal_connect(parts->store, "rule-removed",
			 G_CALLBACK(on_rule_removed), parts->signals);
	g_signal_connect(parts->store, "rules-replaced",
			 G_CALLBACK(on_rules_replaced), parts->signals);
}
