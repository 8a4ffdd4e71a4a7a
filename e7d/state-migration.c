// SPDX-License-Identifier: GPL-2.0-or-later
#include "state-migration.h"

#include <glib/gi18n.h>

void e7_state_migrate_rules(const char *legacy, const char *rules)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *data = NULL;
	gsize len;

	if (!legacy || !g_file_test(legacy, G_FILE_TEST_EXISTS))
		return;
	if (g_file_test(rules, G_FILE_TEST_EXISTS)) {
		g_message(/* TRANSLATORS: the old rules file, then e7d's rules file; keep rules.d */
			  _("%s is not read any more: e7d's rules are in %s, "
			    "the administrator's in rules.d"),
			  legacy, rules);
		return;
	}
	if (!g_file_get_contents(legacy, &data, &len, &error)) {
		g_warning(_("cannot move the rules of %s: %s"), legacy,
			  error->message);
		return;
	}
	if (!g_file_set_contents_full(rules, data, len,
				      G_FILE_SET_CONTENTS_CONSISTENT |
					      G_FILE_SET_CONTENTS_DURABLE,
				      0644, &error)) {
		g_warning(_("cannot move the rules of %s: %s"), legacy,
			  error->message);
		return;
	}
	g_message(_("moved the rules of %s to %s; %s is not read any more"),
		  legacy, rules, legacy);
}
