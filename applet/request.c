/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "request.h"

#include <string.h>

/* A prompt may wait at most a day: anything longer is a bogus request. */
#define E7_MAX_TIMEOUT (24 * 3600)

static const char *const directions[] = { "out", "in", NULL };

static void request_clear(E7Request *r)
{
	g_free(r->program);
	g_free(r->cmdline);
	g_free(r->user);
	g_free(r->protocol);
	g_free(r->direction);
	g_free(r->remote_address);
	g_free(r->desktop_id);
	g_free(r->desktop_name);
	g_free(r->icon);
	g_free(r->sha256);
	g_free(r->previous_sha256);
}

E7Request *e7_request_ref(E7Request *request)
{
	return g_atomic_rc_box_acquire(request);
}

void e7_request_unref(E7Request *request)
{
	g_atomic_rc_box_release_full(request, (GDestroyNotify)request_clear);
}

static gboolean check_type(const char *key, GVariant *value,
			   const GVariantType *type, GError **error)
{
	if (g_variant_is_of_type(value, type))
		return TRUE;
	g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
		    "request key \"%s\" has type \"%s\", expected \"%.*s\"",
		    key, g_variant_get_type_string(value),
		    (int)g_variant_type_get_string_length(type),
		    g_variant_type_peek_string(type));
	return FALSE;
}

static gboolean take_string(const char *key, GVariant *value, char **out,
			    GError **error)
{
	if (!check_type(key, value, G_VARIANT_TYPE_STRING, error))
		return FALSE;
	g_free(*out);
	*out = g_variant_dup_string(value, NULL);
	return TRUE;
}

static gboolean take_enum(const char *key, GVariant *value,
			  const char *const *allowed, char **out,
			  GError **error)
{
	const char *s;

	if (!check_type(key, value, G_VARIANT_TYPE_STRING, error))
		return FALSE;
	s = g_variant_get_string(value, NULL);
	if (!g_strv_contains(allowed, s)) {
		g_autofree char *list = g_strjoinv("|", (char **)allowed);

		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "request key \"%s\" is \"%s\", expected one of %s",
			    key, s, list);
		return FALSE;
	}
	g_free(*out);
	*out = g_strdup(s);
	return TRUE;
}

/*
 * Protocols the daemon may name are open-ended (tcp, udp, udplite, icmp,
 * sctp, raw, and what comes later): accept any short lower-case name.
 */
static gboolean take_protocol(const char *key, GVariant *value, char **out,
			      GError **error)
{
	const char *s;
	gsize len;

	if (!check_type(key, value, G_VARIANT_TYPE_STRING, error))
		return FALSE;
	s = g_variant_get_string(value, &len);
	if (len == 0 || len > 16 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != len) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "request key \"%s\" is not a protocol name: \"%s\"",
			    key, s);
		return FALSE;
	}
	g_free(*out);
	*out = g_strdup(s);
	return TRUE;
}

static gboolean take_uint32(const char *key, GVariant *value, guint32 *out,
			    GError **error)
{
	if (!check_type(key, value, G_VARIANT_TYPE_UINT32, error))
		return FALSE;
	*out = g_variant_get_uint32(value);
	return TRUE;
}

static gboolean take_uint16(const char *key, GVariant *value, guint16 *out,
			    GError **error)
{
	if (!check_type(key, value, G_VARIANT_TYPE_UINT16, error))
		return FALSE;
	*out = g_variant_get_uint16(value);
	return TRUE;
}

/* One parser per key of the Ask() dictionary. */
typedef gboolean (*EntryParser)(E7Request *r, const char *key, GVariant *value,
				GError **error);

static gboolean parse_id(E7Request *r, const char *key, GVariant *value,
			 GError **error)
{
	if (!check_type(key, value, G_VARIANT_TYPE_UINT64, error))
		return FALSE;
	r->id = g_variant_get_uint64(value);
	return TRUE;
}

static gboolean parse_program(E7Request *r, const char *key, GVariant *value,
			      GError **error)
{
	if (!take_string(key, value, &r->program, error))
		return FALSE;
	/* The daemon sends "" when it could not identify the program. */
	if (!r->program[0]) {
		g_clear_pointer(&r->program, g_free);
		return TRUE;
	}
	if (r->program[0] != '/') {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"request key \"program\" is not an absolute path: \"%s\"",
			r->program);
		return FALSE;
	}
	return TRUE;
}

