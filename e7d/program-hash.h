/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The content of a program: the SHA-256 of its executable, read off the
 * main loop (a GTask thread).  A rule remembers it, so that a program
 * replaced at the same path is recognised as another program.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Blocking: for threads only.  Lower-case hex. */
char *e7_program_sha256(const char *path, GError **error);
/* Blocking: the MD5 the package database (dpkg) keeps for files. */
char *e7_program_md5(const char *path, GError **error);

/* The content of @path, else of @fallback (may be NULL): the running
 * executable (/proc/PID/exe, which e7d may not read without
 * CAP_SYS_PTRACE when another user runs it), else the file at its path. */
void e7_program_sha256_async(const char *path, const char *fallback,
			     GCancellable *cancel, GAsyncReadyCallback callback,
			     gpointer user_data);
char *e7_program_sha256_finish(GAsyncResult *res, GError **error);

G_END_DECLS
