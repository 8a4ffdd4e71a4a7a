/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "firewall-calls.h"

#include <glib/gi18n.h>

/*
 * Changes may wait for an administrator's password (polkit): give it time.
 * The generated calls take the proxy's default timeout, so a change lifts
 * it while it is sent.
 */
#define CHANGE_TIMEOUT_MS G_MAXINT
#define DEFAULT_TIMEOUT_MS -1

/* A task for a call, or NULL (the task has failed) while e7d is away. */
static GTask *call_task(E7FirewallClient *self, GCancellable *cancellable,
			GAsyncReadyCallback callback, gpointer user_data,
			gpointer source_tag)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, source_tag);
	if (e7_firewall_client_get_proxy(self))
		return task;
	g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
				"%s", _("The firewall daemon is not running."));
	g_object_unref(task);
	return NULL;
}

/* error: (transfer full); e7d's refusals keep their code, not their name. */
static void return_error(GTask *task, GError *error)
{
	g_dbus_error_strip_remote_error(error);
	g_task_return_error(task, error);
}

/* task, value, error: (transfer full) */
static void return_variant(GTask *task, gboolean ok, GVariant *value,
			   GError *error)
{
	if (ok)
		g_task_return_pointer(task, value,
				      (GDestroyNotify)g_variant_unref);
	else
		return_error(task, error);
	g_object_unref(task);
}

/* task, error: (transfer full) */
static void return_change(GTask *task, gboolean ok, GError *error)
{
	if (ok)
		g_task_return_boolean(task, TRUE);
	else
		return_error(task, error);
	g_object_unref(task);
}

static GVariant *variant_finish(E7FirewallClient *self, GAsyncResult *result,
				GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void list_rules_done(GObject *source, GAsyncResult *result,
			    gpointer task)
{
	GError *error = NULL;
	GVariant *rules = NULL;
	gboolean ok = e7_firewall1_call_list_rules_finish(
		E7_FIREWALL1(source), &rules, result, &error);

	return_variant(task, ok, rules, error);
}

void e7_firewall_client_list_rules(E7FirewallClient *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_list_rules);

	if (!task)
		return;
	/* An empty filter: every rule. */
	e7_firewall1_call_list_rules(e7_firewall_client_get_proxy(self),
				     g_variant_new_array(G_VARIANT_TYPE("{sv}"),
							 NULL, 0),
				     cancellable, list_rules_done, task);
}

GVariant *e7_firewall_client_list_rules_finish(E7FirewallClient *self,
					       GAsyncResult *result,
					       GError **error)
{
	return variant_finish(self, result, error);
}

static void get_events_done(GObject *source, GAsyncResult *result,
			    gpointer task)
{
	GError *error = NULL;
	GVariant *events = NULL;
	gboolean ok = e7_firewall1_call_get_events_finish(
		E7_FIREWALL1(source), &events, result, &error);

	return_variant(task, ok, events, error);
}

void e7_firewall_client_get_events(E7FirewallClient *self, guint32 max,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_get_events);
	GVariantDict options;

	if (!task)
		return;
	g_variant_dict_init(&options, NULL);
	g_variant_dict_insert(&options, "max", "u", max);
	e7_firewall1_call_get_events(e7_firewall_client_get_proxy(self),
				     g_variant_dict_end(&options), cancellable,
				     get_events_done, task);
}

GVariant *e7_firewall_client_get_events_finish(E7FirewallClient *self,
					       GAsyncResult *result,
					       GError **error)
{
	return variant_finish(self, result, error);
}

static void get_stats_done(GObject *source, GAsyncResult *result, gpointer task)
{
	GError *error = NULL;
	GVariant *stats = NULL;
	gboolean ok = e7_firewall1_call_get_stats_finish(
		E7_FIREWALL1(source), &stats, result, &error);

	return_variant(task, ok, stats, error);
}