static gboolean parse_pid(E7Request *r, const char *key, GVariant *value,
			  GError **error)
{
	return take_uint32(key, value, &r->pid, error);
}

static gboolean parse_cmdline(E7Request *r, const char *key, GVariant *value,
			      GError **error)
{
	return take_string(key, value, &r->cmdline, error);
}

static gboolean parse_uid(E7Request *r, const char *key, GVariant *value,
			  GError **error)
{
	return take_uint32(key, value, &r->uid, error);
}

static gboolean parse_user(E7Request *r, const char *key, GVariant *value,
			   GError **error)
{
	return take_string(key, value, &r->user, error);
}

static gboolean parse_protocol(E7Request *r, const char *key, GVariant *value,
			       GError **error)
{
	return take_protocol(key, value, &r->protocol, error);
}

static gboolean parse_direction(E7Request *r, const char *key, GVariant *value,
				GError **error)
{
	return take_enum(key, value, directions, &r->direction, error);
}

static gboolean parse_remote_address(E7Request *r, const char *key,
				     GVariant *value, GError **error)
{
	g_autoptr(GInetAddress) addr = NULL;

	if (!take_string(key, value, &r->remote_address, error))
		return FALSE;
	addr = g_inet_address_new_from_string(r->remote_address);
	if (!addr) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"request key \"remote-address\" is not an IP address: \"%s\"",
			r->remote_address);
		return FALSE;
	}
	return TRUE;
}

static gboolean parse_remote_port(E7Request *r, const char *key,
				  GVariant *value, GError **error)
{
	return take_uint16(key, value, &r->remote_port, error);
}

static gboolean parse_local_port(E7Request *r, const char *key, GVariant *value,
				 GError **error)
{
	return take_uint16(key, value, &r->local_port, error);
}

static gboolean parse_desktop_id(E7Request *r, const char *key, GVariant *value,
				 GError **error)
{
	return take_string(key, value, &r->desktop_id, error);
}

static gboolean parse_desktop_name(E7Request *r, const char *key,
				   GVariant *value, GError **error)
{
	return take_string(key, value, &r->desktop_name, error);
}

static gboolean parse_icon(E7Request *r, const char *key, GVariant *value,
			   GError **error)
{
	return take_string(key, value, &r->icon, error);
}

static gboolean parse_timeout(E7Request *r, const char *key, GVariant *value,
			      GError **error)
{
	if (!take_uint32(key, value, &r->timeout, error))
		return FALSE;
	if (r->timeout > E7_MAX_TIMEOUT) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"request key \"timeout\" is %u s, at most %u s allowed",
			r->timeout, E7_MAX_TIMEOUT);
		return FALSE;
	}
	return TRUE;
}

static gboolean parse_default_action(E7Request *r, const char *key,
				     GVariant *value, GError **error)
{
	if (!check_type(key, value, G_VARIANT_TYPE_STRING, error))
		return FALSE;
	if (!e7_action_from_string(g_variant_get_string(value, NULL),
				   &r->default_action)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"request key \"default-action\" is \"%s\", expected allow|block",
			g_variant_get_string(value, NULL));
		return FALSE;
	}
	return TRUE;
}

static gboolean parse_program_changed(E7Request *r, const char *key,
				      GVariant *value, GError **error)
{
	if (!check_type(key, value, G_VARIANT_TYPE_BOOLEAN, error))
		return FALSE;
	r->program_changed = g_variant_get_boolean(value);
	return TRUE;
}

/* A content digest: 64 hex digits, or it is not shown. */
static gboolean parse_sha256(E7Request *r, const char *key, GVariant *value,
			     GError **error)
{
	const char *s;

	if (!check_type(key, value, G_VARIANT_TYPE_STRING, error))
		return FALSE;
	s = g_variant_get_string(value, NULL);
	if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "request key \"%s\" is not a SHA-256", key);
		return FALSE;
	}
	g_free(g_str_equal(key, "sha256") ? r->sha256 : r->previous_sha256);
	if (g_str_equal(key, "sha256"))
		r->sha256 = g_strdup(s);
	else
		r->previous_sha256 = g_strdup(s);
	return TRUE;
}

