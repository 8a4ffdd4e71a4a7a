// SPDX-License-Identifier: GPL-2.0-or-later
#include "output.h"

#include <string.h>

#include <json-glib/json-glib.h>

char *e7ctl_to_json(GVariant *value)
{
	g_autoptr(JsonNode) node = json_gvariant_serialize(value);
	g_autoptr(JsonGenerator) gen = json_generator_new();

	json_generator_set_root(gen, node);
	return json_generator_to_data(gen, NULL);
}

void e7ctl_print_json(GVariant *value)
{
	g_autoptr(GVariant) v = g_variant_ref_sink(value);
	g_autofree char *text = e7ctl_to_json(v);

	g_print("%s\n", text);
}

static char *lookup_text(GVariant *dict, const char *key, const char *fallback)
{
	g_autoptr(GVariant) v = g_variant_lookup_value(dict, key, NULL);

	if (!v)
		return g_strdup(fallback);
	if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
		return g_variant_dup_string(v, NULL);
	return g_variant_print(v, FALSE);
}

static const char *const columns[] = { "ID",	   "ACTION", "PROTO", "DIR",
				       "PROGRAM",  "REMOTE", "PORT",  "USER",
				       "LIFETIME", "FROM" };

/* Where a rule comes from: its rules.d file, or e7d's own rules. */
static char *origin_text(GVariant *rule)
{
	const char *origin = NULL;

	if (!g_variant_lookup(rule, "origin", "&s", &origin))
		return g_strdup("e7d");
	return g_path_get_basename(origin);
}

static GStrv rule_row(GVariant *rule)
{
	GStrv row = g_new0(char *, G_N_ELEMENTS(columns) + 1);
	guint16 p1 = 0, p2 = 0;
	guint32 duration = 0;
	g_autofree char *lifetime = lookup_text(rule, "lifetime", "forever");

	row[0] = lookup_text(rule, "id", "-");
	row[1] = lookup_text(rule, "action", "-");
	row[2] = lookup_text(rule, "protocol", "any");
	row[3] = lookup_text(rule, "direction", "out");
	row[4] = lookup_text(rule, "program", "any");
	row[5] = lookup_text(rule, "remote-address", "any");
	g_variant_lookup(rule, "remote-port", "q", &p1);
	g_variant_lookup(rule, "remote-port-end", "q", &p2);
	row[6] = p1 == 0 ? g_strdup("any") :
		 p2 > p1 ? g_strdup_printf("%u-%u", p1, p2) :
			   g_strdup_printf("%u", p1);
	row[7] = lookup_text(rule, "uid", "any");
	if (g_variant_lookup(rule, "duration", "u", &duration))
		row[8] = g_strdup_printf("%us", duration);
	else
		row[8] = g_steal_pointer(&lifetime);
	row[9] = origin_text(rule);
	return row;
}

static void append_row(GString *out, const char *const *row, const gsize *width)
{
	for (guint c = 0; c + 1 < G_N_ELEMENTS(columns); c++)
		g_string_append_printf(out, "%-*s  ", (int)width[c], row[c]);
	g_string_append_printf(out, "%s\n", row[G_N_ELEMENTS(columns) - 1]);
}

char *e7ctl_format_rules_table(GVariant *rules)
{
	g_autoptr(GPtrArray) rows =
		g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	gsize width[G_N_ELEMENTS(columns)];
	GString *out = g_string_new(NULL);
	GVariantIter iter;
	GVariant *rule;

	for (guint c = 0; c < G_N_ELEMENTS(columns); c++)
		width[c] = strlen(columns[c]);
	g_variant_iter_init(&iter, rules);
	while ((rule = g_variant_iter_next_value(&iter))) {
		GStrv row = rule_row(rule);

		for (guint c = 0; c < G_N_ELEMENTS(columns); c++)
			width[c] =
				MAX(width[c], (gsize)g_utf8_strlen(row[c], -1));
		g_ptr_array_add(rows, row);
		g_variant_unref(rule);
	}
	append_row(out, columns, width);
	for (guint r = 0; r < rows->len; r++)
		append_row(out, (const char *const *)rows->pdata[r], width);
	return g_string_free(out, FALSE);
}

void e7ctl_print_rules_table(GVariant *rules)
{
	g_autofree char *text = e7ctl_format_rules_table(rules);

	g_print("%s", text);
}

static char *value_text(GVariant *v)
{
	if (g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
		return g_variant_dup_string(v, NULL);
	if (g_variant_is_of_type(v, G_VARIANT_TYPE_BOOLEAN))
		return g_strdup(g_variant_get_boolean(v) ? "on" : "off");
	return g_variant_print(v, FALSE);
}

void e7ctl_print_dict(GVariant *dict, const char *indent)
{
	GVariantIter iter;
	const char *key;
	GVariant *v;

	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &v)) {
		if (g_variant_is_of_type(v, G_VARIANT_TYPE_VARDICT)) {
			g_autofree char *deeper =
				g_strconcat(indent, "  ", NULL);

			g_print("%s%s:\n", indent, key);
			e7ctl_print_dict(v, deeper);
		} else {
			g_autofree char *text = value_text(v);

			g_print("%s%s: %s\n", indent, key, text);
		}
		g_variant_unref(v);
	}
}

void e7ctl_print_value(GVariant *value)
{
	g_autoptr(GVariant) v = g_variant_ref_sink(value);
	g_autofree char *text = value_text(v);

	g_print("%s\n", text);
}

char *e7ctl_format_event(GVariant *event)
{
	g_autofree char *kind = lookup_text(event, "kind", "?");
	g_autofree char *action = lookup_text(event, "action", "?");
	g_autofree char *reason = lookup_text(event, "reason", "?");
	g_autofree char *program = lookup_text(event, "program", "-");
	g_autofree char *proto = lookup_text(event, "protocol", "-");
	g_autofree char *dir = lookup_text(event, "direction", "-");
	g_autofree char *addr = lookup_text(event, "remote-address", "-");
	g_autoptr(GDateTime) dt = NULL;
	g_autofree char *when = NULL;
	guint64 time_us = 0;
	guint16 port = 0;
	guint32 pid = 0, uid = 0;

	g_variant_lookup(event, "time", "t", &time_us);
	g_variant_lookup(event, "remote-port", "q", &port);
	g_variant_lookup(event, "pid", "u", &pid);
	g_variant_lookup(event, "uid", "u", &uid);
	dt = g_date_time_new_from_unix_local(time_us / G_USEC_PER_SEC);
	when = dt ? g_date_time_format(dt, "%F %T") : g_strdup("?");
	return g_strdup_printf(
		"%s %-7s %-5s %-10s %s pid %u uid %u %s %s %s:%u", when, kind,
		action, reason, program, pid, uid, proto, dir, addr, port);
}

void e7ctl_print_event(GVariant *event)
{
	g_autofree char *text = e7ctl_format_event(event);

	g_print("%s\n", text);
}
