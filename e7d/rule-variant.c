// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule-variant.h"

#include <glib/gi18n.h>

#include "e7-error.h"
#include "rule-text.h"

/* How long the rule lives, and whose session or process it follows. */
static void add_lifetime(GVariantBuilder *b, const E7Rule *rule)
{
	g_variant_builder_add(
		b, "{sv}", "lifetime",
		g_variant_new_string(e7_lifetime_to_string(rule->lifetime)));
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		g_variant_builder_add(b, "{sv}", "duration",
				      g_variant_new_uint32(rule->duration));
	if (rule->expires)
		g_variant_builder_add(b, "{sv}", "expires",
				      g_variant_new_uint64(rule->expires));
	if (rule->has_owner)
		g_variant_builder_add(b, "{sv}", "owner-uid",
				      g_variant_new_uint32(rule->owner_uid));
	g_variant_builder_add(b, "{sv}", "persistent",
			      g_variant_new_boolean(rule->lifetime ==
						    E7_LIFETIME_FOREVER));
}

GVariant *e7_rule_to_variant(const E7Rule *rule)
{
	GVariantBuilder b;
	g_autofree char *text = e7_rule_to_string(rule);

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (rule->id)
		g_variant_builder_add(&b, "{sv}", "id",
				      g_variant_new_uint64(rule->id));
	g_variant_builder_add(&b, "{sv}", "text", g_variant_new_string(text));
	g_variant_builder_add(
		&b, "{sv}", "action",
		g_variant_new_string(e7_action_to_string(rule->action)));
	g_variant_builder_add(
		&b, "{sv}", "program",
		g_variant_new_string(rule->program ? rule->program : "any"));
	g_variant_builder_add(
		&b, "{sv}", "protocol",
		g_variant_new_string(e7_protocol_to_string(rule->protocol)));
	g_variant_builder_add(
		&b, "{sv}", "direction",
		g_variant_new_string(e7_direction_to_string(rule->direction)));
	if (rule->remote) {
		g_autofree char *addr =
			g_inet_address_mask_to_string(rule->remote);

		g_variant_builder_add(&b, "{sv}", "remote-address",
				      g_variant_new_string(addr));
	} else {
		g_variant_builder_add(&b, "{sv}", "remote-address",
				      g_variant_new_string("any"));
	}
	if (rule->port_min) {
		g_variant_builder_add(&b, "{sv}", "remote-port",
				      g_variant_new_uint16(rule->port_min));
		g_variant_builder_add(&b, "{sv}", "remote-port-end",
				      g_variant_new_uint16(rule->port_max));
	}
	if (rule->has_uid)
		g_variant_builder_add(&b, "{sv}", "uid",
				      g_variant_new_uint32(rule->uid));
	add_lifetime(&b, rule);
	if (rule->sha256)
		g_variant_builder_add(&b, "{sv}", "sha256",
				      g_variant_new_string(rule->sha256));
	if (rule->origin)
		g_variant_builder_add(&b, "{sv}", "origin",
				      g_variant_new_string(rule->origin));
	return g_variant_builder_end(&b);
}

typedef struct {
	const char *key;
	const char *type;
	gboolean input; /* accepted by AddRule/UpdateRule */
} KeyInfo;

static const KeyInfo rule_keys[] = {
	{ "id", "t", FALSE },
	{ "text", "s", TRUE },
	{ "action", "s", TRUE },
	{ "program", "s", TRUE },
	{ "protocol", "s", TRUE },
	{ "direction", "s", TRUE },
	{ "remote-address", "s", TRUE },
	{ "remote-port", "q", TRUE },
	{ "remote-port-end", "q", TRUE },
	{ "uid", "u", TRUE },
	{ "lifetime", "s", TRUE },
	{ "duration", "u", TRUE },
	{ "expires", "t", FALSE },
	{ "owner-uid", "u", FALSE },
	{ "persistent", "b", FALSE },
	{ "sha256", "s", TRUE },
	{ "origin", "s", FALSE },
};

static const KeyInfo *find_key(const char *key)
{
	for (guint i = 0; i < G_N_ELEMENTS(rule_keys); i++)
		if (g_str_equal(rule_keys[i].key, key))
			return &rule_keys[i];
	return NULL;
}

