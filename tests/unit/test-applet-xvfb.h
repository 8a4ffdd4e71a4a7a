/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A private Xvfb and a quiet, English GTK environment for the applet's tests. */
#pragma once

#include <glib.h>

void e7_test_gtk_env(void);
gboolean e7_test_start_xvfb(void);
gboolean e7_test_gtk_init(int *argc, char ***argv);
void e7_test_stop_xvfb(void);
