// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule.h"

#include <string.h>

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
	    g_strcmp0(a->comment, b->comment) != 0)
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
			"program '%s' is not an absolute path, a directory ending in '/' or 'any'",
			program);
		return FALSE;
	}
	if (strlen(program) >= E7_RULE_PROGRAM_MAX) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "program path is longer than %d bytes",
			    E7_RULE_PROGRAM_MAX - 1);
		return FALSE;
	}
	if (!g_utf8_validate(program, -1, NULL)) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "program path is not valid UTF-8");
		return FALSE;
	}
	for (p = program; *p; p++) {
		if (g_ascii_isspace(*p) || g_ascii_iscntrl(*p) || *p == '#') {
			g_set_error_literal(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				"program path contains a space, '#' or a control character");
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
				"program path '%s' is not normalized (contains '//', '.' or '..')",
				program);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean parse_uint(const char *s, guint64 max, guint64 *out)
{
	if (!*s || !g_ascii_isdigit(*s))
		return FALSE;
	return g_ascii_string_to_unsigned(s, 10, 0, max, out, NULL);
}

static gboolean parse_ports(const char *s, guint16 *min, guint16 *max,
			    GError **error)
{
	g_auto(GStrv) parts = g_strsplit(s, "-", 3);
	guint64 a, b;

	if (g_strv_length(parts) > 2 || !parse_uint(parts[0], 65535, &a) ||
	    a == 0 ||
	    (parts[1] && (!parse_uint(parts[1], 65535, &b) || b == 0))) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"bad port '%s': expected a port 1-65535 or a range FIRST-LAST",
			s);
		return FALSE;
	}
	if (!parts[1])
		b = a;
	if (b < a) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"bad port range '%s': the first port is larger than the last",
			s);
		return FALSE;
	}
	*min = a;
	*max = b;
	return TRUE;
}

static gboolean parse_duration(const char *s, guint32 *out, GError **error)
{
	g_autofree char *digits = g_strdup(s);
	gsize len = strlen(digits);
	guint64 mult = 1, v;

	if (len > 1 && !g_ascii_isdigit(digits[len - 1])) {
		switch (digits[len - 1]) {
		case 's':
			mult = 1;
			break;
		case 'm':
			mult = 60;
			break;
		case 'h':
			mult = 3600;
			break;
		case 'd':
			mult = 86400;
			break;
		default:
			goto bad;
		}
		digits[len - 1] = '\0';
	}
	if (!parse_uint(digits, E7_RULE_DURATION_MAX, &v) || v == 0 ||
	    v * mult > E7_RULE_DURATION_MAX)
		goto bad;
	*out = v * mult;
	return TRUE;
bad:
	g_set_error(
		error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		"bad duration '%s': expected N, Ns, Nm, Nh or Nd, from 1 second up to ten years",
		s);
	return FALSE;
}

static GInetAddressMask *parse_address(const char *s, GError **error)
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
		"bad address '%s': expected an IPv4 or IPv6 address or CIDR%s%s",
		s, local ? ": " : "", local ? local->message : "");
	return NULL;
}

static gboolean is_protocol_word(const char *s)
{
	E7Protocol p;

	return e7_protocol_from_string(s, &p);
}

static gboolean is_clause_word(const char *s)
{
	static const char *const words[] = { "in",    "out",	"to",  "from",
					     "port",  "user",	"for", "once",
					     "until", "forever" };

	for (guint i = 0; i < G_N_ELEMENTS(words); i++)
		if (g_str_equal(words[i], s))
			return TRUE;
	return FALSE;
}

static gboolean duplicate(gboolean *seen, const char *what, GError **error)
{
	if (*seen) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "more than one '%s' clause", what);
		return TRUE;
	}
	*seen = TRUE;
	return FALSE;
}

