/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rules and connection events (a{sv} from e7d) as text, and rules from a form. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the rule editor collects; strings may be empty, never NULL. */
typedef struct {
	const char *action; /* allow|block */
	const char
		*program; /* absolute path, directory ending in "/", or "any" */
	const char *protocol; /* tcp|udp|icmp|any */
	const char *direction; /* out|in */
	const char *remote_address; /* address, CIDR, "any" or "" */
	const char *ports; /* "", "443" or "1000-2000" */
	const char *lifetime; /* forever|once|process|session|boot or seconds */
	gboolean only_me; /* restrict to uid */
	guint32 uid;
	guint32 duration; /* e7_rule_to_form() only: seconds of a "seconds" rule */
} E7RuleForm;

guint64 e7_rule_get_id(GVariant *rule);
const char *e7_rule_get_string(GVariant *rule, const char *key);
char *e7_rule_describe_program(GVariant *rule);
char *e7_rule_describe_action(GVariant *rule);
char *e7_rule_describe_scope(GVariant *rule);
char *e7_rule_describe_lifetime(GVariant *rule);
/* Where the rule comes from: the administrator's file in rules.d ("origin"),
 * or learned (prompts, e7ctl, D-Bus). */
char *e7_rule_describe_origin(GVariant *rule);
/*
 * Hits and last hit ("hits" t, "last-hit" t: CLOCK_REALTIME microseconds);
 * "—" when the rule does not say.
 */
char *e7_rule_describe_hits(GVariant *rule);
char *e7_rule_describe_last_hit(GVariant *rule);
/* Case-insensitive match of needle in the program, action or scope. */
gboolean e7_rule_matches(GVariant *rule, const char *needle);

/* A floating a{sv} for AddRule/UpdateRule, or NULL with a message for the user. */
GVariant *e7_rule_from_form(const E7RuleForm *form, GError **error);
/* Fill a form from a rule (for editing); strings point into the rule or statics. */
void e7_rule_to_form(GVariant *rule, E7RuleForm *form, char **ports_out);

char *e7_event_describe_time(GVariant *event);
char *e7_event_describe(GVariant *event);

G_END_DECLS
