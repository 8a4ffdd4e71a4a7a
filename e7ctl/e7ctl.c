// SPDX-License-Identifier: GPL-2.0-or-later
/* e7ctl: command-line client of org.eftirlit7.Firewall1. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "agent.h"
#include "cmd-rules.h"
#include "cmd-settings.h"
#include "cmd-status.h"
#include "ctl.h"
#include "e7-error.h"
#include "polkit-agent.h"

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
		return e7ctl_cmd_add(ctl, cmd, argc, argv);
	if (g_str_equal(cmd, "clear"))
		return e7ctl_cmd_clear(ctl, argc, argv);
	if (g_str_equal(cmd, "query") || g_str_equal(cmd, "list"))
		return e7ctl_cmd_list(ctl, argc, argv);
	if (g_str_equal(cmd, "set"))
		return e7ctl_cmd_set(ctl, argc, argv);
	if (g_str_equal(cmd, "get"))
		return e7ctl_cmd_get(ctl, argc, argv);
	if (g_str_equal(cmd, "enable") || g_str_equal(cmd, "disable"))
		return e7ctl_cmd_enable(ctl, cmd[0] == 'e', argc, argv);
	if (g_str_equal(cmd, "stats"))
		return e7ctl_cmd_stats(ctl, argc, argv);
	if (g_str_equal(cmd, "log"))
		return e7ctl_cmd_log(ctl, argc, argv);
	if (g_str_equal(cmd, "mode"))
		return e7ctl_cmd_mode(ctl, argc, argv);
	if (g_str_equal(cmd, "reload"))
		return e7ctl_cmd_reload(ctl, argc, argv);
	if (g_str_equal(cmd, "agent"))
		return e7ctl_agent_run(ctl->proxy, argc + 1, argv - 1);
	if (g_str_equal(cmd, "interactive") || g_str_equal(cmd, "-"))
		return cmd_interactive(ctl);
	return e7ctl_usage_error("unknown command '%s'", cmd);
}

static const char summary[] = N_(
	"Control the EftirlitSeven firewall (e7d).\n\n"
	"Commands:\n"
	"  allow|block [PROTOCOL] PROGRAM [CLAUSES]   add a rule\n"
	"  clear ID | all | [allow|block] [PROTOCOL] [PROGRAM]   remove rules\n"
	"  query|list [allow|block] [PROTOCOL] [PROGRAM]   list rules\n"
	"  mode [MODE]            show or set the mode\n"
	"  get [FLAG|mode]        show settings\n"
	"  set FLAG|mode VALUE    change a setting\n"
	"  enable|disable [FLAG]  enable the firewall (mode ask) or a flag\n"
	"  stats                  counters\n"
	"  log [--follow] [--all-users]   your connection events (everyone's)\n"
	"  reload                 re-read the rules file and e7d.conf\n"
	"  agent [OPTIONS]        answer this user's prompts from the terminal\n"
	"                         (e7ctl agent --help)\n"
	"  interactive            read commands from standard input");

/* Parses the global options into @ctl; FALSE (after saying why) on an
 * error.  Subcommands (agent) keep options of their own in @argv. */
static gboolean parse_options(Ctl *ctl, gboolean *session, gboolean *version,
			      int *argc, char ***argv)
{
	GOptionEntry entries[] = {
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &ctl->json,
		  N_("Print JSON"), NULL },
		{ "session", 0, 0, G_OPTION_ARG_NONE, session,
		  N_("Talk to an e7d on the session bus (for tests)"), NULL },
		{ "follow", 'f', 0, G_OPTION_ARG_NONE, &ctl->follow,
		  N_("log: keep printing new events"), NULL },
		{ "count", 'n', 0, G_OPTION_ARG_INT, &ctl->count,
		  N_("log: print at most N past events (default 50)"),
		  N_("N") },
		{ "all-users", 'a', 0, G_OPTION_ARG_NONE, &ctl->all_users,
		  N_("log: the events of all users, not only yours "
		     "(administrators; always for root)"),
		  NULL },
		{ "version", 0, 0, G_OPTION_ARG_NONE, version,
		  N_("Print the version"), NULL },
		{ NULL }
	};
	g_autoptr(GOptionContext)
		ctx = g_option_context_new(_("COMMAND [ARGUMENTS...]"));
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary(ctx, _(summary));
	g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
	g_option_context_set_strict_posix(ctx, FALSE);
	g_option_context_set_ignore_unknown_options(ctx, TRUE);
	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		e7ctl_usage_error("%s", error->message);
		return FALSE;
	}
	return TRUE;
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	Ctl ctl = { .count = 50 };
	gboolean session = FALSE, version = FALSE;
	GSubprocess *polkit_agent;
	int r;

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	e7_error_quark();
	if (!parse_options(&ctl, &session, &version, &argc, &argv))
		return EXIT_USAGE;
	ctl.all_users |= geteuid() == 0;
	if (version) {
		g_print("e7ctl %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	ctl.proxy = e7_firewall1_proxy_new_for_bus_sync(
		session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
		G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, E7_DBUS_NAME,
		E7_DBUS_PATH, NULL, &error);
	/* Only a bus that cannot reach or start e7d fails here. */
	if (!ctl.proxy)
		return e7ctl_no_daemon_exit(error);
	/* Leave time for an interactive polkit authentication. */
	g_dbus_proxy_set_default_timeout(G_DBUS_PROXY(ctl.proxy), 120 * 1000);
	if (argc < 2 && isatty(STDIN_FILENO)) {
		g_object_unref(ctl.proxy);
		return e7ctl_usage_error("no command given");
	}
	polkit_agent = e7ctl_polkit_agent_start();
	if (argc < 2)
		r = cmd_interactive(&ctl);
	else
		r = run_command(&ctl, argc - 1, argv + 1);
	e7ctl_polkit_agent_stop(polkit_agent);
	g_object_unref(ctl.proxy);
	return r;
}
