/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A private Xvfb for the applet's GTK tests (linked into each of them). */
#include "config.h"

#include "test-applet-xvfb.h"

#include <gtk/gtk.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static GPid xvfb_pid;

/*
 * Xvfb must not outlive a test that crashed: it dies with its parent, and
 * (-terminate) when the test's connection closes. The parent must be the
 * test itself (G_SPAWN_DO_NOT_REAP_CHILD): spawned through GLib's
 * intermediate child, Xvfb was sometimes killed when that one exited, before
 * or after it reported its display, and the GTK tests were skipped.
 */
static void die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean start_once(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *xvfb = g_find_program_in_path("Xvfb");
	const char *argv[] = { NULL,	     "-displayfd", "1", "-nolisten",
			       "tcp",	     "-screen",	   "0", "1024x768x24",
			       "-terminate", NULL };
	char buf[32] = { 0 };
	size_t len = 0;
	int out_fd;

	if (!xvfb)
		return FALSE;
	argv[0] = xvfb;
	if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
				      G_SPAWN_DO_NOT_REAP_CHILD,
				      die_with_parent, NULL, &xvfb_pid, NULL,
				      &out_fd, NULL, &error)) {
		g_test_message("cannot start Xvfb: %s", error->message);
		return FALSE;
	}
	/* Xvfb writes its display number and a newline once it accepts clients. */
	while (len < sizeof(buf) - 1) {
		ssize_t n = read(out_fd, buf + len, 1);

		if (n <= 0 || buf[len] == '\n')
			break;
		len++;
	}
	close(out_fd);
	buf[len] = '\0';
	if (len == 0 || !g_ascii_isdigit(buf[0])) {
		g_test_message("Xvfb did not report a display");
		e7_test_stop_xvfb();
		return FALSE;
	}
	{
		g_autofree char *display = g_strdup_printf(":%s", buf);

		g_setenv("DISPLAY", display, TRUE);
	}
	return TRUE;
}

/*
 * Start Xvfb and point $DISPLAY at it; FALSE if Xvfb is missing or fails.
 * Tests running in parallel may race for a display number: try again.
 */
gboolean e7_test_start_xvfb(void)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		if (start_once())
			return TRUE;
		g_usleep(200 * 1000);
	}
	return FALSE;
}

/*
 * No accessibility bus, no dconf, X11, and the untranslated strings the tests
 * compare: call before g_test_init().
 */
void e7_test_gtk_env(void)
{
	g_setenv("NO_AT_BRIDGE", "1", TRUE);
	g_setenv("GSETTINGS_BACKEND", "memory", TRUE);
	g_setenv("GDK_BACKEND", "x11", TRUE);
	g_setenv("LANGUAGE", "C", TRUE);
	g_unsetenv("LANG");
	g_unsetenv("LC_ALL");
	g_unsetenv("LC_MESSAGES");
}

/* A private Xvfb (or the $DISPLAY given) and GTK on it; FALSE without one. */
gboolean e7_test_gtk_init(int *argc, char ***argv)
{
	if (!e7_test_start_xvfb() && !g_getenv("DISPLAY"))
		return FALSE;
	return gtk_init_check(argc, argv);
}

void e7_test_stop_xvfb(void)
{
	if (xvfb_pid) {
		kill(xvfb_pid, SIGTERM);
		waitpid(xvfb_pid, NULL, 0);
		g_spawn_close_pid(xvfb_pid);
		xvfb_pid = 0;
	}
}
