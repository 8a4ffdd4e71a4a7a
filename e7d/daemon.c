// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include "daemon.h"

#include <string.h>

#include "agents.h"
#include "e7-dbus-generated.h"
#include "e7-error.h"

struct _E7Daemon {
	GDBusConnection *bus;
	guint registration;
	E7Kernel *kernel;
	E7Auth *auth;
	E7Agents *agents;
	char *rules_path;
	char *conf_path;
	E7Config config;
	E7RulesFile *file; /* persistent rules */
	gboolean file_broken; /* the file on disk has errors: do not overwrite */
	GPtrArray *temp_rules; /* of E7Rule, not persisted */
	GHashTable *by_id; /* id -> E7Rule (owned by file or temp_rules) */
	guint64 next_id;
	GQueue events; /* of GVariant a{sv} */
	guint64 next_event_id;
	guint64 events_lost;
	guint8 mode;
	gboolean mode_known;
	gboolean connected;
};

/* ---------------------------------------------------------------------
 * Rules
 * ---------------------------------------------------------------------
 */

static guint64 alloc_id(E7Daemon *self)
{
	while (g_hash_table_contains(self->by_id, &self->next_id))
		self->next_id++;
	return self->next_id++;
}

static void index_rule(E7Daemon *self, E7Rule *rule)
{
	g_hash_table_insert(self->by_id, &rule->id, rule);
}

static E7Rule *lookup_rule(E7Daemon *self, guint64 id, GError **error)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);

	if (!rule)
		g_set_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE,
			    "no rule with id %" G_GUINT64_FORMAT, id);
	return rule;
}

static gboolean is_persistent(const E7Rule *rule)
{
	return rule->lifetime == E7_LIFETIME_FOREVER;
}

static gboolean file_writable(E7Daemon *self, GError **error)
{
	if (self->file_broken) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_FAILED,
			"%s has errors: fix it and reload before changing persistent rules",
			self->rules_path);
		return FALSE;
	}
	return TRUE;
}

static gboolean save_rules(E7Daemon *self, GError **error)
{
	return file_writable(self, error) &&
	       e7_rules_file_save(self->file, self->rules_path, error);
}

static void emit(E7Daemon *self, const char *signal, GVariant *args)
{
	g_autoptr(GError) error = NULL;

	if (!self->registration) {
		g_variant_unref(g_variant_ref_sink(args));
		return;
	}
	if (!g_dbus_connection_emit_signal(self->bus, NULL, E7_DBUS_PATH,
					   E7_DBUS_INTERFACE, signal, args,
					   &error))
		g_warning("cannot emit %s: %s", signal, error->message);
}

static void emit_rule(E7Daemon *self, const char *signal, const E7Rule *rule)
{
	emit(self, signal,
	     g_variant_new("(t@a{sv})", rule->id, e7_rule_to_variant(rule)));
}

static gboolean kernel_push(E7Daemon *self, const E7Rule *rule, GError **error)
{
	if (!self->kernel || !self->kernel->ops->is_connected(self->kernel)) {
		if (is_persistent(rule))
			return TRUE; /* pushed when the module appears */
		return e7_kernel_check(self->kernel, error);
	}
	return self->kernel->ops->add_rule(self->kernel, rule, error);
}

static void kernel_remove(E7Daemon *self, guint64 id)
{
	g_autoptr(GError) error = NULL;

	if (!self->kernel || !self->kernel->ops->is_connected(self->kernel))
		return;
	if (!self->kernel->ops->del_rule(self->kernel, id, &error) &&
	    !g_error_matches(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE))
		g_warning("cannot remove rule %" G_GUINT64_FORMAT
			  " from the kernel: %s",
			  id, error->message);
}

guint64 e7_daemon_add_rule(E7Daemon *self, E7Rule *rule_in, GError **error)
{
	g_autoptr(E7Rule) rule = rule_in;
	E7Rule *r;

	if (is_persistent(rule) && !file_writable(self, error))
		return 0;
	rule->id = alloc_id(self);
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		rule->expires =
			g_get_real_time() / G_USEC_PER_SEC + rule->duration;
	if (!kernel_push(self, rule, error))
		return 0;
	r = g_steal_pointer(&rule);
	index_rule(self, r);
	if (is_persistent(r)) {
		e7_rules_file_append(self->file, r);
		if (!save_rules(self, error)) {
			kernel_remove(self, r->id);
			g_hash_table_remove(self->by_id, &r->id);
			e7_rules_file_remove(self->file, r);
			return 0;
		}
	} else {
		g_ptr_array_add(self->temp_rules, r);
	}
	emit_rule(self, "RuleAdded", r);
	return r->id;
}

/* Removes @rule (kernel, tables, file); the file is saved by the caller. */
static void drop_rule(E7Daemon *self, E7Rule *rule)
{
	guint64 id = rule->id;

	kernel_remove(self, id);
	g_hash_table_remove(self->by_id, &id);
	if (!e7_rules_file_remove(self->file, rule))
		g_ptr_array_remove(self->temp_rules, rule);
	emit(self, "RuleRemoved", g_variant_new("(t)", id));
}

gboolean e7_daemon_remove_rule(E7Daemon *self, guint64 id)
{
	E7Rule *rule = g_hash_table_lookup(self->by_id, &id);

	if (!rule || is_persistent(rule))
		return FALSE;
	drop_rule(self, rule);
	return TRUE;
}

void e7_daemon_remove_temporary_rules(E7Daemon *self, guint32 uid,
				      E7Lifetime lifetime)
{
	for (guint i = self->temp_rules->len; i > 0; i--) {
		E7Rule *r = self->temp_rules->pdata[i - 1];

		if (r->lifetime == lifetime && r->has_uid && r->uid == uid)
			drop_rule(self, r);
	}
}

