// SPDX-License-Identifier: GPL-2.0-or-later
#include "prompts.h"

#include <glib/gi18n.h>

#include "audit.h"
#include "e7-error.h"
#include "program-check.h"
#include "prompt-request.h"
#include "verdicts.h"

struct _E7Prompts {
	E7Kernel *kernel;
	E7Agents *agents;
	E7RuleStore *store;
	E7RuleLifetimes *lifetimes;
	E7EventLog *log;
	const E7Config *config;
	GCancellable *cancel;
	gulong agent_gone;
	GHashTable *prompts; /* key -> Prompt */
	GHashTable *flow_prompts; /* flow id -> Prompt */
	guint64 next_prompt_id;
	E7PromptStats stats;
};

typedef struct {
	E7Prompts *owner; /* NULL once the prompts are gone */
	guint64 id;
	char *key; /* "uid:program": prompts are coalesced by it */
	GPtrArray *flows; /* of E7Flow; the first one was asked about */
	E7Agent *agent; /* NULL once the agent left */
	GCancellable *cancel;
	guint timeout;
	gint64 asked_at;
	gboolean done;
	E7ProgramCheck *change; /* the program changed since its rules */
} Prompt;

static void prompt_free(Prompt *prompt)
{
	e7_program_check_free(prompt->change);
	g_clear_handle_id(&prompt->timeout, g_source_remove);
	g_clear_object(&prompt->cancel);
	g_ptr_array_unref(prompt->flows);
	g_free(prompt->key);
	g_free(prompt);
}

static void decide(E7Prompts *self, const E7Flow *flow, E7Action action,
		   const char *kind, const char *reason, guint64 rule_id)
{
	e7_verdict_send(self->kernel, self->log, self->cancel, flow, action,
			kind, reason, rule_id);
}

/* Decides every flow of @prompt with @action (logged with @rule_id, the
 * rule an answer made) and retires the prompt; the pending Ask call (if
 * any) is cancelled and frees it. */
static void finish_prompt(Prompt *prompt, E7Action action, const char *kind,
			  const char *reason, guint64 rule_id,
			  gboolean tell_agent)
{
	E7Prompts *self = prompt->owner;

	if (prompt->done)
		return;
	prompt->done = TRUE;
	g_clear_handle_id(&prompt->timeout, g_source_remove);
	g_hash_table_remove(self->prompts, prompt->key);
	for (guint i = 0; i < prompt->flows->len; i++) {
		E7Flow *flow = prompt->flows->pdata[i];

		g_hash_table_remove(self->flow_prompts, &flow->id);
		decide(self, flow, action, kind, reason, rule_id);
	}
	if (tell_agent && prompt->agent)
		e7_firewall1_agent_call_cancel(
			e7_agent_get_proxy(prompt->agent), prompt->id, NULL,
			NULL, NULL);
	g_cancellable_cancel(prompt->cancel);
}

/* An answer with a rule: the rule rides on the first flow's verdict; the
 * other flows of the prompt follow it, after it in the kernel's order. */
static void finish_with_rule(Prompt *prompt, E7Action action, E7Rule *rule,
			     gboolean watch_process)
{
	E7Prompts *self = prompt->owner;
	E7Flow *first = g_ptr_array_steal_index(prompt->flows, 0);
	g_autoptr(GError) error = NULL;
	guint64 id;

	g_hash_table_remove(self->flow_prompts, &first->id);
	id = e7_verdict_send_with_rule(self->kernel, self->store, self->log,
				       first, action, rule, &error);
	e7_audit_answer(first, action, id);
	if (!id) {
		g_warning(_("cannot keep the answer as a rule: %s"),
			  error->message);
		decide(self, first, action, "prompt", "agent", 0);
	} else if (watch_process) {
		e7_rule_lifetimes_watch_process(self->lifetimes, id,
						first->pid);
	}
	e7_flow_free(first);
	finish_prompt(prompt, action, "prompt", "agent", id, FALSE);
}

/*
 * A changed program's prompt, answered with a rule of the action its old
 * rules had: those rules follow the new program (no new rule).
 */
