/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A text polkit agent for e7ctl on a terminal, as systemctl has: when an
 * unprivileged user runs e7ctl on a tty (over SSH, on a console) and no
 * graphical agent of their session is there, pkttyagent asks for the
 * password that e7d's polkit check wants.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Starts pkttyagent for this process and waits until it is registered;
 * NULL when standard input is not a terminal, for root, or when pkttyagent
 * is missing or fails (e7ctl then goes on without it). */
GSubprocess *e7ctl_polkit_agent_start(void);
/* Stops it (SIGTERM: it puts the terminal back as it was). */
void e7ctl_polkit_agent_stop(GSubprocess *agent);

G_END_DECLS
