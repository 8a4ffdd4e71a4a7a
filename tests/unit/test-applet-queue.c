/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The prompt queue: one group per program, answers fan out to every request. */
#include "config.h"

#include "queue.h"

typedef struct {
	E7PromptQueue *queue;
	GPtrArray *added; /* E7PromptGroup */
	GPtrArray *removed; /* E7PromptGroup */
	GArray *resolved_ids;
	GPtrArray *resolved_answers; /* E7Answer copies, NULL for dismissed */
	guint changed;
} Fixture;

static void on_added(E7PromptQueue *q, E7PromptGroup *g, Fixture *f)
{
	g_ptr_array_add(f->added, g_object_ref(g));
}

static void on_removed(E7PromptQueue *q, E7PromptGroup *g, Fixture *f)
{
	g_ptr_array_add(f->removed, g_object_ref(g));
}

static void on_resolved(E7PromptQueue *q, guint64 id, const E7Answer *answer,
			Fixture *f)
{
	g_array_append_val(f->resolved_ids, id);
	g_ptr_array_add(f->resolved_answers,
			answer ? g_memdup2(answer, sizeof(*answer)) : NULL);
}

static void on_changed(E7PromptQueue *q, Fixture *f)
{
	f->changed++;
}

static void setup(Fixture *f, gconstpointer data)
{
	f->queue = e7_prompt_queue_new();
	f->added = g_ptr_array_new_with_free_func(g_object_unref);
	f->removed = g_ptr_array_new_with_free_func(g_object_unref);
	f->resolved_ids = g_array_new(FALSE, FALSE, sizeof(guint64));
	f->resolved_answers = g_ptr_array_new_with_free_func(g_free);
	g_signal_connect(f->queue, "group-added", G_CALLBACK(on_added), f);
	g_signal_connect(f->queue, "group-removed", G_CALLBACK(on_removed), f);
	g_signal_connect(f->queue, "resolved", G_CALLBACK(on_resolved), f);
	g_signal_connect(f->queue, "changed", G_CALLBACK(on_changed), f);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_object_unref(f->queue);
	g_ptr_array_unref(f->added);
	g_ptr_array_unref(f->removed);
	g_array_unref(f->resolved_ids);
	g_ptr_array_unref(f->resolved_answers);
}

static E7Request *make(guint64 id, const char *program)
{
	GVariantBuilder b;
	g_autoptr(GVariant) v = NULL;
	E7Request *r;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id", g_variant_new_uint64(id));
	if (program)
		g_variant_builder_add(&b, "{sv}", "program",
				      g_variant_new_string(program));
	v = g_variant_ref_sink(g_variant_builder_end(&b));
	r = e7_request_new_from_variant(v, NULL);
	g_assert_nonnull(r);
	return r;
}

static void add(Fixture *f, guint64 id, const char *program)
{
	g_autoptr(E7Request) r = make(id, program);

	e7_prompt_queue_add(f->queue, r);
}

static void test_coalesce(Fixture *f, gconstpointer data)
{
	E7PromptGroup *curl, *wget;

	add(f, 1, "/usr/bin/curl");
	add(f, 2, "/usr/bin/wget");
	add(f, 3, "/usr/bin/curl");
	add(f, 4, "/usr/bin/curl");

	g_assert_cmpuint(f->added->len, ==, 2);
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(f->queue), ==, 2);
	g_assert_cmpuint(e7_prompt_queue_get_n_requests(f->queue), ==, 4);
	g_assert_cmpuint(f->changed, ==, 4);

	curl = e7_prompt_queue_get_group(f->queue, 0);
	wget = e7_prompt_queue_get_group(f->queue, 1);
	g_assert_cmpstr(e7_prompt_group_get_key(curl), ==,
			"program:/usr/bin/curl");
	g_assert_cmpstr(e7_prompt_group_get_key(wget), ==,
			"program:/usr/bin/wget");
	g_assert_cmpuint(e7_prompt_group_get_n_requests(curl), ==, 3);
	g_assert_cmpuint(e7_prompt_group_get_first(curl)->id, ==, 1);
	g_assert_cmpuint(e7_prompt_group_get_request(curl, 2)->id, ==, 4);
}