static gboolean update_rule(E7Daemon *self, E7Rule *rule, const E7Rule *changed,
			    GError **error)
{
	g_autoptr(E7Rule) old = e7_rule_copy(rule);
	gboolean was_persistent = is_persistent(rule);

	if (was_persistent != is_persistent(changed)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"the lifetime of a rule cannot change between forever and "
			"temporary: remove it and add a new one");
		return FALSE;
	}
	if (was_persistent && !file_writable(self, error))
		return FALSE;
	kernel_remove(self, rule->id);
	if (!kernel_push(self, changed, error)) {
		g_autoptr(GError) again = NULL;

		if (!kernel_push(self, old, &again))
			g_warning("cannot restore rule %" G_GUINT64_FORMAT
				  ": %s",
				  old->id, again->message);
		return FALSE;
	}
	g_free(rule->program);
	g_free(rule->comment);
	g_clear_object(&rule->remote);
	*rule = *changed;
	rule->program = g_strdup(changed->program);
	rule->comment = g_strdup(changed->comment);
	if (changed->remote)
		g_object_ref(rule->remote);
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		rule->expires =
			g_get_real_time() / G_USEC_PER_SEC + rule->duration;
	if (was_persistent) {
		e7_rules_file_touch(self->file, rule);
		if (!save_rules(self, error))
			return FALSE;
	}
	emit_rule(self, "RuleChanged", rule);
	return TRUE;
}

static void collect_rules(E7Daemon *self, GPtrArray *out)
{
	for (guint i = 0; i < self->file->lines->len; i++) {
		E7RulesLine *line = self->file->lines->pdata[i];

		if (line->rule)
			g_ptr_array_add(out, line->rule);
	}
	for (guint i = 0; i < self->temp_rules->len; i++)
		g_ptr_array_add(out, self->temp_rules->pdata[i]);
}

static guint count_rules(E7Daemon *self)
{
	return g_hash_table_size(self->by_id);
}

/* ---------------------------------------------------------------------
 * Kernel synchronisation
 * ---------------------------------------------------------------------
 */

static void set_connected(E7Daemon *self, gboolean connected);

static char *rule_key(const E7Rule *rule)
{
	g_autoptr(E7Rule) copy = e7_rule_copy(rule);

	g_clear_pointer(&copy->comment, g_free);
	return e7_rule_to_string(copy);
}

void e7_daemon_resync(E7Daemon *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) kernel_rules = NULL;
	g_autoptr(GPtrArray) mine = g_ptr_array_new();
	g_autoptr(GHashTable)
		by_kid = g_hash_table_new(g_int64_hash, g_int64_equal);
	g_autoptr(GHashTable) by_text =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) matched = g_hash_table_new(NULL, NULL);
	g_autoptr(GPtrArray) flows = NULL;
	g_autoptr(GPtrArray) to_push = g_ptr_array_new();
	GHashTableIter it;
	gpointer key;
	guint8 mode;
	guint adopted = 0, pushed = 0, removed = 0;

	if (!e7_kernel_check(self->kernel, NULL)) {
		set_connected(self, FALSE);
		return;
	}
	if (!self->kernel->ops->set_config(self->kernel, &self->config,
					   &error)) {
		g_warning("cannot push the settings to the kernel: %s",
			  error->message);
		g_clear_error(&error);
	}
	kernel_rules = self->kernel->ops->dump_rules(self->kernel, &error);
	if (!kernel_rules) {
		g_warning("cannot read the kernel's rules: %s", error->message);
		return;
	}
	for (guint i = 0; i < kernel_rules->len; i++) {
		E7Rule *k = kernel_rules->pdata[i];

		g_hash_table_insert(by_kid, &k->id, k);
		g_hash_table_insert(by_text, rule_key(k), k);
	}
	/* Our rules that the kernel has with the same id (and text) stay;
	 * the others lose their id until matched by text (a restart of e7d,
	 * whose ids are new) or pushed. */
	collect_rules(self, mine);
	for (guint i = 0; i < mine->len; i++) {
		E7Rule *r = mine->pdata[i];
		E7Rule *k = g_hash_table_lookup(by_kid, &r->id);

		if (k && !g_hash_table_contains(matched, k)) {
			g_autofree char *text = rule_key(r);
			g_autofree char *ktext = rule_key(k);

			if (!is_persistent(r) || g_str_equal(text, ktext)) {
				g_hash_table_add(matched, k);
				adopted++;
				continue;
			}
		}
		g_hash_table_remove(self->by_id, &r->id);
		g_ptr_array_add(to_push, r);
	}
	for (guint i = 0; i < to_push->len;) {
		E7Rule *r = to_push->pdata[i];
		g_autofree char *text = rule_key(r);
		E7Rule *k = g_hash_table_lookup(by_text, text);

		if (k && !g_hash_table_contains(matched, k) &&
		    !g_hash_table_contains(self->by_id, &k->id)) {
			r->id = k->id;
			index_rule(self, r);
			g_hash_table_add(matched, k);
			g_hash_table_remove(by_text, text);
			g_ptr_array_remove_index_fast(to_push, i);
			adopted++;
			continue;
		}
		i++;
	}
	for (guint i = 0; i < kernel_rules->len; i++) {
		E7Rule *k = kernel_rules->pdata[i];

		if (!(k->id & E7_RULE_ID_KERNEL) && k->id >= self->next_id)
			self->next_id = k->id + 1;
		if (g_hash_table_contains(matched, k))
			continue;
		if (!is_persistent(k) && !(k->id & E7_RULE_ID_KERNEL) &&
		    !g_hash_table_contains(self->by_id, &k->id)) {
			/* A temporary rule from before a restart of e7d. */
			E7Rule *t = e7_rule_copy(k);

			g_ptr_array_add(self->temp_rules, t);
			index_rule(self, t);
			g_hash_table_add(matched, k);
			adopted++;
			continue;
		}
		/* With a broken rules file, persistent kernel rules stay. */
		if (self->file_broken && is_persistent(k)) {
			g_hash_table_add(matched, k);
			continue;
		}
		if (self->kernel->ops->del_rule(self->kernel, k->id, NULL))
			removed++;
	}
	/* The rest is pushed, under a new id where the kernel keeps the old. */
	for (guint i = 0; i < to_push->len; i++) {
		E7Rule *r = to_push->pdata[i];
		E7Rule *k = g_hash_table_lookup(by_kid, &r->id);

		if (g_hash_table_contains(self->by_id, &r->id) ||
		    (k && g_hash_table_contains(matched, k)))
			r->id = alloc_id(self);
		index_rule(self, r);
		if (!self->kernel->ops->add_rule(self->kernel, r, &error)) {
			g_autofree char *text = e7_rule_to_string(r);

			g_warning("cannot push rule '%s': %s", text,
				  error->message);
			g_clear_error(&error);
		} else {
			pushed++;
		}
	}
	g_hash_table_iter_init(&it, self->by_id);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		guint64 id = *(guint64 *)key;

		if (id >= self->next_id && !(id & E7_RULE_ID_KERNEL))
			self->next_id = id + 1;
	}
	g_message(
		"kernel rules synchronised: %u adopted, %u pushed, %u removed",
		adopted, pushed, removed);
	if (self->kernel->ops->get_mode(self->kernel, &mode, NULL)) {
		self->mode = mode;
		self->mode_known = TRUE;
	}
	set_connected(self, TRUE);
	flows = self->kernel->ops->dump_flows(self->kernel, &error);
	if (!flows) {
		g_warning("cannot read the held flows: %s", error->message);
		return;
	}
	for (guint i = 0; i < flows->len; i++)
		e7_agents_handle_flow(self->agents, flows->pdata[i]);
}

