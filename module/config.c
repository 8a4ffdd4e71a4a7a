// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime configuration: mode, profile, flags, "nobody decided" policies
 * and bounds.  Module parameters set the boot values so that protection
 * starts with the first packet; E7_CMD_SET_CONFIG changes them later.
 */
#include "config.h"

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static u8 mode_val = E7_MODE_ASK;
static u8 profile_val = E7_PROFILE_DESKTOP;
static u32 flags_val;
static u8 policy_val[E7_POL_COUNT];
static u32 hold_timeout_val = E7_HOLD_TIMEOUT_MS;
static atomic64_t generation = ATOMIC64_INIT(1);

static char *mode = "ask";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(
	mode,
	"initial mode: ask, allow-unknown, deny-unknown, disabled, block-all");
static char *profile = "desktop";
module_param(profile, charp, 0444);
MODULE_PARM_DESC(profile, "policy preset: desktop or strict");
static char *nodaemon = "";
module_param(nodaemon, charp, 0444);
MODULE_PARM_DESC(
	nodaemon,
	"policy when no daemon listens: allow or block (default: profile)");
static char *timeout = "";
module_param(timeout, charp, 0444);
MODULE_PARM_DESC(
	timeout,
	"policy when a held flow times out: allow or block (default: profile)");
static char *unparsed = "";
module_param(unparsed, charp, 0444);
MODULE_PARM_DESC(
	unparsed,
	"policy for packets that cannot be parsed: allow or block (default: profile)");
static uint hold_timeout_ms = E7_HOLD_TIMEOUT_MS;
module_param(hold_timeout_ms, uint, 0444);
MODULE_PARM_DESC(hold_timeout_ms,
		 "how long an unknown flow is held waiting for a verdict");
static uint max_rules = E7_RULES_MAX;
module_param(max_rules, uint, 0444);
MODULE_PARM_DESC(max_rules, "bound of the rule table");
static uint max_held_flows = E7_HOLD_FLOWS_MAX;
module_param(max_held_flows, uint, 0444);
MODULE_PARM_DESC(max_held_flows, "bound of concurrently held flows");
static uint max_held_pkts = E7_HOLD_PKTS_MAX;
module_param(max_held_pkts, uint, 0444);
MODULE_PARM_DESC(max_held_pkts, "bound of held packets in total");

u8 e7_mode(void)
{
	return READ_ONCE(mode_val);
}

void e7_set_mode(u8 m)
{
	WRITE_ONCE(mode_val, m);
	e7_generation_bump();
}

u32 e7_flags(void)
{
	return READ_ONCE(flags_val);
}

void e7_set_flags(u32 f)
{
	WRITE_ONCE(flags_val, f & E7_FLAGS_ALL);
	e7_generation_bump();
}

u8 e7_profile(void)
{
	return READ_ONCE(profile_val);
}

void e7_apply_profile(u8 p)
{
	bool strict = p == E7_PROFILE_STRICT;

	WRITE_ONCE(profile_val, p);
	e7_set_policy(E7_POL_NODAEMON,
		      strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW);
	e7_set_policy(E7_POL_TIMEOUT, E7_ACTION_BLOCK);
	e7_set_policy(E7_POL_OVERFLOW, E7_ACTION_BLOCK);
	e7_set_policy(E7_POL_UNIDENTIFIED,
		      strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW);
	e7_set_policy(E7_POL_UNPARSED,
		      strict ? E7_ACTION_BLOCK : E7_ACTION_ALLOW);
}

u8 e7_policy(enum e7_policy_case c)
{
	return READ_ONCE(policy_val[c]);
}

void e7_set_policy(enum e7_policy_case c, u8 action)
{
	WRITE_ONCE(policy_val[c], action);
	e7_generation_bump();
}

u32 e7_hold_timeout_ms(void)
{
	return READ_ONCE(hold_timeout_val);
}

void e7_set_hold_timeout_ms(u32 ms)
{
	WRITE_ONCE(hold_timeout_val, ms);
}

u32 e7_rules_max(void)
{
	return max_rules;
}

u32 e7_hold_flows_max(void)
{
	return max_held_flows;
}

u32 e7_hold_pkts_per_flow(void)
{
	return E7_HOLD_PKTS_PER_FLOW;
}

u32 e7_hold_pkts_max(void)
{
	return max_held_pkts;
}

u64 e7_generation(void)
{
	return atomic64_read(&generation);
}

void e7_generation_bump(void)
{
	atomic64_inc(&generation);
}

/* The values of these lists run from 0 without gaps (checked below). */
#define E7_X_NAME(n, v, s) s,
static const char *const mode_names[] = { E7_MODES(E7_X_NAME) };
static const char *const profile_names[] = { E7_PROFILES(E7_X_NAME) };
#undef E7_X_NAME

#define E7_X_FLAG(n, b, s, d) { E7_FLAG_##n, d },
static const struct {
	u32 flag;
	bool on;
} flag_defaults[] = { E7_FLAGS(E7_X_FLAG) };
#undef E7_X_FLAG

static int parse_action(const char *name, const char *val,
			enum e7_policy_case c)
{
	if (!*val)
		return 0;
	if (!strcmp(val, "allow"))
		e7_set_policy(c, E7_ACTION_ALLOW);
	else if (!strcmp(val, "block"))
		e7_set_policy(c, E7_ACTION_BLOCK);
	else
		goto bad;
	return 0;
bad:
	pr_err("eftirlit7: %s=%s: expected allow or block\n", name, val);
	return -EINVAL;
}

int e7_config_init(void)
{
	unsigned int i;
	int m, p, err;

	BUILD_BUG_ON(ARRAY_SIZE(mode_names) != __E7_MODE_MAX);
	BUILD_BUG_ON(ARRAY_SIZE(profile_names) != __E7_PROFILE_MAX);

	p = match_string(profile_names, ARRAY_SIZE(profile_names), profile);
	if (p < 0) {
		pr_err("eftirlit7: unknown profile '%s'\n", profile);
		return -EINVAL;
	}
	m = match_string(mode_names, ARRAY_SIZE(mode_names), mode);
	if (m < 0) {
		pr_err("eftirlit7: unknown mode '%s'\n", mode);
		return -EINVAL;
	}
	if (hold_timeout_ms < 100 || hold_timeout_ms > E7_HOLD_TIMEOUT_MAX_MS) {
		pr_err("eftirlit7: hold_timeout_ms must be 100..%u\n",
		       E7_HOLD_TIMEOUT_MAX_MS);
		return -EINVAL;
	}
	if (!max_rules || !max_held_flows || !max_held_pkts) {
		pr_err("eftirlit7: table bounds must not be zero\n");
		return -EINVAL;
	}
	e7_apply_profile(p);
	err = parse_action("nodaemon", nodaemon, E7_POL_NODAEMON);
	if (err)
		return err;
	err = parse_action("timeout", timeout, E7_POL_TIMEOUT);
	if (err)
		return err;
	err = parse_action("unparsed", unparsed, E7_POL_UNPARSED);
	if (err)
		return err;
	mode_val = m;
	hold_timeout_val = hold_timeout_ms;
	flags_val = 0;
	for (i = 0; i < ARRAY_SIZE(flag_defaults); i++)
		if (flag_defaults[i].on)
			flags_val |= flag_defaults[i].flag;
	return 0;
}
