// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Blocked connections kept across restarts of e7d (blocked-events.h): the
 * event log's blocks go to a file, at most one write per interval, bounded,
 * readable by root only, and come back into a new log with their ids.
 */
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "blocked-events.h"
#include "test-wait.h"

typedef struct {
	char *dir;
	char *path;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("e7d-blocked-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "blocked-events", NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_unlink(f->path);
	g_assert_cmpint(g_rmdir(f->dir), ==, 0);
	g_free(f->path);
	g_free(f->dir);
}

static void log_flow(E7EventLog *log, E7Action action, guint32 uid,
		     const char *program)
{
	g_autoptr(E7Flow) flow = e7_flow_new();

	flow->program = g_strdup(program);
	flow->uid = uid;
	flow->protocol = E7_PROTO_TCP;
	flow->remote_address = g_strdup("198.18.0.9");
	flow->remote_port = 443;
	e7_event_log_add(log, "verdict", action, "rule", flow, 7);
}

static GVariant *all_events(E7EventLog *log)
{
	E7EventReader everyone = { .all_users = TRUE };

	return e7_event_log_query(log, 0, G_MAXUINT32, &everyone);
}

static guint64 event_u64(GVariant *events, guint i, const char *key)
{
	g_autoptr(GVariant) ev = g_variant_get_child_value(events, i);
	guint64 v = 0;

	g_assert_true(g_variant_lookup(ev, key, "t", &v));
	return v;
}

static const char *event_program(GVariant *events, guint i)
{
	g_autoptr(GVariant) ev = g_variant_get_child_value(events, i);
	const char *program = NULL;

	g_assert_true(g_variant_lookup(ev, "program", "&s", &program));
	return program; /* the array holds it */
}

static ino_t inode_of(const char *path)
{
	GStatBuf st;

	return g_stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Only blocks are kept, written when e7d stops at the latest, root's only,
 * and a new log has them with their ids and times; its own follow. */
static void test_round_trip(Fixture *f, gconstpointer data)
{
	g_autoptr(E7EventLog) log = e7_event_log_new(100);
	g_autoptr(E7EventLog) log2 = e7_event_log_new(100);
	g_autoptr(GVariant) before = NULL;
	g_autoptr(GVariant) after = NULL;
	E7BlockedEvents *kept = e7_blocked_events_new(log, f->path, 60);
	GStatBuf st;

	log_flow(log, E7_ACTION_ALLOW, 1000, "/usr/bin/a");
	log_flow(log, E7_ACTION_BLOCK, 1000, "/usr/bin/b");
	log_flow(log, E7_ACTION_ALLOW, 1001, "/usr/bin/c");
	log_flow(log, E7_ACTION_BLOCK, 1001, "/usr/bin/d");
	g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
	e7_blocked_events_free(kept);
	g_assert_cmpint(g_stat(f->path, &st), ==, 0);
	g_assert_cmpuint(st.st_mode & 0777, ==, 0600);

	before = all_events(log);
	kept = e7_blocked_events_new(log2, f->path, 60);
	after = all_events(log2);
	g_assert_cmpuint(g_variant_n_children(after), ==, 2);
	g_assert_cmpstr(event_program(after, 0), ==, "/usr/bin/b");
	g_assert_cmpstr(event_program(after, 1), ==, "/usr/bin/d");
	for (guint i = 0; i < 2; i++) {
		g_assert_cmpuint(event_u64(after, i, "id"), ==,
				 event_u64(before, 2 * i + 1, "id"));
		g_assert_cmpuint(event_u64(after, i, "time"), ==,
				 event_u64(before, 2 * i + 1, "time"));
	}
	g_clear_pointer(&after, g_variant_unref);
	log_flow(log2, E7_ACTION_ALLOW, 1000, "/usr/bin/e");
	after = all_events(log2);
	g_assert_cmpuint(g_variant_n_children(after), ==, 3);
	g_assert_cmpuint(event_u64(after, 2, "id"), >,
			 event_u64(after, 1, "id"));
	e7_blocked_events_free(kept);
}

/* A burst is one write, after the interval; the next burst waits for the
 * next interval. */
static void test_rate_limited(Fixture *f, gconstpointer data)
{
	g_autoptr(E7EventLog) log = e7_event_log_new(1000);
	E7BlockedEvents *kept = e7_blocked_events_new(log, f->path, 2);
	ino_t first;

	for (guint i = 0; i < 50; i++)
		log_flow(log, E7_ACTION_BLOCK, 1000, "/usr/bin/b");
	g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
	WAIT_FOR(inode_of(f->path) != 0);
	first = inode_of(f->path);
	for (guint i = 0; i < 50; i++)
		log_flow(log, E7_ACTION_BLOCK, 1000, "/usr/bin/b");
	e7_test_spin(100);
	g_assert_cmpuint(inode_of(f->path), ==, first);
	WAIT_FOR(inode_of(f->path) != first);
	e7_blocked_events_free(kept);
}

/* The file keeps the newest blocks, no more than the log's size. */
static void test_bounded(Fixture *f, gconstpointer data)
{
	g_autoptr(E7EventLog) log = e7_event_log_new(5);
	g_autoptr(E7EventLog) log2 = e7_event_log_new(100);
	g_autoptr(GVariant) after = NULL;
	E7BlockedEvents *kept = e7_blocked_events_new(log, f->path, 60);
	guint64 last;

	for (guint i = 0; i < 12; i++)
		log_flow(log, E7_ACTION_BLOCK, 1000, "/usr/bin/b");
	e7_blocked_events_free(kept);
	kept = e7_blocked_events_new(log2, f->path, 60);
	after = all_events(log2);
	g_assert_cmpuint(g_variant_n_children(after), ==, 5);
	last = event_u64(after, 4, "id");
	g_assert_cmpuint(event_u64(after, 0, "id"), ==, last - 4);
	e7_blocked_events_free(kept);
}

/* Entries that are not blocked connections are skipped and reported. */
static void test_damaged(Fixture *f, gconstpointer data)
{
	g_autoptr(E7EventLog) log = e7_event_log_new(100);
	g_autoptr(GVariant) file = g_variant_ref_sink(g_variant_new_parsed(
		"[{'id': <uint64 4>, 'time': <uint64 1>, 'action': <'block'>},"
		" {'id': <'four'>, 'time': <uint64 1>, 'action': <'block'>},"
		" {'id': <uint64 5>, 'time': <uint64 1>, 'action': <'allow'>}]"));
	g_autoptr(GVariant) after = NULL;
	E7BlockedEvents *kept;

	g_assert_true(g_file_set_contents(f->path, g_variant_get_data(file),
					  g_variant_get_size(file), NULL));
	g_test_expect_message(
		"e7d", G_LOG_LEVEL_WARNING,
		"*blocked-events: skipped what is not a blocked connection: 2 entries");
	kept = e7_blocked_events_new(log, f->path, 60);
	g_test_assert_expected_messages();
	after = all_events(log);
	g_assert_cmpuint(g_variant_n_children(after), ==, 1);
	g_assert_cmpuint(event_u64(after, 0, "id"), ==, 4);
	e7_blocked_events_free(kept);

	/* Bytes that are no GVariant at all restore nothing, and say so. */
	g_clear_pointer(&after, g_variant_unref);
	g_clear_object(&log);
	log = e7_event_log_new(100);
	g_assert_true(g_file_set_contents(f->path, "\xff\x01garbage", 9, NULL));
	g_test_expect_message("e7d", G_LOG_LEVEL_WARNING,
			      "*blocked-events is damaged*");
	kept = e7_blocked_events_new(log, f->path, 60);
	g_test_assert_expected_messages();
	after = all_events(log);
	g_assert_cmpuint(g_variant_n_children(after), ==, 0);
	e7_blocked_events_free(kept);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/e7d/blocked-events/round-trip", Fixture, NULL, setup,
		   test_round_trip, teardown);
	g_test_add("/e7d/blocked-events/rate-limited", Fixture, NULL, setup,
		   test_rate_limited, teardown);
	g_test_add("/e7d/blocked-events/bounded", Fixture, NULL, setup,
		   test_bounded, teardown);
	g_test_add("/e7d/blocked-events/damaged", Fixture, NULL, setup,
		   test_damaged, teardown);
	return g_test_run();
}
