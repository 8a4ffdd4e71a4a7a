// SPDX-License-Identifier: GPL-2.0-or-later
#include "dbus-status.h"

#include <glib/gi18n.h>

#include "e7-error.h"

static void add_u64(GVariantBuilder *b, const char *key, guint64 v)
{
	g_variant_builder_add(b, "{sv}", key, g_variant_new_uint64(v));
}

static void add_u32(GVariantBuilder *b, const char *key, guint32 v)
{
	g_variant_builder_add(b, "{sv}", key, g_variant_new_uint32(v));
}

static void return_stats(E7Call *call, GVariant *kernel_stats)
{
	const E7ServiceParts *parts = call->parts;
	const E7PromptStats *st = e7_prompts_get_stats(parts->prompts);
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	add_u32(&b, "rules", e7_rule_store_count(parts->store));
	add_u32(&b, "rules-temporary",
		e7_rule_store_count_temporary(parts->store));
	add_u64(&b, "prompts", st->prompts);
	add_u64(&b, "prompts-answered", st->answered);
	add_u32(&b, "prompts-pending", e7_prompts_pending(parts->prompts));
	add_u64(&b, "policy-no-agent", st->no_agent);
	add_u64(&b, "policy-timeout", st->timeouts);
	add_u64(&b, "policy-agent-gone", st->agent_gone);
	add_u32(&b, "agents", e7_agents_count(parts->agents));
	add_u32(&b, "event-watchers", e7_event_watchers_count(parts->watchers));
	add_u64(&b, "events-lost",
		e7_firewall_state_get_events_lost(parts->state));
	g_variant_builder_add(
		&b, "{sv}", "kernel-connected",
		g_variant_new_boolean(
			e7_firewall_state_get_connected(parts->state)));
	if (kernel_stats)
		g_variant_builder_add(&b, "{sv}", "kernel", kernel_stats);
	e7_call_return(call, g_variant_new("(a{sv})", &b));
}

static gpointer job_get_stats(E7Kernel *k, gpointer data, GError **error)
{
	GVariant *v = k->ops->get_stats(k, error);

	return v ? g_variant_ref_sink(v) : NULL;
}

static void on_stats_read(GObject *source, GAsyncResult *res,
			  gpointer user_data)
{
	E7Call *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) k = e7_kernel_job_finish(res, &error);

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		e7_call_error(call, error);
		return;
	}
	if (!k)
		g_warning(_("cannot read the kernel's counters: %s"),
			  error->message);
	return_stats(call, k);
}

static void run_get_stats(E7Call *call)
{
	const E7ServiceParts *parts = call->parts;

	if (!e7_firewall_state_get_connected(parts->state)) {
		return_stats(call, NULL);
		return;
	}
	e7_kernel_job(parts->kernel, job_get_stats, NULL, NULL,
		      (GDestroyNotify)g_variant_unref, parts->cancel,
		      on_stats_read, call);
}

/* Reads an optional key of an a{sv}; FALSE when it has the wrong type. */
static gboolean lookup_option(GVariant *opts, const char *key,
			      const GVariantType *type, gpointer out)
{
	g_autoptr(GVariant) v = g_variant_lookup_value(opts, key, NULL);

	if (!v)
		return TRUE;
	if (!g_variant_is_of_type(v, type))
		return FALSE;
	g_variant_get(v, g_variant_type_peek_string(type), out);
	return TRUE;
}

/* The options of GetEvents and WatchEvents. */
typedef struct {
	guint64 since;
	guint32 max;
	gboolean all_users;
} EventOptions;

/* Reads @call's options: "all-users" (b), and with @history "since" (t)
 * and "max" (u); nothing else. */
