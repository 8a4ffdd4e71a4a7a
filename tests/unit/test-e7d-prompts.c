// SPDX-License-Identifier: GPL-2.0-or-later
/* Held flows and prompts: answers, coalescing, lifetimes, timeouts and the policies
 * for flows nobody answers. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e7d-fixture.h"
#include "rule-text.h"

static void test_prompt_allow_forever(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/curl", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/curl", getuid());
	g_autoptr(GVariant) request = NULL;
	GVariant *params;
	g_autoptr(GVariant) rules = NULL;
	g_autofree char *text = NULL, *expect = NULL, *file = NULL;
	const char *program;
	guint64 id;

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	fake_kernel_hold(f->kernel, b); /* coalesced with a */
	wait_asks(f, 1);
	params = g_dbus_method_invocation_get_parameters(f->asks->pdata[0]);
	request = g_variant_get_child_value(params, 0);
	g_assert_true(g_variant_lookup(request, "program", "&s", &program));
	g_assert_cmpstr(program, ==, "/usr/bin/curl");
	g_assert_true(g_variant_lookup(request, "id", "t", &id));
	answer(f, 0,
	       "{'action': <'allow'>, 'scope': <'destination'>, 'lifetime': <'forever'>}");
	wait_verdicts(f, 2);
	g_assert_cmpuint(f->asks->len, ==, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 2), ==,
			E7_ACTION_ALLOW);
	/* The rule went to the kernel inside the first verdict: one message,
	 * no E7_CMD_NEW_RULE. */
	g_assert_cmpuint(f->kernel->add_rule_calls, ==, 0);
	g_assert_cmpuint(f->kernel->verdict_calls, ==, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	text = rule_text_at(rules, 0);
	expect = g_strdup_printf(
		"allow tcp /usr/bin/curl to 198.18.1.2 port 443 user %u",
		getuid());
	g_assert_cmpstr(text, ==, expect);
	file = read_rules(f);
	g_assert_nonnull(strstr(file, expect));
}

static void test_prompt_many_programs(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/b", getuid());
	g_autoptr(E7Flow) c = make_flow(3, "/usr/bin/c", getuid());
	g_autoptr(GVariant) rules = NULL;

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	fake_kernel_hold(f->kernel, b);
	fake_kernel_hold(f->kernel, c);
	/* Three prompts are open at once; answering the last first works. */
	wait_asks(f, 3);
	answer(f, 2, "{'action': <'block'>, 'lifetime': <'once'>}");
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 3), ==,
			E7_ACTION_BLOCK);
	answer(f, 0, "{'action': <'allow'>, 'lifetime': <'once'>}");
	answer(f, 1,
	       "{'action': <'block'>, 'lifetime': <'seconds'>, 'duration': <uint32 60>}");
	wait_verdicts(f, 3);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 2), ==,
			E7_ACTION_BLOCK);
	/* "once" makes no rule; "seconds" makes a temporary one. */
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
}

static gboolean kernel_has_no_rules(Fixture *f)
{
	return g_hash_table_size(f->kernel->rules) == 0;
}

/* "until the program exits" and "until logout" rules end with the process
 * and with the user's last agent. */
static void test_prompt_lifetimes(Fixture *f, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) child = g_subprocess_new(
		G_SUBPROCESS_FLAGS_NONE, &error, "sleep", "60", NULL);
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/sleep", getuid());
	g_autoptr(E7Flow) b = make_flow(2, "/usr/bin/b", getuid());

	g_assert_no_error(error);
	a->pid = atoi(g_subprocess_get_identifier(child));
	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	answer(f, 0, "{'action': <'allow'>, 'lifetime': <'process'>}");
	wait_verdicts(f, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	g_subprocess_force_exit(child);
	spin_until(kernel_has_no_rules, f);

	fake_kernel_hold(f->kernel, b);
	wait_asks(f, 2);
	answer(f, 1, "{'action': <'block'>, 'lifetime': <'session'>}");
	wait_verdicts(f, 2);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	g_dbus_connection_close_sync(f->agent_conn, NULL, NULL);
	spin_until(kernel_has_no_rules, f);
}

