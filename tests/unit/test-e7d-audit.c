// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The audit trail: each kind of change is one journal entry with its
 * MESSAGE_ID and E7_ fields, and every MESSAGE_ID is explained in the
 * journal catalog.
 */
#include <string.h>

#include "audit.h"
#include "rule-text.h"

static GPtrArray *entries; /* of GHashTable: field -> value */

static GLogWriterOutput capture(GLogLevelFlags level, const GLogField *fields,
				gsize n_fields, gpointer user_data)
{
	GHashTable *entry =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (gsize i = 0; i < n_fields; i++)
		g_hash_table_insert(entry, g_strdup(fields[i].key),
				    fields[i].length < 0 ?
					    g_strdup(fields[i].value) :
					    g_strndup(fields[i].value,
						      fields[i].length));
	g_ptr_array_add(entries, entry);
	return G_LOG_WRITER_HANDLED;
}

/* The one entry logged since the last call, with @message_id. */
static GHashTable *only_entry(const char *message_id)
{
	GHashTable *e;

	g_assert_cmpuint(entries->len, ==, 1);
	e = g_ptr_array_steal_index(entries, 0);
	g_assert_cmpstr(g_hash_table_lookup(e, "MESSAGE_ID"), ==, message_id);
	return e;
}

static void test_rule(void)
{
	g_autoptr(E7Rule) rule = e7_rule_parse("allow tcp /usr/bin/curl", NULL);
	E7Caller caller = { .uid = 1000, .pid = 42 };
	g_autoptr(GHashTable) e = NULL;

	rule->id = 7;
	e7_audit_rule(E7_AUDIT_RULE_ADDED, rule, &caller);
	e = only_entry(E7_AUDIT_RULE_ADDED);
	g_assert_cmpstr(g_hash_table_lookup(e, "EFTIRLIT_RULE"), ==,
			"allow tcp /usr/bin/curl");
	g_assert_cmpstr(g_hash_table_lookup(e, "EFTIRLIT_RULE_ID"), ==, "7");
	g_assert_cmpstr(g_hash_table_lookup(e, "EFTIRLIT_CALLER_UID"), ==,
			"1000");
	g_assert_cmpstr(g_hash_table_lookup(e, "EFTIRLIT_CALLER_PID"), ==,
			"42");
	g_assert_cmpstr(g_hash_table_lookup(e, "MESSAGE"), ==,
			"rule 7 added by uid 1000: allow tcp /usr/bin/curl");
	g_hash_table_unref(g_steal_pointer(&e));
	e7_audit_rule(E7_AUDIT_RULE_REMOVED, rule, &caller);
	e = only_entry(E7_AUDIT_RULE_REMOVED);
	g_assert_true(g_str_has_prefix(g_hash_table_lookup(e, "MESSAGE"),
				       "rule 7 removed by uid 1000"));
}

static void test_setting_and_flows(void)
{
	E7Caller caller = { .uid = 0, .pid = 1 };
	E7Flow flow = {
		.id = 3, .program = "/usr/bin/nc", .pid = 9, .uid = 1500
	};
	g_autoptr(GHashTable) setting = NULL;
	g_autoptr(GHashTable) answer = NULL;
	g_autoptr(GHashTable) policy = NULL;

	e7_audit_setting("mode", "deny-unknown", &caller);
	setting = only_entry(E7_AUDIT_SETTING);
	g_assert_cmpstr(g_hash_table_lookup(setting, "EFTIRLIT_SETTING"), ==,
			"mode");
	g_assert_cmpstr(g_hash_table_lookup(setting, "EFTIRLIT_VALUE"), ==,
			"deny-unknown");
	e7_audit_answer(&flow, E7_ACTION_BLOCK, 12);
	answer = only_entry(E7_AUDIT_ANSWER);
	g_assert_cmpstr(g_hash_table_lookup(answer, "EFTIRLIT_ACTION"), ==,
			"block");
	g_assert_cmpstr(g_hash_table_lookup(answer, "EFTIRLIT_RULE_ID"), ==,
			"12");
	g_assert_cmpstr(g_hash_table_lookup(answer, "EFTIRLIT_UID"), ==,
			"1500");
	e7_audit_policy("no-agent", E7_ACTION_ALLOW, &flow);
	policy = only_entry(E7_AUDIT_POLICY);
	g_assert_cmpstr(g_hash_table_lookup(policy, "MESSAGE"), ==,
			"policy no-agent: allow /usr/bin/nc (pid 9, uid 1500)");
}

/* Every MESSAGE_ID of audit.h has its entry in the catalog. */
static void test_catalog(void)
{
	static const char *const ids[] = {
		E7_AUDIT_RULE_ADDED,   E7_AUDIT_RULE_CHANGED,
		E7_AUDIT_RULE_REMOVED, E7_AUDIT_SETTING,
		E7_AUDIT_ANSWER,       E7_AUDIT_POLICY,
		E7_AUDIT_PROGRAM,
	};
	g_autofree char *path = g_test_build_filename(
		G_TEST_DIST, "..", "..", "data", "eftirlit7.catalog", NULL);
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
		g_autofree char *head = g_strdup_printf("\n-- %s\n", ids[i]);

		g_assert_nonnull(strstr(text, head));
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	entries = g_ptr_array_new_with_free_func(
		(GDestroyNotify)g_hash_table_unref);
	g_log_set_writer_func(capture, NULL, NULL);
	g_test_add_func("/e7d/audit/rule", test_rule);
	g_test_add_func("/e7d/audit/setting-and-flows", test_setting_and_flows);
	g_test_add_func("/e7d/audit/catalog", test_catalog);
	return g_test_run();
}
