/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The status commands: stats, log [--follow]. */
#pragma once

#include "ctl.h"

G_BEGIN_DECLS

int e7ctl_cmd_stats(Ctl *ctl, int argc, char **argv);
int e7ctl_cmd_log(Ctl *ctl, int argc, char **argv);

G_END_DECLS
