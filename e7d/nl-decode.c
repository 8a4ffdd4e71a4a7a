// SPDX-License-Identifier: GPL-2.0-or-later
#include "nl-decode.h"

#include <string.h>

#include <netlink/genl/genl.h>

struct nla_policy e7_nl_policy[E7_A_MAX + 1] = {
	[E7_A_VERSION] = { .type = NLA_U32 },
	[E7_A_MODE] = { .type = NLA_U8 },
	[E7_A_PROFILE] = { .type = NLA_U8 },
	[E7_A_FLAGS] = { .type = NLA_U32 },
	[E7_A_POLICY_NODAEMON] = { .type = NLA_U8 },
	[E7_A_POLICY_TIMEOUT] = { .type = NLA_U8 },
	[E7_A_POLICY_OVERFLOW] = { .type = NLA_U8 },
	[E7_A_POLICY_UNIDENTIFIED] = { .type = NLA_U8 },
	[E7_A_HOLD_TIMEOUT_MS] = { .type = NLA_U32 },
	[E7_A_RULES_MAX] = { .type = NLA_U32 },
	[E7_A_HOLD_FLOWS_MAX] = { .type = NLA_U32 },
	[E7_A_HOLD_PKTS_PER_FLOW] = { .type = NLA_U32 },
	[E7_A_HOLD_PKTS_MAX] = { .type = NLA_U32 },
	[E7_A_GENERATION] = { .type = NLA_U64 },
	[E7_A_DAEMON] = { .type = NLA_U8 },
	[E7_A_RULE] = { .type = NLA_NESTED },
	[E7_A_RULE_ID] = { .type = NLA_U64 },
	[E7_A_FLOW] = { .type = NLA_NESTED },
	[E7_A_FLOW_ID] = { .type = NLA_U64 },
	[E7_A_ACTION] = { .type = NLA_U8 },
	[E7_A_REASON] = { .type = NLA_U8 },
	[E7_A_STATS] = { .type = NLA_NESTED },
	[E7_A_ENTRY] = { .type = NLA_NESTED },
	[E7_A_EVENTS_LOST] = { .type = NLA_U64 },
	[E7_A_POLICY_UNPARSED] = { .type = NLA_U8 },
};

static struct nla_policy rule_policy[E7_RULE_A_MAX + 1] = {
	[E7_RULE_A_ID] = { .type = NLA_U64 },
	[E7_RULE_A_ACTION] = { .type = NLA_U8 },
	[E7_RULE_A_PROG_MATCH] = { .type = NLA_U8 },
	[E7_RULE_A_PATH] = { .type = NLA_UNSPEC },
	[E7_RULE_A_PROTO] = { .type = NLA_U8 },
	[E7_RULE_A_DIR] = { .type = NLA_U8 },
	[E7_RULE_A_ADDR4] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 4 },
	[E7_RULE_A_ADDR6] = { .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 },
	[E7_RULE_A_PREFIX_LEN] = { .type = NLA_U8 },
	[E7_RULE_A_PORT_MIN] = { .type = NLA_U16 },
	[E7_RULE_A_PORT_MAX] = { .type = NLA_U16 },
	[E7_RULE_A_UID] = { .type = NLA_U32 },
	[E7_RULE_A_LIFETIME] = { .type = NLA_U8 },
	[E7_RULE_A_EXPIRE] = { .type = NLA_U32 },
	[E7_RULE_A_HITS] = { .type = NLA_U64 },
	[E7_RULE_A_LAST_HIT] = { .type = NLA_U64 },
	[E7_RULE_A_SPECIFICITY] = { .type = NLA_U32 },
	[E7_RULE_A_EXE_DEV] = { .type = NLA_U32 },
	[E7_RULE_A_EXE_INO] = { .type = NLA_U64 },
	[E7_RULE_A_EXE_CTIME] = { .type = NLA_U64 },
};

