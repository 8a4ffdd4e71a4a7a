// SPDX-License-Identifier: GPL-2.0-or-later
#include "dbus-settings.h"

#include <string.h>

#include <glib/gi18n.h>

#include "audit.h"
#include "e7-error.h"

/* Flags: the module's E7_FLAGS bits, the policies and the prompt timeout. */
typedef enum {
	FLAG_KERNEL_BIT,
	FLAG_POLICY,
	FLAG_PROMPT_TIMEOUT,
	FLAG_PROFILE,
} FlagKind;

typedef struct {
	const char *name;
	FlagKind kind;
	guint32 bit;
	gsize offset; /* of the E7Action in E7Config, for FLAG_POLICY */
} FlagInfo;

#define POLICY(name, field)                                            \
	{                                                              \
		name, FLAG_POLICY, 0, G_STRUCT_OFFSET(E7Config, field) \
	}

static const FlagInfo flag_table[] = {
#define E7_X_FLAG(n, b, s, d) { s, FLAG_KERNEL_BIT, 1u << (b), 0 },
	E7_FLAGS(E7_X_FLAG)
#undef E7_X_FLAG
		POLICY("policy-no-daemon", no_daemon),
	POLICY("policy-timeout", timeout),
	POLICY("policy-overflow", overflow),
	POLICY("policy-unidentified", unidentified),
	POLICY("policy-unparsed", unparsed),
	POLICY("policy-no-agent", no_agent),
	POLICY("policy-agent-gone", agent_gone),
	POLICY("default-answer", default_answer),
	{ "prompt-timeout", FLAG_PROMPT_TIMEOUT, 0, 0 },
	{ "profile", FLAG_PROFILE, 0, 0 },
};

static const FlagInfo *find_flag(const char *name, GError **error)
{
	g_autoptr(GString) names = g_string_new(NULL);

	for (guint i = 0; i < G_N_ELEMENTS(flag_table); i++) {
		if (g_str_equal(flag_table[i].name, name))
			return &flag_table[i];
		g_string_append_printf(names, "%s%s", i ? ", " : "",
				       flag_table[i].name);
	}
	g_set_error(
		error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		/* TRANSLATORS: the flag given, then the list of flag names */
		_("unknown flag '%s': expected one of %s"), name, names->str);
	return NULL;
}

/* The flag named by the call's first argument (checked by "decide"). */
static const FlagInfo *call_flag(E7Call *call)
{
	const char *name;

	g_variant_get_child(call->params, 0, "&s", &name);
	return find_flag(name, NULL);
}

static void run_get_mode(E7Call *call)
{
	e7_call_return(call,
		       g_variant_new("(s)", e7_firewall_state_get_mode_name(
						    call->parts->state)));
}

static const char *decide_set_mode(E7Call *call, GError **error)
{
	const char *name;
	E7Mode mode;

	g_variant_get(call->params, "(&s)", &name);
	if (!e7_mode_from_string(name, &mode)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: the modes are keywords: keep them, translate only "or" */
			_("unknown mode '%s': expected ask, allow-unknown, deny-unknown, "
			  "disabled or block-all"),
			name);
		return NULL;
	}
	return E7_ACTION_CONFIGURE;
}

static gpointer job_set_mode(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->set_mode(k, GPOINTER_TO_UINT(data), error) ?
		       E7_KERNEL_JOB_OK :
		       NULL;
}

static void on_mode_set(GObject *source, GAsyncResult *res, gpointer user_data)
{
	E7Call *call = user_data;
	const E7ServiceParts *parts = call->parts;
	g_autoptr(GError) error = NULL;
	E7Mode mode = GPOINTER_TO_UINT(e7_kernel_job_get_data(res));

	if (!e7_kernel_job_finish(res, &error)) {
		e7_call_error(call, error);
		return;
	}
	e7_audit_setting("mode", e7_mode_to_string(mode), &call->caller);
	e7_firewall_state_set_mode(parts->state, mode);
	parts->config->has_mode = TRUE;
	parts->config->mode = mode;
	if (!e7_config_set_key(parts->settings_path, "daemon", "mode",
			       e7_mode_to_string(mode), &error)) {
		e7_call_error(call, error);
		return;
	}
	e7_call_return(call, NULL);
}

static void run_set_mode(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	const char *name;
	E7Mode mode;

	g_variant_get(call->params, "(&s)", &name);
	e7_mode_from_string(name, &mode);
	if (!e7_kernel_check(call->parts->kernel, &error)) {
		e7_call_error(call, error);
		return;
	}
	e7_kernel_job(call->parts->kernel, job_set_mode, GUINT_TO_POINTER(mode),
		      NULL, NULL, call->parts->cancel, on_mode_set, call);
}

