/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "rule-format.h"

#include <glib/gi18n.h>
#include <string.h>

#include "request.h"

guint64 e7_rule_get_id(GVariant *rule)
{
	guint64 id = 0;

	g_variant_lookup(rule, "id", "t", &id);
	return id;
}

const char *e7_rule_get_string(GVariant *rule, const char *key)
{
	const char *s = NULL;

	if (!g_variant_lookup(rule, key, "&s", &s))
		return NULL;
	return s;
}

char *e7_rule_describe_program(GVariant *rule)
{
	const char *p = e7_rule_get_string(rule, "program");

	if (!p || g_str_equal(p, "any"))
		return g_strdup(_("Any program"));
	if (g_str_has_suffix(p, "/"))
		/* TRANSLATORS: a rule for every program under a directory */
		return g_strdup_printf(_("Programs in %s"), p);
	return g_strdup(p);
}

char *e7_rule_describe_action(GVariant *rule)
{
	const char *a = e7_rule_get_string(rule, "action");

	if (g_strcmp0(a, "allow") == 0)
		return g_strdup(_("Allow"));
	if (g_strcmp0(a, "block") == 0)
		return g_strdup(_("Block"));
	return g_strdup(a ? a : "?");
}

static char *ports_text(GVariant *rule)
{
	guint16 port = 0, end = 0;

	if (!g_variant_lookup(rule, "remote-port", "q", &port) || port == 0)
		return NULL;
	if (g_variant_lookup(rule, "remote-port-end", "q", &end) && end > port)
		return g_strdup_printf("%u-%u", port, end);
	return g_strdup_printf("%u", port);
}

char *e7_rule_describe_scope(GVariant *rule)
{
	const char *proto = e7_rule_get_string(rule, "protocol");
	const char *dir = e7_rule_get_string(rule, "direction");
	const char *addr = e7_rule_get_string(rule, "remote-address");
	g_autofree char *ports = ports_text(rule);
	g_autofree char *proto_up = NULL;
	GString *s = g_string_new(NULL);
	gboolean in = g_strcmp0(dir, "in") == 0;

	if (!proto || g_str_equal(proto, "any"))
		g_string_append(s, _("any protocol"));
	else
		g_string_append(s, (proto_up = g_ascii_strup(proto, -1)));
	g_string_append(s, ", ");
	g_string_append(s, in ? _("incoming") : _("outgoing"));
	if (addr && !g_str_equal(addr, "any")) {
		g_string_append_c(s, ' ');
		/* TRANSLATORS: "to 198.18.0.0/15" / "from 198.18.0.0/15" */
		g_string_append_printf(s, in ? _("from %s") : _("to %s"), addr);
	}
	if (ports) {
		g_string_append_c(s, ' ');
		g_string_append_printf(s, _("port %s"), ports);
	}
	return g_string_free(s, FALSE);
}

char *e7_rule_describe_lifetime(GVariant *rule)
{
	const char *l = e7_rule_get_string(rule, "lifetime");
	guint32 duration = 0;
	guint64 expires = 0;

	if (!l || g_str_equal(l, "forever"))
		return g_strdup(_("Forever"));
	if (g_str_equal(l, "once"))
		return g_strdup(_("Once"));
	if (g_str_equal(l, "process"))
		return g_strdup(_("Until the program exits"));
	if (g_str_equal(l, "session"))
		return g_strdup(_("Until logout"));
	if (g_str_equal(l, "boot"))
		return g_strdup(_("Until reboot"));
	if (g_str_equal(l, "seconds")) {
		if (g_variant_lookup(rule, "expires", "t", &expires) &&
		    expires > 0) {
			g_autoptr(GDateTime)
				t = g_date_time_new_from_unix_local(
					(gint64)expires);

			if (t) {
				g_autofree char *hm =
					g_date_time_format(t, "%X");

				/* TRANSLATORS: a temporary rule, "until 14:05:00" */
				return g_strdup_printf(_("Until %s"), hm);
			}
		}
		g_variant_lookup(rule, "duration", "u", &duration);
		return g_strdup_printf(g_dngettext(GETTEXT_PACKAGE,
						   "For %u second",
						   "For %u seconds", duration),
				       duration);
	}
	return g_strdup(l);
}

