// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include "cmd-rules.h"

#include <glib/gi18n.h>

#include "e7-error.h"
#include "output.h"

/* allow|block RULE... */
int e7ctl_cmd_add(Ctl *ctl, const char *action, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *rest = e7ctl_join_args(argv, argc);
	g_autofree char *text = g_strdup_printf("%s %s", action, rest);
	GVariantBuilder b;
	guint64 id;

	if (argc == 0)
		return e7ctl_usage_error(
			"'%s' needs a program: %s [PROTOCOL] PROGRAM [CLAUSES]",
			action, action);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "text", g_variant_new_string(text));
	if (!e7_firewall1_call_add_rule_sync(
		    ctl->proxy, g_variant_builder_end(&b), &id, NULL, &error))
		return e7ctl_error_exit(error);
	if (ctl->json)
		e7ctl_print_json(g_variant_new_parsed("{'id': <%t>}", id));
	else
		g_print("%" G_GUINT64_FORMAT "\n", id);
	return EXIT_OK;
}

/* Builds a filter from "[allow|block] [PROTOCOL] [PROGRAM]". */
static gboolean build_filter(int argc, char **argv, GVariantBuilder *b,
			     GError **error)
{
	static const char *const protocols[] = { "tcp",	   "udp",  "icmp",
						 "icmpv6", "sctp", "udplite" };
	int i = 0;

	g_variant_builder_init(b, G_VARIANT_TYPE_VARDICT);
	if (i < argc &&
	    (g_str_equal(argv[i], "allow") || g_str_equal(argv[i], "block")))
		g_variant_builder_add(b, "{sv}", "action",
				      g_variant_new_string(argv[i++]));
	if (i < argc && (g_strv_contains(protocols, argv[i]) ||
			 (g_str_equal(argv[i], "any") && i + 1 < argc)))
		g_variant_builder_add(b, "{sv}", "protocol",
				      g_variant_new_string(argv[i++]));
	if (i < argc)
		g_variant_builder_add(b, "{sv}", "program",
				      g_variant_new_string(argv[i++]));
	if (i < argc) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"unexpected '%s': expected [allow|block] [PROTOCOL] [PROGRAM]",
			argv[i]);
		g_variant_builder_clear(b);
		return FALSE;
	}
	return TRUE;
}

int e7ctl_cmd_clear(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;
	guint count;

	if (argc == 1 && e7ctl_is_number(argv[0])) {
		if (!e7_firewall1_call_remove_rule_sync(
			    ctl->proxy, g_ascii_strtoull(argv[0], NULL, 10),
			    NULL, &error))
			return e7ctl_error_exit(error);
		return EXIT_OK;
	}
	if (argc == 0)
		return e7ctl_usage_error(
			"'clear' needs a rule id, a filter or 'all'");
	if (argc == 1 && g_str_equal(argv[0], "all"))
		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	else if (!build_filter(argc, argv, &b, &error))
		return e7ctl_error_exit(error);
	if (!e7_firewall1_call_clear_rules_sync(ctl->proxy,
						g_variant_builder_end(&b),
						&count, NULL, &error))
		return e7ctl_error_exit(error);
	if (ctl->json)
		e7ctl_print_json(
			g_variant_new_parsed("{'removed': <%u>}", count));
	else
		g_print(ngettext("%u rule removed\n", "%u rules removed\n",
				 count),
			count);
	return EXIT_OK;
}

int e7ctl_cmd_list(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) rules = NULL;
	GVariantBuilder b;

	if (!build_filter(argc, argv, &b, &error))
		return e7ctl_error_exit(error);
	if (!e7_firewall1_call_list_rules_sync(ctl->proxy,
					       g_variant_builder_end(&b),
					       &rules, NULL, &error))
		return e7ctl_error_exit(error);
	if (ctl->json)
		e7ctl_print_json(rules);
	else
		e7ctl_print_rules_table(rules);
	return EXIT_OK;
}
