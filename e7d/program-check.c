// SPDX-License-Identifier: GPL-2.0-or-later
#include "program-check.h"

#include <string.h>

#include <glib/gi18n.h>

#include "package-db.h"
#include "program-hash.h"

void e7_program_check_free(E7ProgramCheck *check)
{
	if (!check)
		return;
	g_free(check->sha256);
	g_free(check->old_sha256);
	g_free(check->package);
	if (check->rule_ids)
		g_array_unref(check->rule_ids);
	g_free(check);
}

E7ProgramCheck *e7_program_check_copy(const E7ProgramCheck *check)
{
	E7ProgramCheck *copy = g_new0(E7ProgramCheck, 1);

	copy->change = check->change;
	copy->sha256 = g_strdup(check->sha256);
	copy->old_sha256 = g_strdup(check->old_sha256);
	copy->package = g_strdup(check->package);
	copy->rule_ids = g_array_ref(check->rule_ids);
	return copy;
}

E7Action e7_program_check_action(E7RuleStore *store,
				 const E7ProgramCheck *check)
{
	E7Action action = E7_ACTION_NONE;

	for (guint i = 0; i < check->rule_ids->len; i++) {
		E7Rule *r = e7_rule_store_lookup(
			store, g_array_index(check->rule_ids, guint64, i),
			NULL);

		if (!r || (action && r->action != action))
			return E7_ACTION_NONE;
		action = r->action;
	}
	return action;
}

static gboolean same_exe(const E7ExeId *a, const E7ExeId *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       a->ctime_ns == b->ctime_ns;
}

static gboolean applies_to(const E7Rule *r, const E7Flow *flow)
{
	return e7_rule_names_one_program(r) &&
	       g_str_equal(r->program, flow->program) &&
	       (!r->has_uid || r->uid == flow->uid);
}

GArray *e7_program_rules_elsewhere(E7RuleStore *store, const E7Flow *flow)
{
	g_autoptr(GPtrArray) rules = NULL;
	GArray *ids = NULL;

	if (!flow->has_exe || !flow->program)
		return NULL;
	rules = e7_rule_store_list(store);
	for (guint i = 0; i < rules->len; i++) {
		E7Rule *r = rules->pdata[i];

		if (!applies_to(r, flow) || !r->has_exe ||
		    same_exe(&r->exe, &flow->exe))
			continue;
		if (!ids)
			ids = g_array_new(FALSE, FALSE, sizeof(guint64));
		g_array_append_val(ids, r->id);
	}
	return ids;
}

typedef struct {
	char *path; /* the rules' program */
	char *exe; /* /proc/PID/exe: the flow's program while it runs */
	char *old_sha256;
	GArray *rule_ids;
} Input;

static void input_free(gpointer p)
{
	Input *in = p;

	g_free(in->path);
	g_free(in->exe);
	g_free(in->old_sha256);
	if (in->rule_ids)
		g_array_unref(in->rule_ids);
	g_free(in);
}

/* The content of the flow's program: the running executable if it still
 * runs, else the file at the path. */
static char *new_content(const Input *in, const char **from)
{
	char *sha = e7_program_sha256(in->exe, NULL);

	*from = in->exe;
	if (sha)
		return sha;
	*from = in->path;
	return e7_program_sha256(in->path, NULL);
}

static void check_in_thread(GTask *task, gpointer source, gpointer data,
			    GCancellable *cancel)
{
	Input *in = data;
	E7ProgramCheck *check = g_new0(E7ProgramCheck, 1);
	g_autoptr(GError) error = NULL;
	const char *from;

	check->rule_ids = g_steal_pointer(&in->rule_ids);
	check->old_sha256 = g_strdup(in->old_sha256);
	check->sha256 = new_content(in, &from);
	if (check->sha256 && check->old_sha256 &&
	    g_str_equal(check->sha256, check->old_sha256))
		check->change = E7_PROGRAM_SAME_CONTENT;
	else if (check->sha256 &&
		 e7_package_db_vouches(in->path, from, &check->package, &error))
		check->change = E7_PROGRAM_VOUCHED;
	else
		check->change = E7_PROGRAM_CHANGED;
	if (error)
		g_message(_("cannot ask the package database about %s: %s"),
			  in->path, error->message);
	g_task_return_pointer(task, check,
			      (GDestroyNotify)e7_program_check_free);
}

/* The content the rules were made for, when they agree on it. */
static char *rules_content(E7RuleStore *store, GArray *ids)
{
	const char *sha = NULL;

	for (guint i = 0; i < ids->len; i++) {
		E7Rule *r = e7_rule_store_lookup(
			store, g_array_index(ids, guint64, i), NULL);

		if (!r || !r->sha256 || (sha && !g_str_equal(sha, r->sha256)))
			return NULL;
		sha = r->sha256;
	}
	return g_strdup(sha);
}

void e7_program_check_async(E7RuleStore *store, const E7Flow *flow,
			    GArray *rule_ids, GCancellable *cancel,
			    GAsyncReadyCallback callback, gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancel, callback, user_data);
	Input *in = g_new0(Input, 1);

	in->path = g_strdup(flow->program);
	in->exe = g_strdup_printf("/proc/%u/exe", flow->pid);
	in->old_sha256 = rules_content(store, rule_ids);
	in->rule_ids = rule_ids;
	g_task_set_task_data(task, in, input_free);
	g_task_run_in_thread(task, check_in_thread);
}

E7ProgramCheck *e7_program_check_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}

void e7_program_check_rebind(E7RuleStore *store, const E7ProgramCheck *check,
			     const E7Flow *flow)
{
	for (guint i = 0; i < check->rule_ids->len; i++) {
		E7Rule *r = e7_rule_store_lookup(
			store, g_array_index(check->rule_ids, guint64, i),
			NULL);
		g_autoptr(E7Rule) changed = NULL;

		if (!r)
			continue;
		changed = e7_rule_copy(r);
		changed->has_exe = TRUE;
		changed->exe = flow->exe;
		g_free(changed->sha256);
		changed->sha256 = g_strdup(check->sha256);
		e7_rule_store_update(store, r->id, changed, NULL, NULL);
	}
}