static gboolean read_event_options(E7Call *call, gboolean history,
				   EventOptions *o, GError **error)
{
	g_autoptr(GVariant) opts = g_variant_get_child_value(call->params, 0);
	const char *keys = history ? "since, max, all-users" : "all-users";
	GVariantIter iter;
	const char *key;

	*o = (EventOptions){ .max = G_MAXUINT32 };
	if (!lookup_option(opts, "since", G_VARIANT_TYPE_UINT64, &o->since) ||
	    !lookup_option(opts, "max", G_VARIANT_TYPE_UINT32, &o->max) ||
	    !lookup_option(opts, "all-users", G_VARIANT_TYPE_BOOLEAN,
			   &o->all_users)) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: a D-Bus method's name; since, max, all-users, uint64, uint32 and boolean are D-Bus names: keep them */
			_("%s options: \"since\" must be a uint64, \"max\" a uint32 and \"all-users\" a boolean"),
			call->method->name);
		return FALSE;
	}
	g_variant_iter_init(&iter, opts);
	while (g_variant_iter_next(&iter, "{&sv}", &key, NULL)) {
		if (!g_str_equal(key, "all-users") &&
		    !(history &&
		      (g_str_equal(key, "since") || g_str_equal(key, "max")))) {
			g_set_error(
				error, E7_ERROR, E7_ERROR_INVALID_ARGS,
				/* TRANSLATORS: a D-Bus method's name, the key given, then the keys it knows */
				_("%s options: unknown key '%s' (%s)"),
				call->method->name, key, keys);
			return FALSE;
		}
	}
	return TRUE;
}

/* A user reads the events of their own processes; everyone's needs
 * org.eftirlit7.firewall.info.all-users. */
static const char *decide_events(E7Call *call, gboolean history, GError **error)
{
	EventOptions o;

	if (!read_event_options(call, history, &o, error))
		return NULL;
	return o.all_users ? E7_ACTION_INFO_ALL_USERS : E7_ACTION_INFO;
}

static const char *decide_get_events(E7Call *call, GError **error)
{
	return decide_events(call, TRUE, error);
}

static const char *decide_watch_events(E7Call *call, GError **error)
{
	return decide_events(call, FALSE, error);
}

static E7EventReader call_reader(E7Call *call)
{
	return (E7EventReader){
		.uid = call->caller.uid,
		.all_users =
			g_str_equal(call->action, E7_ACTION_INFO_ALL_USERS),
	};
}

static void run_get_events(E7Call *call)
{
	E7EventReader reader = call_reader(call);
	EventOptions o;

	/* Checked by decide_get_events(). */
	read_event_options(call, TRUE, &o, NULL);
	e7_call_return(call,
		       g_variant_new_tuple((GVariant *[]){ e7_event_log_query(
						   call->parts->log, o.since,
						   o.max, &reader) },
					   1));
}

static void run_watch_events(E7Call *call)
{
	E7EventReader reader = call_reader(call);
	g_autoptr(GError) error = NULL;

	if (!e7_event_watchers_add(
		    call->parts->watchers,
		    g_dbus_method_invocation_get_sender(call->inv), &reader,
		    &error))
		e7_call_error(call, error);
	else
		e7_call_return(call, NULL);
}

static const E7Method methods[] = {
	{ "GetStats", e7_decide_info, run_get_stats },
	{ "GetEvents", decide_get_events, run_get_events },
	{ "WatchEvents", decide_watch_events, run_watch_events },
};

const E7Method *e7_dbus_status_methods(guint *n)
{
	*n = G_N_ELEMENTS(methods);
	return methods;
}

typedef struct {
	E7SignalQueue *signals;
	GVariant *event;
} EventSignal;

static void send_event(const char *name, gpointer data)
{
	EventSignal *e = data;

	e7_signal_queue_emit_to(e->signals, name, "ConnectionEvent",
				g_variant_new("(@a{sv})", e->event));
}

static void on_event(E7EventLog *log, GVariant *event, gpointer data)
{
	const E7ServiceParts *parts = data;
	EventSignal e = { parts->signals, event };

	e7_event_watchers_foreach(parts->watchers, event, send_event, &e);
}

void e7_dbus_status_follow_log(const E7ServiceParts *parts)
{
	g_signal_connect(parts->log, "event", G_CALLBACK(on_event),
			 (gpointer)parts);
}
