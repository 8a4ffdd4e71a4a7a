// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the rules-file parser: any input either fails with a
 * message, or parses to rules whose printed form parses back to equal rules.
 */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "e7-error.h"
#include "rule-text.h"
#include "rule-variant.h"
#include "rules-file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const E7RulesFile *file)
{
	g_autofree char *text = e7_rules_file_to_string(file);
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile)
		again = e7_rules_file_parse(text, -1, "again", &error);

	if (!again || again->lines->len != file->lines->len)
		abort();
	for (guint i = 0; i < file->lines->len; i++) {
		E7RulesLine *a = file->lines->pdata[i],
			    *b = again->lines->pdata[i];
		g_autofree char *printed = NULL;
		g_autoptr(E7Rule) reparsed = NULL;
		g_autoptr(GVariant) v = NULL;
		g_autoptr(E7Rule) from_v = NULL;

		if (!a->rule != !b->rule)
			abort();
		if (!a->rule)
			continue;
		if (!e7_rule_equal(a->rule, b->rule))
			abort();
		printed = e7_rule_to_string(a->rule);
		reparsed = e7_rule_parse(printed, NULL);
		if (!reparsed || !e7_rule_equal(a->rule, reparsed))
			abort();
		/* The a{sv} form carries the same rule (without the comment). */
		v = g_variant_ref_sink(e7_rule_to_variant(a->rule));
		from_v = e7_rule_new_from_variant(v, NULL);
		if (!from_v || !e7_rule_equal(a->rule, from_v))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(E7RulesFile) file =
		e7_rules_file_parse((const char *)data, size, "fuzz", &error);

	if (!file) {
		if (!error || error->domain != E7_ERROR ||
		    !g_str_has_prefix(error->message, "fuzz:"))
			abort();
		return 0;
	}
	check_round_trip(file);
	return 0;
}
