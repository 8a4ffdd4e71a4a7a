// SPDX-License-Identifier: GPL-2.0
/*
 * A rule's netlink form (E7_A_RULE, nested E7_RULE_A_*): its strict policy,
 * parsing into a rule spec, and the attributes a rule is dumped with.
 */
#include "netlink-rule.h"
#include "identify.h"
#include "rules.h"

#include <linux/jiffies.h>
#include <net/genetlink.h>

static struct netlink_range_validation e7_expire_range = {
	.min = 1,
	.max = E7_EXPIRE_MAX,
};

const struct nla_policy e7_rule_policy[E7_RULE_A_MAX + 1] = {
	[E7_RULE_A_ID] = { .type = NLA_U64 },
	[E7_RULE_A_ACTION] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
	[E7_RULE_A_PROG_MATCH] = NLA_POLICY_MAX(NLA_U8, E7_PROG_MAX),
	[E7_RULE_A_PATH] = { .type = NLA_NUL_STRING, .len = E7_PATH_MAX - 1 },
	[E7_RULE_A_PROTO] = { .type = NLA_U8 },
	[E7_RULE_A_DIR] = NLA_POLICY_MAX(NLA_U8, E7_DIR_MAX),
	[E7_RULE_A_ADDR4] = NLA_POLICY_EXACT_LEN(4),
	[E7_RULE_A_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[E7_RULE_A_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[E7_RULE_A_PORT_MIN] = NLA_POLICY_MIN(NLA_U16, 1),
	[E7_RULE_A_PORT_MAX] = NLA_POLICY_MIN(NLA_U16, 1),
	[E7_RULE_A_UID] = { .type = NLA_U32 },
	[E7_RULE_A_LIFETIME] = NLA_POLICY_MAX(NLA_U8, E7_LIFETIME_MAX),
	[E7_RULE_A_EXPIRE] = NLA_POLICY_FULL_RANGE(NLA_U32, &e7_expire_range),
	[E7_RULE_A_HITS] = { .type = NLA_REJECT },
	[E7_RULE_A_LAST_HIT] = { .type = NLA_REJECT },
	[E7_RULE_A_SPECIFICITY] = { .type = NLA_REJECT },
	[E7_RULE_A_PAD] = { .type = NLA_REJECT },
	[E7_RULE_A_EXE_DEV] = { .type = NLA_U32 },
	[E7_RULE_A_EXE_INO] = { .type = NLA_U64 },
	[E7_RULE_A_EXE_CTIME] = { .type = NLA_U64 },
	[E7_RULE_A_EXE_BIND] = { .type = NLA_FLAG },
};

static int e7_nl_parse_addr(struct nlattr **tb, struct e7_rule_spec *s,
			    struct netlink_ext_ack *extack)
{
	if (tb[E7_RULE_A_ADDR4] && tb[E7_RULE_A_ADDR6]) {
		NL_SET_ERR_MSG(extack,
			       "give either an IPv4 or an IPv6 address");
		return -EINVAL;
	}
	if (tb[E7_RULE_A_ADDR4]) {
		s->family = E7_FAMILY_V4;
		memcpy(s->addr, nla_data(tb[E7_RULE_A_ADDR4]), 4);
		s->prefix_len = 32;
	} else if (tb[E7_RULE_A_ADDR6]) {
		s->family = E7_FAMILY_V6;
		memcpy(s->addr, nla_data(tb[E7_RULE_A_ADDR6]), 16);
		s->prefix_len = 128;
	}
	if (tb[E7_RULE_A_PREFIX_LEN])
		s->prefix_len = nla_get_u8(tb[E7_RULE_A_PREFIX_LEN]);
	return 0;
}

/*
 * The program identity a rule is bound to: given (all three attributes),
 * or the file's at the rule's path now (E7_RULE_A_EXE_BIND; none there:
 * unbound).
 */
static int e7_nl_parse_exe(struct nlattr **tb, struct e7_rule_spec *s,
			   const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	int given = !!tb[E7_RULE_A_EXE_DEV] + !!tb[E7_RULE_A_EXE_INO] +
		    !!tb[E7_RULE_A_EXE_CTIME];

	if (given && (given != 3 || tb[E7_RULE_A_EXE_BIND])) {
		NL_SET_ERR_MSG_ATTR(
			extack, nest,
			"give all of E7_RULE_A_EXE_DEV, _INO and _CTIME, or E7_RULE_A_EXE_BIND");
		return -EINVAL;
	}
	if (given) {
		s->has_exe = true;
		s->exe.dev = nla_get_u32(tb[E7_RULE_A_EXE_DEV]);
		s->exe.ino = nla_get_u64(tb[E7_RULE_A_EXE_INO]);
		s->exe.ctime_ns = nla_get_u64(tb[E7_RULE_A_EXE_CTIME]);
	} else if (tb[E7_RULE_A_EXE_BIND] && s->path && s->path_len &&
		   s->path_len < E7_PATH_MAX &&
		   s->prog_match != E7_PROG_PREFIX &&
		   s->path[s->path_len - 1] != '/') {
		s->has_exe = !e7_identify_path(s->path, &s->exe);
	}
	return 0;
}

static int e7_nl_rule_parse(struct nlattr *nest, struct e7_rule_spec *s,
			    u32 *expire, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[E7_RULE_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, E7_RULE_A_MAX, nest, e7_rule_policy, extack);
	if (err)
		return err;
	if (!tb[E7_RULE_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "rule needs E7_RULE_A_ACTION");
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	s->dir = E7_DIR_OUT;
	s->action = nla_get_u8(tb[E7_RULE_A_ACTION]);
	if (tb[E7_RULE_A_ID])
		s->id = nla_get_u64(tb[E7_RULE_A_ID]);
	if (tb[E7_RULE_A_PROG_MATCH])
		s->prog_match = nla_get_u8(tb[E7_RULE_A_PROG_MATCH]);
	if (tb[E7_RULE_A_PATH]) {
		s->path = nla_data(tb[E7_RULE_A_PATH]);
		s->path_len = strnlen(s->path, nla_len(tb[E7_RULE_A_PATH]));
	}
	if (tb[E7_RULE_A_PROTO])
		s->proto = nla_get_u8(tb[E7_RULE_A_PROTO]);
	if (tb[E7_RULE_A_DIR])
		s->dir = nla_get_u8(tb[E7_RULE_A_DIR]);
	if (tb[E7_RULE_A_PORT_MIN])
		s->port_min = nla_get_u16(tb[E7_RULE_A_PORT_MIN]);
	if (tb[E7_RULE_A_PORT_MAX])
		s->port_max = nla_get_u16(tb[E7_RULE_A_PORT_MAX]);
	if (tb[E7_RULE_A_UID]) {
		s->has_uid = true;
		s->uid = nla_get_u32(tb[E7_RULE_A_UID]);
	}
	if (tb[E7_RULE_A_LIFETIME])
		s->lifetime = nla_get_u8(tb[E7_RULE_A_LIFETIME]);
	*expire = tb[E7_RULE_A_EXPIRE] ? nla_get_u32(tb[E7_RULE_A_EXPIRE]) : 0;
	if (*expire && s->lifetime != E7_LIFETIME_FOREVER &&
	    s->lifetime != E7_LIFETIME_SECONDS) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "an expiry implies lifetime seconds");
		return -EINVAL;
	}
	err = e7_nl_parse_exe(tb, s, nest, extack);
	if (err)
		return err;
	return e7_nl_parse_addr(tb, s, extack);
}

int e7_nl_rule_install(struct nlattr *nest, struct netlink_ext_ack *extack,
		       u64 *id)
{
	struct e7_rule_spec spec;
	const char *why = NULL;
	u32 expire;
	int err;

	err = e7_nl_rule_parse(nest, &spec, &expire, extack);
	if (err)
		return err;
	err = e7_rule_add(&spec, expire, &why, id);
	if (err && why && extack) {
		/* why has static storage, not only a literal's */
		extack->_msg = why;
		extack->bad_attr = nest;
	}
	return err;
}

int e7_nl_rule_put(struct sk_buff *msg, const struct e7_rule *r)
{
	const struct e7_rule_spec *s = &r->spec;
	unsigned long last = READ_ONCE(r->last_hit);
	struct nlattr *nest = nla_nest_start(msg, E7_A_RULE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, E7_RULE_A_ID, s->id, E7_RULE_A_PAD) ||
	    nla_put_u8(msg, E7_RULE_A_ACTION, s->action) ||
	    nla_put_u8(msg, E7_RULE_A_PROG_MATCH, s->prog_match) ||
	    nla_put_u8(msg, E7_RULE_A_PROTO, s->proto) ||
	    nla_put_u8(msg, E7_RULE_A_DIR, s->dir) ||
	    nla_put_u8(msg, E7_RULE_A_LIFETIME, s->lifetime) ||
	    nla_put_u64_64bit(msg, E7_RULE_A_HITS, atomic64_read(&r->hits),
			      E7_RULE_A_PAD) ||
	    nla_put_u32(msg, E7_RULE_A_SPECIFICITY, e7_rule_specificity(s)))
		goto cancel;
	if (s->path && nla_put_string(msg, E7_RULE_A_PATH, s->path))
		goto cancel;
	if (s->family &&
	    (nla_put(msg,
		     s->family == E7_FAMILY_V4 ? E7_RULE_A_ADDR4 :
						 E7_RULE_A_ADDR6,
		     s->family == E7_FAMILY_V4 ? 4 : 16, s->addr) ||
	     nla_put_u8(msg, E7_RULE_A_PREFIX_LEN, s->prefix_len)))
		goto cancel;
	if (s->port_min && (nla_put_u16(msg, E7_RULE_A_PORT_MIN, s->port_min) ||
			    nla_put_u16(msg, E7_RULE_A_PORT_MAX, s->port_max)))
		goto cancel;
	if (s->has_uid && nla_put_u32(msg, E7_RULE_A_UID, s->uid))
		goto cancel;
	if (s->has_exe && (nla_put_u32(msg, E7_RULE_A_EXE_DEV, s->exe.dev) ||
			   nla_put_u64_64bit(msg, E7_RULE_A_EXE_INO, s->exe.ino,
					     E7_RULE_A_PAD) ||
			   nla_put_u64_64bit(msg, E7_RULE_A_EXE_CTIME,
					     s->exe.ctime_ns, E7_RULE_A_PAD)))
		goto cancel;
	if (r->expires &&
	    nla_put_u32(msg, E7_RULE_A_EXPIRE,
			time_after(r->expires, jiffies) ?
				jiffies_to_msecs(r->expires - jiffies) / 1000 :
				0))
		goto cancel;
	if (last && nla_put_u64_64bit(msg, E7_RULE_A_LAST_HIT,
				      jiffies_to_msecs(jiffies - last) / 1000,
				      E7_RULE_A_PAD))
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}
