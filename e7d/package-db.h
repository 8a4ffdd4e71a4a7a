/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the system's package database says a file should be: dpkg's
 * checksums (/var/lib/dpkg/info/PKG.md5sums) or rpm's file digests.  A
 * program that changed into what its package installed is an update, not
 * another program.  Blocking (it runs dpkg-query or rpm): threads only.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether the package that owns @path installed the content that
 * @content_of (the running executable, or @path) has now; @package gets
 * "name version".  FALSE without an error when no package owns @path or
 * the content differs. */
gboolean e7_package_db_vouches(const char *path, const char *content_of,
			       char **package, GError **error);

G_END_DECLS