static gboolean parse_clauses(E7Rule *rule, char **tok, guint n, guint i,
			      GError **error)
{
	gboolean seen_dir = FALSE, seen_addr = FALSE, seen_port = FALSE,
		 seen_user = FALSE, seen_life = FALSE;
	const char *addr_word = NULL;

	while (i < n) {
		const char *w = tok[i++];
		const char *arg = i < n ? tok[i] : NULL;

		if (g_str_equal(w, "in") || g_str_equal(w, "out")) {
			if (duplicate(&seen_dir, "in/out", error))
				return FALSE;
			rule->direction = g_str_equal(w, "in") ? E7_DIR_IN :
								 E7_DIR_OUT;
			continue;
		}
		if (g_str_equal(w, "once") || g_str_equal(w, "forever")) {
			if (duplicate(&seen_life, "lifetime", error))
				return FALSE;
			rule->lifetime = w[0] == 'o' ? E7_LIFETIME_ONCE :
						       E7_LIFETIME_FOREVER;
			continue;
		}
		if (!(g_str_equal(w, "to") || g_str_equal(w, "from") ||
		      g_str_equal(w, "port") || g_str_equal(w, "user") ||
		      g_str_equal(w, "for") || g_str_equal(w, "until"))) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				"unexpected '%s': expected in, out, to, from, port, user, for, "
				"until, once or forever",
				w);
			return FALSE;
		}
		if (!arg) {
			g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "'%s' needs a value", w);
			return FALSE;
		}
		i++;
		if (g_str_equal(w, "to") || g_str_equal(w, "from")) {
			if (duplicate(&seen_addr, "to/from", error))
				return FALSE;
			addr_word = w;
			if (!g_str_equal(arg, "any")) {
				rule->remote = parse_address(arg, error);
				if (!rule->remote)
					return FALSE;
			}
		} else if (g_str_equal(w, "port")) {
			if (duplicate(&seen_port, "port", error))
				return FALSE;
			if (!g_str_equal(arg, "any") &&
			    !parse_ports(arg, &rule->port_min, &rule->port_max,
					 error))
				return FALSE;
		} else if (g_str_equal(w, "user")) {
			guint64 uid;

			if (duplicate(&seen_user, "user", error))
				return FALSE;
			if (g_str_equal(arg, "any"))
				continue;
			if (!parse_uint(arg, G_MAXUINT32 - 1, &uid)) {
				g_set_error(
					error, E7_ERROR, E7_ERROR_INVALID_ARGS,
					"bad user '%s': expected a numeric uid",
					arg);
				return FALSE;
			}
			rule->has_uid = TRUE;
			rule->uid = uid;
		} else if (g_str_equal(w, "for")) {
			if (duplicate(&seen_life, "lifetime", error))
				return FALSE;
			if (!parse_duration(arg, &rule->duration, error))
				return FALSE;
			rule->lifetime = E7_LIFETIME_SECONDS;
		} else {
			if (duplicate(&seen_life, "lifetime", error))
				return FALSE;
			if (g_str_equal(arg, "exit"))
				rule->lifetime = E7_LIFETIME_PROCESS;
			else if (g_str_equal(arg, "logout"))
				rule->lifetime = E7_LIFETIME_LOGOUT;
			else if (g_str_equal(arg, "reboot"))
				rule->lifetime = E7_LIFETIME_REBOOT;
			else {
				g_set_error(
					error, E7_ERROR, E7_ERROR_INVALID_ARGS,
					"bad 'until %s': expected exit, logout or reboot",
					arg);
				return FALSE;
			}
		}
	}
	if (addr_word && rule->direction == E7_DIR_IN &&
	    g_str_equal(addr_word, "to")) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"an 'in' rule names its remote address with 'from', not 'to'");
		return FALSE;
	}
	if (addr_word && rule->direction == E7_DIR_OUT &&
	    g_str_equal(addr_word, "from")) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"an outgoing rule names its remote address with 'to', not 'from' "
			"(add 'in' for incoming connections)");
		return FALSE;
	}
	return TRUE;
}

