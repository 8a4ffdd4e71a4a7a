/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The libnotify implementation of E7Notifier. */
#pragma once

#include "notifier.h"

G_BEGIN_DECLS

#define E7_TYPE_LIBNOTIFY (e7_libnotify_get_type())
G_DECLARE_FINAL_TYPE(E7Libnotify, e7_libnotify, E7, LIBNOTIFY, GObject)

E7Notifier *e7_libnotify_new(const char *app_name);

G_END_DECLS
