// SPDX-License-Identifier: GPL-2.0-or-later
#include "cmd-settings.h"

#include "e7-error.h"
#include "output.h"

int e7ctl_cmd_mode(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *mode = NULL;

	if (argc > 1)
		return e7ctl_usage_error("'mode' takes at most one argument");
	if (argc == 1) {
		if (!e7_firewall1_call_set_mode_sync(ctl->proxy, argv[0], NULL,
						     &error))
			return e7ctl_error_exit(error);
		return EXIT_OK;
	}
	if (!e7_firewall1_call_get_mode_sync(ctl->proxy, &mode, NULL, &error))
		return e7ctl_error_exit(error);
	if (ctl->json)
		e7ctl_print_json(g_variant_new_parsed("{'mode': <%s>}", mode));
	else
		g_print("%s\n", mode);
	return EXIT_OK;
}

static const char *const all_flags[] = {
	"log-allowed",
	"log-blocked",
	"log-kernel",
	"incoming",
	"policy-no-daemon",
	"policy-timeout",
	"policy-overflow",
	"policy-unidentified",
	"policy-unparsed",
	"policy-no-agent",
	"policy-agent-gone",
	"default-answer",
	"prompt-timeout",
	"profile",
	NULL,
};

int e7ctl_cmd_get(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;
	const char *const *names = (const char *const *)argv;
	const char *one[2] = { NULL, NULL };

	if (argc == 1 && g_str_equal(argv[0], "mode"))
		return e7ctl_cmd_mode(ctl, 0, NULL);
	if (argc > 1)
		return e7ctl_usage_error(
			"'get' takes one flag name, or none for all");
	if (argc == 1) {
		one[0] = argv[0];
		names = one;
	} else {
		names = all_flags;
	}
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; names[i]; i++) {
		g_autoptr(GVariant) value = NULL;

		if (!e7_firewall1_call_get_flag_sync(ctl->proxy, names[i],
						     &value, NULL, &error)) {
			/* Kernel flags are unknown without the module. */
			if (argc == 0 &&
			    g_error_matches(error, E7_ERROR,
					    E7_ERROR_KERNEL_MODULE_MISSING)) {
				g_clear_error(&error);
				continue;
			}
			g_variant_builder_clear(&b);
			return e7ctl_error_exit(error);
		}
		g_variant_builder_add(
			&b, "{sv}", names[i],
			g_variant_is_of_type(value, G_VARIANT_TYPE_VARIANT) ?
				g_variant_get_variant(value) :
				g_variant_ref(value));
	}
	{
		g_autoptr(GVariant)
			dict = g_variant_ref_sink(g_variant_builder_end(&b));

		if (ctl->json)
			e7ctl_print_json(dict);
		else if (argc == 1)
			e7ctl_print_value(
				g_variant_lookup_value(dict, argv[0], NULL));
		else
			e7ctl_print_dict(dict, "");
	}
	return EXIT_OK;
}

/* Converts @text to the type of the flag's current value. */
static GVariant *flag_value(const char *text, GVariant *current, GError **error)
{
	if (g_variant_is_of_type(current, G_VARIANT_TYPE_BOOLEAN)) {
		static const char *const yes[] = { "on", "true",   "yes",
						   "1",	 "enable", NULL };
		static const char *const no[] = { "off", "false",   "no",
						  "0",	 "disable", NULL };

		if (g_strv_contains(yes, text))
			return g_variant_new_boolean(TRUE);
		if (g_strv_contains(no, text))
			return g_variant_new_boolean(FALSE);
		g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			    "'%s' is not a boolean: use on or off", text);
		return NULL;
	}
	if (g_variant_is_of_type(current, G_VARIANT_TYPE_UINT32)) {
		guint64 v;

		if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &v,
						NULL)) {
			g_set_error(error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				    "'%s' is not a number", text);
			return NULL;
		}
		return g_variant_new_uint32(v);
	}
	return g_variant_new_string(text);
}

static int set_flag(Ctl *ctl, const char *name, const char *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) current = NULL;
	GVariant *value;

	if (!e7_firewall1_call_get_flag_sync(ctl->proxy, name, &current, NULL,
					     &error))
		return e7ctl_error_exit(error);
	if (g_variant_is_of_type(current, G_VARIANT_TYPE_VARIANT)) {
		GVariant *inner = g_variant_get_variant(current);

		g_variant_unref(current);
		current = inner;
	}
	value = flag_value(text, current, &error);
	if (!value)
		return e7ctl_error_exit(error);
	if (!e7_firewall1_call_set_flag_sync(ctl->proxy, name,
					     g_variant_new_variant(value), NULL,
					     &error))
		return e7ctl_error_exit(error);
	return EXIT_OK;
}

int e7ctl_cmd_set(Ctl *ctl, int argc, char **argv)
{
	if (argc != 2)
		return e7ctl_usage_error(
			"'set' needs a name and a value: set mode ask, set log-allowed on");
	if (g_str_equal(argv[0], "mode"))
		return e7ctl_cmd_mode(ctl, 1, argv + 1);
	return set_flag(ctl, argv[0], argv[1]);
}

/* enable [FLAG] / disable [FLAG]: the firewall itself, or a flag. */
int e7ctl_cmd_enable(Ctl *ctl, gboolean on, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc > 1)
		return e7ctl_usage_error("'%s' takes at most one flag name",
					 on ? "enable" : "disable");
	if (argc == 1)
		return set_flag(ctl, argv[0], on ? "on" : "off");
	if (!e7_firewall1_call_set_mode_sync(
		    ctl->proxy, on ? "ask" : "disabled", NULL, &error))
		return e7ctl_error_exit(error);
	return EXIT_OK;
}

int e7ctl_cmd_reload(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc)
		return e7ctl_usage_error("'reload' takes no arguments");
	if (!e7_firewall1_call_reload_sync(ctl->proxy, NULL, &error))
		return e7ctl_error_exit(error);
	return EXIT_OK;
}