E7Rule *e7_rule_parse(const char *text, GError **error)
{
	g_autoptr(E7Rule) rule = e7_rule_new();
	g_autoptr(GPtrArray) tok = g_ptr_array_new_with_free_func(g_free);
	const char *p = text, *start;
	guint i = 0, n;

	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "rule is not valid UTF-8");
		return NULL;
	}
	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		if (!*p)
			break;
		if (*p == '#') {
			rule->comment = g_strchomp(g_strdup(p + 1));
			if (strchr(rule->comment, '\n') ||
			    strchr(rule->comment, '\r')) {
				g_set_error_literal(error, E7_ERROR,
						    E7_ERROR_INVALID_ARGS,
						    "a rule is one line");
				return NULL;
			}
			break;
		}
		start = p;
		while (*p && !g_ascii_isspace(*p))
			p++;
		g_ptr_array_add(tok, g_strndup(start, p - start));
	}
	n = tok->len;
	if (n == 0) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "empty rule: expected 'allow' or 'block'");
		return NULL;
	}
	if (!e7_action_from_string(tok->pdata[0], &rule->action)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "unknown action '%s': expected 'allow' or 'block'",
			    (char *)tok->pdata[0]);
		return NULL;
	}
	i = 1;
	/* "any" is the protocol when a program follows, else the program. */
	if (i < n && is_protocol_word(tok->pdata[i]) &&
	    (!g_str_equal(tok->pdata[i], "any") ||
	     (i + 1 < n && !is_clause_word(tok->pdata[i + 1])))) {
		e7_protocol_from_string(tok->pdata[i], &rule->protocol);
		i++;
	}
	if (i >= n || is_clause_word(tok->pdata[i])) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"missing program: expected a path, a directory ending in '/' "
			"or 'any'");
		return NULL;
	}
	if (!g_str_equal(tok->pdata[i], "any")) {
		if (!e7_rule_program_valid(tok->pdata[i], error))
			return NULL;
		rule->program = g_strdup(tok->pdata[i]);
	}
	i++;
	if (!parse_clauses(rule, (char **)tok->pdata, n, i, error))
		return NULL;
	return g_steal_pointer(&rule);
}

char *e7_rule_to_string(const E7Rule *rule)
{
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "%s %s %s", e7_action_to_string(rule->action),
			       e7_protocol_to_string(rule->protocol),
			       rule->program ? rule->program : "any");
	if (rule->direction == E7_DIR_IN)
		g_string_append(s, " in");
	if (rule->remote) {
		g_autofree char *addr =
			g_inet_address_mask_to_string(rule->remote);

		g_string_append_printf(
			s, " %s %s",
			rule->direction == E7_DIR_IN ? "from" : "to", addr);
	}
	if (rule->port_min) {
		g_string_append_printf(s, " port %u", rule->port_min);
		if (rule->port_max != rule->port_min)
			g_string_append_printf(s, "-%u", rule->port_max);
	}
	if (rule->has_uid)
		g_string_append_printf(s, " user %u", rule->uid);
	switch (rule->lifetime) {
	case E7_LIFETIME_FOREVER:
	case __E7_LIFETIME_MAX:
		break;
	case E7_LIFETIME_ONCE:
		g_string_append(s, " once");
		break;
	case E7_LIFETIME_PROCESS:
		g_string_append(s, " until exit");
		break;
	case E7_LIFETIME_LOGOUT:
		g_string_append(s, " until logout");
		break;
	case E7_LIFETIME_REBOOT:
		g_string_append(s, " until reboot");
		break;
	case E7_LIFETIME_SECONDS:
		g_string_append_printf(s, " for %us", rule->duration);
		break;
	}
	if (rule->comment)
		g_string_append_printf(s, " #%s", rule->comment);
	return g_string_free(s, FALSE);
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
	g_variant_builder_add(
		&b, "{sv}", "lifetime",
		g_variant_new_string(e7_lifetime_to_string(rule->lifetime)));
	if (rule->lifetime == E7_LIFETIME_SECONDS)
		g_variant_builder_add(&b, "{sv}", "duration",
				      g_variant_new_uint32(rule->duration));
	if (rule->expires)
		g_variant_builder_add(&b, "{sv}", "expires",
				      g_variant_new_uint64(rule->expires));
	if (rule->has_owner)
		g_variant_builder_add(&b, "{sv}", "owner-uid",
				      g_variant_new_uint32(rule->owner_uid));
	g_variant_builder_add(&b, "{sv}", "persistent",
			      g_variant_new_boolean(rule->lifetime ==
						    E7_LIFETIME_FOREVER));
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
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "expected a dictionary of type a{sv}");
		return FALSE;
	}
	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		const KeyInfo *info = find_key(key);

		if (!info) {
			g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "unknown rule key '%s'", key);
			return FALSE;
		}
		if (!g_variant_is_of_type(value, G_VARIANT_TYPE(info->type))) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				"rule key '%s' must have type '%s', not '%s'",
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
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "bad %s '%s': expected %s", key, value, expect);
	return FALSE;
}

