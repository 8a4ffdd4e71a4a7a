// SPDX-License-Identifier: GPL-2.0-or-later
#include "agents.h"

#include <pwd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib-unix.h>

#include "desktop.h"
#include "e7-error.h"
#include "session.h"

typedef struct {
	E7Agents *owner;
	char *sender;
	char *path;
	guint32 uid;
	guint watch;
	E7Session *session; /* its logind session, when logind knows it */
} Agent;

typedef struct {
	E7Agents *owner; /* NULL once the registry is gone */
	guint64 id;
	char *key; /* "uid:program": prompts are coalesced by it */
	GPtrArray *flows; /* of E7Flow; the first one was asked about */
	Agent *agent; /* NULL once the agent left */
	GCancellable *cancel;
	guint timeout;
	gint64 asked_at;
	gboolean done;
} Prompt;

/* A "until the program exits" rule, removed when its process exits. */
typedef struct {
	E7Agents *owner;
	guint64 rule_id;
	int pidfd;
	guint source;
} ProcessWatch;

struct _E7Agents {
	E7Daemon *daemon;
	GPtrArray *agents; /* of Agent */
	GHashTable *prompts; /* key -> Prompt */
	GHashTable *flow_prompts; /* flow id -> Prompt */
	GPtrArray *process_watches; /* of ProcessWatch */
	guint64 next_prompt_id;
	E7AgentStats stats;
};

static void agent_free(gpointer p)
{
	Agent *agent = p;

	if (agent->watch)
		g_bus_unwatch_name(agent->watch);
	e7_session_free(agent->session);
	g_free(agent->sender);
	g_free(agent->path);
	g_free(agent);
}

static void prompt_free(Prompt *prompt)
{
	g_clear_handle_id(&prompt->timeout, g_source_remove);
	g_clear_object(&prompt->cancel);
	g_ptr_array_unref(prompt->flows);
	g_free(prompt->key);
	g_free(prompt);
}

static void process_watch_free(gpointer p)
{
	ProcessWatch *w = p;

	g_clear_handle_id(&w->source, g_source_remove);
	if (w->pidfd >= 0)
		close(w->pidfd);
	g_free(w);
}

E7Agents *e7_agents_new(E7Daemon *daemon)
{
	E7Agents *agents = g_new0(E7Agents, 1);

	agents->daemon = daemon;
	agents->agents = g_ptr_array_new_with_free_func(agent_free);
	agents->prompts = g_hash_table_new(g_str_hash, g_str_equal);
	agents->flow_prompts = g_hash_table_new(g_int64_hash, g_int64_equal);
	agents->process_watches =
		g_ptr_array_new_with_free_func(process_watch_free);
	return agents;
}

void e7_agents_free(E7Agents *agents)
{
	GHashTableIter it;
	gpointer value;

	if (!agents)
		return;
	g_hash_table_iter_init(&it, agents->prompts);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		Prompt *prompt = value;

		/* The pending Ask callback frees it. */
		prompt->owner = NULL;
		prompt->done = TRUE;
		g_clear_handle_id(&prompt->timeout, g_source_remove);
		g_cancellable_cancel(prompt->cancel);
	}
	g_hash_table_unref(agents->prompts);
	g_hash_table_unref(agents->flow_prompts);
	g_ptr_array_unref(agents->process_watches);
	g_ptr_array_unref(agents->agents);
	g_free(agents);
}

guint e7_agents_count(E7Agents *agents)
{
	return agents->agents->len;
}

guint e7_agents_pending(E7Agents *agents)
{
	return g_hash_table_size(agents->prompts);
}

const E7AgentStats *e7_agents_get_stats(E7Agents *agents)
{
	return &agents->stats;
}

/* The agent asked for @uid: the most recently registered one whose logind
 * session is active, else the most recently registered one. */
static Agent *find_agent(E7Agents *agents, guint32 uid)
{
	Agent *latest = NULL;

	for (guint i = agents->agents->len; i > 0; i--) {
		Agent *agent = agents->agents->pdata[i - 1];

		if (agent->uid != uid)
			continue;
		if (e7_session_is_active(agent->session))
			return agent;
		if (!latest)
			latest = agent;
	}
	return latest;
}

typedef struct {
	E7Agents *agents;
	E7Flow *flow;
	E7Action action;
	char *kind;
	char *reason;
	guint64 rule_id;
} Verdict;

