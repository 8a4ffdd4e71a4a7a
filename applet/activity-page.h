/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The activity page of the rules window: e7d's mode (to switch), whether the
 * kernel module is loaded, e7d's counters, and its recent connection events,
 * one per line and counted per program.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The activity list keeps this many events. */
#define E7_ACTIVITY_MAX_EVENTS 500

/* The columns of the models (activity-page.ui numbers them too). */
enum {
	E7_EVENTS_COL_TIME,
	E7_EVENTS_COL_PROGRAM,
	E7_EVENTS_COL_ACTION,
	E7_EVENTS_COL_DESTINATION,
	E7_EVENTS_COL_REASON,
	E7_EVENTS_N_COLS
};

enum {
	E7_PROGRAMS_COL_PROGRAM,
	E7_PROGRAMS_COL_ALLOWED,
	E7_PROGRAMS_COL_BLOCKED,
	E7_PROGRAMS_N_COLS
};

#define E7_TYPE_ACTIVITY_PAGE (e7_activity_page_get_type())
G_DECLARE_FINAL_TYPE(E7ActivityPage, e7_activity_page, E7, ACTIVITY_PAGE,
		     GtkBox)

/*
 * Signals:
 *   "mode-chosen" (const char *mode): the user picked a mode;
 *   "refresh": the user asked to read everything again.
 */
GtkWidget *e7_activity_page_new(void);
/*
 * What e7d says of itself: running or not, its mode (NULL: not said) and
 * whether the kernel module is loaded.
 */
void e7_activity_page_show_daemon(E7ActivityPage *page, gboolean running,
				  const char *mode, gboolean kernel);
/* e7d's counters (GetStats). */
void e7_activity_page_show_stats(E7ActivityPage *page, GVariant *stats);
void e7_activity_page_clear(E7ActivityPage *page);
/* A connection event, on top of the list and counted for its program. */
void e7_activity_page_add_event(E7ActivityPage *page, GVariant *event);
/* The mode shown, and picking one as the user would. */
const char *e7_activity_page_get_mode(E7ActivityPage *page);
void e7_activity_page_choose_mode(E7ActivityPage *page, const char *mode);
GtkTreeModel *e7_activity_page_get_events_model(E7ActivityPage *page);
GtkTreeModel *e7_activity_page_get_programs_model(E7ActivityPage *page);

G_END_DECLS