static gboolean check_dict(GVariant *dict, GError **error)
{
	GVariantIter iter;
	const char *key;
	GVariant *value;

	if (!g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: a{sv} is a D-Bus type: keep it */
			_("expected a dictionary of type a{sv}"));
		return FALSE;
	}
	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		const KeyInfo *info = find_key(key);

		if (!info) {
			g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    _("unknown rule key '%s'"), key);
			return FALSE;
		}
		if (!g_variant_is_of_type(value, G_VARIANT_TYPE(info->type))) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				/* TRANSLATORS: the keys and the types (s, q, u...) are D-Bus names: keep them */
				_("rule key '%s' must have type '%s', not '%s'"),
				key, info->type,
				g_variant_get_type_string(value));
			g_variant_unref(value);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean bad_value(GError **error, const char *key, const char *value,
			  const char *expect)
{
	g_set_error(
		error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		/* TRANSLATORS: a rule key (action, protocol, uid...), the value given, and what was expected */
		_("bad %s '%s': expected %s"), key, value, expect);
	return FALSE;
}

/* "text": the rule it parses replaces every field but the id and owner. */
static gboolean apply_text(E7Rule *r, const char *text, GError **error)
{
	g_autoptr(E7Rule) parsed = e7_rule_parse(text, error);

	if (!parsed)
		return FALSE;
	parsed->id = r->id;
	parsed->has_owner = r->has_owner;
	parsed->owner_uid = r->owner_uid;
	e7_rule_move(r, parsed);
	return TRUE;
}

static gboolean apply_words(E7Rule *r, GVariant *dict, GError **error)
{
	const char *s;

	if (g_variant_lookup(dict, "action", "&s", &s) &&
	    !e7_action_from_string(s, &r->action))
		return bad_value(
			error, "action", s,
			/* TRANSLATORS: what a rule's "action" may be: keep allow and block */
			_("allow or block"));
	if (g_variant_lookup(dict, "protocol", "&s", &s) &&
	    !e7_protocol_from_string(s, &r->protocol))
		return bad_value(
			error, "protocol", s,
			/* TRANSLATORS: what a rule's "protocol" may be: keep the words, translate only "or" */
			_("tcp, udp, icmp, icmpv6, sctp, udplite or any"));
	if (g_variant_lookup(dict, "direction", "&s", &s) &&
	    (!e7_direction_from_string(s, &r->direction) ||
	     r->direction == E7_DIR_ANY))
		return bad_value(
			error, "direction", s,
			/* TRANSLATORS: what a rule's "direction" may be: keep out and in */
			_("out or in"));
	if (g_variant_lookup(dict, "lifetime", "&s", &s) &&
	    !e7_lifetime_from_string(s, &r->lifetime))
		return bad_value(
			error, "lifetime", s,
			/* TRANSLATORS: what a rule's "lifetime" may be: keep the words, translate only "or" */
			_("forever, once, process, session, boot or seconds"));
	return TRUE;
}

static gboolean apply_program(E7Rule *r, GVariant *dict, GError **error)
{
	const char *s;

	if (g_variant_lookup(dict, "program", "&s", &s)) {
		g_clear_pointer(&r->program, g_free);
		/* Another program: not bound to the old one's identity. */
		g_clear_pointer(&r->sha256, g_free);
		r->has_exe = FALSE;
		if (!g_str_equal(s, "any")) {
			if (!e7_rule_program_valid(s, error))
				return FALSE;
			r->program = g_strdup(s);
		}
	}
	if (g_variant_lookup(dict, "sha256", "&s", &s)) {
		if (!e7_rule_sha256_valid(s, error))
			return FALSE;
		if (!e7_rule_names_one_program(r))
			return bad_value(
				error, "sha256", s,
				/* TRANSLATORS: bad sha256 '...': expected an exact program path with it */
				_("an exact program path with it"));
		g_free(r->sha256);
		r->sha256 = g_strdup(s);
	}
	if (g_variant_lookup(dict, "remote-address", "&s", &s)) {
		g_clear_object(&r->remote);
		if (!g_str_equal(s, "any")) {
			r->remote = e7_rule_parse_address(s, error);
			if (!r->remote)
				return FALSE;
		}
	}
	return TRUE;
}

