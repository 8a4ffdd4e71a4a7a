/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_CONFIG_H
#define _E7_CONFIG_H

#include <linux/types.h>
#include <linux/eftirlit7.h>

enum e7_policy_case {
	E7_POL_NODAEMON,
	E7_POL_TIMEOUT,
	E7_POL_OVERFLOW,
	E7_POL_UNIDENTIFIED,
	E7_POL_UNPARSED, /* a user socket's packet that cannot be parsed */
	E7_POL_COUNT
};

u8 e7_mode(void);
void e7_set_mode(u8 mode);
u32 e7_flags(void);
void e7_set_flags(u32 flags);
u8 e7_profile(void);
void e7_apply_profile(u8 profile);
u8 e7_policy(enum e7_policy_case c);
void e7_set_policy(enum e7_policy_case c, u8 action);
u32 e7_hold_timeout_ms(void);
void e7_set_hold_timeout_ms(u32 ms);
u32 e7_rules_max(void);
u32 e7_hold_flows_max(void);
u32 e7_hold_pkts_per_flow(void);
u32 e7_hold_pkts_max(void);

u64 e7_generation(void);
void e7_generation_bump(void);

int e7_config_init(void);

#endif /* _E7_CONFIG_H */