/* ---------------------------------------------------------------------
 * Properties, events
 * ---------------------------------------------------------------------
 */

static const char *mode_string(E7Daemon *self)
{
	return self->connected && self->mode_known ?
		       e7_mode_to_string(self->mode) :
		       "unknown";
}

static void emit_properties_changed(E7Daemon *self, const char *name,
				    GVariant *value)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", name, value);
	if (!self->registration) {
		g_variant_builder_clear(&b);
		return;
	}
	g_dbus_connection_emit_signal(
		self->bus, NULL, E7_DBUS_PATH,
		"org.freedesktop.DBus.Properties", "PropertiesChanged",
		g_variant_new("(sa{sv}as)", E7_DBUS_INTERFACE, &b, NULL), NULL);
}

static void set_connected(E7Daemon *self, gboolean connected)
{
	if (self->connected == connected)
		return;
	self->connected = connected;
	g_message("kernel module %s", connected ? "connected" : "gone");
	emit_properties_changed(self, "KernelConnected",
				g_variant_new_boolean(connected));
	emit_properties_changed(self, "Mode",
				g_variant_new_string(mode_string(self)));
}

static void set_mode(E7Daemon *self, guint8 mode)
{
	if (self->mode_known && self->mode == mode)
		return;
	self->mode = mode;
	self->mode_known = TRUE;
	emit_properties_changed(self, "Mode",
				g_variant_new_string(mode_string(self)));
}

void e7_daemon_log_event(E7Daemon *self, const char *kind, E7Action action,
			 const char *reason, const E7Flow *flow,
			 guint64 rule_id)
{
	GVariantBuilder b;
	GVariant *event;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id",
			      g_variant_new_uint64(++self->next_event_id));
	g_variant_builder_add(&b, "{sv}", "time",
			      g_variant_new_uint64(g_get_real_time()));
	g_variant_builder_add(&b, "{sv}", "kind", g_variant_new_string(kind));
	g_variant_builder_add(
		&b, "{sv}", "action",
		g_variant_new_string(e7_action_to_string(action)));
	g_variant_builder_add(&b, "{sv}", "reason",
			      g_variant_new_string(reason));
	if (flow) {
		g_variant_builder_add(&b, "{sv}", "flow-id",
				      g_variant_new_uint64(flow->id));
		g_variant_builder_add(
			&b, "{sv}", "program",
			g_variant_new_string(flow->program ? flow->program :
							     ""));
		g_variant_builder_add(&b, "{sv}", "pid",
				      g_variant_new_uint32(flow->pid));
		g_variant_builder_add(&b, "{sv}", "uid",
				      g_variant_new_uint32(flow->uid));
		g_variant_builder_add(
			&b, "{sv}", "protocol",
			g_variant_new_string(
				e7_protocol_to_string(flow->protocol)));
		g_variant_builder_add(
			&b, "{sv}", "direction",
			g_variant_new_string(
				e7_direction_to_string(flow->direction)));
		if (flow->remote_address)
			g_variant_builder_add(
				&b, "{sv}", "remote-address",
				g_variant_new_string(flow->remote_address));
		g_variant_builder_add(&b, "{sv}", "remote-port",
				      g_variant_new_uint16(flow->remote_port));
	}
	if (rule_id)
		g_variant_builder_add(&b, "{sv}", "rule-id",
				      g_variant_new_uint64(rule_id));
	event = g_variant_ref_sink(g_variant_builder_end(&b));

	if (g_strcmp0(kind, "policy") == 0)
		g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "E7_REASON",
				 reason, "E7_ACTION",
				 e7_action_to_string(action), "E7_PROGRAM",
				 flow && flow->program ? flow->program : "",
				 "MESSAGE", "policy %s: %s %s (pid %u, uid %u)",
				 reason, e7_action_to_string(action),
				 flow && flow->program ? flow->program : "?",
				 flow ? flow->pid : 0, flow ? flow->uid : 0);
	if (self->config.event_log_size == 0) {
		emit(self, "ConnectionEvent", g_variant_new("(@a{sv})", event));
		g_variant_unref(event);
		return;
	}
	g_queue_push_tail(&self->events, g_variant_ref(event));
	while (self->events.length > self->config.event_log_size)
		g_variant_unref(g_queue_pop_head(&self->events));
	emit(self, "ConnectionEvent", g_variant_new("(@a{sv})", event));
	g_variant_unref(event);
}

