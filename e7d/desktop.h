/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The .desktop entry of a program, for prompts (name and icon). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The application whose executable is @program (an absolute, resolved
 * path), or NULL. The index of installed applications is built on first use
 * and rebuilt when they change. */
GAppInfo *e7_desktop_lookup(const char *program);

G_END_DECLS
