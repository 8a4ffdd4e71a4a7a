// SPDX-License-Identifier: GPL-2.0-or-later
/* e7d.conf parsing. */
#include <glib.h>

#include "conf.h"
#include "e7-error.h"

static void test_defaults(void)
{
	E7Config c;
	g_autoptr(GError) error = NULL;

	e7_config_init_defaults(&c, E7_PROFILE_DESKTOP);
	g_assert_cmpint(c.no_agent, ==, E7_ACTION_ALLOW);
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/e7d/conf/defaults", test_defaults);
	g_test_add_func("/e7d/conf/strict-profile", test_strict_profile);
	g_test_add_func("/e7d/conf/errors", test_errors);
	return g_test_run();
}
