// SPDX-License-Identifier: GPL-2.0-or-later
#include "e7d-fake-kernel.h"

#include "e7-error.h"

static gboolean fk_is_connected(E7Kernel *k)
{
	return ((FakeKernel *)k)->connected;
}

/* As the module: binds the rule to the file at its path (files). */
static void bind_rule(FakeKernel *self, E7Rule *rule)
{
	E7ExeId *id;

	if (rule->has_exe || !rule->exe_bind || !rule->program)
		return;
	id = g_hash_table_lookup(self->files, rule->program);
	if (!id)
		return;
	rule->has_exe = TRUE;
	rule->exe = *id;
}

static gboolean install_rule(FakeKernel *self, E7Rule *rule, GError **error)
{
	E7Rule *copy;

	if (g_hash_table_contains(self->rules, &rule->id)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "rule id %" G_GUINT64_FORMAT " exists", rule->id);
		return FALSE;
	}
	bind_rule(self, rule);
	copy = e7_rule_copy(rule);
	g_clear_pointer(&copy->comment, g_free);
	g_clear_pointer(&copy->sha256, g_free);
	copy->exe_bind = FALSE;
	g_hash_table_insert(self->rules, &copy->id, copy);
	return TRUE;
}

static gboolean fk_add_rule(E7Kernel *k, E7Rule *rule, GError **error)
{
	FakeKernel *self = (FakeKernel *)k;

	self->add_rule_calls++;
	return install_rule(self, rule, error);
}

static gboolean fk_del_rule(E7Kernel *k, guint64 id, GError **error)
{
	FakeKernel *self = (FakeKernel *)k;

	if (!g_hash_table_remove(self->rules, &id)) {
		g_set_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE, "no rule");
		return FALSE;
	}
	return TRUE;
}

static gint by_id(gconstpointer a, gconstpointer b)
{
	const E7Rule *ra = *(const E7Rule *const *)a;
	const E7Rule *rb = *(const E7Rule *const *)b;

	return ra->id < rb->id ? -1 : ra->id > rb->id;
}

/* In ascending id order, as the module dumps. */
static GPtrArray *fk_dump_rules(E7Kernel *k, GError **error)
{
	FakeKernel *self = (FakeKernel *)k;
	GPtrArray *out =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, self->rules);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(out, e7_rule_copy(value));
	g_ptr_array_sort(out, by_id);
	return out;
}

static GPtrArray *fk_dump_flows(E7Kernel *k, GError **error)
{
	FakeKernel *self = (FakeKernel *)k;
	GPtrArray *out =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_flow_free);
	GHashTableIter it;
	gpointer value;

	g_hash_table_iter_init(&it, self->held);
	while (g_hash_table_iter_next(&it, NULL, &value))
		g_ptr_array_add(out, e7_flow_copy(value));
	return out;
}

static gboolean fk_set_mode(E7Kernel *k, E7Mode mode, GError **error)
{
	((FakeKernel *)k)->mode = mode;
	return TRUE;
}

static gboolean fk_get_mode(E7Kernel *k, E7Mode *mode, GError **error)
{
	*mode = ((FakeKernel *)k)->mode;
	return TRUE;
}

static gboolean fk_get_flags(E7Kernel *k, guint32 *flags, GError **error)
{
	*flags = ((FakeKernel *)k)->flags;
	return TRUE;
}

static gboolean fk_set_flags(E7Kernel *k, guint32 flags, GError **error)
{
	((FakeKernel *)k)->flags = flags;
	return TRUE;
}

static gboolean fk_set_config(E7Kernel *k, const E7Config *config,
			      GError **error)
{
	FakeKernel *self = (FakeKernel *)k;

	self->config = *config;
	self->set_config_calls++;
	return TRUE;
}

static gboolean fk_verdict(E7Kernel *k, guint64 flow_id, E7Action action,
			   const E7Rule *rule, GError **error)
{
	FakeKernel *self = (FakeKernel *)k;
	FakeVerdict v = { flow_id, action };

	/* As the module: the rule goes in first, then the verdict. */
	self->verdict_calls++;
	if (rule) {
		g_autoptr(E7Rule) copy = e7_rule_copy(rule);

		if (!install_rule(self, copy, error))
			return FALSE;
	}
	if (!g_hash_table_remove(self->held, &flow_id)) {
		g_set_error(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE,
			    "flow not held");
		return FALSE;
	}
	g_array_append_val(self->verdicts, v);
	return TRUE;
}

static GVariant *fk_get_stats(E7Kernel *k, GError **error)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "packets", g_variant_new_uint64(7));
	return g_variant_builder_end(&b);
}

static void fk_free(E7Kernel *k)
{
	FakeKernel *self = (FakeKernel *)k;

	e7_kernel_stop_worker(k);
	g_hash_table_unref(self->rules);
	g_hash_table_unref(self->held);
	g_hash_table_unref(self->files);
	g_array_unref(self->verdicts);
	g_free(self);
}

static const E7KernelOps fake_ops = {
	.is_connected = fk_is_connected,
	.add_rule = fk_add_rule,
	.del_rule = fk_del_rule,
	.dump_rules = fk_dump_rules,
	.dump_flows = fk_dump_flows,
	.set_mode = fk_set_mode,
	.get_mode = fk_get_mode,
	.get_flags = fk_get_flags,
	.set_flags = fk_set_flags,
	.set_config = fk_set_config,
	.verdict = fk_verdict,
	.get_stats = fk_get_stats,
	.free = fk_free,
};

FakeKernel *fake_kernel_new(void)
{
	FakeKernel *k = g_new0(FakeKernel, 1);

	k->parent.ops = &fake_ops;
	k->connected = TRUE;
	k->rules = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					 (GDestroyNotify)e7_rule_free);
	k->held = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					(GDestroyNotify)e7_flow_free);
	k->verdicts = g_array_new(FALSE, FALSE, sizeof(FakeVerdict));
	k->files =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return k;
}

void fake_kernel_hold(FakeKernel *k, const E7Flow *flow)
{
	E7Flow *copy = e7_flow_copy(flow);

	g_hash_table_insert(k->held, &copy->id, copy);
	if (k->parent.events)
		k->parent.events->pending(flow, k->parent.user_data);
}

E7Action fake_kernel_verdict_of(FakeKernel *k, guint64 flow_id)
{
	for (guint i = 0; i < k->verdicts->len; i++) {
		FakeVerdict *v = &g_array_index(k->verdicts, FakeVerdict, i);

		if (v->flow_id == flow_id)
			return v->action;
	}
	return E7_ACTION_NONE;
}

void fake_kernel_set_file(FakeKernel *k, const char *path, guint64 ino)
{
	E7ExeId *id = g_new0(E7ExeId, 1);

	id->dev = 0x801;
	id->ino = ino;
	id->ctime_ns = 1000000000ull * ino;
	g_hash_table_insert(k->files, g_strdup(path), id);
}
