// SPDX-License-Identifier: GPL-2.0-or-later
/* e7ctl: command-line client of org.eftirlit7.Firewall1. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "e7-dbus.h"
#include "e7-error.h"
#include "agent.h"
#include "output.h"

/* Exit codes (e7ctl(1)). */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_AUTHORIZED = 3,
	EXIT_NO_SUCH_RULE = 4,
	EXIT_NO_MODULE = 5,
	EXIT_NO_DAEMON = 6,
};

typedef struct {
	E7Firewall1 *proxy;
	gboolean json;
	gboolean session;
} Ctl;

static gboolean opt_json, opt_session, opt_follow, opt_version;
static gint opt_count = 50;

static int error_exit(GError *error)
{
	int code = EXIT_FAILED;

	if (g_error_matches(error, E7_ERROR, E7_ERROR_NOT_AUTHORIZED) ||
	    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
		code = EXIT_NOT_AUTHORIZED;
	else if (g_error_matches(error, E7_ERROR, E7_ERROR_INVALID_ARGS))
		code = EXIT_USAGE;
	else if (g_error_matches(error, E7_ERROR, E7_ERROR_NO_SUCH_RULE))
		code = EXIT_NO_SUCH_RULE;
	else if (g_error_matches(error, E7_ERROR,
				 E7_ERROR_KERNEL_MODULE_MISSING))
		code = EXIT_NO_MODULE;
	else if (g_error_matches(error, G_DBUS_ERROR,
				 G_DBUS_ERROR_SERVICE_UNKNOWN) ||
		 g_error_matches(error, G_DBUS_ERROR,
				 G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
		 g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		code = EXIT_NO_DAEMON;
	g_dbus_error_strip_remote_error(error);
	g_printerr("e7ctl: %s\n", error->message);
	return code;
}

static int usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_printerr("e7ctl: %s (see e7ctl --help)\n", msg);
	return EXIT_USAGE;
}

static char *join_args(char **argv, int argc)
{
	g_autoptr(GStrvBuilder) b = g_strv_builder_new();
	g_auto(GStrv) v = NULL;

	for (int i = 0; i < argc; i++)
		g_strv_builder_add(b, argv[i]);
	v = g_strv_builder_end(b);
	return g_strjoinv(" ", v);
}

static gboolean is_number(const char *s)
{
	guint64 v;

	return s && g_ascii_isdigit(s[0]) &&
	       g_ascii_string_to_unsigned(s, 10, 1, G_MAXUINT64, &v, NULL);
}

/* allow|block RULE... */
static int cmd_add(Ctl *ctl, const char *action, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *rest = join_args(argv, argc);
	g_autofree char *text = g_strdup_printf("%s %s", action, rest);
	GVariantBuilder b;
	guint64 id;

	if (argc == 0)
		return usage_error(
			"'%s' needs a program: %s [PROTOCOL] PROGRAM [CLAUSES]",
			action, action);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "text", g_variant_new_string(text));
	if (!e7_firewall1_call_add_rule_sync(
		    ctl->proxy, g_variant_builder_end(&b), &id, NULL, &error))
		return error_exit(error);
	if (ctl->json)
		g_print("{\"id\": %" G_GUINT64_FORMAT "}\n", id);
	else
		g_print("%" G_GUINT64_FORMAT "\n", id);
	return EXIT_OK;
}

/* Builds a filter from "[allow|block] [PROTOCOL] [PROGRAM]". */
static gboolean build_filter(int argc, char **argv, GVariantBuilder *b,
			     GError **error)
{
	static const char *const protocols[] = { "tcp",	   "udp",  "icmp",
						 "icmpv6", "sctp", "udplite" };
	int i = 0;

	g_variant_builder_init(b, G_VARIANT_TYPE_VARDICT);
	if (i < argc &&
	    (g_str_equal(argv[i], "allow") || g_str_equal(argv[i], "block")))
		g_variant_builder_add(b, "{sv}", "action",
				      g_variant_new_string(argv[i++]));
	if (i < argc && (g_strv_contains(protocols, argv[i]) ||
			 (g_str_equal(argv[i], "any") && i + 1 < argc)))
		g_variant_builder_add(b, "{sv}", "protocol",
				      g_variant_new_string(argv[i++]));
	if (i < argc)
		g_variant_builder_add(b, "{sv}", "program",
				      g_variant_new_string(argv[i++]));
	if (i < argc) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			"unexpected '%s': expected [allow|block] [PROTOCOL] [PROGRAM]",
			argv[i]);
		g_variant_builder_clear(b);
		return FALSE;
	}
	return TRUE;
}

