// SPDX-License-Identifier: GPL-2.0-or-later
#include "daemon.h"

#include <glib/gi18n.h>

#include "agents.h"
#include "blocked-events.h"
#include "dbus-service.h"
#include "e7-error.h"
#include "event-log.h"
#include "firewall-state.h"
#include "kernel-sync.h"
#include "program-gate.h"
#include "prompts.h"
#include "rule-lifetimes.h"
#include "rule-store.h"
#include "state-migration.h"

struct _E7Daemon {
	GDBusConnection *bus;
	char *conf_path;
	char *settings_path;
	E7Config config;
	GCancellable *cancel; /* cancelled when the daemon goes away */
	E7Kernel *kernel;
	E7RuleStore *store;
	E7FirewallState *state;
	E7KernelSync *sync;
	E7EventLog *log;
	E7BlockedEvents *blocked; /* the log's blocks, kept across restarts */
	E7Agents *agents;
	E7RuleLifetimes *lifetimes;
	E7Prompts *prompts;
	E7ProgramGate *gate;
	E7Service *service;
};

/* ---- the kernel's events, to the parts --------------------------------- */

static void on_pending(const E7Flow *flow, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_program_gate_handle_flow(self->gate, flow);
}

static void on_flow(const E7Flow *flow, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_event_log_add(self->log, "verdict", flow->action,
			 flow->reason == E7_REASON_RULE ? "rule" : "kernel",
			 flow, flow->rule_id);
}

static void on_resolved(guint64 flow_id, E7Action action, guint8 reason,
			gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(E7Flow) flow = e7_flow_new();

	flow->id = flow_id;
	e7_program_gate_flow_resolved(self->gate, flow_id);
	e7_event_log_add(self->log, "policy", action,
			 reason == E7_REASON_TIMEOUT ? "kernel-timeout" :
						       "kernel",
			 flow, 0);
}

static void on_rule_expired(guint64 rule_id, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_rule_store_forget(self->store, rule_id);
}

static void on_mode_changed(E7Mode mode, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_firewall_state_set_mode(self->state, mode);
}

static void on_connected(gboolean connected, gpointer user_data)
{
	E7Daemon *self = user_data;

	if (connected) {
		e7_kernel_sync_start(self->sync);
	} else {
		e7_prompts_cancel_all(self->prompts);
		e7_firewall_state_set_connected(self->state, FALSE);
	}
}

static void on_events_lost(guint64 lost, gpointer user_data)
{
	E7Daemon *self = user_data;

	g_warning(
		_("%llu kernel events lost in total: reading the held flows again"),
		(unsigned long long)lost);
	e7_firewall_state_set_events_lost(self->state, lost);
	e7_kernel_sync_reread_flows(self->sync);
}

static const E7KernelEvents kernel_events = {
	.pending = on_pending,
	.flow = on_flow,
	.resolved = on_resolved,
	.rule_expired = on_rule_expired,
	.mode_changed = on_mode_changed,
	.connected = on_connected,
	.events_lost = on_events_lost,
};

/* The held flows a resync (or a reread) found. */
static void on_held_flows(E7KernelSync *sync, GPtrArray *flows,
			  gpointer user_data)
{
	E7Daemon *self = user_data;

	for (guint i = 0; i < flows->len; i++)
		e7_program_gate_handle_flow(self->gate, flows->pdata[i]);
}

/* ---- loading ------------------------------------------------------------ */

/* Reads e7d.conf with the settings, and the rules; both or neither take
 * effect. */
static gboolean load(E7Daemon *self, GError **error)
{
	E7Config config = self->config;

	e7_config_init_defaults(&config, E7_PROFILE_DESKTOP);
	if (!e7_config_load_with_settings(&config, self->conf_path,
					  self->settings_path, error) ||
	    !e7_rule_store_load(self->store, error))
		return FALSE;
	self->config = config;
	e7_event_log_set_size(self->log, config.event_log_size);
	g_message("loaded %u rules from %s",
		  e7_rule_store_count(self->store) -
			  e7_rule_store_count_temporary(self->store),
		  e7_rule_store_get_path(self->store));
	return TRUE;
}

gboolean e7_daemon_reload(E7Daemon *self, GError **error)
{
	if (!load(self, error))
		return FALSE;
	if (e7_kernel_check(self->kernel, NULL))
		e7_kernel_sync_start(self->sync);
	return TRUE;
}

static gboolean reload_for_service(gpointer data, GError **error)
{
	return e7_daemon_reload(data, error);
}

