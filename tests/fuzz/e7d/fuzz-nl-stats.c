// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for e7_nl_stats_decode (E7_A_STATS from the module). */
#include "fuzz-nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlattr *nest = fuzz_nest(E7_A_STATS, data, size);
	GVariantBuilder b;
	g_autoptr(GVariant) v = NULL;

	if (!nest)
		return 0;
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	e7_nl_stats_decode(nest, &b);
	v = g_variant_ref_sink(g_variant_builder_end(&b));
	free(nest);
	return 0;
}