static int cmd_clear(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;
	guint count;

	if (argc == 1 && is_number(argv[0])) {
		if (!e7_firewall1_call_remove_rule_sync(
			    ctl->proxy, g_ascii_strtoull(argv[0], NULL, 10),
			    NULL, &error))
			return error_exit(error);
		return EXIT_OK;
	}
	if (argc == 0)
		return usage_error(
			"'clear' needs a rule id, a filter or 'all'");
	if (argc == 1 && g_str_equal(argv[0], "all"))
		g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	else if (!build_filter(argc, argv, &b, &error))
		return error_exit(error);
	if (!e7_firewall1_call_clear_rules_sync(ctl->proxy,
						g_variant_builder_end(&b),
						&count, NULL, &error))
		return error_exit(error);
	if (ctl->json)
		g_print("{\"removed\": %u}\n", count);
	else
		g_print(ngettext("%u rule removed\n", "%u rules removed\n",
				 count),
			count);
	return EXIT_OK;
}

static int cmd_list(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) rules = NULL;
	GVariantBuilder b;

	if (!build_filter(argc, argv, &b, &error))
		return error_exit(error);
	if (!e7_firewall1_call_list_rules_sync(ctl->proxy,
					       g_variant_builder_end(&b),
					       &rules, NULL, &error))
		return error_exit(error);
	if (ctl->json)
		e7ctl_print_json(rules);
	else
		e7ctl_print_rules_table(rules);
	return EXIT_OK;
}

static int cmd_stats(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) stats = NULL;

	if (argc)
		return usage_error("'stats' takes no arguments");
	if (!e7_firewall1_call_get_stats_sync(ctl->proxy, &stats, NULL, &error))
		return error_exit(error);
	if (ctl->json)
		e7ctl_print_json(stats);
	else
		e7ctl_print_dict(stats, "");
	return EXIT_OK;
}

static int cmd_mode(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *mode = NULL;

	if (argc > 1)
		return usage_error("'mode' takes at most one argument");
	if (argc == 1) {
		if (!e7_firewall1_call_set_mode_sync(ctl->proxy, argv[0], NULL,
						     &error))
			return error_exit(error);
		return EXIT_OK;
	}
	if (!e7_firewall1_call_get_mode_sync(ctl->proxy, &mode, NULL, &error))
		return error_exit(error);
	if (ctl->json)
		g_print("{\"mode\": \"%s\"}\n", mode);
	else
		g_print("%s\n", mode);
	return EXIT_OK;
}

static const char *const all_flags[] = {
	"log-allowed",	    "log-blocked",
	"log-kernel",	    "incoming",
	"policy-no-daemon", "policy-timeout",
	"policy-overflow",  "policy-unidentified",
	"policy-no-agent",  "policy-agent-gone",
	"default-answer",   "prompt-timeout",
	"profile",	    NULL,
};

