// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for e7_nl_event_decode: the input is a whole message
 * of the events group (nlmsghdr, genlmsghdr, attributes); nlmsg_len is set
 * to the input size, as after a receive.
 */
#include "fuzz-nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	E7NlEvent ev;

	if (size < NLMSG_HDRLEN || size > 0x10000)
		return 0;
	nlh = malloc(size);
	memcpy(nlh, data, size);
	nlh->nlmsg_len = size;
	if (e7_nl_event_decode(nlh, &ev) && ev.flow) {
		fuzz_check_utf8(ev.flow->program);
		fuzz_check_utf8(ev.flow->cmdline);
	}
	e7_nl_event_clear(&ev);
	free(nlh);
	return 0;
}
