// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rule store on its own: the signals it announces its changes with, and
 * what goes to the (in-memory) kernel, message by message.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "e7-error.h"
#include "e7d-fake-kernel.h"
#include "rule-store.h"
#include "rule-text.h"

typedef struct {
	FakeKernel *kernel;
	E7RuleStore *store;
	GCancellable *cancel;
	char *dir;
	char *path;
	GPtrArray *seen; /* "added 1", "changed 1", "removed 1", "replaced" */
	GArray *replaced_added; /* ids */
	GArray *replaced_removed; /* ids */
} Fixture;

static void on_added(E7RuleStore *store, E7Rule *rule, Fixture *f)
{
	g_ptr_array_add(f->seen,
			g_strdup_printf("added %" G_GUINT64_FORMAT, rule->id));
}

static void on_changed(E7RuleStore *store, E7Rule *rule, Fixture *f)
{
	g_ptr_array_add(f->seen, g_strdup_printf("changed %" G_GUINT64_FORMAT,
						 rule->id));
}

static void on_removed(E7RuleStore *store, guint64 id, Fixture *f)
{
	g_ptr_array_add(f->seen,
			g_strdup_printf("removed %" G_GUINT64_FORMAT, id));
}

static void on_replaced(E7RuleStore *store, GPtrArray *added, GArray *removed,
			Fixture *f)
{
	g_ptr_array_add(f->seen, g_strdup("replaced"));
	for (guint i = 0; i < added->len; i++)
		g_array_append_val(f->replaced_added,
				   ((E7Rule *)added->pdata[i])->id);
	g_array_append_vals(f->replaced_removed, removed->data, removed->len);
}

static void write_rules(Fixture *f, const char *text)
{
	g_assert_true(g_file_set_contents(f->path, text, -1, NULL));
}

static void setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("e7d-store-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	f->path = g_build_filename(f->dir, "rules", NULL);
	if (data)
		write_rules(f, data);
	f->kernel = fake_kernel_new();
	f->cancel = g_cancellable_new();
	f->store = e7_rule_store_new(&f->kernel->parent, f->path, f->cancel);
	f->seen = g_ptr_array_new_with_free_func(g_free);
	f->replaced_added = g_array_new(FALSE, FALSE, sizeof(guint64));
	f->replaced_removed = g_array_new(FALSE, FALSE, sizeof(guint64));
	g_assert_true(e7_rule_store_load(f->store, NULL));
	g_signal_connect(f->store, "rule-added", G_CALLBACK(on_added), f);
	g_signal_connect(f->store, "rule-changed", G_CALLBACK(on_changed), f);
	g_signal_connect(f->store, "rule-removed", G_CALLBACK(on_removed), f);
	g_signal_connect(f->store, "rules-replaced", G_CALLBACK(on_replaced),
			 f);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_autofree char *ids = g_build_filename(f->dir, "rule-ids", NULL);

	g_cancellable_cancel(f->cancel);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_object_unref(f->store);
	e7_kernel_free(&f->kernel->parent);
	g_object_unref(f->cancel);
	g_unlink(f->path);
	g_unlink(ids);
	g_rmdir(f->dir);
	g_free(f->path);
	g_free(f->dir);
	g_ptr_array_unref(f->seen);
	g_array_unref(f->replaced_added);
	g_array_unref(f->replaced_removed);
}