static const char *decide_get_flag(E7Call *call, GError **error)
{
	const char *name;

	g_variant_get(call->params, "(&s)", &name);
	return find_flag(name, error) ? E7_ACTION_INFO : NULL;
}

static gpointer job_get_flags(E7Kernel *k, gpointer data, GError **error)
{
	guint32 flags;

	if (!k->ops->get_flags(k, &flags, error))
		return NULL;
	return g_memdup2(&flags, sizeof(flags));
}

static void on_flags_read(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	E7Call *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree guint32 *flags = e7_kernel_job_finish(res, &error);

	if (!flags) {
		e7_call_error(call, error);
		return;
	}
	e7_call_return(
		call,
		g_variant_new("(v)",
			      g_variant_new_boolean(
				      (*flags & call_flag(call)->bit) != 0)));
}

/* A setting e7d keeps itself (not a module flag). */
static GVariant *daemon_setting(const E7Config *config, const FlagInfo *flag)
{
	switch (flag->kind) {
	case FLAG_POLICY:
		return g_variant_new_string(e7_action_to_string(
			G_STRUCT_MEMBER(E7Action, config, flag->offset)));
	case FLAG_PROMPT_TIMEOUT:
		return g_variant_new_uint32(config->prompt_timeout);
	case FLAG_PROFILE:
		return g_variant_new_string(
			e7_profile_to_string(config->profile));
	case FLAG_KERNEL_BIT:
		break;
	}
	g_return_val_if_reached(NULL);
}

static void run_get_flag(E7Call *call)
{
	const E7ServiceParts *parts = call->parts;
	g_autoptr(GError) error = NULL;
	const FlagInfo *flag = call_flag(call);

	if (flag->kind != FLAG_KERNEL_BIT) {
		e7_call_return(call, g_variant_new("(v)",
						   daemon_setting(parts->config,
								  flag)));
		return;
	}
	if (!e7_kernel_check(parts->kernel, &error)) {
		e7_call_error(call, error);
		return;
	}
	e7_kernel_job(parts->kernel, job_get_flags, NULL, NULL, g_free,
		      parts->cancel, on_flags_read, call);
}

static gboolean check_flag_value(const FlagInfo *flag, GVariant *value,
				 GError **error)
{
	E7Action action;
	guint32 u;

	switch (flag->kind) {
	case FLAG_KERNEL_BIT:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("flag '%s' takes a boolean"), flag->name);
		return FALSE;
	case FLAG_POLICY:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING) &&
		    e7_action_from_string(g_variant_get_string(value, NULL),
					  &action))
			return TRUE;
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: keep "allow" and "block" */
			_("flag '%s' takes the string \"allow\" or \"block\""),
			flag->name);
		return FALSE;
	case FLAG_PROMPT_TIMEOUT:
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32) &&
		    (u = g_variant_get_uint32(value)) >= 1 &&
		    u <= E7_CONFIG_PROMPT_TIMEOUT_MAX)
			return TRUE;
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: keep prompt-timeout and uint32 (a D-Bus type) */
			_("flag 'prompt-timeout' takes a uint32 from 1 to %d"),
			E7_CONFIG_PROMPT_TIMEOUT_MAX);
		return FALSE;
	case FLAG_PROFILE:
		break;
	}
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    /* TRANSLATORS: keep e7d.conf */
		    _("flag '%s' is read-only (set it in e7d.conf)"),
		    flag->name);
	return FALSE;
}

static const char *decide_set_flag(E7Call *call, GError **error)
{
	g_autoptr(GVariant) value = NULL;
	const FlagInfo *flag;
	const char *name;

	g_variant_get(call->params, "(&sv)", &name, &value);
	flag = find_flag(name, error);
	if (!flag || !check_flag_value(flag, value, error))
		return NULL;
	return E7_ACTION_CONFIGURE;
}

/* Where the settings keep a flag (e7d.conf's group and key), and its value
 * as text. */
static char *flag_key(const FlagInfo *flag, GVariant *value, const char **group,
		      const char **key)
{
	*group = "daemon";
	*key = flag->name;
	if (flag->kind == FLAG_KERNEL_BIT) {
		*group = "flags";
		return g_strdup(g_variant_get_boolean(value) ? "true" :
							       "false");
	}
	if (flag->kind != FLAG_POLICY)
		return g_strdup_printf("%u", g_variant_get_uint32(value));
	if (g_str_has_prefix(*key, "policy-")) {
		*group = "policies";
		*key += strlen("policy-");
	}
	return g_variant_dup_string(value, NULL);
}