static struct nla_policy flow_policy[E7_FLOW_A_MAX + 1] = {
	[E7_FLOW_A_ID] = { .type = NLA_U64 },
	[E7_FLOW_A_PID] = { .type = NLA_U32 },
	[E7_FLOW_A_TGID] = { .type = NLA_U32 },
	[E7_FLOW_A_UID] = { .type = NLA_U32 },
	[E7_FLOW_A_PATH] = { .type = NLA_UNSPEC },
	[E7_FLOW_A_CMDLINE] = { .type = NLA_UNSPEC },
	[E7_FLOW_A_PROTO] = { .type = NLA_U8 },
	[E7_FLOW_A_DIR] = { .type = NLA_U8 },
	[E7_FLOW_A_FAMILY] = { .type = NLA_U8 },
	[E7_FLOW_A_LOCAL_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[E7_FLOW_A_REMOTE_ADDR] = { .type = NLA_UNSPEC, .minlen = 4 },
	[E7_FLOW_A_LOCAL_PORT] = { .type = NLA_U16 },
	[E7_FLOW_A_REMOTE_PORT] = { .type = NLA_U16 },
	[E7_FLOW_A_NETNS_COOKIE] = { .type = NLA_U64 },
	[E7_FLOW_A_NETNS_INO] = { .type = NLA_U32 },
	[E7_FLOW_A_EXE_DEV] = { .type = NLA_U32 },
	[E7_FLOW_A_EXE_INO] = { .type = NLA_U64 },
	[E7_FLOW_A_EXE_CTIME] = { .type = NLA_U64 },
	[E7_FLOW_A_FLAGS] = { .type = NLA_U32 },
	[E7_FLOW_A_ACTION] = { .type = NLA_U8 },
	[E7_FLOW_A_REASON] = { .type = NLA_U8 },
	[E7_FLOW_A_RULE_ID] = { .type = NLA_U64 },
	[E7_FLOW_A_HELD_PKTS] = { .type = NLA_U32 },
	[E7_FLOW_A_AGE_MS] = { .type = NLA_U32 },
};

static GInetAddress *addr_from_attr(struct nlattr *a)
{
	int len = nla_len(a);

	if (len == 4)
		return g_inet_address_new_from_bytes(nla_data(a),
						     G_SOCKET_FAMILY_IPV4);
	if (len == 16)
		return g_inet_address_new_from_bytes(nla_data(a),
						     G_SOCKET_FAMILY_IPV6);
	return NULL;
}

/* A string attribute as valid UTF-8, up to its first NUL. */
static char *string_from_attr(struct nlattr *a)
{
	return g_utf8_make_valid(nla_data(a), strnlen(nla_data(a), nla_len(a)));
}

/* A program identity: all three attributes, or none. */
static gboolean exe_from_attrs(struct nlattr *dev, struct nlattr *ino,
			       struct nlattr *ctime, E7ExeId *exe)
{
	if (!dev || !ino || !ctime)
		return FALSE;
	exe->dev = nla_get_u32(dev);
	exe->ino = nla_get_u64(ino);
	exe->ctime_ns = nla_get_u64(ctime);
	return TRUE;
}

E7Rule *e7_nl_rule_decode(struct nlattr *nest)
{
	struct nlattr *tb[E7_RULE_A_MAX + 1];
	g_autoptr(E7Rule) rule = NULL;
	struct nlattr *addr_attr;

	if (nla_parse_nested(tb, E7_RULE_A_MAX, nest, rule_policy) < 0 ||
	    !tb[E7_RULE_A_ID] || !tb[E7_RULE_A_ACTION])
		return NULL;
	rule = e7_rule_new();
	rule->id = nla_get_u64(tb[E7_RULE_A_ID]);
	rule->action = nla_get_u8(tb[E7_RULE_A_ACTION]);
	if (tb[E7_RULE_A_PATH])
		rule->program = string_from_attr(tb[E7_RULE_A_PATH]);
	if (tb[E7_RULE_A_PROTO])
		rule->protocol = nla_get_u8(tb[E7_RULE_A_PROTO]);
	if (tb[E7_RULE_A_DIR])
		rule->direction = nla_get_u8(tb[E7_RULE_A_DIR]);
	addr_attr = tb[E7_RULE_A_ADDR4] ? tb[E7_RULE_A_ADDR4] :
					  tb[E7_RULE_A_ADDR6];
	if (addr_attr) {
		g_autoptr(GInetAddress) addr = addr_from_attr(addr_attr);
		guint bits = nla_len(addr_attr) * 8u;
		guint len = tb[E7_RULE_A_PREFIX_LEN] ?
				    nla_get_u8(tb[E7_RULE_A_PREFIX_LEN]) :
				    bits;

		/* A prefix longer than the address is malformed. */
		if (addr && len <= bits)
			rule->remote = g_inet_address_mask_new(addr, len, NULL);
	}
	if (tb[E7_RULE_A_PORT_MIN]) {
		rule->port_min = nla_get_u16(tb[E7_RULE_A_PORT_MIN]);
		rule->port_max = tb[E7_RULE_A_PORT_MAX] ?
					 nla_get_u16(tb[E7_RULE_A_PORT_MAX]) :
					 rule->port_min;
	}
	if (tb[E7_RULE_A_UID]) {
		rule->has_uid = TRUE;
		rule->uid = nla_get_u32(tb[E7_RULE_A_UID]);
	}
	if (tb[E7_RULE_A_LIFETIME])
		rule->lifetime = nla_get_u8(tb[E7_RULE_A_LIFETIME]);
	if (rule->lifetime == E7_LIFETIME_SECONDS && tb[E7_RULE_A_EXPIRE]) {
		rule->duration = MAX(nla_get_u32(tb[E7_RULE_A_EXPIRE]), 1u);
		rule->expires =
			g_get_real_time() / G_USEC_PER_SEC + rule->duration;
	}
	if (rule->program && rule->program[0] == '\0')
		g_clear_pointer(&rule->program, g_free);
	rule->has_exe = exe_from_attrs(tb[E7_RULE_A_EXE_DEV],
				       tb[E7_RULE_A_EXE_INO],
				       tb[E7_RULE_A_EXE_CTIME], &rule->exe);
	return g_steal_pointer(&rule);
}

E7Flow *e7_nl_flow_decode(struct nlattr *nest)
{
	struct nlattr *tb[E7_FLOW_A_MAX + 1];
	E7Flow *flow;

	if (nla_parse_nested(tb, E7_FLOW_A_MAX, nest, flow_policy) < 0 ||
	    !tb[E7_FLOW_A_ID])
		return NULL;
	flow = e7_flow_new();
	flow->id = nla_get_u64(tb[E7_FLOW_A_ID]);
	if (tb[E7_FLOW_A_TGID])
		flow->pid = nla_get_u32(tb[E7_FLOW_A_TGID]);
	if (tb[E7_FLOW_A_UID])
		flow->uid = nla_get_u32(tb[E7_FLOW_A_UID]);
	if (tb[E7_FLOW_A_PATH])
		flow->program = string_from_attr(tb[E7_FLOW_A_PATH]);
	if (tb[E7_FLOW_A_CMDLINE]) {
		int len = nla_len(tb[E7_FLOW_A_CMDLINE]);
		g_autofree char *buf = g_malloc(len + 1);

		memcpy(buf, nla_data(tb[E7_FLOW_A_CMDLINE]), len);
		/* NUL-separated argv: joined with spaces. */
		for (int i = 0; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = ' ';
		buf[len] = '\0';
		flow->cmdline = g_strchomp(g_utf8_make_valid(buf, len));
	}
	if (tb[E7_FLOW_A_PROTO])
		flow->protocol = nla_get_u8(tb[E7_FLOW_A_PROTO]);
	if (tb[E7_FLOW_A_DIR])
		flow->direction = nla_get_u8(tb[E7_FLOW_A_DIR]);
	if (tb[E7_FLOW_A_REMOTE_ADDR]) {
		g_autoptr(GInetAddress)
			addr = addr_from_attr(tb[E7_FLOW_A_REMOTE_ADDR]);

		if (addr)
			flow->remote_address = g_inet_address_to_string(addr);
	}
	if (tb[E7_FLOW_A_REMOTE_PORT])
		flow->remote_port = nla_get_u16(tb[E7_FLOW_A_REMOTE_PORT]);
	if (tb[E7_FLOW_A_LOCAL_PORT])
		flow->local_port = nla_get_u16(tb[E7_FLOW_A_LOCAL_PORT]);
	if (tb[E7_FLOW_A_ACTION])
		flow->action = nla_get_u8(tb[E7_FLOW_A_ACTION]);
	if (tb[E7_FLOW_A_REASON])
		flow->reason = nla_get_u8(tb[E7_FLOW_A_REASON]);
	if (tb[E7_FLOW_A_RULE_ID])
		flow->rule_id = nla_get_u64(tb[E7_FLOW_A_RULE_ID]);
	flow->has_exe = exe_from_attrs(tb[E7_FLOW_A_EXE_DEV],
				       tb[E7_FLOW_A_EXE_INO],
				       tb[E7_FLOW_A_EXE_CTIME], &flow->exe);
	return flow;
}

#define E7_X_STAT_NAME(n, s) [E7_STAT_A_##n] = s,
static const char *const stat_names[] = { E7_STATS(
	E7_X_STAT_NAME) E7_STATS_LATER(E7_X_STAT_NAME) };
#undef E7_X_STAT_NAME

gboolean e7_nl_stats_decode(struct nlattr *nest, GVariantBuilder *b)
{
	struct nlattr *st[E7_STAT_A_MAX + 1];

	if (nla_parse_nested(st, E7_STAT_A_MAX, nest, NULL) < 0)
		return FALSE;
	for (guint i = 1; i < G_N_ELEMENTS(stat_names); i++)
		if (st[i] && stat_names[i] && nla_len(st[i]) == 8)
			g_variant_builder_add(
				b, "{sv}", stat_names[i],
				g_variant_new_uint64(nla_get_u64(st[i])));
	return TRUE;
}

gboolean e7_nl_event_decode(struct nlmsghdr *nlh, E7NlEvent *ev)
{
	struct nlattr *tb[E7_A_MAX + 1];
	struct genlmsghdr *gh;

	memset(ev, 0, sizeof(*ev));
	if (genlmsg_parse(nlh, 0, tb, E7_A_MAX, e7_nl_policy) < 0)
		return FALSE;
	gh = nlmsg_data(nlh);
	ev->cmd = gh->cmd;
	if (tb[E7_A_EVENTS_LOST]) {
		ev->has_events_lost = TRUE;
		ev->events_lost = nla_get_u64(tb[E7_A_EVENTS_LOST]);
	}
	switch (gh->cmd) {
	case E7_CMD_EV_PENDING:
	case E7_CMD_EV_FLOW:
		ev->flow = tb[E7_A_FLOW] ? e7_nl_flow_decode(tb[E7_A_FLOW]) :
					   NULL;
		return ev->flow != NULL;
	case E7_CMD_EV_RULE_EXPIRED:
		if (!tb[E7_A_RULE_ID])
			return FALSE;
		ev->has_rule_id = TRUE;
		ev->rule_id = nla_get_u64(tb[E7_A_RULE_ID]);
		return TRUE;
	case E7_CMD_EV_MODE:
		if (!tb[E7_A_MODE])
			return FALSE;
		ev->has_mode = TRUE;
		ev->mode = nla_get_u8(tb[E7_A_MODE]);
		return TRUE;
	case E7_CMD_EV_RESOLVED:
		if (!tb[E7_A_FLOW_ID])
			return FALSE;
		ev->has_flow_id = TRUE;
		ev->flow_id = nla_get_u64(tb[E7_A_FLOW_ID]);
		ev->action = tb[E7_A_ACTION] ? nla_get_u8(tb[E7_A_ACTION]) : 0;
		ev->reason = tb[E7_A_REASON] ? nla_get_u8(tb[E7_A_REASON]) : 0;
		return TRUE;
	default:
		return ev->has_events_lost;
	}
}

void e7_nl_event_clear(E7NlEvent *ev)
{
	g_clear_pointer(&ev->flow, e7_flow_free);
}
