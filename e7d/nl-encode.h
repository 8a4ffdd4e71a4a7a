/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A rule as the module takes it: an E7_A_RULE nest (nl-decode.c reads the
 * module's messages back). */
#pragma once

#include <netlink/genl/genl.h>

#include "rule.h"

G_BEGIN_DECLS

void e7_nl_rule_encode(struct nl_msg *msg, const E7Rule *rule);

G_END_DECLS
