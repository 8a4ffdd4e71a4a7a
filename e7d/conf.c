// SPDX-License-Identifier: GPL-2.0-or-later
#include "conf.h"

#include <glib/gi18n.h>

#include "e7-error.h"

void e7_config_init_defaults(E7Config *config, E7Profile profile)
{
	gboolean strict = profile == E7_PROFILE_STRICT;

	config->profile = profile;
	config->prompt_timeout = 30;
	config->default_answer = E7_ACTION_BLOCK;
	config->no_agent = strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW;
	config->agent_gone = E7_ACTION_BLOCK;
	config->no_daemon = strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW;
	config->timeout = E7_ACTION_BLOCK;
	config->overflow = E7_ACTION_BLOCK;
	config->unidentified = strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW;
	config->unparsed = strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW;
	config->event_log_size = 1000;
	config->has_mode = FALSE;
	config->mode = 0;
	config->flags = 0;
	config->flags_set = 0;
}

static gboolean bad(GError **error, const char *name, const char *group,
		    const char *key, const char *expect)
{
	g_set_error(
		error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		/* TRANSLATORS: e7d.conf's path, [group] and key (keep them), then what the value must be */
		_("%s: [%s] %s: expected %s"), name, group, key, expect);
	return FALSE;
}

static gboolean get_action(GKeyFile *kf, const char *name, const char *group,
			   const char *key, E7Action *out, GError **error)
{
	g_autofree char *s = g_key_file_get_string(kf, group, key, NULL);

	if (!s)
		return TRUE;
	g_strstrip(s);
	if (!e7_action_from_string(s, out))
		return bad(error, name, group, key, _("allow or block"));
	return TRUE;
}

static gboolean get_uint(GKeyFile *kf, const char *name, const char *group,
			 const char *key, guint min, guint max, guint *out,
			 GError **error)
{
	g_autofree char *s = g_key_file_get_string(kf, group, key, NULL);
	guint64 v;

	if (!s)
		return TRUE;
	g_strstrip(s);
	if (!g_ascii_string_to_unsigned(s, 10, min, max, &v, NULL)) {
		g_autofree char *expect =
			g_strdup_printf(_("a number from %u to %u"), min, max);

		return bad(error, name, group, key, expect);
	}
	*out = v;
	return TRUE;
}

static gboolean get_mode(GKeyFile *kf, const char *name, E7Config *c,
			 GError **error)
{
	g_autofree char *s = g_key_file_get_string(kf, "daemon", "mode", NULL);

	if (!s)
		return TRUE;
	g_strstrip(s);
	if (e7_mode_from_string(s, &c->mode)) {
		c->has_mode = TRUE;
		return TRUE;
	}
	return bad(
		error, name, "daemon", "mode",
		/* TRANSLATORS: e7d.conf's modes: keep the words, translate only "or" */
		_("ask, allow-unknown, deny-unknown, disabled or block-all"));
}

static gboolean get_flags(GKeyFile *kf, const char *name, E7Config *c,
			  GError **error)
{
	for (guint32 bit = 1; bit & E7_FLAGS_ALL; bit <<= 1) {
		const char *key = e7_flag_to_string(bit);
		g_autoptr(GError) local = NULL;
		gboolean on;

		if (!g_key_file_has_key(kf, "flags", key, NULL))
			continue;
		on = g_key_file_get_boolean(kf, "flags", key, &local);
		if (local)
			return bad(error, name, "flags", key,
				   /* TRANSLATORS: keep true and false */
				   _("true or false"));
		c->flags_set |= bit;
		c->flags &= ~bit;
		if (on)
			c->flags |= bit;
	}
	return TRUE;
}

