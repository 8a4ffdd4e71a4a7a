/* SPDX-License-Identifier: GPL-2.0-or-later */
/* e7-applet: the per-user prompt of the EftirlitSeven firewall. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "application.h"

int main(int argc, char **argv)
{
	g_autoptr(E7Application) app = NULL;
	/* Tests run the applet from the build tree with their own catalogs. */
	const char *localedir = g_getenv("E7_LOCALEDIR");

	setlocale(LC_ALL, "");
	bindtextdomain(GETTEXT_PACKAGE,
		       localedir && *localedir ? localedir : LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	g_set_prgname("e7-applet");
	g_set_application_name(_("Firewall prompt"));

	app = e7_application_new();
	return g_application_run(G_APPLICATION(app), argc, argv);
}
