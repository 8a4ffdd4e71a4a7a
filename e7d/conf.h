/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e7d's settings: the administrator's /etc/eftirlit7/e7d.conf (GKeyFile,
 * never written by e7d), under the settings changed through D-Bus
 * (/var/lib/eftirlit7/settings, the same keys but profile), which win.
 */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

/* Longest prompt: the kernel holds a flow at most E7_HOLD_TIMEOUT_MAX_MS,
 * and e7d answers E7_CONFIG_HOLD_MARGIN seconds before the kernel gives up. */
#define E7_CONFIG_HOLD_MARGIN 5
#define E7_CONFIG_PROMPT_TIMEOUT_MAX \
	(E7_HOLD_TIMEOUT_MAX_MS / 1000 - E7_CONFIG_HOLD_MARGIN)

typedef struct {
	E7Profile profile;
	guint prompt_timeout; /* seconds an agent has to answer (1..E7_CONFIG_PROMPT_TIMEOUT_MAX) */
	E7Action default_answer; /* applied when the prompt times out */
	E7Action no_agent; /* no agent registered for the uid */
	E7Action agent_gone; /* the agent left or failed mid-prompt */
	/* Pushed to the module (E7_A_POLICY_*): */
	E7Action no_daemon; /* e7d is not running */
	E7Action timeout; /* e7d did not answer a held flow in time */
	E7Action overflow; /* the hold queue is full */
	E7Action unidentified; /* no owning process found */
	E7Action unparsed; /* a program's packet that cannot be parsed */
	guint event_log_size; /* connection events kept for GetEvents */
	/* Set through the D-Bus API and restored at start: */
	gboolean has_mode; /* [daemon] mode */
	E7Mode mode;
	guint32 flags; /* [flags] name=true|false: the module's E7_FLAGS */
	guint32 flags_set; /* the bits that e7d.conf or the settings set */
} E7Config;

void e7_config_init_defaults(E7Config *config, E7Profile profile);
/* Loads @path over the defaults; a missing file gives the defaults. Errors
 * name the file, group and key. */
gboolean e7_config_load(E7Config *config, const char *path, GError **error);
gboolean e7_config_load_data(E7Config *config, const char *data,
			     const char *name, GError **error);
/* Loads @path, then @settings over it (each key there wins; profile is
 * e7d.conf's only). Errors name the file, group and key. */
gboolean e7_config_load_with_settings(E7Config *config, const char *path,
				      const char *settings, GError **error);
/* Sets one key of @path atomically (temporary file, fsync, rename), keeping
 * the other keys and the comments; a missing file is created. */
gboolean e7_config_set_key(const char *path, const char *group, const char *key,
			   const char *value, GError **error);

G_END_DECLS