char *e7_rule_describe_hits(GVariant *rule)
{
	guint64 hits;

	if (!g_variant_lookup(rule, "hits", "t", &hits))
		return g_strdup("—");
	return g_strdup_printf("%" G_GUINT64_FORMAT, hits);
}

static char *format_time_us(guint64 us)
{
	g_autoptr(GDateTime) t =
		g_date_time_new_from_unix_local((gint64)(us / G_USEC_PER_SEC));

	return t ? g_date_time_format(t, "%x %X") : g_strdup("?");
}

char *e7_rule_describe_origin(GVariant *rule)
{
	const char *origin = e7_rule_get_string(rule, "origin");
	g_autofree char *file = NULL;

	if (!origin)
		return g_strdup(_("Learned"));
	file = g_path_get_basename(origin);
	/* TRANSLATORS: a rule from the administrator's file in
	 * /etc/eftirlit7/rules.d, e.g. "Administrator (50-site.rules)". */
	return g_strdup_printf(_("Administrator (%s)"), file);
}

char *e7_rule_describe_last_hit(GVariant *rule)
{
	guint64 us;

	if (!g_variant_lookup(rule, "last-hit", "t", &us))
		return g_strdup("—");
	if (us == 0)
		return g_strdup(_("never"));
	return format_time_us(us);
}

gboolean e7_rule_matches(GVariant *rule, const char *needle)
{
	g_autofree char *n = NULL;
	g_autofree char *program = NULL;
	g_autofree char *scope = NULL;
	g_autofree char *action = NULL;
	g_autofree char *hay = NULL;
	const char *text;

	if (!needle || !*needle)
		return TRUE;
	n = g_utf8_casefold(needle, -1);
	program = e7_rule_describe_program(rule);
	scope = e7_rule_describe_scope(rule);
	action = e7_rule_describe_action(rule);
	text = e7_rule_get_string(rule, "text");
	{
		g_autofree char *all = g_strjoin("\n", program, scope, action,
						 text ? text : "", NULL);

		hay = g_utf8_casefold(all, -1);
	}
	return strstr(hay, n) != NULL;
}

static gboolean parse_port(const char *s, guint16 *out)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(s, 10, 1, 65535, &v, NULL))
		return FALSE;
	*out = (guint16)v;
	return TRUE;
}

static gboolean valid_address(const char *s)
{
	g_autoptr(GInetAddressMask) mask = NULL;

	if (g_str_equal(s, "any"))
		return TRUE;
	mask = g_inet_address_mask_new_from_string(s, NULL);
	return mask != NULL;
}

static gboolean add_program(GVariantBuilder *b, const char *program,
			    GError **error)
{
	if (!*program || (!g_str_equal(program, "any") && program[0] != '/')) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			_("The program must be an absolute path (like /usr/bin/curl), a "
			  "directory ending in / or \"any\"."));
		return FALSE;
	}
	g_variant_builder_add(b, "{sv}", "program",
			      g_variant_new_string(program));
	return TRUE;
}

static gboolean add_address(GVariantBuilder *b, const char *addr,
			    GError **error)
{
	if (!*addr)
		return TRUE;
	if (!valid_address(addr)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			_("\"%s\" is not an IP address or network (like 198.18.0.0/15)."),
			addr);
		return FALSE;
	}
	g_variant_builder_add(b, "{sv}", "remote-address",
			      g_variant_new_string(addr));
	return TRUE;
}

static gboolean add_ports(GVariantBuilder *b, const char *ports, GError **error)
{
	g_auto(GStrv) parts = NULL;
	guint16 first = 0, last = 0;
	gboolean ok;

	if (!*ports)
		return TRUE;
	parts = g_strsplit(ports, "-", 2);
	ok = parse_port(g_strstrip(parts[0]), &first);
	if (ok && parts[1])
		ok = parse_port(g_strstrip(parts[1]), &last) && last >= first;
	if (!ok) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			_("\"%s\" is not a port (1-65535) or a range like 1000-2000."),
			ports);
		return FALSE;
	}
	g_variant_builder_add(b, "{sv}", "remote-port",
			      g_variant_new_uint16(first));
	if (parts[1])
		g_variant_builder_add(b, "{sv}", "remote-port-end",
				      g_variant_new_uint16(last));
	return TRUE;
}