static int cmd_get(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	GVariantBuilder b;
	const char *const *names = (const char *const *)argv;
	const char *one[2] = { NULL, NULL };

	if (argc == 1 && g_str_equal(argv[0], "mode"))
		return cmd_mode(ctl, 0, NULL);
	if (argc > 1)
		return usage_error(
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
			return error_exit(error);
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
		return error_exit(error);
	if (g_variant_is_of_type(current, G_VARIANT_TYPE_VARIANT)) {
		GVariant *inner = g_variant_get_variant(current);

		g_variant_unref(current);
		current = inner;
	}
	value = flag_value(text, current, &error);
	if (!value)
		return error_exit(error);
	if (!e7_firewall1_call_set_flag_sync(ctl->proxy, name,
					     g_variant_new_variant(value), NULL,
					     &error))
		return error_exit(error);
	return EXIT_OK;
}

static int cmd_set(Ctl *ctl, int argc, char **argv)
{
	if (argc != 2)
		return usage_error(
			"'set' needs a name and a value: set mode ask, set log-allowed on");
	if (g_str_equal(argv[0], "mode"))
		return cmd_mode(ctl, 1, argv + 1);
	return set_flag(ctl, argv[0], argv[1]);
}

/* enable [FLAG] / disable [FLAG]: the firewall itself, or a flag. */
static int cmd_enable(Ctl *ctl, gboolean on, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc > 1)
		return usage_error("'%s' takes at most one flag name",
				   on ? "enable" : "disable");
	if (argc == 1)
		return set_flag(ctl, argv[0], on ? "on" : "off");
	if (!e7_firewall1_call_set_mode_sync(
		    ctl->proxy, on ? "ask" : "disabled", NULL, &error))
		return error_exit(error);
	return EXIT_OK;
}

static int cmd_reload(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc)
		return usage_error("'reload' takes no arguments");
	if (!e7_firewall1_call_reload_sync(ctl->proxy, NULL, &error))
		return error_exit(error);
	return EXIT_OK;
}

static void on_event(E7Firewall1 *proxy, GVariant *event, gpointer user_data)
{
	Ctl *ctl = user_data;

	if (ctl->json)
		e7ctl_print_json(event);
	else
		e7ctl_print_event(event);
	fflush(stdout);
}

static gboolean on_quit(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

static int cmd_log(Ctl *ctl, int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) events = NULL;
	GVariantBuilder b;
	GVariantIter iter;
	GVariant *event;

	if (argc)
		return usage_error(
			"'log' takes no arguments (options: --follow, --count N)");
	if (opt_follow)
		g_signal_connect(ctl->proxy, "connection-event",
				 G_CALLBACK(on_event), ctl);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "max",
			      g_variant_new_uint32(MAX(opt_count, 0)));
	if (!e7_firewall1_call_get_events_sync(ctl->proxy,
					       g_variant_builder_end(&b),
					       &events, NULL, &error))
		return error_exit(error);
	g_variant_iter_init(&iter, events);
	while ((event = g_variant_iter_next_value(&iter))) {
		on_event(ctl->proxy, event, ctl);
		g_variant_unref(event);
	}
	if (opt_follow) {
		g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);

		g_unix_signal_add(SIGINT, on_quit, loop);
		g_unix_signal_add(SIGTERM, on_quit, loop);
		g_main_loop_run(loop);
	}
	return EXIT_OK;
}

static int run_command(Ctl *ctl, int argc, char **argv);

/* Reads commands from standard input, one a line, like the seed's e7d. */
static int cmd_interactive(Ctl *ctl)
{
	g_autoptr(GIOChannel) in = g_io_channel_unix_new(STDIN_FILENO);
	gboolean tty = isatty(STDIN_FILENO);
	int worst = EXIT_OK;
	guint lineno = 0;

	for (;;) {
		g_autofree char *line = NULL;
		g_auto(GStrv) words = NULL;
		g_autoptr(GError) error = NULL;
		int argc, r;

		if (tty) {
			g_print("e7> ");
			fflush(stdout);
		}
		if (g_io_channel_read_line(in, &line, NULL, NULL, &error) !=
		    G_IO_STATUS_NORMAL)
			break;
		lineno++;
		g_strstrip(line);
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (g_str_equal(line, "quit") ||
		    g_str_equal(line, "disconnect") ||
		    g_str_equal(line, "exit"))
			break;
		if (!g_shell_parse_argv(line, &argc, &words, &error)) {
			g_printerr("e7ctl: line %u: %s\n", lineno,
				   error->message);
			worst = MAX(worst, EXIT_USAGE);
			continue;
		}
		r = run_command(ctl, argc, words);
		if (r != EXIT_OK && !tty)
			g_printerr("e7ctl: line %u failed\n", lineno);
		worst = MAX(worst, r);
	}
	return worst;
}

