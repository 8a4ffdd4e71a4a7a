/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e7d's calls, typed and asynchronous, through an E7FirewallClient: what the
 * windows and the application ask e7d, and how its answers and refusals
 * come back.
 */
#pragma once

#include "firewall-client.h"

G_BEGIN_DECLS

/*
 * Calls. While e7d is away they fail with G_IO_ERROR_NOT_CONNECTED; e7d's
 * refusals come as E7_ERROR codes with e7d's message (no D-Bus error name).
 */
/* Every rule (aa{sv}). */
void e7_firewall_client_list_rules(E7FirewallClient *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
GVariant *e7_firewall_client_list_rules_finish(E7FirewallClient *self,
					       GAsyncResult *result,
					       GError **error);
/* The newest max events (aa{sv}), oldest first. */
void e7_firewall_client_get_events(E7FirewallClient *self, guint32 max,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
GVariant *e7_firewall_client_get_events_finish(E7FirewallClient *self,
					       GAsyncResult *result,
					       GError **error);
/* e7d's counters (a{sv}). */
void e7_firewall_client_get_stats(E7FirewallClient *self,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
GVariant *e7_firewall_client_get_stats_finish(E7FirewallClient *self,
					      GAsyncResult *result,
					      GError **error);

/* Changes: they may wait for an administrator's password, without timeout. */
void e7_firewall_client_add_rule(E7FirewallClient *self, GVariant *rule,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean e7_firewall_client_add_rule_finish(E7FirewallClient *self,
					    GAsyncResult *result, guint64 *id,
					    GError **error);
void e7_firewall_client_update_rule(E7FirewallClient *self, guint64 id,
				    GVariant *changes,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
void e7_firewall_client_remove_rule(E7FirewallClient *self, guint64 id,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
void e7_firewall_client_set_mode(E7FirewallClient *self, const char *mode,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
/* The end of update_rule, remove_rule and set_mode. */
gboolean e7_firewall_client_change_finish(E7FirewallClient *self,
					  GAsyncResult *result, GError **error);

G_END_DECLS
