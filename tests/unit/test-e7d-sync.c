// SPDX-License-Identifier: GPL-2.0-or-later
/* What e7d and the module agree on: rules adopted and pushed when the module
 * (re)appears or e7d restarts, and settings pushed again after a reload. */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e7d-fixture.h"
#include "rule-text.h"

static void test_resync(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Rule) same = e7_rule_parse("allow tcp /usr/bin/curl", NULL);
	g_autoptr(E7Rule) stranger = e7_rule_parse("block any /tmp/x", NULL);
	g_autoptr(E7Rule) temp = e7_rule_parse("allow udp /x for 100s", NULL);
	g_autoptr(GVariant) rules = NULL;
	guint64 id;

	/* The daemon restarts: the kernel has rules from its previous run. */
	f->kernel->connected = FALSE;
	f->kernel->parent.events->connected(FALSE, f->daemon);
	g_hash_table_remove_all(f->kernel->rules);
	same->id = 500;
	stranger->id = 501;
	temp->id = 502;
	f->kernel->parent.ops->add_rule(&f->kernel->parent, same, NULL);
	f->kernel->parent.ops->add_rule(&f->kernel->parent, stranger, NULL);
	f->kernel->parent.ops->add_rule(&f->kernel->parent, temp, NULL);
	f->kernel->connected = TRUE;
	f->kernel->parent.events->connected(TRUE, f->daemon);
	wait_synced(f);

	id = 500;
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id));
	id = 501;
	g_assert_null(g_hash_table_lookup(f->kernel->rules, &id));
	id = 502;
	g_assert_nonnull(g_hash_table_lookup(f->kernel->rules, &id));
	/* curl (adopted as 500), block udp /y (pushed), the temporary rule. */
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 3);
	rules = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(rules), ==, 3);
	{
		g_autoptr(GVariant) r0 = g_variant_get_child_value(rules, 0);

		g_assert_true(g_variant_lookup(r0, "id", "t", &id));
		g_assert_cmpuint(id, ==, 500);
	}
	/* New ids do not collide with adopted ones. */
	id = add_rule(f, "allow tcp /new");
	g_assert_cmpuint(id, >, 502);
}

/* A restarted e7d numbers its rules anew: they collide with the ids the
 * kernel kept from the previous run. */
static void test_resync_restart(Fixture *f, gconstpointer data)
{
	g_autoptr(E7Rule) stranger = e7_rule_parse("block any /tmp/x", NULL);
	g_autoptr(E7Rule) curl = e7_rule_parse("allow tcp /usr/bin/curl", NULL);
	E7Rule *k;
	guint64 id;

	f->kernel->connected = FALSE;
	f->kernel->parent.events->connected(FALSE, f->daemon);
	g_hash_table_remove_all(f->kernel->rules);
	stranger->id = 1;
	curl->id = 2;
	f->kernel->parent.ops->add_rule(&f->kernel->parent, stranger, NULL);
	f->kernel->parent.ops->add_rule(&f->kernel->parent, curl, NULL);
	f->kernel->connected = TRUE;
	f->kernel->parent.events->connected(TRUE, f->daemon);
	wait_synced(f);

	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
	id = 2;
	k = g_hash_table_lookup(f->kernel->rules, &id);
	g_assert_nonnull(k);
	g_assert_cmpstr(k->program, ==, "/usr/bin/curl");
	id = 1;
	g_assert_null(g_hash_table_lookup(f->kernel->rules, &id));
	id = 3;
	k = g_hash_table_lookup(f->kernel->rules, &id);
	g_assert_nonnull(k);
	g_assert_cmpstr(k->program, ==, "/y");
}

static guint32 get_flag_u(Fixture *f, const char *name)
{
	g_autoptr(GVariant)
		ret = call_ok(f, "GetFlag", g_variant_new("(s)", name));
	g_autoptr(GVariant) v = NULL;

	g_variant_get(ret, "(v)", &v);
	return g_variant_get_uint32(v);
}

static const char *get_flag_s(Fixture *f, const char *name)
{
	static char buf[32];
	g_autoptr(GVariant)
		ret = call_ok(f, "GetFlag", g_variant_new("(s)", name));
	g_autoptr(GVariant) v = NULL;

	g_variant_get(ret, "(v)", &v);
	g_strlcpy(buf, g_variant_get_string(v, NULL), sizeof(buf));
	return buf;
}

/* SetMode and SetFlag are kept in the settings file, never in e7d.conf,
 * and pushed again by the next start or reload. */
