// SPDX-License-Identifier: GPL-2.0-or-later
#include "package-db.h"

#include <string.h>

#include "program-hash.h"

/* Runs argv; its standard output, or NULL (not installed, or it failed). */
static char *run(const char *const *argv)
{
	g_autofree char *found = g_find_program_in_path(argv[0]);
	g_autoptr(GSubprocess) p = NULL;
	g_autofree char *out = NULL;

	if (!found)
		return NULL;
	p = g_subprocess_newv(argv,
			      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
				      G_SUBPROCESS_FLAGS_STDERR_SILENCE,
			      NULL);
	if (!p ||
	    !g_subprocess_communicate_utf8(p, NULL, NULL, &out, NULL, NULL) ||
	    !g_subprocess_get_successful(p))
		return NULL;
	return g_steal_pointer(&out);
}

/* dpkg: the package of @path ("pkg: /path" or "pkg:arch: /path"). */
static char *dpkg_owner(const char *path)
{
	const char *argv[] = { "dpkg-query", "-S", path, NULL };
	g_autofree char *out = run(argv);
	g_auto(GStrv) lines = out ? g_strsplit(out, "\n", -1) : NULL;

	for (guint i = 0; lines && lines[i]; i++) {
		char *sep = strstr(lines[i], ": ");

		if (sep && g_str_equal(sep + 2, path) &&
		    !g_str_has_prefix(lines[i], "diversion"))
			return g_strndup(lines[i], sep - lines[i]);
	}
	return NULL;
}

/* The MD5 dpkg installed @path with, from the package's md5sums (asked of
 * dpkg-query, not read from dpkg's database directly). */
static char *dpkg_md5(const char *pkg, const char *path)
{
	const char *argv[] = { "dpkg-query", "--control-show", pkg, "md5sums",
			       NULL };
	g_autofree char *data = run(argv);
	g_auto(GStrv) lines = NULL;

	if (!data)
		return NULL;
	lines = g_strsplit(data, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		char *sep = strstr(lines[i], "  ");

		/* "MD5  usr/bin/prog": paths are relative to / */
		if (sep && g_str_equal(sep + 2, path + 1))
			return g_strndup(lines[i], sep - lines[i]);
	}
	return NULL;
}

static gboolean dpkg_vouches(const char *path, const char *content_of,
			     char **package, GError **error)
{
	g_autofree char *pkg = dpkg_owner(path);
	g_autofree char *want = pkg ? dpkg_md5(pkg, path) : NULL;
	g_autofree char *have = NULL;
	const char *argv[] = {
		"dpkg-query", "-W", "-f", "${Version}", pkg, NULL
	};
	g_autofree char *version = NULL;

	if (!want)
		return FALSE;
	have = e7_program_md5(content_of, error);
	if (!have || !g_str_equal(have, want))
		return FALSE;
	version = run(argv);
	*package = g_strdup_printf("%s %s", pkg, version ? version : "?");
	return TRUE;
}

/* rpm: "DIGEST ALGO" of @path (algo 8: SHA-256, 1: MD5), and the package. */
static gboolean rpm_vouches(const char *path, const char *content_of,
			    char **package, GError **error)
{
	const char *argv[] = { "rpm",
			       "-qf",
			       "--qf",
			       "%{NAME}-%{VERSION}-%{RELEASE}\\n"
			       "[%{FILENAMES}\\t%{FILEDIGESTS}\\n]",
			       path,
			       NULL };
	g_autofree char *out = run(argv);
	g_auto(GStrv) lines = out ? g_strsplit(out, "\n", -1) : NULL;
	g_autofree char *prefix = g_strconcat(path, "\t", NULL);
	g_autofree char *have = NULL;

	for (guint i = 1; lines && lines[0] && lines[i]; i++) {
		const char *digest;

		if (!g_str_has_prefix(lines[i], prefix))
			continue;
		digest = lines[i] + strlen(prefix);
		have = strlen(digest) == 32 ?
			       e7_program_md5(content_of, error) :
			       e7_program_sha256(content_of, error);
		if (!have || !g_str_equal(have, digest))
			return FALSE;
		*package = g_strdup(lines[0]);
		return TRUE;
	}
	return FALSE;
}

gboolean e7_package_db_vouches(const char *path, const char *content_of,
			       char **package, GError **error)
{
	g_autoptr(GError) local = NULL;

	*package = NULL;
	if (dpkg_vouches(path, content_of, package, &local))
		return TRUE;
	if (local) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	return rpm_vouches(path, content_of, package, error);
}