static void verdict_free(gpointer p)
{
	Verdict *v = p;

	e7_flow_free(v->flow);
	g_free(v->kind);
	g_free(v->reason);
	g_free(v);
}

static gpointer job_verdict(E7Kernel *k, gpointer data, GError **error)
{
	Verdict *v = data;

	return k->ops->verdict(k, v->flow->id, v->action, NULL, error) ?
		       E7_KERNEL_JOB_OK :
		       NULL;
}

static void on_verdict_sent(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	Verdict *v = e7_kernel_job_get_data(res);
	g_autoptr(GError) error = NULL;

	if (!e7_kernel_job_finish(res, &error)) {
		if (!g_error_matches(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE) &&
		    !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_warning(
				"cannot send the verdict for flow %" G_GUINT64_FORMAT
				": %s",
				v->flow->id, error->message);
		return;
	}
	e7_daemon_log_event(v->agents->daemon, v->kind, v->action, v->reason,
			    v->flow, v->rule_id);
}

/* Sent by the kernel bridge's worker, after any rule added before. */
static void verdict(E7Agents *agents, const E7Flow *flow, E7Action action,
		    const char *kind, const char *reason, guint64 rule_id)
{
	E7Kernel *kernel = e7_daemon_get_kernel(agents->daemon);
	Verdict *v;

	if (!kernel)
		return;
	v = g_new0(Verdict, 1);
	v->agents = agents;
	v->flow = e7_flow_copy(flow);
	v->action = action;
	v->kind = g_strdup(kind);
	v->reason = g_strdup(reason);
	v->rule_id = rule_id;
	e7_kernel_job(kernel, job_verdict, v, verdict_free, NULL,
		      e7_daemon_get_cancellable(agents->daemon),
		      on_verdict_sent, NULL);
}

static void call_cancel(E7Agents *agents, Agent *agent, guint64 prompt_id)
{
	g_dbus_connection_call(e7_daemon_get_bus(agents->daemon), agent->sender,
			       agent->path, E7_AGENT_INTERFACE, "Cancel",
			       g_variant_new("(t)", prompt_id), NULL,
			       G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL,
			       NULL);
}

/* Decides every flow of @prompt with @action and retires the prompt; the
 * pending Ask call (if any) is cancelled and frees it. */
static void finish_prompt(Prompt *prompt, E7Action action, const char *kind,
			  const char *reason, guint64 rule_id,
			  gboolean tell_agent)
{
	E7Agents *agents = prompt->owner;

	if (prompt->done)
		return;
	prompt->done = TRUE;
	g_clear_handle_id(&prompt->timeout, g_source_remove);
	g_hash_table_remove(agents->prompts, prompt->key);
	for (guint i = 0; i < prompt->flows->len; i++) {
		E7Flow *flow = prompt->flows->pdata[i];

		g_hash_table_remove(agents->flow_prompts, &flow->id);
		verdict(agents, flow, action, kind, reason, rule_id);
	}
	if (tell_agent && prompt->agent)
		call_cancel(agents, prompt->agent, prompt->id);
	g_cancellable_cancel(prompt->cancel);
}

static gboolean on_process_exit(gint fd, GIOCondition cond, gpointer user_data)
{
	ProcessWatch *w = user_data;
	E7Agents *agents = w->owner;

	w->source = 0;
	e7_daemon_remove_rule(agents->daemon, w->rule_id);
	g_ptr_array_remove(agents->process_watches, w);
	return G_SOURCE_REMOVE;
}

static void watch_process(E7Agents *agents, guint64 rule_id, guint32 pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);
	ProcessWatch *w;

	if (fd < 0) {
		/* The process is gone already. */
		e7_daemon_remove_rule(agents->daemon, rule_id);
		return;
	}
	w = g_new0(ProcessWatch, 1);
	w->owner = agents;
	w->rule_id = rule_id;
	w->pidfd = fd;
	w->source = g_unix_fd_add(fd, G_IO_IN, on_process_exit, w);
	g_ptr_array_add(agents->process_watches, w);
}

/* Turns an agent's answer into a rule (unless "once"); returns its id, 0
 * for "once", or G_MAXUINT64 on a bad answer. */