static gboolean apply_ports(E7Rule *r, GVariant *dict, GError **error)
{
	gboolean port_set = FALSE, end_set = FALSE;
	guint16 q;

	if (g_variant_lookup(dict, "remote-port", "q", &q)) {
		r->port_min = r->port_max = q;
		port_set = TRUE;
	}
	if (g_variant_lookup(dict, "remote-port-end", "q", &q)) {
		r->port_max = q;
		end_set = TRUE;
	}
	if (end_set && !port_set && r->port_min == 0)
		return bad_value(
			error, "remote-port-end", "",
			/* TRANSLATORS: bad remote-port-end '': expected it together with remote-port (a D-Bus key: keep it) */
			_("together with remote-port"));
	if (r->port_min == 0)
		r->port_max = 0;
	if (r->port_max < r->port_min) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			_("bad port range %u-%u: the first port is larger than the last"),
			r->port_min, r->port_max);
		return FALSE;
	}
	return TRUE;
}

static gboolean apply_numbers(E7Rule *r, GVariant *dict, GError **error)
{
	guint32 u;

	if (g_variant_lookup(dict, "uid", "u", &u)) {
		if (u == G_MAXUINT32)
			return bad_value(error, "uid", "4294967295",
					 _("a valid uid"));
		r->has_uid = TRUE;
		r->uid = u;
	}
	if (g_variant_lookup(dict, "duration", "u", &u)) {
		if (u == 0 || u > E7_RULE_DURATION_MAX)
			return bad_value(error, "duration", "",
					 _("1 second up to one year"));
		r->duration = u;
		if (!g_variant_lookup(dict, "lifetime", "&s", NULL))
			r->lifetime = E7_LIFETIME_SECONDS;
	}
	if (r->lifetime == E7_LIFETIME_SECONDS && r->duration == 0)
		return bad_value(
			error, "lifetime", "seconds",
			/* TRANSLATORS: bad lifetime 'seconds': expected a "duration" with it (a D-Bus key: keep it) */
			_("a \"duration\" with it"));
	if (r->lifetime != E7_LIFETIME_SECONDS)
		r->duration = 0;
	return TRUE;
}

static gboolean apply_dict(E7Rule *r, GVariant *dict, GError **error)
{
	const char *text;

	if (g_variant_lookup(dict, "text", "&s", &text) &&
	    !apply_text(r, text, error))
		return FALSE;
	return apply_words(r, dict, error) && apply_program(r, dict, error) &&
	       apply_ports(r, dict, error) && apply_numbers(r, dict, error);
}

gboolean e7_rule_update_from_variant(E7Rule *rule, GVariant *dict,
				     GError **error)
{
	g_autoptr(E7Rule) work = NULL;

	if (!check_dict(dict, error))
		return FALSE;
	work = e7_rule_copy(rule);
	if (!apply_dict(work, dict, error))
		return FALSE;
	e7_rule_move(rule, work);
	return TRUE;
}

E7Rule *e7_rule_new_from_variant(GVariant *dict, GError **error)
{
	g_autoptr(E7Rule) rule = e7_rule_new();

	if (!check_dict(dict, error))
		return NULL;
	if (!g_variant_lookup(dict, "text", "&s", NULL) &&
	    (!g_variant_lookup(dict, "action", "&s", NULL) ||
	     !g_variant_lookup(dict, "program", "&s", NULL))) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: action, program and text are D-Bus keys: keep them */
			_("a rule needs \"action\" and \"program\" (or \"text\")"));
		return NULL;
	}
	if (!apply_dict(rule, dict, error))
		return NULL;
	return g_steal_pointer(&rule);
}

gboolean e7_rule_check_filter(GVariant *filter, GError **error)
{
	if (!check_dict(filter, error))
		return FALSE;
	if (g_variant_lookup(filter, "text", "&s", NULL)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: text is a D-Bus key: keep it */
			_("\"text\" cannot be used in a filter"));
		return FALSE;
	}
	return TRUE;
}

gboolean e7_rule_matches_filter(const E7Rule *rule, GVariant *filter)
{
	g_autoptr(GVariant) self = NULL;
	GVariantIter iter;
	const char *key;
	GVariant *value;

	if (g_variant_n_children(filter) == 0)
		return TRUE;
	self = g_variant_ref_sink(e7_rule_to_variant(rule));
	g_variant_iter_init(&iter, filter);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant)
			mine = g_variant_lookup_value(self, key, NULL);

		if (!mine || !g_variant_equal(mine, value)) {
			g_variant_unref(value);
			return FALSE;
		}
	}
	return TRUE;
}
