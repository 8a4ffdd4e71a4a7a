// SPDX-License-Identifier: GPL-2.0
/*
 * The "eftirlit" generic netlink family: strict policies for every
 * attribute, GENL_ADMIN_PERM on everything that changes state or exposes
 * other users' command lines, open read-only queries, and an event group
 * only CAP_NET_ADMIN can join.
 */
#include "netlink.h"
#include "config.h"
#include "events.h"
#include "flows.h"
#include "hold.h"
#include "rules.h"
#include "stats.h"

#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

static struct netlink_range_validation e7_timeout_range = {
	.min = 100,
	.max = E7_HOLD_TIMEOUT_MAX_MS,
};

static struct netlink_range_validation e7_expire_range = {
	.min = 1,
	.max = E7_EXPIRE_MAX,
};

static const struct nla_policy e7_rule_policy[E7_RULE_A_MAX + 1] = {
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
};

static const struct nla_policy e7_nl_policy[E7_A_MAX + 1] = {
	[E7_A_VERSION] = { .type = NLA_REJECT },
	[E7_A_MODE] = NLA_POLICY_MAX(NLA_U8, E7_MODE_MAX),
	[E7_A_PROFILE] = NLA_POLICY_MAX(NLA_U8, E7_PROFILE_MAX),
	[E7_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, E7_FLAGS_ALL),
	[E7_A_POLICY_NODAEMON] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
	[E7_A_POLICY_TIMEOUT] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
	[E7_A_POLICY_OVERFLOW] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
	[E7_A_POLICY_UNIDENTIFIED] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
	[E7_A_HOLD_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &e7_timeout_range),
	[E7_A_RULES_MAX] = { .type = NLA_REJECT },
	[E7_A_HOLD_FLOWS_MAX] = { .type = NLA_REJECT },
	[E7_A_HOLD_PKTS_PER_FLOW] = { .type = NLA_REJECT },
	[E7_A_HOLD_PKTS_MAX] = { .type = NLA_REJECT },
	[E7_A_GENERATION] = { .type = NLA_REJECT },
	[E7_A_DAEMON] = { .type = NLA_REJECT },
	[E7_A_RULE] = NLA_POLICY_NESTED(e7_rule_policy),
	[E7_A_RULE_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[E7_A_FLOW] = { .type = NLA_REJECT },
	[E7_A_FLOW_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[E7_A_ACTION] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
	[E7_A_REASON] = { .type = NLA_REJECT },
	[E7_A_STATS] = { .type = NLA_REJECT },
	[E7_A_ENTRY] = { .type = NLA_REJECT },
	[E7_A_EVENTS_LOST] = { .type = NLA_REJECT },
	[E7_A_PAD] = { .type = NLA_REJECT },
};

/* Reports a message with static storage (not only a literal) in the ack. */
static void e7_nl_err(struct netlink_ext_ack *extack, const struct nlattr *attr,
		      const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = attr;
}

static bool e7_nl_require(struct genl_info *info, int attr, const char *msg)
{
	if (info->attrs[attr])
		return true;
	e7_nl_err(info->extack, NULL, msg);
	return false;
}

static struct sk_buff *e7_nl_reply_new(struct genl_info *info, u8 cmd,
				       void **hdr, size_t size)
{
	struct sk_buff *skb = genlmsg_new(size, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put_reply(skb, info, &e7_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static int e7_nl_reply_send(struct sk_buff *skb, void *hdr,
			    struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int e7_nl_put_addr(struct sk_buff *skb, int attr, u8 family,
			  const struct in6_addr *a)
{
	return nla_put(skb, attr, family == AF_INET ? 4 : 16, a);
}

int e7_nl_put_flow(struct sk_buff *skb, const struct e7_flow_info *fi,
		   const char *cmdline, size_t cmdline_len)
{
	const struct e7_prog *prog = fi->owner.prog;
	struct nlattr *nest = nla_nest_start(skb, E7_A_FLOW);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, E7_FLOW_A_ID, fi->id, E7_FLOW_A_PAD) ||
	    nla_put_u32(skb, E7_FLOW_A_PID, fi->owner.pid) ||
	    nla_put_u32(skb, E7_FLOW_A_TGID, fi->owner.tgid) ||
	    nla_put_u32(skb, E7_FLOW_A_UID, fi->owner.uid) ||
	    nla_put_u8(skb, E7_FLOW_A_PROTO, fi->t.proto) ||
	    nla_put_u8(skb, E7_FLOW_A_DIR, fi->t.dir) ||
	    nla_put_u8(skb, E7_FLOW_A_FAMILY, fi->t.family) ||
	    e7_nl_put_addr(skb, E7_FLOW_A_LOCAL_ADDR, fi->t.family,
			   &fi->t.laddr) ||
	    e7_nl_put_addr(skb, E7_FLOW_A_REMOTE_ADDR, fi->t.family,
			   &fi->t.raddr) ||
	    nla_put_u16(skb, E7_FLOW_A_LOCAL_PORT, fi->t.lport) ||
	    nla_put_u16(skb, E7_FLOW_A_REMOTE_PORT, fi->t.rport) ||
	    nla_put_u64_64bit(skb, E7_FLOW_A_NETNS_COOKIE, fi->netns_cookie,
			      E7_FLOW_A_PAD) ||
	    nla_put_u32(skb, E7_FLOW_A_NETNS_INO, fi->netns_ino) ||
	    nla_put_u32(skb, E7_FLOW_A_FLAGS, fi->owner.flags))
		goto cancel;
	if (prog && (nla_put_string(skb, E7_FLOW_A_PATH, prog->path) ||
		     nla_put_u32(skb, E7_FLOW_A_EXE_DEV, prog->dev) ||
		     nla_put_u64_64bit(skb, E7_FLOW_A_EXE_INO, prog->ino,
				       E7_FLOW_A_PAD) ||
		     nla_put_u64_64bit(skb, E7_FLOW_A_EXE_CTIME, prog->ctime_ns,
				       E7_FLOW_A_PAD)))
		goto cancel;
	if (cmdline_len &&
	    nla_put(skb, E7_FLOW_A_CMDLINE, cmdline_len, cmdline))
		goto cancel;
	if (fi->action && (nla_put_u8(skb, E7_FLOW_A_ACTION, fi->action) ||
			   nla_put_u8(skb, E7_FLOW_A_REASON, fi->reason)))
		goto cancel;
	if (fi->rule_id && nla_put_u64_64bit(skb, E7_FLOW_A_RULE_ID,
					     fi->rule_id, E7_FLOW_A_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* ---- mode, config, flags ------------------------------------------------ */

static int e7_nl_get_mode(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = e7_nl_reply_new(info, E7_CMD_GET_MODE, &hdr, NLMSG_GOODSIZE);
	if (!msg)
		return -ENOMEM;
	return e7_nl_reply_send(msg, hdr, info,
				nla_put_u8(msg, E7_A_MODE, e7_mode()));
}

static void e7_nl_apply_mode(u8 mode)
{
	if (mode == e7_mode())
		return;
	e7_set_mode(mode);
	e7_events_mode(mode);
	if (mode == E7_MODE_ALLOW_UNKNOWN || mode == E7_MODE_DISABLED)
		e7_hold_flush(NULL, E7_ACTION_ALLOW, E7_REASON_MODE);
	else if (mode != E7_MODE_ASK)
		e7_hold_flush(NULL, E7_ACTION_BLOCK, E7_REASON_MODE);
}

static int e7_nl_set_mode(struct sk_buff *skb, struct genl_info *info)
{
	if (!e7_nl_require(info, E7_A_MODE, "E7_A_MODE is required"))
		return -EINVAL;
	e7_nl_apply_mode(nla_get_u8(info->attrs[E7_A_MODE]));
	return 0;
}

static int e7_nl_put_config(struct sk_buff *msg)
{
	if (nla_put_u32(msg, E7_A_VERSION, E7_GENL_VERSION) ||
	    nla_put_u8(msg, E7_A_MODE, e7_mode()) ||
	    nla_put_u8(msg, E7_A_PROFILE, e7_profile()) ||
	    nla_put_u32(msg, E7_A_FLAGS, e7_flags()) ||
	    nla_put_u8(msg, E7_A_POLICY_NODAEMON, e7_policy(E7_POL_NODAEMON)) ||
	    nla_put_u8(msg, E7_A_POLICY_TIMEOUT, e7_policy(E7_POL_TIMEOUT)) ||
	    nla_put_u8(msg, E7_A_POLICY_OVERFLOW, e7_policy(E7_POL_OVERFLOW)) ||
	    nla_put_u8(msg, E7_A_POLICY_UNIDENTIFIED,
		       e7_policy(E7_POL_UNIDENTIFIED)) ||
	    nla_put_u32(msg, E7_A_HOLD_TIMEOUT_MS, e7_hold_timeout_ms()) ||
	    nla_put_u32(msg, E7_A_RULES_MAX, e7_rules_max()) ||
	    nla_put_u32(msg, E7_A_HOLD_FLOWS_MAX, e7_hold_flows_max()) ||
	    nla_put_u32(msg, E7_A_HOLD_PKTS_PER_FLOW,
			e7_hold_pkts_per_flow()) ||
	    nla_put_u32(msg, E7_A_HOLD_PKTS_MAX, e7_hold_pkts_max()) ||
	    nla_put_u64_64bit(msg, E7_A_GENERATION, e7_generation(),
			      E7_A_PAD) ||
	    nla_put_u8(msg, E7_A_DAEMON, e7_events_listening()))
		return -EMSGSIZE;
	return 0;
}

static int e7_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = e7_nl_reply_new(info, E7_CMD_GET_CONFIG, &hdr, NLMSG_GOODSIZE);
	if (!msg)
		return -ENOMEM;
	return e7_nl_reply_send(msg, hdr, info, e7_nl_put_config(msg));
}

static const int e7_policy_attrs[E7_POL_COUNT] = {
	[E7_POL_NODAEMON] = E7_A_POLICY_NODAEMON,
	[E7_POL_TIMEOUT] = E7_A_POLICY_TIMEOUT,
	[E7_POL_OVERFLOW] = E7_A_POLICY_OVERFLOW,
	[E7_POL_UNIDENTIFIED] = E7_A_POLICY_UNIDENTIFIED,
};

static int e7_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	unsigned int i;

	if (a[E7_A_PROFILE])
		e7_apply_profile(nla_get_u8(a[E7_A_PROFILE]));
	for (i = 0; i < E7_POL_COUNT; i++)
		if (a[e7_policy_attrs[i]])
			e7_set_policy(i, nla_get_u8(a[e7_policy_attrs[i]]));
	if (a[E7_A_FLAGS])
		e7_set_flags(nla_get_u32(a[E7_A_FLAGS]));
	if (a[E7_A_HOLD_TIMEOUT_MS])
		e7_set_hold_timeout_ms(nla_get_u32(a[E7_A_HOLD_TIMEOUT_MS]));
	if (a[E7_A_MODE])
		e7_nl_apply_mode(nla_get_u8(a[E7_A_MODE]));
	return 0;
}

static int e7_nl_get_flags(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = e7_nl_reply_new(info, E7_CMD_GET_FLAGS, &hdr, NLMSG_GOODSIZE);
	if (!msg)
		return -ENOMEM;
	return e7_nl_reply_send(msg, hdr, info,
				nla_put_u32(msg, E7_A_FLAGS, e7_flags()));
}

static int e7_nl_set_flags(struct sk_buff *skb, struct genl_info *info)
{
	if (!e7_nl_require(info, E7_A_FLAGS, "E7_A_FLAGS is required"))
		return -EINVAL;
	e7_set_flags(nla_get_u32(info->attrs[E7_A_FLAGS]));
	return 0;
}

/* ---- rules -------------------------------------------------------------- */

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

static int e7_nl_parse_rule(struct nlattr *nest, struct e7_rule_spec *s,
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
	return e7_nl_parse_addr(tb, s, extack);
}

static int e7_nl_install_rule(struct nlattr *nest,
			      struct netlink_ext_ack *extack, u64 *id)
{
	struct e7_rule_spec spec;
	const char *why = NULL;
	u32 expire;
	int err;

	err = e7_nl_parse_rule(nest, &spec, &expire, extack);
	if (err)
		return err;
	err = e7_rule_add(&spec, expire, &why, id);
	if (err && why)
		e7_nl_err(extack, nest, why);
	return err;
}

static int e7_nl_put_rule(struct sk_buff *msg, const struct e7_rule *r)
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

static int e7_nl_new_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct e7_rule *r;
	void *hdr;
	u64 id;
	int err;

	if (!e7_nl_require(info, E7_A_RULE, "E7_A_RULE is required"))
		return -EINVAL;
	/*
	 * The reply is the rule: at most the request's attributes plus the
	 * few the kernel adds (id, hits, last hit, specificity...).  Sized to
	 * fit instead of NLMSG_GOODSIZE + E7_PATH_MAX, so that a bulk load
	 * does not allocate (and netlink_trim() copy) 12 KB per rule.
	 */
	msg = e7_nl_reply_new(info, E7_CMD_NEW_RULE, &hdr,
			      nla_len(info->attrs[E7_A_RULE]) + 512);
	if (!msg)
		return -ENOMEM;
	err = e7_nl_install_rule(info->attrs[E7_A_RULE], info->extack, &id);
	if (!err) {
		rcu_read_lock();
		r = e7_rule_find(id);
		err = r ? e7_nl_put_rule(msg, r) : -ENOENT;
		rcu_read_unlock();
	}
	return e7_nl_reply_send(msg, hdr, info, err);
}

static int e7_nl_del_rule(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (!e7_nl_require(info, E7_A_RULE_ID, "E7_A_RULE_ID is required"))
		return -EINVAL;
	err = e7_rule_del(nla_get_u64(info->attrs[E7_A_RULE_ID]));
	if (err)
		NL_SET_ERR_MSG(info->extack, "no such rule");
	return err;
}

static int e7_nl_get_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct e7_rule *r;
	void *hdr;
	int err;

	if (!e7_nl_require(info, E7_A_RULE_ID, "E7_A_RULE_ID is required"))
		return -EINVAL;
	msg = e7_nl_reply_new(info, E7_CMD_GET_RULE, &hdr,
			      NLMSG_GOODSIZE + E7_PATH_MAX);
	if (!msg)
		return -ENOMEM;
	rcu_read_lock();
	r = e7_rule_find(nla_get_u64(info->attrs[E7_A_RULE_ID]));
	err = r ? e7_nl_put_rule(msg, r) : -ENOENT;
	rcu_read_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such rule");
	return e7_nl_reply_send(msg, hdr, info, err);
}

/*
 * Rules are dumped in id order, leaving out those added after the dump
 * began: a dump under rule churn lists at most the rules of its start
 * instead of chasing the ones added meanwhile.
 */
static int e7_nl_dump_rules(struct sk_buff *skb, struct netlink_callback *cb)
{
	u64 cursor = cb->args[0];
	struct e7_rule *r;
	void *hdr;
	int err = 0;

	if (!cb->args[2]) {
		cb->args[1] = e7_rules_added();
		cb->args[2] = 1;
	}
	rcu_read_lock();
	for (;;) {
		u64 next = cursor;

		r = e7_rule_next(&next);
		if (!r)
			break;
		if (r->added > (u64)cb->args[1]) {
			cursor = next;
			continue;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &e7_genl_family,
				  NLM_F_MULTI, E7_CMD_GET_RULE);
		if (!hdr)
			break;
		err = e7_nl_put_rule(skb, r);
		if (err) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cursor = next;
	}
	rcu_read_unlock();
	cb->args[0] = cursor;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int e7_nl_flush_rules(struct sk_buff *skb, struct genl_info *info)
{
	e7_rules_flush();
	return 0;
}

/* ---- held flows and verdicts --------------------------------------------- */

static int e7_nl_dump_flows(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct e7_flow_info fi;
	u64 cursor = cb->args[0];
	u32 npkts, age;
	void *hdr;
	int err = 0;

	for (;;) {
		u64 next = cursor;

		if (!e7_hold_next(&next, &fi, &npkts, &age))
			break;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &e7_genl_family,
				  NLM_F_MULTI, E7_CMD_GET_FLOW);
		err = hdr ? e7_nl_put_flow(skb, &fi, NULL, 0) : -EMSGSIZE;
		e7_prog_put(fi.owner.prog);
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cursor = next;
	}
	cb->args[0] = cursor;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int e7_nl_verdict(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	u64 rule_id = 0;
	void *hdr;
	int err;

	if (!e7_nl_require(info, E7_A_FLOW_ID, "E7_A_FLOW_ID is required") ||
	    !e7_nl_require(info, E7_A_ACTION, "E7_A_ACTION is required"))
		return -EINVAL;
	msg = e7_nl_reply_new(info, E7_CMD_VERDICT, &hdr, NLMSG_GOODSIZE);
	if (!msg)
		return -ENOMEM;
	if (info->attrs[E7_A_RULE]) {
		err = e7_nl_install_rule(info->attrs[E7_A_RULE], info->extack,
					 &rule_id);
		if (err)
			return e7_nl_reply_send(msg, hdr, info, err);
	}
	err = e7_hold_verdict(nla_get_u64(info->attrs[E7_A_FLOW_ID]),
			      nla_get_u8(info->attrs[E7_A_ACTION]),
			      E7_REASON_VERDICT);
	if (err == -ENOENT)
		NL_SET_ERR_MSG(info->extack,
			       "flow is not held (timed out or decided)");
	if (!err && rule_id)
		err = nla_put_u64_64bit(msg, E7_A_RULE_ID, rule_id, E7_A_PAD);
	return e7_nl_reply_send(msg, hdr, info, err);
}

/* ---- statistics ---------------------------------------------------------- */

static u64 e7_nl_stat_value(enum e7_stat s)
{
	switch (s) {
	case E7_ST_FLOWS_ACTIVE:
		return e7_flows_active();
	case E7_ST_RULES_ACTIVE:
		return e7_rules_count();
	case E7_ST_HELD_NOW:
		return e7_hold_count();
	default:
		return e7_stat_read(s);
	}
}

static int e7_nl_put_stats(struct sk_buff *msg)
{
	struct nlattr *nest = nla_nest_start(msg, E7_A_STATS);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < E7_ST_COUNT; i++) {
		if (nla_put_u64_64bit(msg, E7_STAT_A_PACKETS + i,
				      e7_nl_stat_value(i), E7_STAT_A_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int e7_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = e7_nl_reply_new(info, E7_CMD_GET_STATS, &hdr, NLMSG_GOODSIZE);
	if (!msg)
		return -ENOMEM;
	return e7_nl_reply_send(msg, hdr, info, e7_nl_put_stats(msg));
}

static int e7_nl_put_entry(struct sk_buff *msg, const struct e7_stat_entry *e)
{
	struct nlattr *nest = nla_nest_start(msg, E7_A_ENTRY);
	int err = -EMSGSIZE;

	if (!nest)
		return err;
	if (nla_put_u8(msg, E7_ENTRY_A_KIND, e->kind) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_FLOWS, e->flows,
			      E7_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_ALLOWED, e->allowed,
			      E7_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_BLOCKED, e->blocked,
			      E7_ENTRY_A_PAD) ||
	    nla_put_u64_64bit(msg, E7_ENTRY_A_LAST_SEEN,
			      jiffies_to_msecs(jiffies - e->last) / 1000,
			      E7_ENTRY_A_PAD))
		goto cancel;
	switch (e->kind) {
	case E7_ENTRY_PROGRAM:
		err = nla_put_string(msg, E7_ENTRY_A_PATH, e->path);
		break;
	case E7_ENTRY_PROTO:
		err = nla_put_u8(msg, E7_ENTRY_A_PROTO, e->proto);
		break;
	case E7_ENTRY_USER:
		err = nla_put_u32(msg, E7_ENTRY_A_UID, e->uid);
		break;
	default:
		err = nla_put(msg, E7_ENTRY_A_ADDR,
			      e->family == AF_INET ? 4 : 16, e->addr);
		break;
	}
	if (err)
		goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int e7_nl_dump_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct e7_stat_entry *e = kmalloc(sizeof(*e), GFP_KERNEL);
	unsigned long idx = cb->args[0];
	void *hdr;
	int err = 0;

	if (!e)
		return -ENOMEM;
	for (;;) {
		unsigned long next = idx;

		if (!e7_stats_entry_get(&next, e))
			break;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &e7_genl_family,
				  NLM_F_MULTI, E7_CMD_GET_STATS);
		err = hdr ? e7_nl_put_entry(skb, e) : -EMSGSIZE;
		if (err) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		idx = next;
	}
	kfree(e);
	cb->args[0] = idx;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int e7_nl_reset_stats(struct sk_buff *skb, struct genl_info *info)
{
	e7_stats_reset();
	return 0;
}

static const struct genl_small_ops e7_ops[] = {
	{ .cmd = E7_CMD_GET_MODE, .doit = e7_nl_get_mode },
	{ .cmd = E7_CMD_SET_MODE,
	  .doit = e7_nl_set_mode,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_GET_CONFIG, .doit = e7_nl_get_config },
	{ .cmd = E7_CMD_SET_CONFIG,
	  .doit = e7_nl_set_config,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_GET_FLAGS, .doit = e7_nl_get_flags },
	{ .cmd = E7_CMD_SET_FLAGS,
	  .doit = e7_nl_set_flags,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_NEW_RULE,
	  .doit = e7_nl_new_rule,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_DEL_RULE,
	  .doit = e7_nl_del_rule,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_GET_RULE,
	  .doit = e7_nl_get_rule,
	  .dumpit = e7_nl_dump_rules },
	{ .cmd = E7_CMD_FLUSH_RULES,
	  .doit = e7_nl_flush_rules,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_GET_FLOW,
	  .dumpit = e7_nl_dump_flows,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_VERDICT,
	  .doit = e7_nl_verdict,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = E7_CMD_GET_STATS,
	  .doit = e7_nl_get_stats,
	  .dumpit = e7_nl_dump_stats },
	{ .cmd = E7_CMD_RESET_STATS,
	  .doit = e7_nl_reset_stats,
	  .flags = GENL_ADMIN_PERM },
};

static const struct genl_multicast_group e7_mcgrps[] = {
	{ .name = E7_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family e7_genl_family __ro_after_init = {
	.name = E7_GENL_NAME,
	.version = E7_GENL_VERSION,
	.maxattr = E7_A_MAX,
	.policy = e7_nl_policy,
	.netnsok = false,
	.module = THIS_MODULE,
	.small_ops = e7_ops,
	.n_small_ops = ARRAY_SIZE(e7_ops),
	.mcgrps = e7_mcgrps,
	.n_mcgrps = ARRAY_SIZE(e7_mcgrps),
};

int e7_netlink_init(void)
{
	return genl_register_family(&e7_genl_family);
}

void e7_netlink_exit(void)
{
	genl_unregister_family(&e7_genl_family);
}
