// SPDX-License-Identifier: GPL-2.0-or-later
#include "audit.h"

#include "rule-text.h"

void e7_audit_rule(const char *message_id, const E7Rule *rule,
		   const E7Caller *caller)
{
	const char *verb =
		g_str_equal(message_id, E7_AUDIT_RULE_ADDED)   ? "added" :
		g_str_equal(message_id, E7_AUDIT_RULE_CHANGED) ? "changed" :
								 "removed";
	g_autofree char *text = e7_rule_to_string(rule);
	g_autofree char *id = g_strdup_printf("%" G_GUINT64_FORMAT, rule->id);
	g_autofree char *uid = g_strdup_printf("%u", caller->uid);
	g_autofree char *pid = g_strdup_printf("%u", caller->pid);

	g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID",
			 message_id, "EFTIRLIT_RULE_ID", id, "EFTIRLIT_RULE",
			 text, "EFTIRLIT_CALLER_UID", uid,
			 "EFTIRLIT_CALLER_PID", pid, "MESSAGE",
			 "rule %s %s by uid %u: %s", id, verb, caller->uid,
			 text);
}

void e7_audit_rules_cleared(guint count, const char *filter,
			    const E7Caller *caller)
{
	g_autofree char *n = g_strdup_printf("%u", count);
	g_autofree char *uid = g_strdup_printf("%u", caller->uid);
	g_autofree char *pid = g_strdup_printf("%u", caller->pid);

	g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID",
			 E7_AUDIT_RULE_REMOVED, "EFTIRLIT_RULES_REMOVED", n,
			 "EFTIRLIT_FILTER", filter, "EFTIRLIT_CALLER_UID", uid,
			 "EFTIRLIT_CALLER_PID", pid, "MESSAGE",
			 "%u rules removed by uid %u (filter %s)", count,
			 caller->uid, filter);
}

void e7_audit_setting(const char *name, const char *value,
		      const E7Caller *caller)
{
	g_autofree char *uid = g_strdup_printf("%u", caller->uid);
	g_autofree char *pid = g_strdup_printf("%u", caller->pid);

	g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID",
			 E7_AUDIT_SETTING, "EFTIRLIT_SETTING", name,
			 "EFTIRLIT_VALUE", value, "EFTIRLIT_CALLER_UID", uid,
			 "EFTIRLIT_CALLER_PID", pid, "MESSAGE",
			 "%s set to %s by uid %u", name, value, caller->uid);
}

/* Logs a decision about @flow with the fields every decision has. */
static void audit_flow(const char *message_id, const char *reason,
		       E7Action action, const E7Flow *flow, guint64 rule_id,
		       const char *message)
{
	const char *program = flow->program ? flow->program : "";
	g_autofree char *flow_id =
		g_strdup_printf("%" G_GUINT64_FORMAT, flow->id);
	g_autofree char *pid = g_strdup_printf("%u", flow->pid);
	g_autofree char *uid = g_strdup_printf("%u", flow->uid);
	g_autofree char *rule = g_strdup_printf("%" G_GUINT64_FORMAT, rule_id);

	g_log_structured(G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID",
			 message_id, "EFTIRLIT_REASON", reason,
			 "EFTIRLIT_ACTION", e7_action_to_string(action),
			 "EFTIRLIT_PROGRAM", program, "EFTIRLIT_FLOW_ID",
			 flow_id, "EFTIRLIT_PID", pid, "EFTIRLIT_UID", uid,
			 "EFTIRLIT_RULE_ID", rule, "MESSAGE",
			 "%s %s: %s %s (pid %u, uid %u)", message, reason,
			 e7_action_to_string(action), *program ? program : "?",
			 flow->pid, flow->uid);
}

void e7_audit_answer(const E7Flow *flow, E7Action action, guint64 rule_id)
{
	audit_flow(E7_AUDIT_ANSWER, "agent", action, flow, rule_id, "prompt");
}

void e7_audit_policy(const char *reason, E7Action action, const E7Flow *flow)
{
	audit_flow(E7_AUDIT_POLICY, reason, action, flow, 0, "policy");
}
