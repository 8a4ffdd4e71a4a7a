// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target for e7_nl_flow_decode (E7_A_FLOW from the module). */
#include "fuzz-nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlattr *nest = fuzz_nest(E7_A_FLOW, data, size);
	g_autoptr(E7Flow) flow = NULL;

	if (!nest)
		return 0;
	flow = e7_nl_flow_decode(nest);
	if (flow) {
		fuzz_check_utf8(flow->program);
		fuzz_check_utf8(flow->cmdline);
		fuzz_check_utf8(flow->remote_address);
	}
	free(nest);
	return 0;
}
