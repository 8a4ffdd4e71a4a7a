/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The settings commands: mode, get, set, enable|disable, reload. */
#pragma once

#include "ctl.h"

G_BEGIN_DECLS

int e7ctl_cmd_mode(Ctl *ctl, int argc, char **argv);
int e7ctl_cmd_get(Ctl *ctl, int argc, char **argv);
int e7ctl_cmd_set(Ctl *ctl, int argc, char **argv);
int e7ctl_cmd_enable(Ctl *ctl, gboolean on, int argc, char **argv);
int e7ctl_cmd_reload(Ctl *ctl, int argc, char **argv);

G_END_DECLS
