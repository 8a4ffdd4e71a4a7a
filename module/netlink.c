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
#include "hold.h"
#include "netlink-rule.h"
#include "netlink-stats.h"
#include "rules.h"

#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>

static struct netlink_range_validation e7_timeout_range = {
	.min = 100,
	.max = E7_HOLD_TIMEOUT_MAX_MS,
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
	[E7_A_POLICY_UNPARSED] =
		NLA_POLICY_RANGE(NLA_U8, E7_ACTION_ALLOW, E7_ACTION_BLOCK),
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
	    nla_put_u8(msg, E7_A_POLICY_UNPARSED, e7_policy(E7_POL_UNPARSED)) ||
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
	[E7_POL_UNPARSED] = E7_A_POLICY_UNPARSED,
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
	err = e7_nl_rule_install(info->attrs[E7_A_RULE], info->extack, &id);
	if (!err) {
		rcu_read_lock();
		r = e7_rule_find(id);
		err = r ? e7_nl_rule_put(msg, r) : -ENOENT;
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
	err = r ? e7_nl_rule_put(msg, r) : -ENOENT;
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
		err = e7_nl_rule_put(skb, r);
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
		err = hdr ? e7_flow_info_put(skb, &fi, NULL, 0) : -EMSGSIZE;
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
		err = e7_nl_rule_install(info->attrs[E7_A_RULE], info->extack,
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

static int e7_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = e7_nl_reply_new(info, E7_CMD_GET_STATS, &hdr, NLMSG_GOODSIZE);
	if (!msg)
		return -ENOMEM;
	return e7_nl_reply_send(msg, hdr, info, e7_nl_stats_put(msg));
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
		err = hdr ? e7_nl_stats_put_entry(skb, e) : -EMSGSIZE;
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