static void got_result(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

/* Runs the main loop until the async call that reports to @res is done. */
static GAsyncResult *wait_result(GAsyncResult **res)
{
	while (!*res)
		g_main_context_iteration(NULL, TRUE);
	return *res;
}

static guint64 add(Fixture *f, const char *text, GError **error)
{
	GAsyncResult *res = NULL;
	guint64 id = e7_rule_store_add(f->store, e7_rule_parse(text, NULL),
				       got_result, &res, error);

	if (id && !e7_rule_store_add_finish(wait_result(&res), error))
		id = 0;
	g_clear_object(&res);
	return id;
}

static void assert_seen(Fixture *f, const char *const *expected)
{
	g_assert_cmpuint(f->seen->len, ==, g_strv_length((char **)expected));
	for (guint i = 0; expected[i]; i++)
		g_assert_cmpstr(f->seen->pdata[i], ==, expected[i]);
}

/* The file's rule lines: the header e7d writes in a new file left out
 * (test-e7d-system-rules checks it). */
static gchar *file_text(Fixture *f)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GRegex)
		comments = g_regex_new("^#.*\n", G_REGEX_MULTILINE, 0, NULL);

	g_assert_true(g_file_get_contents(f->path, &text, NULL, NULL));
	return g_regex_replace_literal(comments, text, -1, 0, "", 0, NULL);
}

/* Each change is one signal, after the file and before the kernel's
 * answer; the kernel gets one message per change. */
static void test_signals(Fixture *f, gconstpointer data)
{
	static const char *const expected[] = { "added 1", "changed 1",
						"added 2", "removed 1", NULL };
	g_autoptr(E7Rule) changed = e7_rule_parse("block tcp /a", NULL);
	g_autofree char *text = NULL;
	GAsyncResult *res = NULL;
	guint64 a;

	a = add(f, "allow tcp /a", NULL);
	g_assert_cmpuint(a, ==, 1);
	e7_rule_store_update(f->store, a, changed, got_result, &res);
	g_assert_true(e7_rule_store_update_finish(wait_result(&res), NULL));
	g_clear_object(&res);
	add(f, "allow udp /b for 30s", NULL);
	g_assert_true(e7_rule_store_remove(f->store, a, NULL));
	assert_seen(f, expected);
	text = file_text(f);
	g_assert_cmpstr(text, ==, "");
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
	/* add, replace (delete and add), add, delete */
	g_assert_cmpuint(f->kernel->add_rule_calls, ==, 3);
}

/* A reload is one signal: what came and what went; unchanged rules keep
 * their ids. */
static void test_reload(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Rule) kept = NULL;

	write_rules(f, "allow tcp /kept\nallow tcp /new\n");
	g_assert_true(e7_rule_store_load(f->store, NULL));
	g_assert_cmpuint(f->seen->len, ==, 1);
	g_assert_cmpstr(f->seen->pdata[0], ==, "replaced");
	g_assert_cmpuint(f->replaced_added->len, ==, 1);
	g_assert_cmpuint(g_array_index(f->replaced_added, guint64, 0), ==, 3);
	g_assert_cmpuint(f->replaced_removed->len, ==, 1);
	g_assert_cmpuint(g_array_index(f->replaced_removed, guint64, 0), ==, 2);
	g_assert_nonnull(e7_rule_store_lookup(f->store, 1, NULL));
	/* A bad file changes nothing and says so. */
	write_rules(f, "allow tcp relative\n");
	g_assert_false(e7_rule_store_load(f->store, NULL));
	g_assert_true(e7_rule_store_is_broken(f->store));
	g_assert_cmpuint(e7_rule_store_count(f->store), ==, 2);
	g_assert_cmpuint(f->seen->len, ==, 1);
}

/* A remembered answer: the rule travels inside the verdict, one message;
 * the flow is decided and the rule is in the kernel. */
