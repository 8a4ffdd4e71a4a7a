// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A rule is bound to the program it was made for (issue 17, point 2): the
 * module binds it to the file's identity, e7d learns the file's content;
 * a flow of another file at the same path is checked before anyone is
 * asked.  The same content lets the rule follow silently; other content is
 * asked about as a changed program.
 */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e7d-fixture.h"
#include "program-hash.h"

/* A copy of /bin/sleep at DIR/prog, and the rule for it (bound to inode
 * 1 by the fake module). */
static char *make_program(Fixture *f, guint64 *rule_id)
{
	g_autofree char *prog = g_build_filename(f->dir, "prog", NULL);
	g_autofree char *text = NULL;
	g_autofree char *data = NULL;
	gsize len;

	g_assert_true(g_file_get_contents("/bin/sleep", &data, &len, NULL));
	g_assert_true(g_file_set_contents(prog, data, len, NULL));
	g_assert_cmpint(g_chmod(prog, 0755), ==, 0);
	fake_kernel_set_file(f->kernel, prog, 1);
	text = g_strdup_printf("allow tcp %s user %u", prog, getuid());
	*rule_id = add_rule(f, text);
	return g_steal_pointer(&prog);
}

static guint64 learnt_id;

static gboolean rule_has_sha256(Fixture *f)
{
	g_autoptr(GVariant) rules = list_rules(f);
	g_autofree char *text = rule_text_at(rules, 0);

	return strstr(text, " sha256 ") != NULL;
}

/* The rule learns its program's content once the module bound it. */
static void wait_learnt(Fixture *f, const char *prog)
{
	g_autofree char *want = e7_program_sha256(prog, NULL);
	g_autofree char *file = NULL;
	E7Rule *k = g_hash_table_lookup(f->kernel->rules, &learnt_id);

	g_assert_nonnull(k);
	g_assert_true(k->has_exe);
	g_assert_cmpuint(k->exe.ino, ==, 1);
	spin_until(rule_has_sha256, f);
	file = read_rules(f);
	g_assert_nonnull(strstr(file, want));
}

static gboolean bound_to_inode_2(Fixture *f)
{
	E7Rule *k = g_hash_table_lookup(f->kernel->rules, &learnt_id);

	return k && k->has_exe && k->exe.ino == 2;
}

/* The program is copied to a new file (a new inode): the same content, so
 * the rule follows it and the flow is allowed without a prompt. */
static void test_same_content(Fixture *f, gconstpointer data)
{
	g_autofree char *prog = make_program(f, &learnt_id);
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) p = NULL;
	g_autoptr(E7Flow) flow = make_flow(1, prog, getuid());

	wait_learnt(f, prog);
	p = g_subprocess_new(G_SUBPROCESS_FLAGS_NONE, &error, prog, "30", NULL);
	g_assert_no_error(error);
	register_agent(f);
	flow->pid = atoi(g_subprocess_get_identifier(p));
	flow->has_exe = TRUE;
	flow->exe.dev = 0x801;
	flow->exe.ino = 2;
	flow->exe.ctime_ns = 2000000000ull;
	fake_kernel_hold(f->kernel, flow);
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	g_assert_cmpuint(f->asks->len, ==, 0);
	spin_until(bound_to_inode_2, f);
	g_subprocess_force_exit(p);
}

/* Another program at the path (here, the running test binary's content):
 * the user is asked, and told it changed; allowing it again lets the old
 * rule follow (no second rule). */
static void test_changed(Fixture *f, gconstpointer data)
{
	g_autofree char *prog = make_program(f, &learnt_id);
	g_autoptr(E7Flow) flow = make_flow(1, prog, getuid());
	g_autoptr(GVariant) request = NULL;
	g_autoptr(GVariant) rules = NULL;
	gboolean changed = FALSE;
	const char *sha;
	GVariant *params;

	wait_learnt(f, prog);
	register_agent(f);
	flow->has_exe = TRUE; /* pid: this test, another program */
	flow->exe.dev = 0x801;
	flow->exe.ino = 3;
	flow->exe.ctime_ns = 3000000000ull;
	fake_kernel_hold(f->kernel, flow);
	wait_asks(f, 1);
	params = g_dbus_method_invocation_get_parameters(f->asks->pdata[0]);
	request = g_variant_get_child_value(params, 0);
	g_assert_true(
		g_variant_lookup(request, "program-changed", "b", &changed));
	g_assert_true(changed);
	g_assert_true(g_variant_lookup(request, "previous-sha256", "&s", &sha));
	g_assert_cmpuint(strlen(sha), ==, 64);
	answer(f, 0, "{'action': <'allow'>, 'lifetime': <'forever'>}");
	wait_verdicts(f, 1);
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 1), ==,
			E7_ACTION_ALLOW);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
}

static gboolean kernel_has_one_rule(Fixture *f)
{
	return g_hash_table_size(f->kernel->rules) == 1;
}

/* A rule made from a prompt is bound to the program that asked (its
 * identity in the flow), and learns that program's content from
 * /proc/PID/exe, or from its path where that cannot be read (@running
 * FALSE: e7d may not read another user's /proc/PID/exe). */
static void check_prompt_learns(Fixture *f, gboolean running)
{
	g_autofree char *prog = g_build_filename(f->dir, "prog", NULL);
	g_autofree char *want = NULL;
	g_autofree char *file = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocess) p = NULL;
	g_autoptr(E7Flow) flow = NULL;
	g_autofree char *contents = NULL;
	GHashTableIter it;
	gsize len;
	E7Rule *k;

	g_assert_true(g_file_get_contents("/bin/sleep", &contents, &len, NULL));
	g_assert_true(g_file_set_contents(prog, contents, len, NULL));
	g_assert_cmpint(g_chmod(prog, 0755), ==, 0);
	want = e7_program_sha256(prog, NULL);
	p = g_subprocess_new(G_SUBPROCESS_FLAGS_NONE, &error, prog, "30", NULL);
	g_assert_no_error(error);
	register_agent(f);
	flow = make_flow(1, prog, getuid());
	flow->pid = running ? atoi(g_subprocess_get_identifier(p)) : G_MAXINT32;
	flow->has_exe = TRUE;
	flow->exe.dev = 0x801;
	flow->exe.ino = 7;
	flow->exe.ctime_ns = 7000000000ull;
	fake_kernel_hold(f->kernel, flow);
	wait_asks(f, 1);
	answer(f, 0, "{'action': <'allow'>, 'lifetime': <'forever'>}");
	wait_verdicts(f, 1);
	spin_until(kernel_has_one_rule, f);
	g_hash_table_iter_init(&it, f->kernel->rules);
	g_assert_true(g_hash_table_iter_next(&it, NULL, (gpointer *)&k));
	g_assert_true(k->has_exe);
	g_assert_cmpuint(k->exe.ino, ==, 7);
	spin_until(rule_has_sha256, f);
	file = read_rules(f);
	g_assert_nonnull(strstr(file, want));
	g_subprocess_force_exit(p);
}

static void test_prompt_learns(Fixture *f, gconstpointer data)
{
	check_prompt_learns(f, TRUE);
}

static void test_prompt_learns_from_path(Fixture *f, gconstpointer data)
{
	check_prompt_learns(f, FALSE);
}

static const Setup plain = { 0 };

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("program/same-content", plain, test_same_content);
	E7D_TEST_ADD("program/changed", plain, test_changed);
	E7D_TEST_ADD("program/prompt-learns", plain, test_prompt_learns);
	E7D_TEST_ADD("program/prompt-learns-from-path", plain,
		     test_prompt_learns_from_path);
	return g_test_run();
}