static void make_service(E7Daemon *self, E7Auth *auth)
{
	E7ServiceParts parts = {
		.bus = self->bus,
		.kernel = self->kernel,
		.store = self->store,
		.sync = self->sync,
		.agents = self->agents,
		.prompts = self->prompts,
		.log = self->log,
		.state = self->state,
		.config = &self->config,
		.settings_path = self->settings_path,
		.cancel = self->cancel,
		.reload = reload_for_service,
		.reload_data = self,
	};

	self->service = e7_service_new(&parts, auth);
}

static void make_parts(E7Daemon *self, const E7DaemonPaths *paths)
{
	self->store =
		e7_rule_store_new(self->kernel, paths->rules, self->cancel);
	e7_rule_store_set_system_dir(self->store, paths->rules_dir);
	self->state = e7_firewall_state_new();
	self->sync = e7_kernel_sync_new(self->kernel, self->store, self->state,
					&self->config, self->cancel);
	self->log = e7_event_log_new(self->config.event_log_size);
	self->agents = e7_agents_new(self->bus);
	self->lifetimes = e7_rule_lifetimes_new(self->store, self->agents);
	self->prompts = e7_prompts_new(self->kernel, self->agents, self->store,
				       self->lifetimes, self->log,
				       &self->config, self->cancel);
	self->gate = e7_program_gate_new(self->kernel, self->store,
					 self->prompts, self->log,
					 self->cancel);
	g_signal_connect(self->sync, "held-flows", G_CALLBACK(on_held_flows),
			 self);
}

/* Blocked connections from before a restart, beside e7d's rules file: back
 * into the event log (once its size is read from e7d.conf). */
static void keep_blocked_events(E7Daemon *self, const char *rules)
{
	g_autofree char *dir = g_path_get_dirname(rules);
	g_autofree char *path = g_build_filename(dir, "blocked-events", NULL);

	self->blocked = e7_blocked_events_new(self->log, path,
					      E7_BLOCKED_EVENTS_INTERVAL);
}

E7Daemon *e7_daemon_new(GDBusConnection *bus, E7Kernel *kernel, E7Auth *auth,
			const E7DaemonPaths *paths, GError **error)
{
	E7Daemon *self = g_new0(E7Daemon, 1);
	g_autoptr(GError) local = NULL;

	e7_error_quark(); /* the remote errors of agents map to E7_ERROR */
	self->bus = g_object_ref(bus);
	self->conf_path = g_strdup(paths->conf);
	self->settings_path = g_strdup(paths->settings);
	self->cancel = g_cancellable_new();
	self->kernel = kernel;
	e7_config_init_defaults(&self->config, E7_PROFILE_DESKTOP);
	e7_state_migrate_rules(paths->legacy_rules, paths->rules);
	make_parts(self, paths);
	make_service(self, auth);
	if (kernel)
		e7_kernel_set_events(kernel, &kernel_events, self);
	if (!load(self, &local)) {
		g_warning("%s", local->message);
		g_propagate_error(error, g_steal_pointer(&local));
	}
	keep_blocked_events(self, paths->rules);
	return self;
}

gboolean e7_daemon_export(E7Daemon *self, GError **error)
{
	return e7_service_export(self->service, error);
}

void e7_daemon_resync(E7Daemon *self)
{
	e7_kernel_sync_start(self->sync);
}

void e7_daemon_wait_synced(E7Daemon *self, GAsyncReadyCallback callback,
			   gpointer user_data)
{
	e7_kernel_sync_wait(self->sync, callback, user_data);
}

gboolean e7_daemon_wait_synced_finish(GAsyncResult *res, GError **error)
{
	return e7_kernel_sync_wait_finish(res, error);
}

void e7_daemon_free(E7Daemon *self)
{
	if (!self)
		return;
	/* Pending kernel jobs finish in the worker; their callbacks only see
	 * the cancellation. */
	g_cancellable_cancel(self->cancel);
	e7_service_free(self->service);
	e7_program_gate_free(self->gate);
	e7_prompts_free(self->prompts);
	e7_rule_lifetimes_free(self->lifetimes);
	g_object_unref(self->agents);
	g_signal_handlers_disconnect_by_data(self->sync, self);
	g_object_unref(self->sync);
	e7_kernel_free(self->kernel);
	g_object_unref(self->store);
	e7_blocked_events_free(self->blocked);
	g_object_unref(self->log);
	g_object_unref(self->state);
	g_object_unref(self->cancel);
	g_free(self->conf_path);
	g_free(self->settings_path);
	g_object_unref(self->bus);
	g_free(self);
}