/* ---------------------------------------------------------------------
 * Kernel events
 * ---------------------------------------------------------------------
 */

static void on_pending(const E7Flow *flow, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_agents_handle_flow(self->agents, flow);
}

static void on_flow(const E7Flow *flow, gpointer user_data)
{
	E7Daemon *self = user_data;

	e7_daemon_log_event(self, "verdict", flow->action,
			    flow->reason == E7_REASON_RULE ? "rule" : "kernel",
			    flow, flow->rule_id);
}

static void on_resolved(guint64 flow_id, E7Action action, guint8 reason,
			gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(E7Flow) flow = e7_flow_new();

	flow->id = flow_id;
	e7_agents_flow_resolved(self->agents, flow_id);
	e7_daemon_log_event(self, "policy", action,
			    reason == E7_REASON_TIMEOUT ? "kernel-timeout" :
							  "kernel",
			    flow, 0);
}

static void on_rule_expired(guint64 rule_id, gpointer user_data)
{
	E7Daemon *self = user_data;
	E7Rule *rule = g_hash_table_lookup(self->by_id, &rule_id);

	if (!rule)
		return;
	g_hash_table_remove(self->by_id, &rule_id);
	if (e7_rules_file_remove(self->file, rule)) {
		g_autoptr(GError) error = NULL;

		if (!save_rules(self, &error))
			g_warning("%s", error->message);
	} else {
		g_ptr_array_remove(self->temp_rules, rule);
	}
	emit(self, "RuleRemoved", g_variant_new("(t)", rule_id));
}

static void on_mode_changed(guint8 mode, gpointer user_data)
{
	set_mode(user_data, mode);
}

static void on_connected(gboolean connected, gpointer user_data)
{
	E7Daemon *self = user_data;

	if (connected) {
		e7_daemon_resync(self);
	} else {
		e7_agents_cancel_all(self->agents);
		set_connected(self, FALSE);
	}
}

static void on_events_lost(guint64 lost, gpointer user_data)
{
	E7Daemon *self = user_data;
	g_autoptr(GPtrArray) flows = NULL;
	g_autoptr(GError) error = NULL;

	g_warning("%" G_GUINT64_FORMAT
		  " kernel events lost in total: reading the held flows again",
		  lost);
	self->events_lost = lost;
	flows = self->kernel->ops->dump_flows(self->kernel, &error);
	if (!flows) {
		g_warning("cannot read the held flows: %s", error->message);
		return;
	}
	for (guint i = 0; i < flows->len; i++)
		e7_agents_handle_flow(self->agents, flows->pdata[i]);
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

const E7KernelEvents *e7_daemon_kernel_events(void)
{
	return &kernel_events;
}

/* ---------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------
 */

/* Installs @file as the persistent rules: ids are kept for rules whose text
 * did not change, so that a reload does not churn the kernel. */
static void install_file(E7Daemon *self, E7RulesFile *file)
{
	g_autoptr(GHashTable) old_by_text =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) added = g_ptr_array_new();
	g_autoptr(GArray) removed = g_array_new(FALSE, FALSE, sizeof(guint64));
	E7RulesFile *old = self->file;

	for (guint i = 0; old && i < old->lines->len; i++) {
		E7RulesLine *line = old->lines->pdata[i];

		if (line->rule) {
			char *text = rule_key(line->rule);

			g_hash_table_remove(self->by_id, &line->rule->id);
			if (g_hash_table_contains(old_by_text, text)) {
				g_array_append_val(removed, line->rule->id);
				g_free(text);
			} else {
				g_hash_table_insert(old_by_text, text,
						    line->rule);
			}
		}
	}
	for (guint i = 0; i < file->lines->len; i++) {
		E7RulesLine *line = file->lines->pdata[i];
		g_autofree char *text = NULL;
		E7Rule *prev;

		if (!line->rule)
			continue;
		text = rule_key(line->rule);
		prev = g_hash_table_lookup(old_by_text, text);
		if (prev) {
			line->rule->id = prev->id;
			g_hash_table_remove(old_by_text, text);
		} else {
			line->rule->id = alloc_id(self);
			g_ptr_array_add(added, line->rule);
		}
		if (line->rule->lifetime == E7_LIFETIME_SECONDS)
			line->rule->expires =
				g_get_real_time() / G_USEC_PER_SEC +
				line->rule->duration;
		index_rule(self, line->rule);
	}
	{
		GHashTableIter it;
		gpointer value;

		g_hash_table_iter_init(&it, old_by_text);
		while (g_hash_table_iter_next(&it, NULL, &value))
			g_array_append_val(removed, ((E7Rule *)value)->id);
	}
	self->file = file;
	for (guint i = 0; i < removed->len; i++)
		emit(self, "RuleRemoved",
		     g_variant_new("(t)", g_array_index(removed, guint64, i)));
	for (guint i = 0; i < added->len; i++)
		emit_rule(self, "RuleAdded", added->pdata[i]);
	e7_rules_file_free(old);
}

gboolean e7_daemon_reload(E7Daemon *self, GError **error)
{
	E7Config config = self->config;
	E7RulesFile *file;

	e7_config_init_defaults(&config, E7_PROFILE_DESKTOP);
	if (!e7_config_load(&config, self->conf_path, error))
		return FALSE;
	file = e7_rules_file_load(self->rules_path, error);
	if (!file) {
		self->file_broken = TRUE;
		return FALSE;
	}
	self->config = config;
	self->file_broken = FALSE;
	install_file(self, file);
	g_message("loaded %u rules from %s",
		  count_rules(self) - self->temp_rules->len, self->rules_path);
	if (e7_kernel_check(self->kernel, NULL))
		e7_daemon_resync(self);
	return TRUE;
}

