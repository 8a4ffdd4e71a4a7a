// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for e7_nl_rule_decode (E7_A_RULE from the module). */
#include "fuzz-nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlattr *nest = fuzz_nest(E7_A_RULE, data, size);
	g_autoptr(E7Rule) rule = NULL;

	if (!nest)
		return 0;
	rule = e7_nl_rule_decode(nest);
	if (rule) {
		g_autofree char *text = e7_rule_to_string(rule);
		g_autoptr(GVariant)
			v = g_variant_ref_sink(e7_rule_to_variant(rule));

		fuzz_check_utf8(rule->program);
		fuzz_check_utf8(text);
		if (!g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT))
			abort();
	}
	free(nest);
	return 0;
}