static guint64 answer_rule(E7Agents *agents, const E7Flow *flow,
			   GVariant *answer, E7Action *action, GError **error)
{
	const char *s, *scope = "program", *lifetime = "once";
	g_autoptr(E7Rule) rule = e7_rule_new();
	guint32 duration = 0;
	guint64 id;

	if (!g_variant_lookup(answer, "action", "&s", &s) ||
	    !e7_action_from_string(s, action)) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "answer needs \"action\": allow or block");
		return G_MAXUINT64;
	}
	g_variant_lookup(answer, "scope", "&s", &scope);
	g_variant_lookup(answer, "lifetime", "&s", &lifetime);
	g_variant_lookup(answer, "duration", "u", &duration);
	if (g_str_equal(lifetime, "once"))
		return 0;
	if (!e7_lifetime_from_string(lifetime, &rule->lifetime) ||
	    rule->lifetime == E7_LIFETIME_REBOOT) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "bad lifetime '%s' in answer", lifetime);
		return G_MAXUINT64;
	}
	if (rule->lifetime == E7_LIFETIME_SECONDS) {
		if (duration == 0 || duration > E7_RULE_DURATION_MAX) {
			g_set_error_literal(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				"answer with lifetime \"seconds\" needs a \"duration\"");
			return G_MAXUINT64;
		}
		rule->duration = duration;
	}
	rule->action = *action;
	rule->program = flow->program && flow->program[0] == '/' ?
				g_strdup(flow->program) :
				NULL;
	rule->protocol = flow->protocol;
	rule->direction = flow->direction;
	rule->has_uid = TRUE;
	rule->uid = flow->uid;
	rule->has_owner = TRUE;
	rule->owner_uid = flow->uid;
	if (g_str_equal(scope, "destination") || g_str_equal(scope, "port")) {
		rule->port_min = rule->port_max = flow->remote_port;
		if (g_str_equal(scope, "destination") && flow->remote_address)
			rule->remote = g_inet_address_mask_new_from_string(
				flow->remote_address, NULL);
	} else if (!g_str_equal(scope, "program")) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "bad scope '%s' in answer", scope);
		return G_MAXUINT64;
	}
	id = e7_daemon_add_rule(agents->daemon, g_steal_pointer(&rule), NULL,
				NULL, error);
	if (!id)
		return G_MAXUINT64;
	if (g_str_equal(lifetime, "process"))
		watch_process(agents, id, flow->pid);
	return id;
}

static void on_ask_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Prompt *prompt = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) ret = g_dbus_connection_call_finish(
		G_DBUS_CONNECTION(source), res, &error);
	E7Agents *agents = prompt->owner;

	if (prompt->done || !agents) {
		prompt_free(prompt);
		return;
	}
	if (ret) {
		g_autoptr(GVariant) answer = g_variant_get_child_value(ret, 0);
		E7Flow *flow = prompt->flows->pdata[0];
		E7Action action;
		guint64 rule_id =
			answer_rule(agents, flow, answer, &action, &error);

		if (rule_id != G_MAXUINT64) {
			agents->stats.answered++;
			g_debug("prompt %" G_GUINT64_FORMAT
				" answered after %" G_GINT64_FORMAT " us",
				prompt->id,
				g_get_monotonic_time() - prompt->asked_at);
			finish_prompt(prompt, action, "prompt", "agent",
				      rule_id, FALSE);
			prompt_free(prompt);
			return;
		}
		g_warning("agent %s gave a bad answer: %s",
			  prompt->agent->sender, error->message);
	}
	if (error && g_dbus_error_is_remote_error(error)) {
		g_autofree char *name = g_dbus_error_get_remote_error(error);

		if (g_strcmp0(name,
			      "org.eftirlit7.Firewall1.Error.Cancelled") == 0) {
			agents->stats.timeouts++;
			finish_prompt(prompt,
				      e7_daemon_get_config(agents->daemon)
					      ->default_answer,
				      "policy", "dismissed", 0, FALSE);
			prompt_free(prompt);
			return;
		}
	}
	agents->stats.agent_gone++;
	finish_prompt(prompt, e7_daemon_get_config(agents->daemon)->agent_gone,
		      "policy", "agent-error", 0, FALSE);
	prompt_free(prompt);
}

static gboolean on_prompt_timeout(gpointer user_data)
{
	Prompt *prompt = user_data;

	prompt->timeout = 0;
	prompt->owner->stats.timeouts++;
	finish_prompt(
		prompt,
		e7_daemon_get_config(prompt->owner->daemon)->default_answer,
		"policy", "timeout", 0, TRUE);
	return G_SOURCE_REMOVE;
}