static gboolean apply_dict(E7Rule *r, GVariant *dict, GError **error)
{
	const char *s;
	guint16 q;
	guint32 u;
	gboolean port_set = FALSE, end_set = FALSE;

	if (g_variant_lookup(dict, "text", "&s", &s)) {
		g_autoptr(E7Rule) parsed = e7_rule_parse(s, error);

		if (!parsed)
			return FALSE;
		parsed->id = r->id;
		parsed->has_owner = r->has_owner;
		parsed->owner_uid = r->owner_uid;
		g_free(r->program);
		g_free(r->comment);
		g_clear_object(&r->remote);
		*r = *parsed;
		memset(parsed, 0, sizeof(*parsed));
	}
	if (g_variant_lookup(dict, "action", "&s", &s) &&
	    !e7_action_from_string(s, &r->action))
		return bad_value(error, "action", s, "allow or block");
	if (g_variant_lookup(dict, "protocol", "&s", &s) &&
	    !e7_protocol_from_string(s, &r->protocol))
		return bad_value(
			error, "protocol", s,
			"tcp, udp, icmp, icmpv6, sctp, udplite or any");
	if (g_variant_lookup(dict, "direction", "&s", &s) &&
	    (!e7_direction_from_string(s, &r->direction) ||
	     r->direction == E7_DIR_ANY))
		return bad_value(error, "direction", s, "out or in");
	if (g_variant_lookup(dict, "lifetime", "&s", &s) &&
	    !e7_lifetime_from_string(s, &r->lifetime))
		return bad_value(
			error, "lifetime", s,
			"forever, once, process, session, boot or seconds");
	if (g_variant_lookup(dict, "program", "&s", &s)) {
		g_clear_pointer(&r->program, g_free);
		if (!g_str_equal(s, "any")) {
			if (!e7_rule_program_valid(s, error))
				return FALSE;
			r->program = g_strdup(s);
		}
	}
	if (g_variant_lookup(dict, "remote-address", "&s", &s)) {
		g_clear_object(&r->remote);
		if (!g_str_equal(s, "any")) {
			r->remote = parse_address(s, error);
			if (!r->remote)
				return FALSE;
		}
	}
	if (g_variant_lookup(dict, "remote-port", "q", &q)) {
		r->port_min = r->port_max = q;
		port_set = TRUE;
	}
	if (g_variant_lookup(dict, "remote-port-end", "q", &q)) {
		r->port_max = q;
		end_set = TRUE;
	}
	if (end_set && !port_set && r->port_min == 0)
		return bad_value(error, "remote-port-end", "",
				 "together with remote-port");
	if (r->port_min == 0)
		r->port_max = 0;
	if (r->port_max < r->port_min) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"bad port range %u-%u: the first port is larger than the last",
			r->port_min, r->port_max);
		return FALSE;
	}
	if (g_variant_lookup(dict, "uid", "u", &u)) {
		if (u == G_MAXUINT32)
			return bad_value(error, "uid", "4294967295",
					 "a valid uid");
		r->has_uid = TRUE;
		r->uid = u;
	}
	if (g_variant_lookup(dict, "duration", "u", &u)) {
		if (u == 0 || u > E7_RULE_DURATION_MAX)
			return bad_value(error, "duration", "",
					 "1 second up to one year");
		r->duration = u;
		if (!g_variant_lookup(dict, "lifetime", "&s", &s))
			r->lifetime = E7_LIFETIME_SECONDS;
	}
	if (r->lifetime == E7_LIFETIME_SECONDS && r->duration == 0)
		return bad_value(error, "lifetime", "seconds",
				 "a \"duration\" with it");
	if (r->lifetime != E7_LIFETIME_SECONDS)
		r->duration = 0;
	return TRUE;
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
	g_free(rule->program);
	g_free(rule->comment);
	g_clear_object(&rule->remote);
	*rule = *work;
	memset(work, 0, sizeof(*work));
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
			"a rule needs \"action\" and \"program\" (or \"text\")");
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
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "\"text\" cannot be used in a filter");
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
