/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An in-memory kernel bridge for the daemon tests. */
#pragma once

#include "kernel.h"

typedef struct {
	E7Kernel parent;
	gboolean connected;
	GHashTable *rules; /* id -> E7Rule */
	GArray *verdicts; /* of FakeVerdict */
	E7Mode mode;
	guint32 flags;
	E7Config config;
	guint set_config_calls;
	GHashTable *held; /* flow id -> E7Flow: flows still waiting */
	guint add_rule_calls; /* E7_CMD_NEW_RULE messages */
	GHashTable *files; /* path -> E7ExeId: what a binding rule binds to */
	guint verdict_calls; /* E7_CMD_VERDICT messages */
} FakeKernel;

typedef struct {
	guint64 flow_id;
	E7Action action;
} FakeVerdict;

/* Connected; its events go where e7_kernel_set_events() says. */
FakeKernel *fake_kernel_new(void);
/* Holds a flow and reports it as pending. */
void fake_kernel_hold(FakeKernel *k, const E7Flow *flow);
E7Action fake_kernel_verdict_of(FakeKernel *k, guint64 flow_id);
/* The program at @path has inode @ino now (device 0x801, ctime from it). */
void fake_kernel_set_file(FakeKernel *k, const char *path, guint64 ino);