static GVariant *build_request(E7Agents *agents, Prompt *prompt,
			       const E7Flow *flow)
{
	const E7Config *config = e7_daemon_get_config(agents->daemon);
	GVariantBuilder b;
	struct passwd pw, *result = NULL;
	char buf[1024];
	GAppInfo *app;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id",
			      g_variant_new_uint64(prompt->id));
	g_variant_builder_add(
		&b, "{sv}", "program",
		g_variant_new_string(flow->program ? flow->program : ""));
	g_variant_builder_add(&b, "{sv}", "pid",
			      g_variant_new_uint32(flow->pid));
	if (flow->cmdline)
		g_variant_builder_add(&b, "{sv}", "cmdline",
				      g_variant_new_string(flow->cmdline));
	g_variant_builder_add(&b, "{sv}", "uid",
			      g_variant_new_uint32(flow->uid));
	if (getpwuid_r(flow->uid, &pw, buf, sizeof(buf), &result) == 0 &&
	    result && g_utf8_validate(pw.pw_name, -1, NULL))
		g_variant_builder_add(&b, "{sv}", "user",
				      g_variant_new_string(pw.pw_name));
	g_variant_builder_add(
		&b, "{sv}", "protocol",
		g_variant_new_string(e7_protocol_to_string(flow->protocol)));
	g_variant_builder_add(
		&b, "{sv}", "direction",
		g_variant_new_string(e7_direction_to_string(flow->direction)));
	if (flow->remote_address)
		g_variant_builder_add(
			&b, "{sv}", "remote-address",
			g_variant_new_string(flow->remote_address));
	g_variant_builder_add(&b, "{sv}", "remote-port",
			      g_variant_new_uint16(flow->remote_port));
	g_variant_builder_add(&b, "{sv}", "local-port",
			      g_variant_new_uint16(flow->local_port));
	app = e7_desktop_lookup(flow->program);
	if (app) {
		GIcon *icon = g_app_info_get_icon(app);
		g_autofree char *icon_name = icon ? g_icon_to_string(icon) :
						    NULL;

		if (g_app_info_get_id(app))
			g_variant_builder_add(
				&b, "{sv}", "desktop-id",
				g_variant_new_string(g_app_info_get_id(app)));
		g_variant_builder_add(
			&b, "{sv}", "desktop-name",
			g_variant_new_string(g_app_info_get_name(app)));
		if (icon_name)
			g_variant_builder_add(&b, "{sv}", "icon",
					      g_variant_new_string(icon_name));
	}
	g_variant_builder_add(&b, "{sv}", "timeout",
			      g_variant_new_uint32(config->prompt_timeout));
	g_variant_builder_add(&b, "{sv}", "default-action",
			      g_variant_new_string(e7_action_to_string(
				      config->default_answer)));
	return g_variant_builder_end(&b);
}

void e7_agents_handle_flow(E7Agents *agents, const E7Flow *flow)
{
	const E7Config *config = e7_daemon_get_config(agents->daemon);
	g_autofree char *key = NULL;
	Prompt *prompt;
	Agent *agent;
	E7Flow *copy;

	if (g_hash_table_contains(agents->flow_prompts, &flow->id))
		return;
	agent = find_agent(agents, flow->uid);
	if (!agent) {
		agents->stats.no_agent++;
		verdict(agents, flow, config->no_agent, "policy", "no-agent",
			0);
		return;
	}
	key = g_strdup_printf("%u:%s", flow->uid,
			      flow->program ? flow->program : "");
	copy = e7_flow_copy(flow);
	prompt = g_hash_table_lookup(agents->prompts, key);
	if (prompt) {
		/* Coalesced: decided with the open prompt of this program. */
		g_ptr_array_add(prompt->flows, copy);
		g_hash_table_insert(agents->flow_prompts, &copy->id, prompt);
		return;
	}
	prompt = g_new0(Prompt, 1);
	prompt->owner = agents;
	prompt->id = ++agents->next_prompt_id;
	prompt->key = g_steal_pointer(&key);
	prompt->flows =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_flow_free);
	prompt->agent = agent;
	prompt->cancel = g_cancellable_new();
	g_ptr_array_add(prompt->flows, copy);
	g_hash_table_insert(agents->prompts, prompt->key, prompt);
	g_hash_table_insert(agents->flow_prompts, &copy->id, prompt);
	agents->stats.prompts++;
	prompt->asked_at = g_get_monotonic_time();
	g_dbus_connection_call(
		e7_daemon_get_bus(agents->daemon), agent->sender, agent->path,
		E7_AGENT_INTERFACE, "Ask",
		g_variant_new("(@a{sv})", build_request(agents, prompt, copy)),
		G_VARIANT_TYPE("(a{sv})"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
		G_MAXINT, prompt->cancel, on_ask_done, prompt);
	prompt->timeout = g_timeout_add_seconds(config->prompt_timeout,
						on_prompt_timeout, prompt);
}