gboolean e7_config_load_data(E7Config *config, const char *data,
			     const char *name, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_autofree char *profile = NULL;
	E7Config c;

	if (!g_key_file_load_from_data(kf, data, -1, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS, "%s: %s",
			    name, local->message);
		return FALSE;
	}
	profile = g_key_file_get_string(kf, "daemon", "profile", NULL);
	if (profile) {
		E7Profile p;

		g_strstrip(profile);
		if (!e7_profile_from_string(profile, &p))
			return bad(
				error, name, "daemon", "profile",
				/* TRANSLATORS: e7d.conf's profiles: keep desktop and strict */
				_("desktop or strict"));
		e7_config_init_defaults(&c, p);
	} else {
		e7_config_init_defaults(&c, config->profile);
	}
	if (!get_uint(kf, name, "daemon", "prompt-timeout", 1,
		      E7_CONFIG_PROMPT_TIMEOUT_MAX, &c.prompt_timeout, error) ||
	    !get_uint(kf, name, "daemon", "event-log-size", 0, 1000000,
		      &c.event_log_size, error) ||
	    !get_action(kf, name, "daemon", "default-answer", &c.default_answer,
			error) ||
	    !get_action(kf, name, "policies", "no-agent", &c.no_agent, error) ||
	    !get_action(kf, name, "policies", "agent-gone", &c.agent_gone,
			error) ||
	    !get_action(kf, name, "policies", "no-daemon", &c.no_daemon,
			error) ||
	    !get_action(kf, name, "policies", "timeout", &c.timeout, error) ||
	    !get_action(kf, name, "policies", "overflow", &c.overflow, error) ||
	    !get_action(kf, name, "policies", "unidentified", &c.unidentified,
			error) ||
	    !get_action(kf, name, "policies", "unparsed", &c.unparsed, error) ||
	    !get_mode(kf, name, &c, error) || !get_flags(kf, name, &c, error))
		return FALSE;
	*config = c;
	return TRUE;
}

/* Reads @path into @kf (keeping comments); a missing file is empty. */
static gboolean read_key_file(GKeyFile *kf, const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;

	if (g_key_file_load_from_file(kf, path, G_KEY_FILE_KEEP_COMMENTS,
				      &local) ||
	    g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
		return TRUE;
	g_set_error(error, E7_ERROR, E7_ERROR_FAILED, _("cannot read %s: %s"),
		    path, local->message);
	return FALSE;
}

/* Gives @kf the keys of @over (profile aside). */
static void merge_key_files(GKeyFile *kf, GKeyFile *over)
{
	g_auto(GStrv) groups = g_key_file_get_groups(over, NULL);

	for (guint i = 0; groups[i]; i++) {
		g_auto(GStrv)
			keys = g_key_file_get_keys(over, groups[i], NULL, NULL);

		for (guint j = 0; keys && keys[j]; j++) {
			g_autofree char *v = g_key_file_get_value(
				over, groups[i], keys[j], NULL);

			if (!g_str_equal(groups[i], "daemon") ||
			    !g_str_equal(keys[j], "profile"))
				g_key_file_set_value(kf, groups[i], keys[j], v);
		}
	}
}

gboolean e7_config_load_with_settings(E7Config *config, const char *path,
				      const char *settings, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GKeyFile) sk = g_key_file_new();
	g_autofree char *sdata = NULL;
	g_autofree char *data = NULL;
	E7Config alone = *config;

	if (!read_key_file(kf, path, error) ||
	    !read_key_file(sk, settings, error))
		return FALSE;
	/* Checked alone first, so that an error names the settings file. */
	sdata = g_key_file_to_data(sk, NULL, NULL);
	if (!e7_config_load_data(&alone, sdata, settings, error))
		return FALSE;
	merge_key_files(kf, sk);
	data = g_key_file_to_data(kf, NULL, NULL);
	return e7_config_load_data(config, data, path, error);
}

gboolean e7_config_set_key(const char *path, const char *group, const char *key,
			   const char *value, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	g_autofree char *data = NULL;
	gsize len;

	if (!read_key_file(kf, path, error))
		return FALSE;
	g_key_file_set_string(kf, group, key, value);
	data = g_key_file_to_data(kf, &len, NULL);
	if (!g_file_set_contents_full(path, data, len,
				      G_FILE_SET_CONTENTS_CONSISTENT |
					      G_FILE_SET_CONTENTS_DURABLE,
				      0644, &local)) {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED,
			    _("cannot save %s: %s"), path, local->message);
		return FALSE;
	}
	return TRUE;
}

gboolean e7_config_load(E7Config *config, const char *path, GError **error)
{
	g_autoptr(GError) local = NULL;
	g_autofree char *data = NULL;

	if (!g_file_get_contents(path, &data, NULL, &local)) {
		if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED, "%s",
			    local->message);
		return FALSE;
	}
	return e7_config_load_data(config, data, path, error);
}
