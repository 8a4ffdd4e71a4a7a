// SPDX-License-Identifier: GPL-2.0-or-later
#include "prompt-request.h"

#include <pwd.h>

#include <glib/gi18n.h>

#include "desktop.h"
#include "e7-error.h"

static void add_string(GVariantBuilder *b, const char *key, const char *value)
{
	g_variant_builder_add(b, "{sv}", key, g_variant_new_string(value));
}

static void add_user(GVariantBuilder *b, guint32 uid)
{
	struct passwd pw, *result = NULL;
	char buf[1024];

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &result) == 0 && result &&
	    g_utf8_validate(pw.pw_name, -1, NULL))
		add_string(b, "user", pw.pw_name);
}

/* The program's name and icon, from its .desktop entry. */
static void add_application(GVariantBuilder *b, const char *program)
{
	GAppInfo *app = e7_desktop_lookup(program);
	GIcon *icon;
	g_autofree char *icon_name = NULL;

	if (!app)
		return;
	icon = g_app_info_get_icon(app);
	icon_name = icon ? g_icon_to_string(icon) : NULL;
	if (g_app_info_get_id(app))
		add_string(b, "desktop-id", g_app_info_get_id(app));
	add_string(b, "desktop-name", g_app_info_get_name(app));
	if (icon_name)
		add_string(b, "icon", icon_name);
}

static void add_flow(GVariantBuilder *b, const E7Flow *flow)
{
	add_string(b, "program", flow->program ? flow->program : "");
	g_variant_builder_add(b, "{sv}", "pid",
			      g_variant_new_uint32(flow->pid));
	if (flow->cmdline)
		add_string(b, "cmdline", flow->cmdline);
	g_variant_builder_add(b, "{sv}", "uid",
			      g_variant_new_uint32(flow->uid));
	add_user(b, flow->uid);
	add_string(b, "protocol", e7_protocol_to_string(flow->protocol));
	add_string(b, "direction", e7_direction_to_string(flow->direction));
	if (flow->remote_address)
		add_string(b, "remote-address", flow->remote_address);
	g_variant_builder_add(b, "{sv}", "remote-port",
			      g_variant_new_uint16(flow->remote_port));
	g_variant_builder_add(b, "{sv}", "local-port",
			      g_variant_new_uint16(flow->local_port));
}

/* "program-changed": what the rules were made for, and what runs now. */
static void add_change(GVariantBuilder *b, const E7ProgramCheck *change)
{
	g_variant_builder_add(b, "{sv}", "program-changed",
			      g_variant_new_boolean(TRUE));
	if (change->old_sha256)
		add_string(b, "previous-sha256", change->old_sha256);
	if (change->sha256)
		add_string(b, "sha256", change->sha256);
}

GVariant *e7_prompt_request_new(guint64 prompt_id, const E7Flow *flow,
				const E7Config *config,
				const E7ProgramCheck *change)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "id",
			      g_variant_new_uint64(prompt_id));
	add_flow(&b, flow);
	add_application(&b, flow->program);
	g_variant_builder_add(&b, "{sv}", "timeout",
			      g_variant_new_uint32(config->prompt_timeout));
	add_string(&b, "default-action",
		   e7_action_to_string(config->default_answer));
	if (change)
		add_change(&b, change);
	return g_variant_builder_end(&b);
}

/* The lifetime of a remembered answer (not "once", never "boot"). */
static gboolean answer_lifetime(GVariant *answer, E7Rule *rule,
				const char *lifetime, GError **error)
{
	guint32 duration = 0;

	if (!e7_lifetime_from_string(lifetime, &rule->lifetime) ||
	    rule->lifetime == E7_LIFETIME_REBOOT) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("bad lifetime '%s' in answer"), lifetime);
		return FALSE;
	}
	if (rule->lifetime != E7_LIFETIME_SECONDS)
		return TRUE;
	g_variant_lookup(answer, "duration", "u", &duration);
	if (duration == 0 || duration > E7_RULE_DURATION_MAX) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: an agent's answer: lifetime, seconds and duration are D-Bus names: keep them */
			_("answer with lifetime \"seconds\" needs a \"duration\""));
		return FALSE;
	}
	rule->duration = duration;
	return TRUE;
}

/* What the rule covers: the program, or also the flow's port or
 * destination (address and port). */
static gboolean answer_scope(const char *scope, const E7Flow *flow,
			     E7Rule *rule, GError **error)
{
	E7Scope s;

	if (!e7_scope_from_string(scope, &s)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    _("bad scope '%s' in answer"), scope);
		return FALSE;
	}
	if (s == E7_SCOPE_PROGRAM)
		return TRUE;
	rule->port_min = rule->port_max = flow->remote_port;
	if (s == E7_SCOPE_DESTINATION && flow->remote_address)
		rule->remote = g_inet_address_mask_new_from_string(
			flow->remote_address, NULL);
	return TRUE;
}

static E7Rule *rule_for_flow(const E7Flow *flow, E7Action action)
{
	E7Rule *rule = e7_rule_new();

	rule->action = action;
	rule->program = flow->program && flow->program[0] == '/' ?
				g_strdup(flow->program) :
				NULL;
	rule->protocol = flow->protocol;
	rule->direction = flow->direction;
	rule->has_uid = TRUE;
	rule->uid = flow->uid;
	rule->has_owner = TRUE;
	rule->owner_uid = flow->uid;
	return rule;
}

gboolean e7_prompt_answer_parse(GVariant *answer, const E7Flow *flow,
				E7Action *action, E7Rule **rule_out,
				gboolean *watch_process, GError **error)
{
	const char *s, *scope = "program", *lifetime = "once";
	g_autoptr(E7Rule) rule = NULL;

	*rule_out = NULL;
	*watch_process = FALSE;
	if (!g_variant_lookup(answer, "action", "&s", &s) ||
	    !e7_action_from_string(s, action)) {
		g_set_error_literal(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: an agent's answer: action, allow and block are D-Bus names: keep them */
			_("answer needs \"action\": allow or block"));
		return FALSE;
	}
	g_variant_lookup(answer, "scope", "&s", &scope);
	g_variant_lookup(answer, "lifetime", "&s", &lifetime);
	if (g_str_equal(lifetime, "once"))
		return TRUE;
	rule = rule_for_flow(flow, *action);
	if (!answer_lifetime(answer, rule, lifetime, error) ||
	    !answer_scope(scope, flow, rule, error))
		return FALSE;
	*watch_process = rule->lifetime == E7_LIFETIME_PROCESS;
	*rule_out = g_steal_pointer(&rule);
	return TRUE;
}
