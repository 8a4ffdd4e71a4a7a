/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule model: one firewall rule, its text form (the extended seed
 * grammar of eftirlit7-rules(5)) and its a{sv} form on D-Bus.
 */
#pragma once

#include <gio/gio.h>

#include "e7-enums.h"

G_BEGIN_DECLS

/* Longest program path a rule may name (the kernel's PATH_MAX). */
#define E7_RULE_PROGRAM_MAX E7_PATH_MAX
/* Longest "for" duration: one year (the kernel's limit). */
#define E7_RULE_DURATION_MAX E7_EXPIRE_MAX

typedef struct {
	guint64 id;
	E7Action action;
	E7Protocol protocol;
	E7Direction direction;
	char *program; /* NULL: any program */
	GInetAddressMask *remote; /* NULL: any address */
	guint16 port_min; /* 0: any port */
	guint16 port_max;
	gboolean has_uid;
	guint32 uid;
	E7Lifetime lifetime;
	guint32 duration; /* seconds, for E7_LIFETIME_SECONDS */
	gint64 expires; /* CLOCK_REALTIME seconds, 0 if not known yet */
	gboolean has_owner;
	guint32 owner_uid;
	char *comment; /* trailing "# ..." text, without the '#' */
} E7Rule;

E7Rule *e7_rule_new(void);
E7Rule *e7_rule_copy(const E7Rule *rule);
void e7_rule_free(E7Rule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Rule, e7_rule_free)

/* Parses one rule in the text grammar. Errors are E7_ERROR_INVALID_ARGS. */
E7Rule *e7_rule_parse(const char *text, GError **error);
/* The canonical text form; e7_rule_parse() of it gives an equal rule. */
char *e7_rule_to_string(const E7Rule *rule);

gboolean e7_rule_equal(const E7Rule *a, const E7Rule *b);

/* Checks a program path: absolute, no "." or ".." components, no spaces. */
gboolean e7_rule_program_valid(const char *program, GError **error);

/* The a{sv} form (see org.eftirlit7.Firewall1.xml). */
GVariant *e7_rule_to_variant(const E7Rule *rule);
/* Applies the keys of an a{sv} dictionary to @rule; on error @rule is
 * unchanged. */
gboolean e7_rule_update_from_variant(E7Rule *rule, GVariant *dict,
				     GError **error);
/* A new rule from an a{sv} dictionary; "action" and "program" (or "text")
 * are required. */
E7Rule *e7_rule_new_from_variant(GVariant *dict, GError **error);

/* Whether every key of @filter (an a{sv}) matches the rule; unknown keys or
 * wrong types fail with E7_ERROR_INVALID_ARGS. */
gboolean e7_rule_check_filter(GVariant *filter, GError **error);
gboolean e7_rule_matches_filter(const E7Rule *rule, GVariant *filter);

G_END_DECLS
