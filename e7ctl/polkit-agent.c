// SPDX-License-Identifier: GPL-2.0-or-later
#include "polkit-agent.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <glib-unix.h>

/* How long pkttyagent may take to register. */
#define AGENT_READY_MS 10000

/* pkttyagent closes its --notify-fd once it is registered with polkitd. */
static void wait_registered(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	while (poll(&p, 1, AGENT_READY_MS) == 1 && read(fd, &c, 1) > 0)
		;
}

/* Whether this process is in a login session (logind).  polkit asks a
 * fallback agent only for a subject in a session that has no agent of its
 * own (a desktop's graphical one wins); outside a session (su, setpriv,
 * cron) it would never ask, so pkttyagent is then registered as the agent. */
static gboolean in_login_session(void)
{
	g_autoptr(GDBusConnection)
		bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, NULL);
	g_autoptr(GVariant) ret = NULL;

	if (!bus)
		return FALSE;
	ret = g_dbus_connection_call_sync(
		bus, "org.freedesktop.login1", "/org/freedesktop/login1",
		"org.freedesktop.login1.Manager", "GetSessionByPID",
		g_variant_new("(u)", (guint32)getpid()), NULL,
		G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, NULL, NULL);
	return ret != NULL;
}

GSubprocess *e7ctl_polkit_agent_start(void)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree char *program = NULL;
	g_autofree char *pid = NULL;
	GSubprocess *agent;
	int notify[2];

	if (!isatty(STDIN_FILENO) || geteuid() == 0)
		return NULL;
	program = g_find_program_in_path("pkttyagent");
	if (!program || !g_unix_open_pipe(notify, FD_CLOEXEC, NULL))
		return NULL;
	pid = g_strdup_printf("%d", getpid());
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_INHERIT);
	/* The child gets the pipe's end as fd 3; ours closes with the
	 * launcher. */
	g_subprocess_launcher_take_fd(launcher, notify[1], 3);
	agent = g_subprocess_launcher_spawn(
		launcher, &error, program, "--notify-fd", "3", "--process", pid,
		in_login_session() ? "--fallback" : NULL, NULL);
	g_clear_object(&launcher);
	if (agent)
		wait_registered(notify[0]);
	else
		g_debug("no polkit agent: %s", error->message);
	close(notify[0]);
	return agent;
}

void e7ctl_polkit_agent_stop(GSubprocess *agent)
{
	if (!agent)
		return;
	g_subprocess_send_signal(agent, SIGTERM);
	g_subprocess_wait(agent, NULL, NULL);
	g_object_unref(agent);
}