static int run_command(Ctl *ctl, int argc, char **argv)
{
	const char *cmd = argv[0];

	argc--;
	argv++;
	if (g_str_equal(cmd, "allow") || g_str_equal(cmd, "block"))
		return cmd_add(ctl, cmd, argc, argv);
	if (g_str_equal(cmd, "clear"))
		return cmd_clear(ctl, argc, argv);
	if (g_str_equal(cmd, "query") || g_str_equal(cmd, "list"))
		return cmd_list(ctl, argc, argv);
	if (g_str_equal(cmd, "set"))
		return cmd_set(ctl, argc, argv);
	if (g_str_equal(cmd, "get"))
		return cmd_get(ctl, argc, argv);
	if (g_str_equal(cmd, "enable") || g_str_equal(cmd, "disable"))
		return cmd_enable(ctl, cmd[0] == 'e', argc, argv);
	if (g_str_equal(cmd, "stats"))
		return cmd_stats(ctl, argc, argv);
	if (g_str_equal(cmd, "log"))
		return cmd_log(ctl, argc, argv);
	if (g_str_equal(cmd, "mode"))
		return cmd_mode(ctl, argc, argv);
	if (g_str_equal(cmd, "reload"))
		return cmd_reload(ctl, argc, argv);
	if (g_str_equal(cmd, "agent"))
		return e7ctl_agent_run(ctl->proxy, argc + 1, argv - 1);
	if (g_str_equal(cmd, "interactive") || g_str_equal(cmd, "-"))
		return cmd_interactive(ctl);
	return usage_error("unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
	GOptionEntry entries[] = {
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json,
		  N_("Print JSON"), NULL },
		{ "session", 0, 0, G_OPTION_ARG_NONE, &opt_session,
		  N_("Talk to an e7d on the session bus (for tests)"), NULL },
		{ "follow", 'f', 0, G_OPTION_ARG_NONE, &opt_follow,
		  N_("log: keep printing new events"), NULL },
		{ "count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
		  N_("log: print at most N past events (default 50)"),
		  N_("N") },
		{ "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
		  N_("Print the version"), NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext) ctx = NULL;
	g_autoptr(GError) error = NULL;
	Ctl ctl = { 0 };
	int r;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	e7_error_quark();

	ctx = g_option_context_new(_("COMMAND [ARGUMENTS...]"));
	g_option_context_set_summary(
		ctx,
		_("Control the EftirlitSeven firewall (e7d).\n\n"
		  "Commands:\n"
		  "  allow|block [PROTOCOL] PROGRAM [CLAUSES]   add a rule\n"
		  "  clear ID | all | [allow|block] [PROTOCOL] [PROGRAM]   remove rules\n"
		  "  query|list [allow|block] [PROTOCOL] [PROGRAM]   list rules\n"
		  "  mode [MODE]            show or set the mode\n"
		  "  get [FLAG|mode]        show settings\n"
		  "  set FLAG|mode VALUE    change a setting\n"
		  "  enable|disable [FLAG]  enable the firewall (mode ask) or a flag\n"
		  "  stats                  counters\n"
		  "  log [--follow]         connection events\n"
		  "  reload                 re-read the rules file and e7d.conf\n"
		  "  interactive            read commands from standard input"));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	g_option_context_set_strict_posix(ctx, FALSE);
	/* Subcommands (agent) have options of their own. */
	g_option_context_set_ignore_unknown_options(ctx, TRUE);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return usage_error("%s", error->message);
	if (opt_version) {
		g_print("e7ctl %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	ctl.json = opt_json;
	ctl.proxy = e7_firewall1_proxy_new_for_bus_sync(
		opt_session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
		G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
		"org.eftirlit7.Firewall1", "/org/eftirlit7/Firewall1", NULL,
		&error);
	if (!ctl.proxy)
		return error_exit(error);
	/* Leave time for an interactive polkit authentication. */
	g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(ctl.proxy), 120 * 1000);
	if (argc < 2)
		r = isatty(STDIN_FILENO) ? usage_error("no command given") :
					   cmd_interactive(&ctl);
	else
		r = run_command(&ctl, argc - 1, argv + 1);
	g_object_unref(ctl.proxy);
	return r;
}
