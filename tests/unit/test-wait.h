/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests: run the main loop until a condition holds, or fail after 10 s;
 * or for a while. */
#ifndef E7_TEST_WAIT_H
#define E7_TEST_WAIT_H

#include <glib.h>

static inline gboolean e7_test_wait_timeout_cb(gpointer data)
{
	g_error("timed out waiting for %s", (const char *)data);
	return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond)                                                        \
	G_STMT_START                                                          \
	{                                                                     \
		guint _t = g_timeout_add_seconds(10, e7_test_wait_timeout_cb, \
						 (gpointer) #cond);           \
		while (!(cond))                                               \
			g_main_context_iteration(NULL, TRUE);                 \
		g_source_remove(_t);                                          \
	}                                                                     \
	G_STMT_END

static inline gboolean e7_test_set_flag_cb(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds (to see that nothing happens). */
static inline void e7_test_spin(guint ms)
{
	gboolean done = FALSE;

	g_timeout_add(ms, e7_test_set_flag_cb, &done);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
}

#endif /* E7_TEST_WAIT_H */