static gboolean follow_old_rules(Prompt *prompt, E7Action action, E7Rule *rule)
{
	E7Prompts *self = prompt->owner;
	E7Flow *flow = prompt->flows->pdata[0];

	if (!prompt->change || !rule ||
	    e7_program_check_action(self->store, prompt->change) != action)
		return FALSE;
	e7_program_check_rebind(self->store, prompt->change, flow);
	e7_rule_free(rule);
	e7_audit_answer(flow, action,
			g_array_index(prompt->change->rule_ids, guint64, 0));
	finish_prompt(prompt, action, "prompt", "agent",
		      g_array_index(prompt->change->rule_ids, guint64, 0),
		      FALSE);
	return TRUE;
}

/* The agent answered: TRUE when the answer was good. */
static gboolean take_answer(Prompt *prompt, GVariant *answer)
{
	E7Flow *flow = prompt->flows->pdata[0];
	g_autoptr(GError) error = NULL;
	gboolean watch_process;
	E7Action action;
	E7Rule *rule;

	if (!e7_prompt_answer_parse(answer, flow, &action, &rule,
				    &watch_process, &error)) {
		g_warning(/* TRANSLATORS: %s is a D-Bus name such as :1.42, then the reason */
			  _("agent %s gave a bad answer: %s"),
			  prompt->agent ? e7_agent_get_sender(prompt->agent) :
					  "?",
			  error->message);
		return FALSE;
	}
	prompt->owner->stats.answered++;
	g_debug("prompt %" G_GUINT64_FORMAT " answered after %" G_GINT64_FORMAT
		" us",
		prompt->id, g_get_monotonic_time() - prompt->asked_at);
	if (follow_old_rules(prompt, action, rule))
		return TRUE;
	if (rule) {
		finish_with_rule(prompt, action, rule, watch_process);
	} else {
		e7_audit_answer(flow, action, 0);
		finish_prompt(prompt, action, "prompt", "agent", 0, FALSE);
	}
	return TRUE;
}

static void on_ask_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Prompt *prompt = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) answer = NULL;
	E7Prompts *self = prompt->owner;

	e7_firewall1_agent_call_ask_finish(E7_FIREWALL1_AGENT(source), &answer,
					   res, &error);
	if (prompt->done || !self || (answer && take_answer(prompt, answer))) {
		prompt_free(prompt);
		return;
	}
	if (g_error_matches(error, E7_ERROR, E7_ERROR_CANCELLED)) {
		self->stats.timeouts++;
		finish_prompt(prompt, self->config->default_answer, "policy",
			      "dismissed", 0, FALSE);
	} else {
		self->stats.agent_gone++;
		finish_prompt(prompt, self->config->agent_gone, "policy",
			      "agent-error", 0, FALSE);
	}
	prompt_free(prompt);
}

static gboolean on_prompt_timeout(gpointer user_data)
{
	Prompt *prompt = user_data;
	E7Prompts *self = prompt->owner;

	prompt->timeout = 0;
	self->stats.timeouts++;
	finish_prompt(prompt, self->config->default_answer, "policy", "timeout",
		      0, TRUE);
	return G_SOURCE_REMOVE;
}

static void ask(E7Prompts *self, E7Agent *agent, char *key, const E7Flow *flow,
		const E7ProgramCheck *change)
{
	Prompt *prompt = g_new0(Prompt, 1);
	E7Flow *copy = e7_flow_copy(flow);

	prompt->owner = self;
	prompt->id = ++self->next_prompt_id;
	prompt->key = key;
	prompt->flows =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_flow_free);
	prompt->agent = agent;
	prompt->cancel = g_cancellable_new();
	prompt->change = change ? e7_program_check_copy(change) : NULL;
	g_ptr_array_add(prompt->flows, copy);
	g_hash_table_insert(self->prompts, prompt->key, prompt);
	g_hash_table_insert(self->flow_prompts, &copy->id, prompt);
	self->stats.prompts++;
	prompt->asked_at = g_get_monotonic_time();
	e7_firewall1_agent_call_ask(e7_agent_get_proxy(agent),
				    e7_prompt_request_new(prompt->id, copy,
							  self->config,
							  prompt->change),
				    prompt->cancel, on_ask_done, prompt);
	prompt->timeout = g_timeout_add_seconds(self->config->prompt_timeout,
						on_prompt_timeout, prompt);
}