E7Daemon *e7_daemon_new(GDBusConnection *bus, E7Kernel *kernel, E7Auth *auth,
			const char *rules_path, const char *conf_path,
			GError **error)
{
	E7Daemon *self = g_new0(E7Daemon, 1);
	g_autoptr(GError) local = NULL;

	self->bus = g_object_ref(bus);
	self->kernel = kernel;
	self->auth = auth;
	self->rules_path = g_strdup(rules_path);
	self->conf_path = g_strdup(conf_path);
	self->file = e7_rules_file_new();
	self->temp_rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	self->by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	self->next_id = 1;
	g_queue_init(&self->events);
	e7_config_init_defaults(&self->config, E7_PROFILE_DESKTOP);
	self->agents = e7_agents_new(self);
	if (!e7_daemon_reload(self, &local)) {
		g_warning("%s", local->message);
		g_propagate_error(error, g_steal_pointer(&local));
	}
	return self;
}

void e7_daemon_set_kernel(E7Daemon *self, E7Kernel *kernel)
{
	e7_kernel_free(self->kernel);
	self->kernel = kernel;
}

void e7_daemon_free(E7Daemon *self)
{
	if (!self)
		return;
	if (self->registration)
		g_dbus_connection_unregister_object(self->bus,
						    self->registration);
	e7_agents_free(self->agents);
	e7_kernel_free(self->kernel);
	e7_auth_free(self->auth);
	g_hash_table_unref(self->by_id);
	g_ptr_array_unref(self->temp_rules);
	e7_rules_file_free(self->file);
	g_queue_clear_full(&self->events, (GDestroyNotify)g_variant_unref);
	g_free(self->rules_path);
	g_free(self->conf_path);
	g_object_unref(self->bus);
	g_free(self);
}

const E7Config *e7_daemon_get_config(E7Daemon *self)
{
	return &self->config;
}

GDBusConnection *e7_daemon_get_bus(E7Daemon *self)
{
	return self->bus;
}

E7Kernel *e7_daemon_get_kernel(E7Daemon *self)
{
	return self->kernel;
}

/* ---------------------------------------------------------------------
 * D-Bus methods: every call is authorized asynchronously first.
 * ---------------------------------------------------------------------
 */

typedef struct _Call Call;
typedef const char *(*DecideFunc)(Call *call, GError **error);
typedef void (*RunFunc)(Call *call);

typedef struct {
	const char *name;
	DecideFunc decide; /* the polkit action, after validating the input */
	RunFunc run;
} Method;

struct _Call {
	E7Daemon *self;
	GDBusMethodInvocation *inv;
	GVariant *params;
	const Method *method;
	guint32 uid;
	const char *action;
	E7Rule *rule; /* AddRule, UpdateRule: the validated rule */
};

static void call_free(Call *call)
{
	g_object_unref(call->inv);
	e7_rule_free(call->rule);
	g_free(call);
}

static void call_error(Call *call, GError *error)
{
	g_dbus_method_invocation_return_gerror(call->inv, error);
	call_free(call);
}

static void call_return(Call *call, GVariant *value)
{
	g_dbus_method_invocation_return_value(call->inv, value);
	call_free(call);
}

static gboolean is_own_rule(const E7Rule *rule, guint32 uid)
{
	return rule->has_uid && rule->uid == uid;
}

static const char *decide_info(Call *call, GError **error)
{
	return E7_ACTION_INFO;
}

static const char *decide_system(Call *call, GError **error)
{
	return E7_ACTION_RULES_SYSTEM;
}

static const char *decide_own(Call *call, GError **error)
{
	return E7_ACTION_RULES_OWN;
}

static const char *decide_filter(Call *call, GError **error)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	guint32 uid;

	if (!e7_rule_check_filter(filter, error))
		return NULL;
	if (g_variant_lookup(filter, "uid", "u", &uid) && uid == call->uid)
		return E7_ACTION_RULES_OWN;
	return E7_ACTION_RULES_SYSTEM;
}

static const char *decide_add(Call *call, GError **error)
{
	g_autoptr(GVariant) dict = g_variant_get_child_value(call->params, 0);

	call->rule = e7_rule_new_from_variant(dict, error);
	if (!call->rule)
		return NULL;
	return is_own_rule(call->rule, call->uid) ? E7_ACTION_RULES_OWN :
						    E7_ACTION_RULES_SYSTEM;
}

static E7Rule *changed_rule(Call *call, E7Rule **current, GError **error)
{
	g_autoptr(GVariant) dict = g_variant_get_child_value(call->params, 1);
	guint64 id;
	E7Rule *copy;

	g_variant_get_child(call->params, 0, "t", &id);
	*current = lookup_rule(call->self, id, error);
	if (!*current)
		return NULL;
	copy = e7_rule_copy(*current);
	if (!e7_rule_update_from_variant(copy, dict, error)) {
		e7_rule_free(copy);
		return NULL;
	}
	return copy;
}

static const char *decide_update(Call *call, GError **error)
{
	E7Rule *current;

	call->rule = changed_rule(call, &current, error);
	if (!call->rule)
		return NULL;
	return is_own_rule(current, call->uid) &&
			       is_own_rule(call->rule, call->uid) ?
		       E7_ACTION_RULES_OWN :
		       E7_ACTION_RULES_SYSTEM;
}

static const char *decide_remove(Call *call, GError **error)
{
	guint64 id;
	E7Rule *rule;

	g_variant_get(call->params, "(t)", &id);
	rule = lookup_rule(call->self, id, error);
	if (!rule)
		return NULL;
	return is_own_rule(rule, call->uid) ? E7_ACTION_RULES_OWN :
					      E7_ACTION_RULES_SYSTEM;
}