void e7_agents_flow_resolved(E7Agents *agents, guint64 flow_id)
{
	Prompt *prompt = g_hash_table_lookup(agents->flow_prompts, &flow_id);

	if (!prompt)
		return;
	g_hash_table_remove(agents->flow_prompts, &flow_id);
	for (guint i = 0; i < prompt->flows->len; i++) {
		if (((E7Flow *)prompt->flows->pdata[i])->id == flow_id) {
			g_ptr_array_remove_index(prompt->flows, i);
			break;
		}
	}
	/* Nothing left to decide: withdraw the prompt. */
	if (prompt->flows->len == 0)
		finish_prompt(prompt, E7_ACTION_BLOCK, "policy", "resolved", 0,
			      TRUE);
}

void e7_agents_cancel_all(E7Agents *agents)
{
	g_autoptr(GList) prompts = g_hash_table_get_values(agents->prompts);

	for (GList *l = prompts; l; l = l->next) {
		Prompt *prompt = l->data;

		g_ptr_array_set_size(prompt->flows, 0);
		finish_prompt(prompt, E7_ACTION_BLOCK, "policy", "module-gone",
			      0, TRUE);
	}
	g_hash_table_remove_all(agents->flow_prompts);
}

static void agent_gone(E7Agents *agents, Agent *agent)
{
	g_autoptr(GList) prompts = g_hash_table_get_values(agents->prompts);
	guint32 uid = agent->uid;

	for (GList *l = prompts; l; l = l->next) {
		Prompt *prompt = l->data;

		if (prompt->agent != agent)
			continue;
		prompt->agent = NULL;
		agents->stats.agent_gone++;
		finish_prompt(prompt,
			      e7_daemon_get_config(agents->daemon)->agent_gone,
			      "policy", "agent-gone", 0, FALSE);
	}
	g_ptr_array_remove(agents->agents, agent);
	/* The user's session ended when their last agent left. */
	if (!find_agent(agents, uid))
		e7_daemon_remove_temporary_rules(agents->daemon, uid,
						 E7_LIFETIME_LOGOUT);
}

static void on_name_vanished(GDBusConnection *bus, const char *name,
			     gpointer user_data)
{
	Agent *agent = user_data;

	g_message("agent %s (uid %u) left the bus", agent->sender, agent->uid);
	agent_gone(agent->owner, agent);
}

gboolean e7_agents_register(E7Agents *agents, const char *sender,
			    const char *path, guint32 uid, GError **error)
{
	Agent *agent;

	for (guint i = 0; i < agents->agents->len; i++) {
		Agent *a = agents->agents->pdata[i];

		if (g_str_equal(a->sender, sender) &&
		    g_str_equal(a->path, path)) {
			g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "agent %s is already registered", path);
			return FALSE;
		}
	}
	agent = g_new0(Agent, 1);
	agent->owner = agents;
	agent->sender = g_strdup(sender);
	agent->path = g_strdup(path);
	agent->uid = uid;
	agent->session =
		e7_session_new(e7_daemon_get_bus(agents->daemon), sender);
	g_ptr_array_add(agents->agents, agent);
	agent->watch = g_bus_watch_name_on_connection(
		e7_daemon_get_bus(agents->daemon), sender,
		G_BUS_NAME_WATCHER_FLAGS_NONE, NULL, on_name_vanished, agent,
		NULL);
	g_message("agent %s %s registered for uid %u", sender, path, uid);
	return TRUE;
}

gboolean e7_agents_unregister(E7Agents *agents, const char *sender,
			      const char *path, GError **error)
{
	for (guint i = 0; i < agents->agents->len; i++) {
		Agent *a = agents->agents->pdata[i];

		if (g_str_equal(a->sender, sender) &&
		    g_str_equal(a->path, path)) {
			agent_gone(agents, a);
			return TRUE;
		}
	}
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "agent %s is not registered", path);
	return FALSE;
}
