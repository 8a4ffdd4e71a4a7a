// SPDX-License-Identifier: GPL-2.0-or-later
#include "e7-enums.h"

typedef struct {
	guint value;
	const char *name;
} E7Name;

#define E7_X_NAME(n, v, s) { v, s },
static const E7Name action_names[] = { E7_ACTIONS(E7_X_NAME) };
static const E7Name protocol_names[] = { E7_PROTOS(E7_X_NAME) };
static const E7Name direction_names[] = { E7_DIRS(E7_X_NAME) };
static const E7Name mode_names[] = { E7_MODES(E7_X_NAME) };
static const E7Name profile_names[] = { E7_PROFILES(E7_X_NAME) };
static const E7Name reason_names[] = { E7_REASONS(E7_X_NAME) };
static const E7Name scope_names[] = { E7_SCOPES(E7_X_NAME) };
/* The D-Bus names come first: they are the ones written. */
static const E7Name lifetime_names[] = { { E7_LIFETIME_LOGOUT, "session" },
					 { E7_LIFETIME_REBOOT, "boot" },
					 E7_LIFETIMES(E7_X_NAME) };
#undef E7_X_NAME

typedef struct {
	guint32 bit;
	const char *name;
	gboolean on;
} E7FlagName;

static const E7FlagName flag_names[] = {
#define E7_X_FLAG(n, b, s, d) { 1u << (b), s, d },
	E7_FLAGS(E7_X_FLAG)
#undef E7_X_FLAG
};

static const char *name_of(const E7Name *names, guint n, guint value)
{
	for (guint i = 0; i < n; i++)
		if (names[i].value == value)
			return names[i].name;
	return "unknown";
}

static gboolean value_of(const E7Name *names, guint n, const char *s,
			 guint *out)
{
	for (guint i = 0; s && i < n; i++) {
		if (g_str_equal(names[i].name, s)) {
			*out = names[i].value;
			return TRUE;
		}
	}
	return FALSE;
}

#define E7_DEFINE_NAMES(fn, Type, names)                          \
	const char *e7_##fn##_to_string(Type v)                   \
	{                                                         \
		return name_of(names, G_N_ELEMENTS(names), v);    \
	}                                                         \
	gboolean e7_##fn##_from_string(const char *s, Type *out)  \
	{                                                         \
		guint v;                                          \
		if (!value_of(names, G_N_ELEMENTS(names), s, &v)) \
			return FALSE;                             \
		*out = (Type)v;                                   \
		return TRUE;                                      \
	}

E7_DEFINE_NAMES(action, E7Action, action_names)
E7_DEFINE_NAMES(protocol, E7Protocol, protocol_names)
E7_DEFINE_NAMES(direction, E7Direction, direction_names)
E7_DEFINE_NAMES(lifetime, E7Lifetime, lifetime_names)
E7_DEFINE_NAMES(mode, E7Mode, mode_names)
E7_DEFINE_NAMES(profile, E7Profile, profile_names)
E7_DEFINE_NAMES(scope, E7Scope, scope_names)

const char *e7_reason_to_string(E7Reason reason)
{
	return name_of(reason_names, G_N_ELEMENTS(reason_names), reason);
}

static const E7FlagName *find_flag(guint32 bit)
{
	for (guint i = 0; i < G_N_ELEMENTS(flag_names); i++)
		if (flag_names[i].bit == bit)
			return &flag_names[i];
	return NULL;
}

const char *e7_flag_to_string(guint32 bit)
{
	const E7FlagName *f = find_flag(bit);

	return f ? f->name : "unknown";
}

gboolean e7_flag_from_string(const char *s, guint32 *bit)
{
	for (guint i = 0; s && i < G_N_ELEMENTS(flag_names); i++) {
		if (g_str_equal(flag_names[i].name, s)) {
			*bit = flag_names[i].bit;
			return TRUE;
		}
	}
	return FALSE;
}

gboolean e7_flag_default(guint32 bit)
{
	const E7FlagName *f = find_flag(bit);

	return f && f->on;
}