static void run_list_rules(Call *call)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	g_autoptr(GPtrArray) rules = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;

	if (!e7_rule_check_filter(filter, &error)) {
		call_error(call, error);
		return;
	}
	collect_rules(call->self, rules);
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < rules->len; i++)
		if (e7_rule_matches_filter(rules->pdata[i], filter))
			g_variant_builder_add_value(
				&b, e7_rule_to_variant(rules->pdata[i]));
	call_return(call, g_variant_new("(aa{sv})", &b));
}

static void run_add_rule(Call *call)
{
	g_autoptr(GError) error = NULL;
	E7Rule *rule = g_steal_pointer(&call->rule);
	guint64 id;

	rule->has_owner = TRUE;
	rule->owner_uid = call->uid;
	id = e7_daemon_add_rule(call->self, rule, &error);
	if (!id) {
		call_error(call, error);
		return;
	}
	call_return(call, g_variant_new("(t)", id));
}

static void run_update_rule(Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7Rule) changed = NULL;
	E7Rule *current;

	/* The rule may have changed while polkit was asked: apply again. */
	changed = changed_rule(call, &current, &error);
	if (!changed) {
		call_error(call, error);
		return;
	}
	if (g_str_equal(call->action, E7_ACTION_RULES_OWN) &&
	    !(is_own_rule(current, call->uid) &&
	      is_own_rule(changed, call->uid))) {
		g_set_error_literal(
			&error, E7_ERROR, E7_ERROR_NOT_AUTHORIZED,
			"the rule changed meanwhile and is no longer your own");
		call_error(call, error);
		return;
	}
	if (!update_rule(call->self, current, changed, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_remove_rule(Call *call)
{
	g_autoptr(GError) error = NULL;
	guint64 id;
	E7Rule *rule;
	gboolean persistent;

	g_variant_get(call->params, "(t)", &id);
	rule = lookup_rule(call->self, id, &error);
	if (!rule) {
		call_error(call, error);
		return;
	}
	persistent = is_persistent(rule);
	if (persistent && !file_writable(call->self, &error)) {
		call_error(call, error);
		return;
	}
	drop_rule(call->self, rule);
	if (persistent && !save_rules(call->self, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_clear_rules(Call *call)
{
	g_autoptr(GVariant) filter = g_variant_get_child_value(call->params, 0);
	g_autoptr(GPtrArray) rules = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	gboolean touched_file = FALSE;
	guint count = 0;

	collect_rules(call->self, rules);
	for (guint i = 0; i < rules->len; i++) {
		E7Rule *r = rules->pdata[i];

		if (!e7_rule_matches_filter(r, filter))
			continue;
		if (is_persistent(r)) {
			if (!file_writable(call->self, &error)) {
				call_error(call, error);
				return;
			}
			touched_file = TRUE;
		}
		drop_rule(call->self, r);
		count++;
	}
	if (touched_file && !save_rules(call->self, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, g_variant_new("(u)", count));
}

static void run_get_stats(Call *call)
{
	E7Daemon *self = call->self;
	const E7AgentStats *st = e7_agents_get_stats(self->agents);
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "rules",
			      g_variant_new_uint32(count_rules(self)));
	g_variant_builder_add(&b, "{sv}", "rules-temporary",
			      g_variant_new_uint32(self->temp_rules->len));
	g_variant_builder_add(&b, "{sv}", "prompts",
			      g_variant_new_uint64(st->prompts));
	g_variant_builder_add(&b, "{sv}", "prompts-answered",
			      g_variant_new_uint64(st->answered));
	g_variant_builder_add(
		&b, "{sv}", "prompts-pending",
		g_variant_new_uint32(e7_agents_pending(self->agents)));
	g_variant_builder_add(&b, "{sv}", "policy-no-agent",
			      g_variant_new_uint64(st->no_agent));
	g_variant_builder_add(&b, "{sv}", "policy-timeout",
			      g_variant_new_uint64(st->timeouts));
	g_variant_builder_add(&b, "{sv}", "policy-agent-gone",
			      g_variant_new_uint64(st->agent_gone));
	g_variant_builder_add(
		&b, "{sv}", "agents",
		g_variant_new_uint32(e7_agents_count(self->agents)));
	g_variant_builder_add(&b, "{sv}", "events-lost",
			      g_variant_new_uint64(self->events_lost));
	g_variant_builder_add(&b, "{sv}", "kernel-connected",
			      g_variant_new_boolean(self->connected));
	if (self->connected) {
		g_autoptr(GError) error = NULL;
		GVariant *k =
			self->kernel->ops->get_stats(self->kernel, &error);

		if (k)
			g_variant_builder_add(&b, "{sv}", "kernel", k);
		else
			g_warning("cannot read the kernel's counters: %s",
				  error->message);
	}
	call_return(call, g_variant_new("(a{sv})", &b));
}

/* Reads an optional key of an a{sv}; FALSE when it has the wrong type. */
static gboolean lookup_option(GVariant *opts, const char *key,
			      const GVariantType *type, gpointer out)
{
	g_autoptr(GVariant) v = g_variant_lookup_value(opts, key, NULL);

	if (!v)
		return TRUE;
	if (!g_variant_is_of_type(v, type))
		return FALSE;
	g_variant_get(v, g_variant_type_peek_string(type), out);
	return TRUE;
}

static void run_get_events(Call *call)
{
	g_autoptr(GVariant) opts = g_variant_get_child_value(call->params, 0);
	guint64 since = 0;
	guint32 max = G_MAXUINT32;
	GVariantBuilder b;
	GList *l;
	guint n = 0;

	if (!lookup_option(opts, "since", G_VARIANT_TYPE_UINT64, &since) ||
	    !lookup_option(opts, "max", G_VARIANT_TYPE_UINT32, &max)) {
		g_autoptr(GError) error = g_error_new_literal(
			E7_ERROR, E7_ERROR_INVALID_ARGS,
			"GetEvents options: \"since\" must be a uint64 and \"max\" a uint32");
		call_error(call, error);
		return;
	}
	/* The newest @max events after @since, oldest first. */
	for (l = call->self->events.tail; l && n < max; l = l->prev, n++) {
		guint64 id = 0;

		g_variant_lookup(l->data, "id", "t", &id);
		if (id <= since)
			break;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE("aa{sv}"));
	for (l = l ? l->next : call->self->events.head; l; l = l->next)
		g_variant_builder_add_value(&b, l->data);
	call_return(call, g_variant_new("(aa{sv})", &b));
}

static void run_reload(Call *call)
{
	g_autoptr(GError) error = NULL;

	if (!e7_daemon_reload(call->self, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_register_agent(Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *path;

	g_variant_get(call->params, "(&o)", &path);
	if (!e7_agents_register(call->self->agents,
				g_dbus_method_invocation_get_sender(call->inv),
				path, call->uid, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_unregister_agent(Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *path;

	g_variant_get(call->params, "(&o)", &path);
	if (!e7_agents_unregister(call->self->agents,
				  g_dbus_method_invocation_get_sender(call->inv),
				  path, &error)) {
		call_error(call, error);
		return;
	}
	call_return(call, NULL);
}

static void run_get_mode(Call *call)
{
	call_return(call, g_variant_new("(s)", mode_string(call->self)));
}

static const char *decide_set_mode(Call *call, GError **error)
{
	const char *name;
	guint8 mode;

	g_variant_get(call->params, "(&s)", &name);
	if (!e7_mode_from_string(name, &mode)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"unknown mode '%s': expected ask, allow-unknown, deny-unknown, "
			"disabled or block-all",
			name);
		return NULL;
	}
	return E7_ACTION_CONFIGURE;
}

static void run_set_mode(Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *name;
	guint8 mode;

	g_variant_get(call->params, "(&s)", &name);
	e7_mode_from_string(name, &mode);
	if (!e7_kernel_check(call->self->kernel, &error) ||
	    !call->self->kernel->ops->set_mode(call->self->kernel, mode,
					       &error)) {
		call_error(call, error);
		return;
	}
	g_message("mode set to %s by uid %u", name, call->uid);
	set_mode(call->self, mode);
	call_return(call, NULL);
}

/* Flags: the module's E7_FLAGS bits, the policies and the prompt timeout. */
typedef enum {
	FLAG_KERNEL_BIT,
	FLAG_POLICY,
	FLAG_PROMPT_TIMEOUT,
	FLAG_PROFILE,
} FlagKind;

typedef struct {
	const char *name;
	FlagKind kind;
	guint32 bit;
	gsize offset; /* of the E7Action in E7Config, for FLAG_POLICY */
} FlagInfo;

static const FlagInfo flag_table[] = {
#define E7_X_FLAG(n, b, s, d) { s, FLAG_KERNEL_BIT, 1u << (b), 0 },
	E7_FLAGS(E7_X_FLAG)
#undef E7_X_FLAG
		{ "policy-no-daemon", FLAG_POLICY, 0,
		  G_STRUCT_OFFSET(E7Config, no_daemon) },
	{ "policy-timeout", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, timeout) },
	{ "policy-overflow", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, overflow) },
	{ "policy-unidentified", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, unidentified) },
	{ "policy-no-agent", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, no_agent) },
	{ "policy-agent-gone", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, agent_gone) },
	{ "default-answer", FLAG_POLICY, 0,
	  G_STRUCT_OFFSET(E7Config, default_answer) },
	{ "prompt-timeout", FLAG_PROMPT_TIMEOUT, 0, 0 },
	{ "profile", FLAG_PROFILE, 0, 0 },
};

static const FlagInfo *find_flag(const char *name, GError **error)
{
	g_autoptr(GString) names = g_string_new(NULL);

	for (guint i = 0; i < G_N_ELEMENTS(flag_table); i++) {
		if (g_str_equal(flag_table[i].name, name))
			return &flag_table[i];
		g_string_append_printf(names, "%s%s", i ? ", " : "",
				       flag_table[i].name);
	}
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "unknown flag '%s': expected one of %s", name, names->str);
	return NULL;
}

static const char *decide_get_flag(Call *call, GError **error)
{
	const char *name;

	g_variant_get(call->params, "(&s)", &name);
	return find_flag(name, error) ? E7_ACTION_INFO : NULL;
}

static void run_get_flag(Call *call)
{
	E7Daemon *self = call->self;
	g_autoptr(GError) error = NULL;
	const FlagInfo *flag;
	const char *name;
	GVariant *value = NULL;
	guint32 flags;

	g_variant_get(call->params, "(&s)", &name);
	flag = find_flag(name, &error);
	switch (flag->kind) {
	case FLAG_KERNEL_BIT:
		if (!e7_kernel_check(self->kernel, &error) ||
		    !self->kernel->ops->get_flags(self->kernel, &flags,
						  &error)) {
			call_error(call, error);
			return;
		}
		value = g_variant_new_boolean((flags & flag->bit) != 0);
		break;
	case FLAG_POLICY:
		value = g_variant_new_string(e7_action_to_string(
			G_STRUCT_MEMBER(E7Action, &self->config,
					flag->offset)));
		break;
	case FLAG_PROMPT_TIMEOUT:
		value = g_variant_new_uint32(self->config.prompt_timeout);
		break;
	case FLAG_PROFILE:
		value = g_variant_new_string(
			e7_profile_to_string(self->config.profile));
		break;
	}
	call_return(call, g_variant_new("(v)", value));
}

static gboolean check_flag_value(const FlagInfo *flag, GVariant *value,
				 GError **error)
{
	E7Action action;
	guint32 u;

	switch (flag->kind) {
	case FLAG_KERNEL_BIT:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "flag '%s' takes a boolean", flag->name);
		return FALSE;
	case FLAG_POLICY:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING) &&
		    e7_action_from_string(g_variant_get_string(value, NULL),
					  &action))
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "flag '%s' takes the string \"allow\" or \"block\"",
			    flag->name);
		return FALSE;
	case FLAG_PROMPT_TIMEOUT:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32) &&
		    (u = g_variant_get_uint32(value)) >= 1 &&
		    u <= E7_CONFIG_PROMPT_TIMEOUT_MAX)
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "flag 'prompt-timeout' takes a uint32 from 1 to %d",
			    E7_CONFIG_PROMPT_TIMEOUT_MAX);
		return FALSE;
	case FLAG_PROFILE:
		break;
	}
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "flag '%s' is read-only (set it in e7d.conf)", flag->name);
	return FALSE;
}