void e7_prompts_handle_flow(E7Prompts *self, const E7Flow *flow,
			    const E7ProgramCheck *change)
{
	g_autofree char *key = NULL;
	Prompt *prompt;
	E7Agent *agent;
	E7Flow *copy;

	if (g_hash_table_contains(self->flow_prompts, &flow->id))
		return;
	agent = e7_agents_find(self->agents, flow->uid);
	if (!agent) {
		self->stats.no_agent++;
		decide(self, flow, self->config->no_agent, "policy", "no-agent",
		       0);
		return;
	}
	key = g_strdup_printf("%u:%s", flow->uid,
			      flow->program ? flow->program : "");
	prompt = g_hash_table_lookup(self->prompts, key);
	if (!prompt) {
		ask(self, agent, g_steal_pointer(&key), flow, change);
		return;
	}
	/* Coalesced: decided with the open prompt of this program. */
	copy = e7_flow_copy(flow);
	g_ptr_array_add(prompt->flows, copy);
	g_hash_table_insert(self->flow_prompts, &copy->id, prompt);
}

void e7_prompts_flow_resolved(E7Prompts *self, guint64 flow_id)
{
	Prompt *prompt = g_hash_table_lookup(self->flow_prompts, &flow_id);

	if (!prompt)
		return;
	g_hash_table_remove(self->flow_prompts, &flow_id);
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

void e7_prompts_cancel_all(E7Prompts *self)
{
	g_autoptr(GList) prompts = g_hash_table_get_values(self->prompts);

	for (GList *l = prompts; l; l = l->next) {
		Prompt *prompt = l->data;

		g_ptr_array_set_size(prompt->flows, 0);
		finish_prompt(prompt, E7_ACTION_BLOCK, "policy", "module-gone",
			      0, TRUE);
	}
	g_hash_table_remove_all(self->flow_prompts);
}

static void on_agent_gone(E7Agents *agents, E7Agent *agent, gpointer user_data)
{
	E7Prompts *self = user_data;
	g_autoptr(GList) prompts = g_hash_table_get_values(self->prompts);

	for (GList *l = prompts; l; l = l->next) {
		Prompt *prompt = l->data;

		if (prompt->agent != agent)
			continue;
		prompt->agent = NULL;
		self->stats.agent_gone++;
		finish_prompt(prompt, self->config->agent_gone, "policy",
			      "agent-gone", 0, FALSE);
	}
}

E7Prompts *e7_prompts_new(E7Kernel *kernel, E7Agents *agents,
			  E7RuleStore *store, E7RuleLifetimes *lifetimes,
			  E7EventLog *log, const E7Config *config,
			  GCancellable *cancel)
{
	E7Prompts *self = g_new0(E7Prompts, 1);

	self->kernel = kernel;
	self->agents = agents;
	self->store = store;
	self->lifetimes = lifetimes;
	self->log = log;
	self->config = config;
	self->cancel = g_object_ref(cancel);
	self->prompts = g_hash_table_new(g_str_hash, g_str_equal);
	self->flow_prompts = g_hash_table_new(g_int64_hash, g_int64_equal);
	self->agent_gone = g_signal_connect(agents, "agent-gone",
					    G_CALLBACK(on_agent_gone), self);
	return self;
}

void e7_prompts_free(E7Prompts *self)
{
	GHashTableIter it;
	gpointer value;

	if (!self)
		return;
	g_signal_handler_disconnect(self->agents, self->agent_gone);
	g_hash_table_iter_init(&it, self->prompts);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		Prompt *prompt = value;

		/* The pending Ask callback frees it. */
		prompt->owner = NULL;
		prompt->done = TRUE;
		g_clear_handle_id(&prompt->timeout, g_source_remove);
		g_cancellable_cancel(prompt->cancel);
	}
	g_hash_table_unref(self->prompts);
	g_hash_table_unref(self->flow_prompts);
	g_object_unref(self->cancel);
	g_free(self);
}

guint e7_prompts_pending(E7Prompts *self)
{
	return g_hash_table_size(self->prompts);
}

const E7PromptStats *e7_prompts_get_stats(E7Prompts *self)
{
	return &self->stats;
}