static const struct {
	const char *key;
	EntryParser parse;
} entry_parsers[] = {
	{ "id", parse_id },
	{ "program", parse_program },
	{ "pid", parse_pid },
	{ "cmdline", parse_cmdline },
	{ "uid", parse_uid },
	{ "user", parse_user },
	{ "protocol", parse_protocol },
	{ "direction", parse_direction },
	{ "remote-address", parse_remote_address },
	{ "remote-port", parse_remote_port },
	{ "local-port", parse_local_port },
	{ "desktop-id", parse_desktop_id },
	{ "desktop-name", parse_desktop_name },
	{ "icon", parse_icon },
	{ "timeout", parse_timeout },
	{ "default-action", parse_default_action },
	{ "program-changed", parse_program_changed },
	{ "sha256", parse_sha256 },
	{ "previous-sha256", parse_sha256 },
};

static gboolean parse_entry(E7Request *r, const char *key, GVariant *value,
			    gboolean *have_id, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(entry_parsers); i++) {
		if (!g_str_equal(key, entry_parsers[i].key))
			continue;
		if (!entry_parsers[i].parse(r, key, value, error))
			return FALSE;
		if (entry_parsers[i].parse == parse_id)
			*have_id = TRUE;
		return TRUE;
	}
	/* Unknown keys are ignored so that the daemon can add information. */
	return TRUE;
}

E7Request *e7_request_new_from_variant(GVariant *dict, GError **error)
{
	g_autoptr(E7Request) r = NULL;
	gboolean have_id = FALSE;
	GVariantIter iter;
	const char *key;
	GVariant *value;

	g_return_val_if_fail(dict != NULL, NULL);

	if (!g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "request has type \"%s\", expected \"a{sv}\"",
			    g_variant_get_type_string(dict));
		return NULL;
	}

	r = g_atomic_rc_box_new0(E7Request);
	r->uid = G_MAXUINT32;
	r->default_action = E7_ACTION_BLOCK;
	r->received_us = g_get_monotonic_time();

	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value)) {
		if (!parse_entry(r, key, value, &have_id, error)) {
			g_variant_unref(value);
			return NULL;
		}
	}
	if (!have_id) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "request has no \"id\" (t)");
		return NULL;
	}
	if (!r->direction)
		r->direction = g_strdup("out");
	return g_steal_pointer(&r);
}

char *e7_request_group_key(const E7Request *r)
{
	if (r->program)
		return g_strdup_printf("program:%s", r->program);
	if (r->pid)
		return g_strdup_printf("pid:%u", r->pid);
	return g_strdup_printf("id:%" G_GUINT64_FORMAT, r->id);
}

char *e7_request_display_name(const E7Request *r)
{
	if (r->desktop_name && *r->desktop_name)
		return g_strdup(r->desktop_name);
	if (r->program)
		return g_path_get_basename(r->program);
	if (r->cmdline && *r->cmdline) {
		g_auto(GStrv) argv = g_strsplit(r->cmdline, " ", 2);

		return g_path_get_basename(argv[0]);
	}
	if (r->pid)
		return g_strdup_printf("%u", r->pid);
	return g_strdup("?");
}

gint64 e7_request_remaining(const E7Request *r, gint64 now_us)
{
	gint64 deadline, left;

	if (r->timeout == 0)
		return -1;
	deadline = r->received_us + (gint64)r->timeout * G_USEC_PER_SEC;
	left = deadline - now_us;
	if (left <= 0)
		return 0;
	/* Round up: "1 s" is shown until the very end. */
	return (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

void e7_answer_init_default(E7Answer *answer, const E7Request *request)
{
	answer->action = request->default_action;
	answer->scope = E7_SCOPE_PROGRAM;
	answer->lifetime = E7_LIFETIME_ONCE;
	answer->duration = 0;
}

GVariant *e7_answer_to_variant(const E7Answer *a)
{
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(
		&b, "{sv}", "action",
		g_variant_new_string(e7_action_to_string(a->action)));
	g_variant_builder_add(
		&b, "{sv}", "scope",
		g_variant_new_string(e7_scope_to_string(a->scope)));
	g_variant_builder_add(
		&b, "{sv}", "lifetime",
		g_variant_new_string(e7_lifetime_to_string(a->lifetime)));
	if (a->lifetime == E7_LIFETIME_SECONDS)
		g_variant_builder_add(&b, "{sv}", "duration",
				      g_variant_new_uint32(a->duration));
	return g_variant_builder_end(&b);
}
