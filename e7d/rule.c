// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule.h"

#include <string.h>

#include <glib/gi18n.h>

#include "e7-error.h"

E7Rule *e7_rule_new(void)
{
	E7Rule *rule = g_new0(E7Rule, 1);

	rule->action = E7_ACTION_ALLOW;
	rule->protocol = E7_PROTO_ANY;
	rule->direction = E7_DIR_OUT;
	rule->lifetime = E7_LIFETIME_FOREVER;
	return rule;
}

E7Rule *e7_rule_copy(const E7Rule *rule)
{
	E7Rule *copy = g_memdup2(rule, sizeof(*rule));

	copy->program = g_strdup(rule->program);
	copy->comment = g_strdup(rule->comment);
	copy->sha256 = g_strdup(rule->sha256);
	copy->origin = g_strdup(rule->origin);
	if (rule->remote)
		g_object_ref(rule->remote);
	return copy;
}

void e7_rule_free(E7Rule *rule)
{
	if (!rule)
		return;
	g_free(rule->program);
	g_free(rule->comment);
	g_free(rule->sha256);
	g_free(rule->origin);
	g_clear_object(&rule->remote);
	g_free(rule);
}

gboolean e7_rule_equal(const E7Rule *a, const E7Rule *b)
{
	if (a->action != b->action || a->protocol != b->protocol ||
	    a->direction != b->direction || a->port_min != b->port_min ||
	    a->port_max != b->port_max || a->has_uid != b->has_uid ||
	    (a->has_uid && a->uid != b->uid) || a->lifetime != b->lifetime ||
	    a->duration != b->duration)
		return FALSE;
	if (g_strcmp0(a->program, b->program) != 0 ||
	    g_strcmp0(a->comment, b->comment) != 0 ||
	    g_strcmp0(a->sha256, b->sha256) != 0)
		return FALSE;
	if (!a->remote || !b->remote)
		return a->remote == b->remote;
	return g_inet_address_mask_equal(a->remote, b->remote);
}

gboolean e7_rule_program_valid(const char *program, GError **error)
{
	const char *p;

	if (program[0] != '/') {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: 'any' is a rule word: keep it */
			_("program '%s' is not an absolute path, a directory ending in '/' or 'any'"),
			program);
		return FALSE;
	}
	if (strlen(program) >= E7_RULE_PROGRAM_MAX) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("program path is longer than %d bytes"),
			    E7_RULE_PROGRAM_MAX - 1);
		return FALSE;
	}
	if (!g_utf8_validate(program, -1, NULL)) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    _("program path is not valid UTF-8"));
		return FALSE;
	}
	for (p = program; *p; p++) {
		if (g_ascii_isspace(*p) || g_ascii_iscntrl(*p) || *p == '#') {
			g_set_error_literal(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				_("program path contains a space, '#' or a control character"));
			return FALSE;
		}
	}
	for (p = program; (p = strchr(p, '/')) != NULL; p++) {
		if (p[1] == '/' ||
		    (p[1] == '.' && (p[2] == '/' || p[2] == '\0')) ||
		    (p[1] == '.' && p[2] == '.' &&
		     (p[3] == '/' || p[3] == '\0'))) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				_("program path '%s' is not normalized (contains '//', '.' or '..')"),
				program);
			return FALSE;
		}
	}
	return TRUE;
}

void e7_rule_move(E7Rule *dst, E7Rule *src)
{
	g_free(dst->program);
	g_free(dst->comment);
	g_free(dst->sha256);
	g_free(dst->origin);
	g_clear_object(&dst->remote);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

void e7_rule_set_fields(E7Rule *rule, const E7Rule *src)
{
	g_autoptr(E7Rule) copy = e7_rule_copy(src);
	g_autofree char *origin = g_steal_pointer(&rule->origin);
	guint64 id = rule->id;

	e7_rule_move(rule, copy);
	rule->id = id;
	g_free(rule->origin);
	rule->origin = g_steal_pointer(&origin);
}

gboolean e7_rule_is_persistent(const E7Rule *rule)
{
	return rule->lifetime == E7_LIFETIME_FOREVER;
}

void e7_rule_start_clock(E7Rule *rule)
{
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		rule->expires =
			g_get_real_time() / G_USEC_PER_SEC + rule->duration;
}

GInetAddressMask *e7_rule_parse_address(const char *s, GError **error)
{
	g_autoptr(GError) local = NULL;
	GInetAddressMask *mask;

	if (strchr(s, '%') == NULL) {
		mask = g_inet_address_mask_new_from_string(s, &local);
		if (mask)
			return mask;
	}
	g_set_error(
		error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		/* TRANSLATORS: the last two %s add ": " and the reason, or nothing */
		_("bad address '%s': expected an IPv4 or IPv6 address or CIDR%s%s"),
		s, local ? ": " : "", local ? local->message : "");
	return NULL;
}

gboolean e7_rule_sha256_valid(const char *s, GError **error)
{
	gsize n = strspn(s, "0123456789abcdef");

	if (n == E7_RULE_SHA256_LEN && s[n] == '\0')
		return TRUE;
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    _("bad sha256 '%s': expected 64 lower-case hex digits"), s);
	return FALSE;
}

gboolean e7_rule_names_one_program(const E7Rule *rule)
{
	return rule->program && !g_str_has_suffix(rule->program, "/");
}
