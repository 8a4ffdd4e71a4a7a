// SPDX-License-Identifier: GPL-2.0-or-later
#include "rule-text.h"

#include <string.h>

#include <glib/gi18n.h>

#include "e7-error.h"

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
			/* TRANSLATORS: %s is the value after 'port'; FIRST-LAST is a range such as 8000-8080 */
			_("bad port '%s': expected a port 1-65535 or a range FIRST-LAST"),
			s);
		return FALSE;
	}
	if (!parts[1])
		b = a;
	if (b < a) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			_("bad port range '%s': the first port is larger than the last"),
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
		/* TRANSLATORS: N is a number; s, m, h and d are rule syntax (seconds, minutes, hours, days): keep 'Ns', 'Nm', 'Nh' and 'Nd' */
		_("bad duration '%s': expected N, Ns, Nm, Nh or Nd, from 1 second up to ten years"),
		s);
	return FALSE;
}

static gboolean is_protocol_word(const char *s)
{
	E7Protocol p;

	return e7_protocol_from_string(s, &p);
}

static gboolean is_clause_word(const char *s)
{
	static const char *const words[] = { "in",	"out",	 "to",
					     "from",	"port",	 "user",
					     "for",	"once",	 "until",
					     "forever", "sha256" };

	for (guint i = 0; i < G_N_ELEMENTS(words); i++)
		if (g_str_equal(words[i], s))
			return TRUE;
	return FALSE;
}

static gboolean duplicate(gboolean *seen, const char *what, GError **error)
{
	if (*seen) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: %s is a rule word (to, port, user...) or 'lifetime': keep it */
			_("more than one '%s' clause"), what);
		return TRUE;
	}
	*seen = TRUE;
	return FALSE;
}

/* The clauses seen so far: each may come once. */
typedef struct {
	gboolean dir, addr, port, user, life, sha256;
	const char *addr_word; /* "to" or "from" */
} Seen;

static gboolean parse_user(E7Rule *rule, const char *arg, GError **error)
{
	guint64 uid;

	if (g_str_equal(arg, "any"))
		return TRUE;
	if (!parse_uint(arg, G_MAXUINT32 - 1, &uid)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("bad user '%s': expected a numeric uid"), arg);
		return FALSE;
	}
	rule->has_uid = TRUE;
	rule->uid = uid;
	return TRUE;
}

static gboolean parse_until(E7Rule *rule, const char *arg, GError **error)
{
	if (g_str_equal(arg, "exit"))
		rule->lifetime = E7_LIFETIME_PROCESS;
	else if (g_str_equal(arg, "logout"))
		rule->lifetime = E7_LIFETIME_LOGOUT;
	else if (g_str_equal(arg, "reboot"))
		rule->lifetime = E7_LIFETIME_REBOOT;
	else {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: until, exit, logout and reboot are rule words: keep them */
			_("bad 'until %s': expected exit, logout or reboot"),
			arg);
		return FALSE;
	}
	return TRUE;
}

static gboolean parse_remote(E7Rule *rule, const char *arg, GError **error)
{
	if (g_str_equal(arg, "any"))
		return TRUE;
	rule->remote = e7_rule_parse_address(arg, error);
	return rule->remote != NULL;
}

static gboolean parse_port_clause(E7Rule *rule, const char *arg, GError **error)
{
	return g_str_equal(arg, "any") ||
	       parse_ports(arg, &rule->port_min, &rule->port_max, error);
}

static gboolean parse_for(E7Rule *rule, const char *arg, GError **error)
{
	if (!parse_duration(arg, &rule->duration, error))
		return FALSE;
	rule->lifetime = E7_LIFETIME_SECONDS;
	return TRUE;
}

/* "sha256 HEX": the content of the program an exact-path rule was made
 * for. */
static gboolean parse_sha256(E7Rule *rule, const char *arg, GError **error)
{
	if (!e7_rule_sha256_valid(arg, error))
		return FALSE;
	if (!e7_rule_names_one_program(rule)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: sha256 and any are rule words: keep them */
			_("'sha256' needs one program (an exact path), not a directory or any"));
		return FALSE;
	}
	rule->sha256 = g_strdup(arg);
	return TRUE;
}

/* A clause with a value: to, from, port, user, for, until, sha256. */
static gboolean parse_valued(E7Rule *rule, Seen *seen, const char *w,
			     const char *arg, GError **error)
{
	if (g_str_equal(w, "sha256"))
		return !duplicate(&seen->sha256, "sha256", error) &&
		       parse_sha256(rule, arg, error);
	if (g_str_equal(w, "to") || g_str_equal(w, "from")) {
		if (duplicate(&seen->addr, "to/from", error))
			return FALSE;
		seen->addr_word = w;
		return parse_remote(rule, arg, error);
	}
	if (g_str_equal(w, "port"))
		return !duplicate(&seen->port, "port", error) &&
		       parse_port_clause(rule, arg, error);
	if (g_str_equal(w, "user"))
		return !duplicate(&seen->user, "user", error) &&
		       parse_user(rule, arg, error);
	if (duplicate(&seen->life, "lifetime", error))
		return FALSE;
	return g_str_equal(w, "for") ? parse_for(rule, arg, error) :
				       parse_until(rule, arg, error);
}

static gboolean is_valued_word(const char *w)
{
	return g_str_equal(w, "to") || g_str_equal(w, "from") ||
	       g_str_equal(w, "port") || g_str_equal(w, "user") ||
	       g_str_equal(w, "for") || g_str_equal(w, "until") ||
	       g_str_equal(w, "sha256");
}

