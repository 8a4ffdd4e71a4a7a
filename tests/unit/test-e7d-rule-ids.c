// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rule ids across restarts of e7d (rule-ids.h): each persistent rule, the
 * administrator's and e7d's own, keeps its id when a new store (a restarted
 * e7d, after a reboot: no rules in the kernel) loads the same files, and an
 * id is not given twice.
 */
#include <glib/gstdio.h>

#include "e7d-fake-kernel.h"
#include "rule-store.h"
#include "rule-text.h"

typedef struct {
	char *dir;
	char *rules_d;
	char *path; /* e7d's rules file */
	char *ids; /* rule-ids */
	FakeKernel *kernel;
	GCancellable *cancel;
	E7RuleStore *store;
} Fixture;

static void put(Fixture *f, const char *name, const char *text)
{
	g_autofree char *path = g_build_filename(f->rules_d, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
}

/* A new e7d: a new store (and module) that loads the files. */
static gboolean start(Fixture *f)
{
	f->kernel = fake_kernel_new();
	f->cancel = g_cancellable_new();
	f->store = e7_rule_store_new(&f->kernel->parent, f->path, f->cancel);
	e7_rule_store_set_system_dir(f->store, f->rules_d);
	return e7_rule_store_load(f->store, NULL);
}

static void stop(Fixture *f)
{
	g_cancellable_cancel(f->cancel);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_object(&f->store);
	e7_kernel_free(&f->kernel->parent);
	g_clear_object(&f->cancel);
}

static void setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("e7d-ids-XXXXXX", NULL);
	f->rules_d = g_build_filename(f->dir, "rules.d", NULL);
	f->path = g_build_filename(f->dir, "rules", NULL);
	f->ids = g_build_filename(f->dir, "rule-ids", NULL);
	g_assert_cmpint(g_mkdir(f->rules_d, 0755), ==, 0);
	put(f, "50-site.rules",
	    "allow tcp /usr/sbin/sshd in port 22\nblock udp /usr/bin/a\n");
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_autoptr(GDir) d = g_dir_open(f->rules_d, 0, NULL);
	const char *name;

	if (f->store)
		stop(f);
	while ((name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(f->rules_d, name, NULL);

		g_unlink(p);
	}
	g_rmdir(f->rules_d);
	g_unlink(f->path);
	g_unlink(f->ids);
	g_assert_cmpint(g_rmdir(f->dir), ==, 0);
	g_free(f->rules_d);
	g_free(f->path);
	g_free(f->ids);
	g_free(f->dir);
}

static void got_result(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static guint64 add(Fixture *f, const char *text)
{
	GAsyncResult *res = NULL;
	guint64 id = e7_rule_store_add(f->store, e7_rule_parse(text, NULL),
				       got_result, &res, NULL);

	g_assert_cmpuint(id, !=, 0);
	while (!res)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(e7_rule_store_add_finish(res, NULL));
	g_object_unref(res);
	return id;
}

/* The id of the @nth (from 0) rule whose text is @text; 0 if none. */
static guint64 id_of(Fixture *f, const char *text, guint nth)
{
	g_autoptr(GPtrArray) rules = e7_rule_store_list(f->store);

	for (guint i = 0; i < rules->len; i++) {
		E7Rule *r = rules->pdata[i];
		g_autofree char *key = e7_rule_key(r);

		if (g_str_equal(key, text) && nth-- == 0)
			return r->id;
	}
	return 0;
}

static guint64 max_id(Fixture *f)
{
	g_autoptr(GPtrArray) rules = e7_rule_store_list(f->store);
	guint64 max = 0;

	for (guint i = 0; i < rules->len; i++)
		max = MAX(max, ((E7Rule *)rules->pdata[i])->id);
	return max;
}

#define SSHD "allow tcp /usr/sbin/sshd in port 22"
#define A "block udp /usr/bin/a"
#define CURL "allow tcp /usr/bin/curl port 443"
#define WGET "allow tcp /usr/bin/wget"
#define NC "block tcp /usr/bin/nc"
#define DIG "allow udp /usr/bin/dig port 53"

/* Ids survive a restart, also when the administrator adds a file that is
 * read first; the id of a removed rule is not given again. */
static void test_restart(Fixture *f, gconstpointer data)
{
	guint64 sshd, a, curl, wget, nc, max;

	g_assert_true(start(f));
	sshd = id_of(f, SSHD, 0);
	a = id_of(f, A, 0);
	curl = add(f, CURL);
	wget = add(f, WGET);
	nc = add(f, NC);
	g_assert_true(e7_rule_store_remove(f->store, wget, NULL));
	max = max_id(f);
	g_assert_cmpuint(wget, <, max);
	g_assert_cmpuint(wget, >, max - 2);
	stop(f);

	put(f, "10-first.rules", DIG "\n");
	g_assert_true(start(f));
	g_assert_cmpuint(id_of(f, SSHD, 0), ==, sshd);
	g_assert_cmpuint(id_of(f, A, 0), ==, a);
	g_assert_cmpuint(id_of(f, CURL, 0), ==, curl);
	g_assert_cmpuint(id_of(f, NC, 0), ==, nc);
	g_assert_cmpuint(id_of(f, DIG, 0), >, max);
	g_assert_null(e7_rule_store_lookup(f->store, wget, NULL));
	g_assert_cmpuint(add(f, WGET), >, id_of(f, DIG, 0));
}

/* A hand-edited file: moved lines keep their ids, two lines with the same
 * text keep theirs in order, a changed line is a new rule. */
static void test_hand_edited(Fixture *f, gconstpointer data)
{
	guint64 curl, nc1, nc2, wget, max;

	g_assert_true(g_file_set_contents(
		f->path, CURL "\n" NC "\n" WGET "\n" NC " # again\n", -1,
		NULL));
	g_assert_true(start(f));
	curl = id_of(f, CURL, 0);
	nc1 = id_of(f, NC, 0);
	nc2 = id_of(f, NC, 1);
	wget = id_of(f, WGET, 0);
	max = max_id(f);
	stop(f);

	g_assert_true(g_file_set_contents(
		f->path, NC "\n" WGET " port 80\n" NC " # again\n" CURL "\n",
		-1, NULL));
	g_assert_true(start(f));
	g_assert_cmpuint(id_of(f, CURL, 0), ==, curl);
	g_assert_cmpuint(id_of(f, NC, 0), ==, nc1);
	g_assert_cmpuint(id_of(f, NC, 1), ==, nc2);
	g_assert_cmpuint(id_of(f, WGET " port 80", 0), >, max);
	g_assert_null(e7_rule_store_lookup(f->store, wget, NULL));
}

/* A damaged rule-ids costs the ids, nothing else. */
static void test_bad_ids_file(Fixture *f, gconstpointer data)
{
	g_assert_true(g_file_set_contents(
		f->ids, "next lots\n7 own\n0 own " CURL "\nx\n", -1, NULL));
	g_test_expect_message("e7d", G_LOG_LEVEL_WARNING,
			      "*rule-ids:1: not an id line; skipped");
	g_assert_true(g_file_set_contents(f->path, CURL "\n", -1, NULL));
	g_assert_true(start(f));
	g_test_assert_expected_messages();
	g_assert_cmpuint(id_of(f, SSHD, 0), ==, 1);
	g_assert_cmpuint(id_of(f, A, 0), ==, 2);
	g_assert_cmpuint(id_of(f, CURL, 0), ==, 3);
}

/* e7d starts while its rules file has errors: the ids of its rules are not
 * forgotten, and come back when the file is mended. */
static void test_broken_rules_file(Fixture *f, gconstpointer data)
{
	g_autofree char *before = NULL;
	g_autofree char *after = NULL;
	guint64 curl, nc;

	g_assert_true(start(f));
	add(f, WGET);
	curl = add(f, CURL);
	nc = add(f, NC);
	stop(f);
	g_assert_true(g_file_get_contents(f->ids, &before, NULL, NULL));

	g_assert_true(g_file_set_contents(f->path, CURL "\nallow tcp bad\n", -1,
					  NULL));
	g_assert_false(start(f));
	g_assert_true(g_file_get_contents(f->ids, &after, NULL, NULL));
	g_assert_cmpstr(after, ==, before);
	g_assert_true(
		g_file_set_contents(f->path, NC "\n" CURL "\n", -1, NULL));
	g_assert_true(e7_rule_store_load(f->store, NULL));
	g_assert_cmpuint(id_of(f, CURL, 0), ==, curl);
	g_assert_cmpuint(id_of(f, NC, 0), ==, nc);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/e7d/rule-ids/restart", Fixture, NULL, setup, test_restart,
		   teardown);
	g_test_add("/e7d/rule-ids/hand-edited", Fixture, NULL, setup,
		   test_hand_edited, teardown);
	g_test_add("/e7d/rule-ids/bad-ids-file", Fixture, NULL, setup,
		   test_bad_ids_file, teardown);
	g_test_add("/e7d/rule-ids/broken-rules-file", Fixture, NULL, setup,
		   test_broken_rules_file, teardown);
	return g_test_run();
}