/* A lifetime name, or a number of seconds (the editor's "300", "3600"). */
static gboolean add_lifetime(GVariantBuilder *b, const char *lifetime,
			     GError **error)
{
	guint64 secs;

	if (!lifetime || !*lifetime)
		return TRUE;
	if (!g_ascii_isdigit(lifetime[0])) {
		g_variant_builder_add(b, "{sv}", "lifetime",
				      g_variant_new_string(lifetime));
		return TRUE;
	}
	if (!g_ascii_string_to_unsigned(lifetime, 10, 1, G_MAXUINT32, &secs,
					NULL)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("\"%s\" is not a number of seconds."), lifetime);
		return FALSE;
	}
	g_variant_builder_add(b, "{sv}", "lifetime",
			      g_variant_new_string("seconds"));
	g_variant_builder_add(b, "{sv}", "duration",
			      g_variant_new_uint32((guint32)secs));
	return TRUE;
}

GVariant *e7_rule_from_form(const E7RuleForm *f, GError **error)
{
	GVariantBuilder b;
	E7Action action;

	if (!e7_action_from_string(f->action, &action)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("Choose allow or block."));
		return NULL;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "action",
			      g_variant_new_string(f->action));
	if (!add_program(&b, f->program ? f->program : "", error)) {
		g_variant_builder_clear(&b);
		return NULL;
	}
	if (f->protocol && *f->protocol)
		g_variant_builder_add(&b, "{sv}", "protocol",
				      g_variant_new_string(f->protocol));
	if (f->direction && *f->direction)
		g_variant_builder_add(&b, "{sv}", "direction",
				      g_variant_new_string(f->direction));
	if (!add_address(&b, f->remote_address ? f->remote_address : "",
			 error) ||
	    !add_ports(&b, f->ports ? f->ports : "", error) ||
	    !add_lifetime(&b, f->lifetime, error)) {
		g_variant_builder_clear(&b);
		return NULL;
	}
	if (f->only_me)
		g_variant_builder_add(&b, "{sv}", "uid",
				      g_variant_new_uint32(f->uid));
	return g_variant_builder_end(&b);
}

void e7_rule_to_form(GVariant *rule, E7RuleForm *f, char **ports_out)
{
	const char *s;
	guint32 duration = 0;

	memset(f, 0, sizeof(*f));
	f->action = (s = e7_rule_get_string(rule, "action")) ? s : "block";
	f->program = (s = e7_rule_get_string(rule, "program")) ? s : "any";
	f->protocol = (s = e7_rule_get_string(rule, "protocol")) ? s : "any";
	f->direction = (s = e7_rule_get_string(rule, "direction")) ? s : "out";
	f->remote_address =
		(s = e7_rule_get_string(rule, "remote-address")) ? s : "";
	*ports_out = ports_text(rule);
	f->ports = *ports_out ? *ports_out : "";
	f->lifetime = (s = e7_rule_get_string(rule, "lifetime")) ? s :
								   "forever";
	if (g_variant_lookup(rule, "duration", "u", &duration))
		f->duration = duration;
	f->only_me = g_variant_lookup(rule, "uid", "u", &f->uid);
}

char *e7_event_describe_time(GVariant *event)
{
	guint64 us = 0;

	g_variant_lookup(event, "time", "t", &us);
	return format_time_us(us);
}

char *e7_event_describe(GVariant *event)
{
	const char *program = e7_rule_get_string(event, "program");
	const char *action = e7_rule_get_string(event, "action");
	const char *reason = e7_rule_get_string(event, "reason");
	const char *addr = e7_rule_get_string(event, "remote-address");
	const char *proto = e7_rule_get_string(event, "protocol");
	guint16 port = 0;
	g_autofree char *name = program ? g_path_get_basename(program) :
					  g_strdup("?");
	g_autofree char *proto_up = g_ascii_strup(proto ? proto : "?", -1);
	g_autofree char *what = NULL;

	g_variant_lookup(event, "remote-port", "q", &port);
	if (g_strcmp0(action, "allow") == 0)
		/* TRANSLATORS: "curl allowed: TCP 198.18.1.2 port 443 (rule)" */
		what = g_strdup_printf(_("%s allowed: %s %s port %u"), name,
				       proto_up, addr ? addr : "?", port);
	else
		what = g_strdup_printf(_("%s blocked: %s %s port %u"), name,
				       proto_up, addr ? addr : "?", port);
	if (reason)
		return g_strdup_printf("%s (%s)", what, reason);
	return g_steal_pointer(&what);
}