void e7_firewall_client_get_stats(E7FirewallClient *self,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_get_stats);

	if (!task)
		return;
	e7_firewall1_call_get_stats(e7_firewall_client_get_proxy(self),
				    cancellable, get_stats_done, task);
}

GVariant *e7_firewall_client_get_stats_finish(E7FirewallClient *self,
					      GAsyncResult *result,
					      GError **error)
{
	return variant_finish(self, result, error);
}

static void lift_timeout(E7FirewallClient *self, gboolean lift)
{
	g_dbus_proxy_set_default_timeout(
		G_DBUS_PROXY(e7_firewall_client_get_proxy(self)),
		lift ? CHANGE_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
}

static void add_rule_done(GObject *source, GAsyncResult *result, gpointer data)
{
	GTask *task = data;
	GError *error = NULL;
	guint64 id = 0;

	if (!e7_firewall1_call_add_rule_finish(E7_FIREWALL1(source), &id,
					       result, &error))
		return_error(task, error);
	else
		g_task_return_pointer(task, g_memdup2(&id, sizeof(id)), g_free);
	g_object_unref(task);
}

void e7_firewall_client_add_rule(E7FirewallClient *self, GVariant *rule,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_add_rule);

	if (!task) {
		g_variant_unref(g_variant_ref_sink(rule));
		return;
	}
	lift_timeout(self, TRUE);
	e7_firewall1_call_add_rule(e7_firewall_client_get_proxy(self), rule,
				   cancellable, add_rule_done, task);
	lift_timeout(self, FALSE);
}

gboolean e7_firewall_client_add_rule_finish(E7FirewallClient *self,
					    GAsyncResult *result, guint64 *id,
					    GError **error)
{
	g_autofree guint64 *value = NULL;

	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	value = g_task_propagate_pointer(G_TASK(result), error);
	if (!value)
		return FALSE;
	if (id)
		*id = *value;
	return TRUE;
}

static void update_rule_done(GObject *source, GAsyncResult *result,
			     gpointer task)
{
	GError *error = NULL;
	gboolean ok = e7_firewall1_call_update_rule_finish(E7_FIREWALL1(source),
							   result, &error);

	return_change(task, ok, error);
}

void e7_firewall_client_update_rule(E7FirewallClient *self, guint64 id,
				    GVariant *changes,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_update_rule);

	if (!task) {
		g_variant_unref(g_variant_ref_sink(changes));
		return;
	}
	lift_timeout(self, TRUE);
	e7_firewall1_call_update_rule(e7_firewall_client_get_proxy(self), id,
				      changes, cancellable, update_rule_done,
				      task);
	lift_timeout(self, FALSE);
}

static void remove_rule_done(GObject *source, GAsyncResult *result,
			     gpointer task)
{
	GError *error = NULL;
	gboolean ok = e7_firewall1_call_remove_rule_finish(E7_FIREWALL1(source),
							   result, &error);

	return_change(task, ok, error);
}

void e7_firewall_client_remove_rule(E7FirewallClient *self, guint64 id,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_remove_rule);

	if (!task)
		return;
	lift_timeout(self, TRUE);
	e7_firewall1_call_remove_rule(e7_firewall_client_get_proxy(self), id,
				      cancellable, remove_rule_done, task);
	lift_timeout(self, FALSE);
}

static void set_mode_done(GObject *source, GAsyncResult *result, gpointer task)
{
	GError *error = NULL;
	gboolean ok = e7_firewall1_call_set_mode_finish(E7_FIREWALL1(source),
							result, &error);

	return_change(task, ok, error);
}

void e7_firewall_client_set_mode(E7FirewallClient *self, const char *mode,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = call_task(self, cancellable, callback, user_data,
				e7_firewall_client_set_mode);

	if (!task)
		return;
	lift_timeout(self, TRUE);
	e7_firewall1_call_set_mode(e7_firewall_client_get_proxy(self), mode,
				   cancellable, set_mode_done, task);
	lift_timeout(self, FALSE);
}

gboolean e7_firewall_client_change_finish(E7FirewallClient *self,
					  GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}
