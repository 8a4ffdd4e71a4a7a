/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "e7ctl agent": a text-mode prompt agent that answers with a fixed policy
 * (headless machines, scripts and tests). */
#pragma once

#include "e7-dbus.h"

G_BEGIN_DECLS

/* Parses the agent options in @argv and runs until interrupted (or until
 * --count prompts were answered). Returns an exit code. */
int e7ctl_agent_run(E7Firewall1 *proxy, int argc, char **argv);

G_END_DECLS