static void test_resolve_fans_out(Fixture *f, gconstpointer data)
{
	E7Answer a = { E7_ACTION_ALLOW, E7_SCOPE_DESTINATION,
		       E7_LIFETIME_FOREVER, 0 };
	E7PromptGroup *curl;

	add(f, 1, "/usr/bin/curl");
	add(f, 2, "/usr/bin/wget");
	add(f, 3, "/usr/bin/curl");
	curl = e7_prompt_queue_get_group(f->queue, 0);
	e7_prompt_queue_resolve(f->queue, curl, &a);

	g_assert_cmpuint(f->resolved_ids->len, ==, 2);
	g_assert_cmpuint(g_array_index(f->resolved_ids, guint64, 0), ==, 1);
	g_assert_cmpuint(g_array_index(f->resolved_ids, guint64, 1), ==, 3);
	for (guint i = 0; i < 2; i++) {
		E7Answer *got = g_ptr_array_index(f->resolved_answers, i);

		g_assert_nonnull(got);
		g_assert_cmpint(got->action, ==, E7_ACTION_ALLOW);
		g_assert_cmpint(got->scope, ==, E7_SCOPE_DESTINATION);
		g_assert_cmpint(got->lifetime, ==, E7_LIFETIME_FOREVER);
	}
	g_assert_cmpuint(f->removed->len, ==, 1);
	g_assert_true(g_ptr_array_index(f->removed, 0) == (gpointer)curl);
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(f->queue), ==, 1);
	g_assert_cmpuint(e7_prompt_queue_get_n_requests(f->queue), ==, 1);

	/* A late second answer for the same (gone) group does nothing. */
	e7_prompt_queue_resolve(f->queue, curl, &a);
	g_assert_cmpuint(f->resolved_ids->len, ==, 2);

	/* Dismissing resolves with no answer. */
	e7_prompt_queue_resolve(f->queue,
				e7_prompt_queue_get_group(f->queue, 0), NULL);
	g_assert_cmpuint(f->resolved_ids->len, ==, 3);
	g_assert_cmpuint(g_array_index(f->resolved_ids, guint64, 2), ==, 2);
	g_assert_null(g_ptr_array_index(f->resolved_answers, 2));
	g_assert_cmpuint(e7_prompt_queue_get_n_requests(f->queue), ==, 0);
}

static void test_withdraw(Fixture *f, gconstpointer data)
{
	E7PromptGroup *curl;

	add(f, 1, "/usr/bin/curl");
	add(f, 2, "/usr/bin/curl");
	curl = e7_prompt_queue_get_group(f->queue, 0);

	g_assert_null(e7_prompt_queue_find(f->queue, 99));
	g_assert_nonnull(e7_prompt_queue_find(f->queue, 2));
	g_assert_cmpuint(e7_prompt_queue_find(f->queue, 2)->id, ==, 2);
	g_assert_false(e7_prompt_queue_withdraw(f->queue, 99));
	g_assert_true(e7_prompt_queue_withdraw(f->queue, 1));
	g_assert_cmpuint(e7_prompt_group_get_n_requests(curl), ==, 1);
	g_assert_cmpuint(e7_prompt_group_get_first(curl)->id, ==, 2);
	g_assert_cmpuint(f->removed->len, ==, 0);
	g_assert_true(e7_prompt_queue_withdraw(f->queue, 2));
	g_assert_null(e7_prompt_queue_find(f->queue, 2));
	g_assert_cmpuint(f->removed->len, ==, 1);
	g_assert_false(e7_prompt_queue_withdraw(f->queue, 2));
	/* Withdrawn requests are not answered: the daemon already decided. */
	g_assert_cmpuint(f->resolved_ids->len, ==, 0);
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(f->queue), ==, 0);
}

static void test_no_program(Fixture *f, gconstpointer data)
{
	/* Without a program, every request is a page of its own. */
	add(f, 1, NULL);
	add(f, 2, NULL);
	g_assert_cmpuint(e7_prompt_queue_get_n_groups(f->queue), ==, 2);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/applet/queue/coalesce", Fixture, NULL, setup,
		   test_coalesce, teardown);
	g_test_add("/applet/queue/resolve-fans-out", Fixture, NULL, setup,
		   test_resolve_fans_out, teardown);
	g_test_add("/applet/queue/withdraw", Fixture, NULL, setup,
		   test_withdraw, teardown);
	g_test_add("/applet/queue/no-program", Fixture, NULL, setup,
		   test_no_program, teardown);
	return g_test_run();
}
