/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rule model: one firewall rule and the checks of its fields.  Its text
 * form is in rule-text.h, its a{sv} form on D-Bus in rule-variant.h.
 */
#pragma once

#include <gio/gio.h>

#include "e7-enums.h"

G_BEGIN_DECLS

/* Longest program path a rule may name (the kernel's PATH_MAX). */
#define E7_RULE_PROGRAM_MAX E7_PATH_MAX
/* Longest "for" duration: one year (the kernel's limit). */
#define E7_RULE_DURATION_MAX E7_EXPIRE_MAX

/* A program as the module knows it: its executable's device (the
 * kernel's new encoding), inode and change time (E7_RULE_A_EXE_*). */
typedef struct {
	guint32 dev;
	guint64 ino;
	guint64 ctime_ns;
} E7ExeId;

/* Length of a SHA-256 in hex, without the NUL. */
#define E7_RULE_SHA256_LEN 64

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
	/* The program an exact-path rule was made for: its content (kept in
	 * the rules file), and the identity the module binds the rule to
	 * (memory only: the module reports it). */
	char *sha256; /* lower-case hex, NULL: not known */
	gboolean has_exe; /* bound in the module to exe */
	E7ExeId exe;
	gboolean exe_bind; /* ask the module to bind it to the file now */
	char *comment; /* trailing "# ..." text, without the '#' */
	/* The file in /etc/eftirlit7/rules.d a system rule was read from
	 * (e7d never changes it); NULL: a rule e7d keeps itself. */
	char *origin;
} E7Rule;

E7Rule *e7_rule_new(void);
E7Rule *e7_rule_copy(const E7Rule *rule);
void e7_rule_free(E7Rule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Rule, e7_rule_free)

gboolean e7_rule_equal(const E7Rule *a, const E7Rule *b);
/* Gives @dst the fields of @src and empties @src. */
void e7_rule_move(E7Rule *dst, E7Rule *src);
/* Gives @rule a copy of the fields of @src, its id and origin excepted. */
void e7_rule_set_fields(E7Rule *rule, const E7Rule *src);
/* Kept in the rules file (lifetime forever), not only in memory. */
gboolean e7_rule_is_persistent(const E7Rule *rule);
/* Sets "expires" of a rule with a lifetime in seconds, counted from now. */
void e7_rule_start_clock(E7Rule *rule);

/* Checks a program path: absolute, no "." or ".." components, no spaces. */
gboolean e7_rule_program_valid(const char *program, GError **error);
/* A SHA-256 in hex (64 characters); errors are E7_ERROR_INVALID_ARGS. */
gboolean e7_rule_sha256_valid(const char *s, GError **error);
/* Whether a rule names one program (an exact path): only such a rule is
 * bound to a program's identity. */
gboolean e7_rule_names_one_program(const E7Rule *rule);

/* An IPv4 or IPv6 address or CIDR; errors are E7_ERROR_INVALID_ARGS. */
GInetAddressMask *e7_rule_parse_address(const char *s, GError **error);

G_END_DECLS