static const char *decide_set_flag(Call *call, GError **error)
{
	g_autoptr(GVariant) value = NULL;
	const FlagInfo *flag;
	const char *name;

	g_variant_get(call->params, "(&sv)", &name, &value);
	flag = find_flag(name, error);
	if (!flag || !check_flag_value(flag, value, error))
		return NULL;
	return E7_ACTION_CONFIGURE;
}

static void run_set_flag(Call *call)
{
	E7Daemon *self = call->self;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) value = NULL;
	const FlagInfo *flag;
	const char *name;
	E7Config config = self->config;
	guint32 flags;

	g_variant_get(call->params, "(&sv)", &name, &value);
	flag = find_flag(name, &error);
	if (flag->kind == FLAG_KERNEL_BIT) {
		if (!e7_kernel_check(self->kernel, &error) ||
		    !self->kernel->ops->get_flags(self->kernel, &flags,
						  &error) ||
		    !self->kernel->ops->set_flags(self->kernel,
						  g_variant_get_boolean(value) ?
							  flags | flag->bit :
							  flags & ~flag->bit,
						  &error)) {
			call_error(call, error);
			return;
		}
	} else {
		if (flag->kind == FLAG_POLICY)
			e7_action_from_string(g_variant_get_string(value, NULL),
					      &G_STRUCT_MEMBER(E7Action,
							       &config,
							       flag->offset));
		else
			config.prompt_timeout = g_variant_get_uint32(value);
		if (e7_kernel_check(self->kernel, NULL) &&
		    !self->kernel->ops->set_config(self->kernel, &config,
						   &error)) {
			call_error(call, error);
			return;
		}
		self->config = config;
	}
	g_message("flag %s changed by uid %u", name, call->uid);
	call_return(call, NULL);
}