static void test_verdict_carries_rule(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Flow) flow = e7_flow_new();
	g_autoptr(GError) error = NULL;
	GAsyncResult *res = NULL;
	guint64 id;

	flow->id = 7;
	fake_kernel_hold(f->kernel, flow);
	id = e7_rule_store_add_with_verdict(
		f->store, e7_rule_parse("allow tcp /usr/bin/curl", NULL),
		flow->id, E7_ACTION_ALLOW, NULL, got_result, &res, &error);
	g_assert_no_error(error);
	g_assert_true(e7_rule_store_add_finish(wait_result(&res), &error));
	g_assert_no_error(error);
	g_clear_object(&res);
	g_assert_cmpuint(f->kernel->verdict_calls, ==, 1);
	g_assert_cmpuint(f->kernel->add_rule_calls, ==, 0);
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id));
	g_assert_cmpint(fake_kernel_verdict_of(f->kernel, 7), ==,
			E7_ACTION_ALLOW);

	/* The flow is gone meanwhile: the rule stays, the caller learns it. */
	id = e7_rule_store_add_with_verdict(
		f->store, e7_rule_parse("block tcp /usr/bin/wget", NULL), 8,
		E7_ACTION_BLOCK, NULL, got_result, &res, NULL);
	g_assert_false(e7_rule_store_add_finish(wait_result(&res), &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE);
	g_clear_object(&res);
	g_assert_nonnull(e7_rule_store_lookup(f->store, id, NULL));
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id));
}

/* A rule the kernel refuses is taken out again, and says so. */
static void test_kernel_refuses(Fixture *f, gconstpointer data)
{
	static const char *const expected[] = { "added 1", "removed 1", NULL };
	g_autoptr(E7Rule) squatter = e7_rule_parse("block any /x", NULL);
	g_autoptr(GError) error = NULL;

	squatter->id = 1;
	g_assert_true(f->kernel->parent.ops->add_rule(&f->kernel->parent,
						      squatter, NULL));
	g_test_expect_message("e7d", G_LOG_LEVEL_WARNING,
			      "the kernel refused rule 1:*");
	g_assert_cmpuint(add(f, "allow tcp /a", &error), ==, 0);
	g_test_assert_expected_messages();
	g_assert_nonnull(error);
	assert_seen(f, expected);
	g_assert_cmpuint(e7_rule_store_count(f->store), ==, 0);
}

/* The kernel ended a rule (its lifetime): the store forgets it. */
static void test_forget(Fixture *f, gconstpointer data)
{
	static const char *const expected[] = { "added 1", "removed 1", NULL };
	g_autofree char *text = NULL;

	add(f, "allow tcp /a", NULL);
	e7_rule_store_forget(f->store, 1);
	e7_rule_store_forget(f->store, 1);
	assert_seen(f, expected);
	text = file_text(f);
	g_assert_cmpstr(text, ==, "");
}

/* Adding a rule that exists (the same text, whatever its comment) gives
 * the existing rule's id: nothing is written, announced or pushed. */
static void test_add_idempotent(Fixture *f, gconstpointer data)
{
	static const char *const expected[] = { "added 1", "added 2", NULL };
	g_autofree char *text = NULL;

	g_assert_cmpuint(add(f, "allow tcp /a", NULL), ==, 1);
	g_assert_cmpuint(add(f, "allow tcp /a # again", NULL), ==, 1);
	g_assert_cmpuint(add(f, "allow tcp /a user 1000", NULL), ==, 2);
	g_assert_cmpuint(add(f, "allow tcp /a user 1000", NULL), ==, 2);
	assert_seen(f, expected);
	g_assert_cmpuint(f->kernel->add_rule_calls, ==, 2);
	text = file_text(f);
	g_assert_cmpstr(text, ==, "allow tcp /a\nallow tcp /a user 1000\n");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/e7d/rule-store/signals", Fixture, NULL, setup,
		   test_signals, teardown);
	g_test_add("/e7d/rule-store/reload", Fixture,
		   "allow tcp /kept\nallow tcp /gone\n", setup, test_reload,
		   teardown);
	g_test_add("/e7d/rule-store/verdict-carries-rule", Fixture, NULL, setup,
		   test_verdict_carries_rule, teardown);
	g_test_add("/e7d/rule-store/kernel-refuses", Fixture, NULL, setup,
		   test_kernel_refuses, teardown);
	g_test_add("/e7d/rule-store/forget", Fixture, NULL, setup, test_forget,
		   teardown);
	g_test_add("/e7d/rule-store/add-idempotent", Fixture, NULL, setup,
		   test_add_idempotent, teardown);
	return g_test_run();
}