/* Persists a changed flag in the settings, then answers. */
static void flag_changed(E7Call *call)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autofree char *text = NULL;
	const char *name, *group, *key;

	g_variant_get(call->params, "(&sv)", &name, &value);
	text = flag_key(find_flag(name, NULL), value, &group, &key);
	if (!e7_config_set_key(call->parts->settings_path, group, key, text,
			       &error)) {
		e7_call_error(call, error);
		return;
	}
	e7_audit_setting(name, text, &call->caller);
	e7_call_return(call, NULL);
}

typedef struct {
	guint32 bit;
	gboolean on;
} FlagChange;

/* Read, modify, write: no other job runs in between. */
static gpointer job_change_flag(E7Kernel *k, gpointer data, GError **error)
{
	FlagChange *c = data;
	guint32 flags;

	if (!k->ops->get_flags(k, &flags, error) ||
	    !k->ops->set_flags(k, c->on ? flags | c->bit : flags & ~c->bit,
			       error))
		return NULL;
	return g_memdup2(&flags, sizeof(flags));
}

static void on_flag_changed(GObject *source, GAsyncResult *res,
			    gpointer user_data)
{
	E7Call *call = user_data;
	FlagChange *change = e7_kernel_job_get_data(res);
	g_autoptr(GError) error = NULL;
	g_autofree guint32 *old = e7_kernel_job_finish(res, &error);
	E7Config *config = call->parts->config;

	if (!old) {
		e7_call_error(call, error);
		return;
	}
	config->flags_set |= change->bit;
	if (change->on)
		config->flags |= change->bit;
	else
		config->flags &= ~change->bit;
	flag_changed(call);
}

static void set_kernel_flag(E7Call *call, const FlagInfo *flag, GVariant *value)
{
	g_autoptr(GError) error = NULL;
	FlagChange *change;

	if (!e7_kernel_check(call->parts->kernel, &error)) {
		e7_call_error(call, error);
		return;
	}
	change = g_new0(FlagChange, 1);
	change->bit = flag->bit;
	change->on = g_variant_get_boolean(value);
	e7_kernel_job(call->parts->kernel, job_change_flag, change, g_free,
		      g_free, call->parts->cancel, on_flag_changed, call);
}

static gpointer job_set_config(E7Kernel *k, gpointer data, GError **error)
{
	return k->ops->set_config(k, data, error) ? E7_KERNEL_JOB_OK : NULL;
}

static void on_config_pushed(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	E7Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_kernel_job_finish(res, &error)) {
		/* Back to the settings the kernel still has. */
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			*call->parts->config = call->config;
		e7_call_error(call, error);
		return;
	}
	flag_changed(call);
}

static void run_set_flag(E7Call *call)
{
	const E7ServiceParts *parts = call->parts;
	g_autoptr(GVariant) value = NULL;
	const FlagInfo *flag = call_flag(call);

	g_variant_get_child(call->params, 1, "v", &value);
	if (flag->kind == FLAG_KERNEL_BIT) {
		set_kernel_flag(call, flag, value);
		return;
	}
	/* The settings change at once, so that a second SetFlag builds on
	 * this one; a refusal by the kernel puts them back. */
	call->config = *parts->config;
	if (flag->kind == FLAG_POLICY)
		e7_action_from_string(g_variant_get_string(value, NULL),
				      &G_STRUCT_MEMBER(E7Action, parts->config,
						       flag->offset));
	else
		parts->config->prompt_timeout = g_variant_get_uint32(value);
	if (!e7_kernel_check(parts->kernel, NULL)) {
		flag_changed(call);
		return;
	}
	e7_kernel_job(parts->kernel, job_set_config,
		      g_memdup2(parts->config, sizeof(*parts->config)), g_free,
		      NULL, parts->cancel, on_config_pushed, call);
}

static void on_reload_synced(GObject *source, GAsyncResult *res,
			     gpointer user_data)
{
	E7Call *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!e7_kernel_sync_wait_finish(res, &error))
		e7_call_error(call, error);
	else
		e7_call_return(call, NULL);
}

static void run_reload(E7Call *call)
{
	g_autoptr(GError) error = NULL;

	if (!call->parts->reload(call->parts->reload_data, &error)) {
		e7_call_error(call, error);
		return;
	}
	/* The answer comes when the kernel has the new rules. */
	e7_kernel_sync_wait(call->parts->sync, on_reload_synced, call);
}

static const E7Method methods[] = {
	{ "GetMode", e7_decide_info, run_get_mode },
	{ "SetMode", decide_set_mode, run_set_mode },
	{ "GetFlag", decide_get_flag, run_get_flag },
	{ "SetFlag", decide_set_flag, run_set_flag },
	{ "Reload", e7_decide_system, run_reload },
};

const E7Method *e7_dbus_settings_methods(guint *n)
{
	*n = G_N_ELEMENTS(methods);
	return methods;
}