static void test_prompt_timeout(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/slow", getuid());
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GVariant) stats = NULL;
	guint64 timeouts;

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	/* prompt-timeout=1 and default-answer=allow in e7d.conf. */
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	while (f->cancels->len == 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(g_array_index(f->cancels, guint64, 0), ==, 1);
	ret = call_ok(f, "GetStats", NULL);
	stats = g_variant_get_child_value(ret, 0);
	g_assert_true(
		g_variant_lookup(stats, "policy-timeout", "t", &timeouts));
	g_assert_cmpuint(timeouts, ==, 1);
	/* A late answer changes nothing. */
	answer(f, 0, "{'action': <'block'>, 'lifetime': <'forever'>}");
	g_main_context_iteration(NULL, FALSE);
	g_assert_cmpuint(f->kernel->verdicts->len, ==, 1);
}

static void test_prompt_no_agent(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) mine = make_flow(1, "/usr/bin/x", getuid());
	g_autoptr(E7Flow) other = make_flow(2, "/usr/bin/x", getuid() + 1);
	g_autoptr(GVariant) ret = NULL;
	g_autoptr(GVariant) events = NULL;
	g_autoptr(GVariant) ev = NULL;
	const char *reason;

	/* desktop profile: no agent means allow (logged). */
	fake_kernel_hold(f->kernel, mine);
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	register_agent(f);
	/* The agent is only asked about its own uid. */
	fake_kernel_hold(f->kernel, other);
	wait_verdicts(f, 2);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 2), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpuint(f->asks->len, ==, 0);
	ret = call_ok(f, "GetEvents",
		      g_variant_new_parsed("({'max': <uint32 1>},)"));
	events = g_variant_get_child_value(ret, 0);
	g_assert_cmpuint(g_variant_n_children(events), ==, 1);
	ev = g_variant_get_child_value(events, 0);
	g_assert_true(g_variant_lookup(ev, "reason", "&s", &reason));
	g_assert_cmpstr(reason, ==, "no-agent");
}

static void test_prompt_agent_gone(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	/* The agent leaves the bus with the prompt open: agent-gone policy
	 * (block by default). */
	g_dbus_connection_close_sync(f->agent_conn, NULL, NULL);
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_BLOCK);
}

static void test_prompt_dismissed(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	g_dbus_method_invocation_return_dbus_error(
		g_object_ref(f->asks->pdata[0]),
		"org.eftirlit7.Firewall1.Error.Cancelled", "closed");
	wait_verdicts(f, 1);
	/* default-answer (block) */
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_BLOCK);
}

static void test_prompt_resolved_by_kernel(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) a = make_flow(1, "/usr/bin/a", getuid());

	register_agent(f);
	fake_kernel_hold(f->kernel, a);
	wait_asks(f, 1);
	g_hash_table_remove(f->kernel->held, &a->id);
	f->kernel->parent.events->resolved(1, E7_ACTION_BLOCK,
					   E7_REASON_TIMEOUT, f->daemon);
	while (f->cancels->len == 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(f->kernel->verdicts->len, ==, 0);
}

static const Setup plain = { 0 };
static const Setup fast_timeout = {
	.conf = "[daemon]\nprompt-timeout=1\ndefault-answer=allow\n"
};

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("prompt/allow-forever", plain, test_prompt_allow_forever);
	E7D_TEST_ADD("prompt/many-programs", plain, test_prompt_many_programs);
	E7D_TEST_ADD("prompt/timeout", fast_timeout, test_prompt_timeout);
	E7D_TEST_ADD("prompt/lifetimes", plain, test_prompt_lifetimes);
	E7D_TEST_ADD("prompt/no-agent", plain, test_prompt_no_agent);
	E7D_TEST_ADD("prompt/agent-gone", plain, test_prompt_agent_gone);
	E7D_TEST_ADD("prompt/dismissed", plain, test_prompt_dismissed);
	E7D_TEST_ADD("prompt/resolved-by-kernel", plain,
		     test_prompt_resolved_by_kernel);
	return g_test_run();
}
