// SPDX-License-Identifier: GPL-2.0-or-later
#include "program-gate.h"

#include "audit.h"
#include "program-check.h"
#include "verdicts.h"

struct _E7ProgramGate {
	E7Kernel *kernel;
	E7RuleStore *store;
	E7Prompts *prompts;
	E7EventLog *log;
	GCancellable *cancel;
	GHashTable *checks; /* "uid:program" -> Check */
	GHashTable *flow_checks; /* flow id -> Check */
};

/* The flows of one program waiting for one check. */
typedef struct {
	E7ProgramGate *owner; /* NULL once the gate is gone */
	char *key;
	GPtrArray *flows; /* of E7Flow */
} Check;

static void check_free(Check *check)
{
	g_ptr_array_unref(check->flows);
	g_free(check->key);
	g_free(check);
}

static void journal(const E7ProgramCheck *c, const E7Flow *flow)
{
	const char *what = c->change == E7_PROGRAM_VOUCHED ?
				   "follow the package update to" :
			   c->change == E7_PROGRAM_SAME_CONTENT ?
				   "follow a new file with the same content:" :
				   "wait for a decision: it changed to";

	g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID",
			 E7_AUDIT_PROGRAM, "EFTIRLIT_PROGRAM", flow->program,
			 "EFTIRLIT_OLD_SHA", c->old_sha256 ? c->old_sha256 : "",
			 "EFTIRLIT_NEW_SHA", c->sha256 ? c->sha256 : "",
			 "EFTIRLIT_PACKAGE", c->package ? c->package : "",
			 "MESSAGE",
			 "the rules of %s %s %s (sha256 %.12s, was %.12s)",
			 flow->program, what,
			 c->package ? c->package : "another program",
			 c->sha256 ? c->sha256 : "?",
			 c->old_sha256 ? c->old_sha256 : "?");
}

/* The rules follow the new file; the flow is decided by them. */
static void follow(E7ProgramGate *self, const E7ProgramCheck *c,
		   const E7Flow *flow)
{
	E7Action action = e7_program_check_action(self->store, c);

	e7_program_check_rebind(self->store, c, flow);
	if (!action) {
		e7_prompts_handle_flow(self->prompts, flow, NULL);
		return;
	}
	e7_verdict_send(self->kernel, self->log, self->cancel, flow, action,
			"verdict",
			c->change == E7_PROGRAM_VOUCHED ? "package-update" :
							  "same-program",
			g_array_index(c->rule_ids, guint64, 0));
}

static void on_checked(GObject *source, GAsyncResult *res, gpointer user_data)
{
	Check *check = user_data;
	E7ProgramGate *self = check->owner;
	g_autoptr(E7ProgramCheck) c = e7_program_check_finish(res, NULL);

	if (!self || !c) { /* only when cancelled: e7d is stopping */
		check_free(check);
		return;
	}
	g_hash_table_remove(self->checks, check->key);
	for (guint i = 0; i < check->flows->len; i++) {
		E7Flow *flow = check->flows->pdata[i];

		g_hash_table_remove(self->flow_checks, &flow->id);
		if (i == 0)
			journal(c, flow);
		if (c->change == E7_PROGRAM_CHANGED)
			e7_prompts_handle_flow(self->prompts, flow, c);
		else
			follow(self, c, flow);
	}
	check_free(check);
}

void e7_program_gate_handle_flow(E7ProgramGate *self, const E7Flow *flow)
{
	g_autofree char *key = NULL;
	GArray *rules;
	Check *check;
	E7Flow *copy;

	if (g_hash_table_contains(self->flow_checks, &flow->id))
		return;
	key = g_strdup_printf("%u:%s", flow->uid,
			      flow->program ? flow->program : "");
	check = g_hash_table_lookup(self->checks, key);
	if (!check) {
		rules = e7_program_rules_elsewhere(self->store, flow);
		if (!rules) {
			e7_prompts_handle_flow(self->prompts, flow, NULL);
			return;
		}
		check = g_new0(Check, 1);
		check->owner = self;
		check->key = g_steal_pointer(&key);
		check->flows = g_ptr_array_new_with_free_func(
			(GDestroyNotify)e7_flow_free);
		g_hash_table_insert(self->checks, check->key, check);
		e7_program_check_async(self->store, flow, rules, self->cancel,
				       on_checked, check);
	}
	copy = e7_flow_copy(flow);
	g_ptr_array_add(check->flows, copy);
	g_hash_table_insert(self->flow_checks, &copy->id, check);
}

void e7_program_gate_flow_resolved(E7ProgramGate *self, guint64 flow_id)
{
	Check *check = g_hash_table_lookup(self->flow_checks, &flow_id);

	if (!check) {
		e7_prompts_flow_resolved(self->prompts, flow_id);
		return;
	}
	g_hash_table_remove(self->flow_checks, &flow_id);
	for (guint i = 0; i < check->flows->len; i++) {
		if (((E7Flow *)check->flows->pdata[i])->id == flow_id) {
			g_ptr_array_remove_index(check->flows, i);
			break;
		}
	}
}

E7ProgramGate *e7_program_gate_new(E7Kernel *kernel, E7RuleStore *store,
				   E7Prompts *prompts, E7EventLog *log,
				   GCancellable *cancel)
{
	E7ProgramGate *self = g_new0(E7ProgramGate, 1);

	self->kernel = kernel;
	self->store = store;
	self->prompts = prompts;
	self->log = log;
	self->cancel = g_object_ref(cancel);
	self->checks = g_hash_table_new(g_str_hash, g_str_equal);
	self->flow_checks = g_hash_table_new(g_int64_hash, g_int64_equal);
	return self;
}

void e7_program_gate_free(E7ProgramGate *self)
{
	GHashTableIter it;
	gpointer value;

	if (!self)
		return;
	g_hash_table_iter_init(&it, self->checks);
	while (g_hash_table_iter_next(&it, NULL, &value))
		((Check *)value)->owner = NULL; /* its callback frees it */
	g_hash_table_unref(self->checks);
	g_hash_table_unref(self->flow_checks);
	g_object_unref(self->cancel);
	g_free(self);
}
