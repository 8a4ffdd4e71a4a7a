/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule commands: allow|block (add), clear, list|query. */
#pragma once

#include "ctl.h"

G_BEGIN_DECLS

int e7ctl_cmd_add(Ctl *ctl, const char *action, int argc, char **argv);
int e7ctl_cmd_clear(Ctl *ctl, int argc, char **argv);
int e7ctl_cmd_list(Ctl *ctl, int argc, char **argv);

G_END_DECLS
