// SPDX-License-Identifier: GPL-2.0-or-later
/* e7d.conf parsing. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "conf.h"
#include "e7-error.h"

static void test_defaults(void)
{
	E7Config c;
	g_autoptr(GError) error = NULL;

	e7_config_init_defaults(&c, E7_PROFILE_DESKTOP);
	g_assert_cmpint(c.no_agent, ==, E7_ACTION_ALLOW);
	g_assert_cmpint(c.unparsed, ==, E7_ACTION_ALLOW);
	g_assert_cmpuint(c.prompt_timeout, ==, 30);
	g_assert_true(e7_config_load(&c, "/nonexistent/e7d.conf", &error));
	g_assert_no_error(error);
	g_assert_cmpint(c.profile, ==, E7_PROFILE_DESKTOP);
}

static void test_strict_profile(void)
{
	E7Config c;
	g_autoptr(GError) error = NULL;

	e7_config_init_defaults(&c, E7_PROFILE_DESKTOP);
	g_assert_true(e7_config_load_data(
		&c,
		"# comment\n[daemon]\nprofile = strict\nprompt-timeout=5\n"
		"[policies]\nagent-gone=allow\n",
		"e7d.conf", &error));
	g_assert_no_error(error);
	g_assert_cmpint(c.profile, ==, E7_PROFILE_STRICT);
	g_assert_cmpint(c.no_agent, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(c.no_daemon, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(c.agent_gone, ==, E7_ACTION_ALLOW);
	g_assert_cmpint(c.unidentified, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(c.unparsed, ==, E7_ACTION_BLOCK);
	g_assert_cmpint(c.timeout, ==, E7_ACTION_BLOCK);
	g_assert_cmpuint(c.prompt_timeout, ==, 5);
	g_assert_cmpstr(e7_profile_to_string(c.profile), ==, "strict");
}

static void test_errors(void)
{
	static const struct {
		const char *data, *message;
	} cases[] = {
		{ "[daemon]\nprofile=paranoid\n",
		  "e7d.conf: [daemon] profile: expected desktop or strict" },
		{ "[daemon]\nprompt-timeout=0\n",
		  "e7d.conf: [daemon] prompt-timeout: expected a number from 1 to 595" },
		{ "[daemon]\nprompt-timeout=ten\n",
		  "e7d.conf: [daemon] prompt-timeout: expected a number from 1 to 595" },
		{ "[policies]\nno-agent=ask\n",
		  "e7d.conf: [policies] no-agent: expected allow or block" },
		{ "[policies]\nunparsed=drop\n",
		  "e7d.conf: [policies] unparsed: expected allow or block" },
		{ "[daemon]\nmode=paranoid\n",
		  "e7d.conf: [daemon] mode: expected ask, allow-unknown, "
		  "deny-unknown, disabled or block-all" },
		{ "[flags]\nincoming=maybe\n",
		  "e7d.conf: [flags] incoming: expected true or false" },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		E7Config c;
		g_autoptr(GError) error = NULL;

		e7_config_init_defaults(&c, E7_PROFILE_DESKTOP);
		g_assert_false(e7_config_load_data(&c, cases[i].data,
						   "e7d.conf", &error));
		g_assert_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS);
		g_assert_cmpstr(error->message, ==, cases[i].message);
		/* The configuration in force is unchanged. */
		g_assert_cmpuint(c.prompt_timeout, ==, 30);
	}
	{
		E7Config c;
		g_autoptr(GError) error = NULL;

		g_assert_false(e7_config_load_data(&c, "no group\n", "x.conf",
						   &error));
		g_assert_true(g_str_has_prefix(error->message, "x.conf: "));
	}
}

/* Mode and flags: read back, and written one key at a time. */
static void test_mode_flags(void)
{
	g_autofree char *dir = g_dir_make_tmp("e7d-conf-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "e7d.conf", NULL);
	g_autofree char *data = NULL;
	g_autoptr(GError) error = NULL;
	E7Config c;

	e7_config_init_defaults(&c, E7_PROFILE_DESKTOP);
	g_assert_true(e7_config_load(&c, path, &error));
	g_assert_false(c.has_mode);
	g_assert_cmpuint(c.flags_set, ==, 0);
	g_assert_true(g_file_set_contents(
		path, "# top\n[daemon]\n# keep me\nprompt-timeout=7\n", -1,
		NULL));
	g_assert_true(
		e7_config_set_key(path, "daemon", "mode", "block-all", &error));
	g_assert_true(e7_config_set_key(path, "flags", "log-allowed", "true",
					&error));
	g_assert_true(
		e7_config_set_key(path, "flags", "incoming", "false", &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
	g_assert_nonnull(strstr(data, "# top"));
	g_assert_nonnull(strstr(data, "# keep me"));
	g_assert_true(e7_config_load(&c, path, &error));
	g_assert_no_error(error);
	g_assert_true(c.has_mode);
	g_assert_cmpuint(c.mode, ==, E7_MODE_BLOCK_ALL);
	g_assert_cmpuint(c.prompt_timeout, ==, 7);
	g_assert_cmpuint(c.flags_set, ==,
			 E7_FLAG_LOG_ALLOWED | E7_FLAG_INCOMING);
	g_assert_cmpuint(c.flags, ==, E7_FLAG_LOG_ALLOWED);
	/* A directory that cannot be written: a clear error. */
	g_assert_false(e7_config_set_key("/nonexistent/dir/e7d.conf", "daemon",
					 "mode", "ask", &error));
	g_assert_error(error, E7_ERROR, E7_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "/nonexistent/dir/e7d.conf"));
	g_unlink(path);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/e7d/conf/defaults", test_defaults);
	g_test_add_func("/e7d/conf/strict-profile", test_strict_profile);
	g_test_add_func("/e7d/conf/errors", test_errors);
	g_test_add_func("/e7d/conf/mode-flags", test_mode_flags);
	return g_test_run();
}
