/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fixture of e7d's service tests: the daemon on a private bus
 * (GTestDBus) with an in-memory kernel (e7d-fake-kernel.h), a table-driven
 * authorizer, a client, and a test prompt agent at /test/agent.
 */
#pragma once

#include <gio/gio.h>

#include "daemon.h"
#include "e7-dbus.h"
#include "e7-error.h"
#include "e7d-fake-kernel.h"

typedef struct {
	GTestDBus *bus;
	GDBusConnection *server;
	GDBusConnection *client;
	GDBusConnection *agent_conn;
	E7Daemon *daemon;
	FakeKernel *kernel;
	char *dir;
	char *rules_path;
	char *rules_dir;
	char *system_path; /* rules_dir/50-admin.rules */
	char *conf_path;
	char *settings_path;
	char *legacy_path;
	GHashTable *allowed; /* polkit actions the fake authorizer grants */
	GPtrArray *asks; /* pending Ask invocations */
	GArray *cancels; /* prompt ids given to Cancel */
	guint agent_reg;
	guint subscription;
	GPtrArray *signals; /* names of signals seen by the client */
} Fixture;

/* What a test starts from. */
typedef struct {
	const char *rules;
	const char *conf;
	const char *system_rules; /* rules.d/50-admin.rules */
	const char *legacy_rules; /* the rules file of before rules.d */
	gboolean no_kernel;
	/* Rules the module holds when e7d starts, one a line: ids 500, 501... */
	const char *kernel_rules;
	/* The rules file has a bad line: e7d warns as it starts. */
	gboolean broken_file;
	/* Another warning e7d gives as it starts (a g_test pattern). */
	const char *expect_warning;
} Setup;

extern const GDBusInterfaceVTable e7d_test_agent_vtable;

void setup(Fixture *f, gconstpointer data);
/* The same, with the kernel jobs in a worker thread (as in e7d). */
void setup_worker(Fixture *f, gconstpointer data);
void teardown(Fixture *f, gconstpointer data);

/* Each test runs twice: jobs inline, and in a worker thread. */
#define E7D_TEST_ADD(path, setup_data, fn)                                   \
	do {                                                                 \
		g_test_add("/e7d/daemon/" path, Fixture, &setup_data, setup, \
			   fn, teardown);                                    \
		g_test_add("/e7d/daemon-worker/" path, Fixture, &setup_data, \
			   setup_worker, fn, teardown);                      \
	} while (0)

void write_file(const char *path, const char *data);
/* Kernel jobs complete on the main loop: run it until a resync is over. */
void wait_synced(Fixture *f);
/* Runs the main loop until @cond holds (at most 5 s). */
void spin_until(gboolean (*cond)(Fixture *f), Fixture *f);

/* Calls a method of the daemon from @conn (the client: call). */
GVariant *call_on(Fixture *f, GDBusConnection *conn, const char *method,
		  GVariant *args, GError **error);
GVariant *call(Fixture *f, const char *method, GVariant *args, GError **error);
GVariant *call_ok(Fixture *f, const char *method, GVariant *args);
/* Expects the error @code, whose message contains @part (if not NULL). */
void expect_error(Fixture *f, const char *method, GVariant *args, gint code,
		  const char *part);

guint64 add_rule(Fixture *f, const char *text);
char *read_rules(Fixture *f);
GVariant *list_rules(Fixture *f);
char *rule_text_at(GVariant *rules, guint i);

/* The test agent at /test/agent. */
void register_agent(Fixture *f);
E7Flow *make_flow(guint64 id, const char *program, guint32 uid);
void wait_asks(Fixture *f, guint n);
void wait_verdicts(Fixture *f, guint n);
/* Answers Ask number @i with the a{sv} in text form @answer_text. */
void answer(Fixture *f, guint i, const char *answer_text);
