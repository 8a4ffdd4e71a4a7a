/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vocabulary of e7d, e7ctl and the applet: the genl schema's enums
 * (linux/eftirlit7.h, the contract with the kernel) under GLib names, and
 * the one table of their names, built from the schema's x-macros.  A value
 * means the same in every program, on the wire and on D-Bus.
 */
#pragma once

#include <glib.h>
#include <linux/eftirlit7.h>

G_BEGIN_DECLS

typedef enum e7_action E7Action; /* E7_ACTION_ALLOW, E7_ACTION_BLOCK */
typedef guint8 E7Protocol; /* enum e7_proto: an IP protocol number, 0 = any */
typedef enum e7_dir E7Direction; /* E7_DIR_OUT, E7_DIR_IN (E7_DIR_ANY) */
typedef enum e7_lifetime E7Lifetime;
typedef enum e7_mode E7Mode;
typedef enum e7_profile E7Profile;
typedef enum e7_reason E7Reason;

/* What a remembered prompt answer covers (org.eftirlit7.Firewall1.Agent):
 * a D-Bus word only, the kernel never sees it. */
#define E7_SCOPES(X)                     \
	X(PROGRAM, 0, "program")         \
	X(DESTINATION, 1, "destination") \
	X(PORT, 2, "port")

typedef enum {
#define E7_X_ENUM(n, v, s) E7_SCOPE_##n = v,
	E7_SCOPES(E7_X_ENUM)
#undef E7_X_ENUM
} E7Scope;

/*
 * Names.  _to_string() gives "unknown" for a value without a name;
 * _from_string() returns FALSE (and leaves @out alone) for an unknown name.
 * Lifetimes have D-Bus names of their own where the schema's alias differs
 * (LOGOUT is "session", REBOOT is "boot"); both spellings are read.
 */
const char *e7_action_to_string(E7Action action);
gboolean e7_action_from_string(const char *s, E7Action *out);
const char *e7_protocol_to_string(E7Protocol protocol);
gboolean e7_protocol_from_string(const char *s, E7Protocol *out);
const char *e7_direction_to_string(E7Direction direction);
gboolean e7_direction_from_string(const char *s, E7Direction *out);
const char *e7_lifetime_to_string(E7Lifetime lifetime);
gboolean e7_lifetime_from_string(const char *s, E7Lifetime *out);
const char *e7_mode_to_string(E7Mode mode);
gboolean e7_mode_from_string(const char *s, E7Mode *out);
const char *e7_profile_to_string(E7Profile profile);
gboolean e7_profile_from_string(const char *s, E7Profile *out);
const char *e7_reason_to_string(E7Reason reason);
const char *e7_scope_to_string(E7Scope scope);
gboolean e7_scope_from_string(const char *s, E7Scope *out);

/* The module's flags (E7_FLAGS): a bit's name, and the bit of a name. */
const char *e7_flag_to_string(guint32 bit);
gboolean e7_flag_from_string(const char *s, guint32 *bit);
/* Whether the flag is on when nobody set it. */
gboolean e7_flag_default(guint32 bit);

G_END_DECLS