/* A clause without a value: in, out, once, forever. */
static gboolean parse_flag_word(E7Rule *rule, Seen *seen, const char *w,
				GError **error)
{
	if (g_str_equal(w, "in") || g_str_equal(w, "out")) {
		if (duplicate(&seen->dir, "in/out", error))
			return FALSE;
		rule->direction = g_str_equal(w, "in") ? E7_DIR_IN : E7_DIR_OUT;
		return TRUE;
	}
	if (duplicate(&seen->life, "lifetime", error))
		return FALSE;
	rule->lifetime = w[0] == 'o' ? E7_LIFETIME_ONCE : E7_LIFETIME_FOREVER;
	return TRUE;
}

/* "to" names the remote end of an outgoing rule, "from" of an incoming one. */
static gboolean check_address_word(const E7Rule *rule, const char *word,
				   GError **error)
{
	if (word && rule->direction == E7_DIR_IN && g_str_equal(word, "to")) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: words in single quotes are rule syntax: keep them as they are */
			_("an 'in' rule names its remote address with 'from', not 'to'"));
		return FALSE;
	}
	if (word && rule->direction == E7_DIR_OUT &&
	    g_str_equal(word, "from")) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: words in single quotes are rule syntax: keep them as they are */
			_("an outgoing rule names its remote address with 'to', not 'from' "
			  "(add 'in' for incoming connections)"));
		return FALSE;
	}
	return TRUE;
}

static gboolean parse_clauses(E7Rule *rule, char **tok, guint n, guint i,
			      GError **error)
{
	Seen seen = { 0 };

	while (i < n) {
		const char *w = tok[i++];

		if (g_str_equal(w, "in") || g_str_equal(w, "out") ||
		    g_str_equal(w, "once") || g_str_equal(w, "forever")) {
			if (!parse_flag_word(rule, &seen, w, error))
				return FALSE;
			continue;
		}
		if (!is_valued_word(w)) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				/* TRANSLATORS: the listed words are rule words: keep them, translate only "or" */
				_("unexpected '%s': expected in, out, to, from, port, user, for, "
				  "until, once, forever or sha256"),
				w);
			return FALSE;
		}
		if (i >= n) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				/* TRANSLATORS: %s is a rule word such as port or user */
				_("'%s' needs a value"), w);
			return FALSE;
		}
		if (!parse_valued(rule, &seen, w, tok[i++], error))
			return FALSE;
	}
	return check_address_word(rule, seen.addr_word, error);
}

/* Splits @text into words; a '#' starts the rule's comment. */
static GPtrArray *tokenize(const char *text, char **comment, GError **error)
{
	g_autoptr(GPtrArray) tok = g_ptr_array_new_with_free_func(g_free);
	const char *p = text, *start;

	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		if (!*p)
			break;
		if (*p == '#') {
			*comment = g_strchomp(g_strdup(p + 1));
			if (strchr(*comment, '\n') || strchr(*comment, '\r')) {
				g_set_error_literal(error, E7_ERROR,
						    E7_ERROR_INVALID_ARGS,
						    _("a rule is one line"));
				return NULL;
			}
			break;
		}
		start = p;
		while (*p && !g_ascii_isspace(*p))
			p++;
		g_ptr_array_add(tok, g_strndup(start, p - start));
	}
	return g_steal_pointer(&tok);
}

/* ACTION [PROTOCOL] PROGRAM: returns the index of the first clause. */
static guint parse_head(E7Rule *rule, char **tok, guint n, GError **error)
{
	guint i = 1;

	if (n == 0) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: words in single quotes are rule syntax: keep them as they are */
			_("empty rule: expected 'allow' or 'block'"));
		return 0;
	}
	if (!e7_action_from_string(tok[0], &rule->action)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: words in single quotes are rule syntax: keep them as they are */
			_("unknown action '%s': expected 'allow' or 'block'"),
			tok[0]);
		return 0;
	}
	/* "any" is the protocol when a program follows, else the program. */
	if (i < n && is_protocol_word(tok[i]) &&
	    (!g_str_equal(tok[i], "any") ||
	     (i + 1 < n && !is_clause_word(tok[i + 1])))) {
		e7_protocol_from_string(tok[i], &rule->protocol);
		i++;
	}
	if (i >= n || is_clause_word(tok[i])) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: words in single quotes are rule syntax: keep them as they are */
			_("missing program: expected a path, a directory ending in '/' "
			  "or 'any'"));
		return 0;
	}
	if (!g_str_equal(tok[i], "any")) {
		if (!e7_rule_program_valid(tok[i], error))
			return 0;
		rule->program = g_strdup(tok[i]);
	}
	return i + 1;
}

E7Rule *e7_rule_parse(const char *text, GError **error)
{
	g_autoptr(E7Rule) rule = e7_rule_new();
	g_autoptr(GPtrArray) tok = NULL;
	guint i;

	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    _("rule is not valid UTF-8"));
		return NULL;
	}
	tok = tokenize(text, &rule->comment, error);
	if (!tok)
		return NULL;
	i = parse_head(rule, (char **)tok->pdata, tok->len, error);
	if (i == 0 ||
	    !parse_clauses(rule, (char **)tok->pdata, tok->len, i, error))
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
	if (rule->sha256)
		g_string_append_printf(s, " sha256 %s", rule->sha256);
	if (rule->comment)
		g_string_append_printf(s, " #%s", rule->comment);
	return g_string_free(s, FALSE);
}

char *e7_rule_key(const E7Rule *rule)
{
	g_autoptr(E7Rule) copy = e7_rule_copy(rule);

	g_clear_pointer(&copy->comment, g_free);
	g_clear_pointer(&copy->sha256, g_free);
	return e7_rule_to_string(copy);
}
