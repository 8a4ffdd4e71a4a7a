// SPDX-License-Identifier: GPL-2.0-or-later
#include "nl-encode.h"

void e7_nl_rule_encode(struct nl_msg *msg, const E7Rule *rule)
{
	struct nlattr *nest = nla_nest_start(msg, E7_A_RULE);

	nla_put_u64(msg, E7_RULE_A_ID, rule->id);
	nla_put_u8(msg, E7_RULE_A_ACTION, rule->action);
	if (rule->program)
		nla_put_string(msg, E7_RULE_A_PATH, rule->program);
	nla_put_u8(msg, E7_RULE_A_PROTO, rule->protocol);
	nla_put_u8(msg, E7_RULE_A_DIR, rule->direction);
	if (rule->remote) {
		GInetAddress *addr =
			g_inet_address_mask_get_address(rule->remote);
		gboolean v6 = g_inet_address_get_family(addr) ==
			      G_SOCKET_FAMILY_IPV6;

		nla_put(msg, v6 ? E7_RULE_A_ADDR6 : E7_RULE_A_ADDR4,
			v6 ? 16 : 4, g_inet_address_to_bytes(addr));
		nla_put_u8(msg, E7_RULE_A_PREFIX_LEN,
			   g_inet_address_mask_get_length(rule->remote));
	}
	if (rule->port_min) {
		nla_put_u16(msg, E7_RULE_A_PORT_MIN, rule->port_min);
		nla_put_u16(msg, E7_RULE_A_PORT_MAX, rule->port_max);
	}
	if (rule->has_uid)
		nla_put_u32(msg, E7_RULE_A_UID, rule->uid);
	if (rule->has_exe) {
		nla_put_u32(msg, E7_RULE_A_EXE_DEV, rule->exe.dev);
		nla_put_u64(msg, E7_RULE_A_EXE_INO, rule->exe.ino);
		nla_put_u64(msg, E7_RULE_A_EXE_CTIME, rule->exe.ctime_ns);
	} else if (rule->exe_bind) {
		nla_put_flag(msg, E7_RULE_A_EXE_BIND);
	}
	nla_put_u8(msg, E7_RULE_A_LIFETIME, rule->lifetime);
	if (rule->lifetime == E7_LIFETIME_SECONDS) {
		gint64 left = rule->expires ?
				      rule->expires - g_get_real_time() /
							      G_USEC_PER_SEC :
				      rule->duration;

		nla_put_u32(msg, E7_RULE_A_EXPIRE,
			    CLAMP(left, 1, E7_EXPIRE_MAX));
	}
	nla_nest_end(msg, nest);
}