static void test_settings_persist(Fixture *f, gconstpointer data)
{
	g_autofree char *conf = NULL;
	g_autofree char *conf_before = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error = NULL;

	g_variant_unref(
		call_ok(f, "SetMode", g_variant_new("(s)", "deny-unknown")));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "log-allowed",
					      g_variant_new_boolean(TRUE))));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "incoming",
					      g_variant_new_boolean(FALSE))));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "policy-no-agent",
					      g_variant_new_string("block"))));
	g_variant_unref(call_ok(f, "SetFlag",
				g_variant_new("(sv)", "prompt-timeout",
					      g_variant_new_uint32(42))));
	g_assert_true(
		g_file_get_contents(f->conf_path, &conf_before, NULL, NULL));
	g_assert_nonnull(strstr(conf_before, "# kept comment"));
	g_assert_nonnull(strstr(conf_before, "mode=allow-unknown\n"));
	g_assert_null(strstr(conf_before, "deny-unknown"));
	g_assert_true(g_file_get_contents(f->settings_path, &conf, NULL, NULL));
	g_assert_true(g_key_file_load_from_data(kf, conf, -1, 0, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(g_key_file_get_string(kf, "daemon", "mode", NULL), ==,
			"deny-unknown");
	g_assert_cmpstr(g_key_file_get_string(kf, "flags", "log-allowed", NULL),
			==, "true");
	g_assert_cmpstr(g_key_file_get_string(kf, "flags", "incoming", NULL),
			==, "false");
	g_assert_cmpstr(g_key_file_get_string(kf, "policies", "no-agent", NULL),
			==, "block");
	g_assert_cmpstr(g_key_file_get_string(kf, "daemon", "prompt-timeout",
					      NULL),
			==, "42");
	/* The module forgets (reloaded); the daemon's next sync restores. */
	f->kernel->mode = E7_MODE_ASK;
	f->kernel->flags = E7_FLAG_INCOMING | E7_FLAG_LOG_BLOCKED;
	f->kernel->config.no_agent = E7_ACTION_ALLOW;
	g_variant_unref(call_ok(f, "Reload", NULL));
	g_assert_cmpuint(f->kernel->mode, ==, E7_MODE_DENY_UNKNOWN);
	g_assert_cmpuint(f->kernel->flags, ==,
			 E7_FLAG_LOG_ALLOWED | E7_FLAG_LOG_BLOCKED);
	g_assert_cmpuint(get_flag_u(f, "prompt-timeout"), ==, 42);
	g_assert_cmpstr(get_flag_s(f, "policy-no-agent"), ==, "block");
}

/* e7d starts on a rules file with a bad line while the module enforces
 * rules from before: e7d shows what the module enforces, and a good file
 * takes over once it loads. */
static void test_broken_file_at_start(Fixture *f, gconstpointer data)
{
	g_autoptr(GVariant) rules = list_rules(f);
	g_autoptr(GVariant) after = NULL;
	g_autofree char *text = NULL;
	guint64 id;

	g_assert_cmpuint(g_variant_n_children(rules), ==, 2);
	text = rule_text_at(rules, 0);
	g_assert_cmpstr(text, ==, "allow tcp /usr/bin/curl");
	{
		g_autoptr(GVariant) r0 = g_variant_get_child_value(rules, 0);

		g_assert_true(g_variant_lookup(r0, "id", "t", &id));
		g_assert_cmpuint(id, ==, 500);
	}
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 2);
	g_assert_cmpuint(get_flag_u(f, "prompt-timeout"), ==, 30);
	/* Nothing is written over the broken file. */
	expect_error(f, "AddRule",
		     g_variant_new_parsed("({'text': <'allow tcp /z'>},)"),
		     E7_ERROR_FAILED, "has errors");
	write_file(f->rules_path, "allow tcp /usr/bin/curl\n");
	g_variant_unref(call_ok(f, "Reload", NULL));
	after = list_rules(f);
	g_assert_cmpuint(g_variant_n_children(after), ==, 1);
	g_assert_cmpuint(g_hash_table_size(f->kernel->rules), ==, 1);
}

static const Setup broken_at_start = {
	.rules = "allow tcp /usr/bin/curl\nallow tcp bad/path\n",
	.kernel_rules = "allow tcp /usr/bin/curl\nblock udp /usr/bin/dig\n",
	.broken_file = TRUE,
};
static const Setup resync = {
	.rules = "allow tcp /usr/bin/curl\nblock udp /y\n"
};
/* The administrator's e7d.conf says allow-unknown; SetMode's deny-unknown
 * (in the settings) wins. */
static const Setup with_conf = {
	.conf = "# kept comment\n[daemon]\nmode=allow-unknown\n"
};

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	E7D_TEST_ADD("resync", resync, test_resync);
	E7D_TEST_ADD("resync-restart", resync, test_resync_restart);
	E7D_TEST_ADD("settings-persist", with_conf, test_settings_persist);
	E7D_TEST_ADD("broken-file-at-start", broken_at_start,
		     test_broken_file_at_start);
	return g_test_run();
}
