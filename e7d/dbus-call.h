/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One call of org.eftirlit7.Firewall1, on its way through the service:
 * the caller is identified, the method's "decide" step checks the input and
 * names the polkit action, polkit is asked, then "run" answers.  The parts
 * a method may use come with the call.
 */
#pragma once

#include "agents.h"
#include "auth.h"
#include "conf.h"
#include "event-log.h"
#include "event-watchers.h"
#include "firewall-state.h"
#include "kernel-sync.h"
#include "kernel.h"
#include "prompts.h"
#include "rule-store.h"
#include "signal-queue.h"

G_BEGIN_DECLS

/* What the service is a front end of (none of it owned). */
typedef struct {
	GDBusConnection *bus;
	E7Kernel *kernel; /* NULL without a module */
	E7RuleStore *store;
	E7KernelSync *sync;
	E7Agents *agents;
	E7Prompts *prompts;
	E7EventLog *log;
	E7FirewallState *state;
	E7SignalQueue *signals;
	E7EventWatchers *watchers; /* who gets ConnectionEvent */
	E7Config *config; /* changed by SetMode and SetFlag */
	const char *settings_path; /* where SetMode and SetFlag persist */
	GCancellable *cancel;
	/* Reload: re-reads the rules and the settings (the daemon's). */
	gboolean (*reload)(gpointer data, GError **error);
	gpointer reload_data;
} E7ServiceParts;

typedef struct _E7Call E7Call;

/* Checks the input and returns the polkit action to ask for, or NULL with
 * @error. */
typedef const char *(*E7DecideFunc)(E7Call *call, GError **error);
/* Runs the method and answers (e7_call_return or e7_call_error). */
typedef void (*E7RunFunc)(E7Call *call);

typedef struct {
	const char *name;
	E7DecideFunc decide;
	E7RunFunc run;
} E7Method;

struct _E7Call {
	const E7ServiceParts *parts;
	GDBusMethodInvocation *inv;
	GVariant *params;
	const E7Method *method;
	E7Caller caller;
	const char *action; /* the polkit action granted */
	E7Rule *rule; /* AddRule, UpdateRule: the validated rule */
	E7Config config; /* SetFlag: the settings before the change */
	GVariant *reply; /* held until the kernel jobs before it are done */
};

E7Call *e7_call_new(const E7ServiceParts *parts,
		    GDBusMethodInvocation *invocation, const E7Method *method);
/* Answers and frees the call. */
void e7_call_return(E7Call *call, GVariant *value);
void e7_call_error(E7Call *call, GError *error);
/* Answers once the kernel jobs submitted so far (removals) are done. */
void e7_call_return_after_kernel(E7Call *call, GVariant *value);

/* The polkit actions. */
const char *e7_decide_info(E7Call *call, GError **error);
const char *e7_decide_system(E7Call *call, GError **error);
const char *e7_decide_own(E7Call *call, GError **error);

G_END_DECLS
