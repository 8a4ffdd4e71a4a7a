/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A prompt request (org.eftirlit7.Firewall1.Agent.Ask) and its answer. */
#pragma once

#include <gio/gio.h>

#include "e7-enums.h"
#include "e7-error.h"

G_BEGIN_DECLS

typedef struct {
	guint64 id;
	char *program; /* nullable */
	guint32 pid; /* 0: unknown */
	char *cmdline; /* nullable */
	guint32 uid; /* G_MAXUINT32: unknown */
	char *user; /* nullable */
	char *protocol; /* nullable */
	char *direction; /* "out" or "in" */
	char *remote_address; /* nullable, validated IP address */
	guint16 remote_port; /* 0: none */
	guint16 local_port; /* 0: none */
	char *desktop_id; /* nullable */
	char *desktop_name; /* nullable */
	char *icon; /* nullable */
	guint timeout; /* seconds, 0: no countdown */
	E7Action default_action;
	gboolean program_changed; /* not the program its rules were made for */
	char *sha256; /* nullable: the program's content now */
	char *previous_sha256; /* nullable: what the rules were made for */
	gint64 received_us; /* g_get_monotonic_time() when received */
} E7Request;

typedef struct {
	E7Action action;
	E7Scope scope;
	E7Lifetime lifetime;
	guint duration; /* seconds, only for E7_LIFETIME_SECONDS */
} E7Answer;

E7Request *e7_request_new_from_variant(GVariant *dict, GError **error);
E7Request *e7_request_ref(E7Request *request);
void e7_request_unref(E7Request *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E7Request, e7_request_unref)

/* The key under which requests are coalesced into one prompt page. */
char *e7_request_group_key(const E7Request *request);
/* Executable name shown when no desktop file describes the program. */
char *e7_request_display_name(const E7Request *request);
/* Seconds left before the default answer applies, or -1 without countdown. */
gint64 e7_request_remaining(const E7Request *request, gint64 now_us);

/* The answer applied when nobody decides (countdown, Escape). */
void e7_answer_init_default(E7Answer *answer, const E7Request *request);
GVariant *e7_answer_to_variant(const E7Answer *answer);

G_END_DECLS