static const Method methods[] = {
	{ "ListRules", decide_info, run_list_rules },
	{ "AddRule", decide_add, run_add_rule },
	{ "UpdateRule", decide_update, run_update_rule },
	{ "RemoveRule", decide_remove, run_remove_rule },
	{ "ClearRules", decide_filter, run_clear_rules },
	{ "GetStats", decide_info, run_get_stats },
	{ "GetEvents", decide_info, run_get_events },
	{ "Reload", decide_system, run_reload },
	{ "RegisterAgent", decide_own, run_register_agent },
	{ "UnregisterAgent", decide_own, run_unregister_agent },
	{ "GetMode", decide_info, run_get_mode },
	{ "SetMode", decide_set_mode, run_set_mode },
	{ "GetFlag", decide_get_flag, run_get_flag },
	{ "SetFlag", decide_set_flag, run_set_flag },
};

static void on_authorized(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_auth_check_finish(res, &error)) {
		g_message("uid %u refused %s (%s): %s", call->uid,
			  call->method->name, call->action, error->message);
		call_error(call, error);
		return;
	}
	call->method->run(call);
}

static void on_caller_uid(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_auth_get_uid_finish(res, &call->uid, &error)) {
		call_error(call, error);
		return;
	}
	call->action = call->method->decide(call, &error);
	if (!call->action) {
		call_error(call, error);
		return;
	}
	e7_auth_check_async(call->self->auth, call->self->bus,
			    g_dbus_method_invocation_get_sender(call->inv),
			    call->uid, call->action, on_authorized, call);
}

static void method_call(GDBusConnection *connection, const char *sender,
			const char *object_path, const char *interface_name,
			const char *method_name, GVariant *parameters,
			GDBusMethodInvocation *invocation, gpointer user_data)
{
	Call *call;

	for (guint i = 0; i < G_N_ELEMENTS(methods); i++) {
		if (!g_str_equal(methods[i].name, method_name))
			continue;
		call = g_new0(Call, 1);
		call->self = user_data;
		call->inv = g_object_ref(invocation);
		call->params = parameters;
		call->method = &methods[i];
		e7_auth_get_uid_async(connection, sender, on_caller_uid, call);
		return;
	}
	g_dbus_method_invocation_return_error(invocation, G_DBUS_ERROR,
					      G_DBUS_ERROR_UNKNOWN_METHOD,
					      "unknown method %s", method_name);
}

static GVariant *get_property(GDBusConnection *connection, const char *sender,
			      const char *object_path,
			      const char *interface_name,
			      const char *property_name, GError **error,
			      gpointer user_data)
{
	E7Daemon *self = user_data;

	if (g_str_equal(property_name, "Mode"))
		return g_variant_new_string(mode_string(self));
	if (g_str_equal(property_name, "Version"))
		return g_variant_new_string(PACKAGE_VERSION);
	if (g_str_equal(property_name, "KernelConnected"))
		return g_variant_new_boolean(self->connected);
	g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
		    "unknown property %s", property_name);
	return NULL;
}

static const GDBusInterfaceVTable vtable = {
	.method_call = method_call,
	.get_property = get_property,
};

gboolean e7_daemon_export(E7Daemon *self, GError **error)
{
	self->registration = g_dbus_connection_register_object(
		self->bus, E7_DBUS_PATH,
		(GDBusInterfaceInfo *)e7_firewall1_interface_info(), &vtable,
		self, NULL, error);
	return self->registration != 0;
}
