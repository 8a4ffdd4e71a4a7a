// SPDX-License-Identifier: GPL-2.0-or-later
#include "kernel-nl.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "e7-error.h"
#include "nl-decode.h"
#include "nl-encode.h"

/* Large enough for a burst of events while the main loop is busy. */
#define EVENT_RCVBUF (4 * 1024 * 1024)

typedef struct {
	E7Kernel parent;
	/* Requests, only used by the worker thread (E7Kernel.worker): the
	 * kernel answers them synchronously, so the main loop never waits. */
	struct nl_sock *cmd;
	struct nl_sock *ctrl; /* family lookups, on the main loop (nlctrl) */
	struct nl_sock *ev; /* multicast events and nlctrl notifications */
	guint ev_source;
	int family; /* atomic: written on the main loop, read by the worker */
	int group;
	int ctrl_group;
	guint64 events_lost;
} Nl;

static gboolean resolve(Nl *self);

/* ---------------------------------------------------------------------
 * Requests
 * ---------------------------------------------------------------------
 */

typedef int (*ReplyFunc)(struct nlattr **tb, gpointer arg);

typedef struct {
	int err;
	gboolean done;
	ReplyFunc reply;
	gpointer arg;
} Req;

static int req_valid(struct nl_msg *msg, void *arg)
{
	Req *req = arg;
	struct nlattr *tb[E7_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, E7_A_MAX, e7_nl_policy) < 0)
		return NL_SKIP;
	if (req->reply)
		req->reply(tb, req->arg);
	return NL_OK;
}

static int req_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	Req *req = arg;

	req->err = err->error;
	req->done = TRUE;
	return NL_STOP;
}

static int req_done(struct nl_msg *msg, void *arg)
{
	Req *req = arg;

	req->done = TRUE;
	return NL_STOP;
}

static struct nl_msg *new_msg(Nl *self, guint8 cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ,
		    g_atomic_int_get(&self->family), 0, flags, cmd,
		    E7_GENL_VERSION);
	return msg;
}

static gboolean set_errno_error(int err, const char *what, GError **error)
{
	if (err == -ENOENT) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_NO_SUCH_RULE,
			/* TRANSLATORS: %s says what e7d asked the kernel module (in English) */
			_("%s: no such rule or flow"), what);
	} else if (err == -EINVAL || err == -ERANGE || err == -EEXIST) {
		g_set_error(
			error, E7_ERROR, E7_ERROR_INVALID_ARGS,
			/* TRANSLATORS: what e7d asked the kernel module (in English), then the reason */
			_("%s: the module refused it: %s"), what,
			g_strerror(-err));
	} else {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED, "%s: %s", what,
			    g_strerror(-err));
	}
	return FALSE;
}

/* Sends @msg (consumed) and reads replies until the ack or the end of the
 * dump. */
static gboolean request(Nl *self, struct nl_msg *msg, const char *what,
			ReplyFunc reply, gpointer arg, GError **error)
{
	Req req = { .reply = reply, .arg = arg };
	struct nl_cb *cb;
	int r;

	if (g_atomic_int_get(&self->family) <= 0) {
		nlmsg_free(msg);
		return e7_kernel_check(NULL, error);
	}
	r = nl_send_auto(self->cmd, msg);
	nlmsg_free(msg);
	if (r < 0) {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED, "%s: %s", what,
			    nl_geterror(r));
		return FALSE;
	}
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, req_valid, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, req_done, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, req_done, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, req_error, &req);
	while (!req.done) {
		r = nl_recvmsgs(self->cmd, cb);
		if (r < 0 && !req.done) {
			req.err = r == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
			g_debug("%s: %s", what, nl_geterror(r));
			break;
		}
	}
	nl_cb_put(cb);
	if (req.err < 0)
		return set_errno_error(req.err, what, error);
	return TRUE;
}

/* ---------------------------------------------------------------------
 * Rules and flows
 * ---------------------------------------------------------------------
 */

/* ---------------------------------------------------------------------
 * Operations
 * ---------------------------------------------------------------------
 */

static gboolean nl_is_connected(E7Kernel *k)
{
	return g_atomic_int_get(&((Nl *)k)->family) > 0;
}

/* The identity the module bound a new rule to, from its reply. */
static int learn_identity(struct nlattr **tb, gpointer arg)
{
	E7Rule *rule = arg;
	g_autoptr(E7Rule)
		added = tb[E7_A_RULE] ? e7_nl_rule_decode(tb[E7_A_RULE]) : NULL;

	if (added) {
		rule->has_exe = added->has_exe;
		rule->exe = added->exe;
	}
	return NL_OK;
}

static gboolean nl_add_rule(E7Kernel *k, E7Rule *rule, GError **error)
{
	Nl *self = (Nl *)k;
	struct nl_msg *msg = new_msg(self, E7_CMD_NEW_RULE, NLM_F_ACK);

	e7_nl_rule_encode(msg, rule);
	return request(self, msg, "adding a rule", learn_identity, rule, error);
}

static gboolean nl_del_rule(E7Kernel *k, guint64 id, GError **error)
{
	Nl *self = (Nl *)k;
	struct nl_msg *msg = new_msg(self, E7_CMD_DEL_RULE, NLM_F_ACK);

	nla_put_u64(msg, E7_A_RULE_ID, id);
	return request(self, msg, "removing a rule", NULL, NULL, error);
}

static int collect_rule(struct nlattr **tb, gpointer arg)
{
	E7Rule *rule = tb[E7_A_RULE] ? e7_nl_rule_decode(tb[E7_A_RULE]) : NULL;

	if (rule)
		g_ptr_array_add(arg, rule);
	return NL_OK;
}

static GPtrArray *nl_dump_rules(E7Kernel *k, GError **error)
{
	Nl *self = (Nl *)k;
	g_autoptr(GPtrArray) rules =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_rule_free);

	if (!request(self, new_msg(self, E7_CMD_GET_RULE, NLM_F_DUMP),
		     "reading the rules", collect_rule, rules, error))
		return NULL;
	return g_steal_pointer(&rules);
}

static int collect_flow(struct nlattr **tb, gpointer arg)
{
	E7Flow *flow = tb[E7_A_FLOW] ? e7_nl_flow_decode(tb[E7_A_FLOW]) : NULL;

	if (flow)
		g_ptr_array_add(arg, flow);
	return NL_OK;
}

static GPtrArray *nl_dump_flows(E7Kernel *k, GError **error)
{
	Nl *self = (Nl *)k;
	g_autoptr(GPtrArray) flows =
		g_ptr_array_new_with_free_func((GDestroyNotify)e7_flow_free);

	if (!request(self, new_msg(self, E7_CMD_GET_FLOW, NLM_F_DUMP),
		     "reading the held flows", collect_flow, flows, error))
		return NULL;
	return g_steal_pointer(&flows);
}

static gboolean nl_set_mode(E7Kernel *k, E7Mode mode, GError **error)
{
	Nl *self = (Nl *)k;
	struct nl_msg *msg = new_msg(self, E7_CMD_SET_MODE, NLM_F_ACK);

	nla_put_u8(msg, E7_A_MODE, mode);
	return request(self, msg, "setting the mode", NULL, NULL, error);
}

typedef struct {
	int attr;
	guint32 value;
	gboolean seen;
} Scalar;

static int get_scalar(struct nlattr **tb, gpointer arg)
{
	Scalar *s = arg;

	if (!tb[s->attr])
		return NL_OK;
	s->seen = TRUE;
	s->value = nla_len(tb[s->attr]) == 1 ? nla_get_u8(tb[s->attr]) :
					       nla_get_u32(tb[s->attr]);
	return NL_OK;
}

static gboolean get_value(Nl *self, guint8 cmd, int attr, guint32 *out,
			  GError **error)
{
	Scalar s = { .attr = attr };

	if (!request(self, new_msg(self, cmd, NLM_F_ACK), "reading a setting",
		     get_scalar, &s, error))
		return FALSE;
	if (!s.seen) {
		g_set_error_literal(error, E7_ERROR, E7_ERROR_FAILED,
				    _("the module's reply lacks the value"));
		return FALSE;
	}
	*out = s.value;
	return TRUE;
}

static gboolean nl_get_mode(E7Kernel *k, E7Mode *mode, GError **error)
{
	guint32 v;

	if (!get_value((Nl *)k, E7_CMD_GET_MODE, E7_A_MODE, &v, error))
		return FALSE;
	*mode = v;
	return TRUE;
}

static gboolean nl_get_flags(E7Kernel *k, guint32 *flags, GError **error)
{
	return get_value((Nl *)k, E7_CMD_GET_FLAGS, E7_A_FLAGS, flags, error);
}

static gboolean nl_set_flags(E7Kernel *k, guint32 flags, GError **error)
{
	Nl *self = (Nl *)k;
	struct nl_msg *msg = new_msg(self, E7_CMD_SET_FLAGS, NLM_F_ACK);

	nla_put_u32(msg, E7_A_FLAGS, flags);
	return request(self, msg, "setting the flags", NULL, NULL, error);
}

/* A policy newer than 0.1.0, in a message of its own: a module from before
 * (loaded until the next reboot after an upgrade) refuses the attribute,
 * and that must not cost it the other settings. */
static gboolean set_unparsed(Nl *self, E7Action action)
{
	struct nl_msg *msg = new_msg(self, E7_CMD_SET_CONFIG, NLM_F_ACK);
	g_autoptr(GError) local = NULL;

	nla_put_u8(msg, E7_A_POLICY_UNPARSED, action);
	if (!request(self, msg, "setting the unparsed policy", NULL, NULL,
		     &local))
		g_message(
			_("the module has no unparsed policy (%s): it is older "
			  "than e7d"),
			local->message);
	return TRUE;
}

static gboolean nl_set_config(E7Kernel *k, const E7Config *config,
			      GError **error)
{
	Nl *self = (Nl *)k;
	struct nl_msg *msg = new_msg(self, E7_CMD_SET_CONFIG, NLM_F_ACK);

	nla_put_u8(msg, E7_A_PROFILE, config->profile);
	nla_put_u8(msg, E7_A_POLICY_NODAEMON, config->no_daemon);
	nla_put_u8(msg, E7_A_POLICY_TIMEOUT, config->timeout);
	nla_put_u8(msg, E7_A_POLICY_OVERFLOW, config->overflow);
	nla_put_u8(msg, E7_A_POLICY_UNIDENTIFIED, config->unidentified);
	nla_put_u32(msg, E7_A_HOLD_TIMEOUT_MS,
		    (config->prompt_timeout + E7_CONFIG_HOLD_MARGIN) * 1000u);
	if (!request(self, msg, "pushing the settings", NULL, NULL, error))
		return FALSE;
	return set_unparsed(self, config->unparsed);
}

static gboolean nl_verdict(E7Kernel *k, guint64 flow_id, E7Action action,
			   const E7Rule *rule, GError **error)
{
	Nl *self = (Nl *)k;
	struct nl_msg *msg = new_msg(self, E7_CMD_VERDICT, NLM_F_ACK);

	nla_put_u64(msg, E7_A_FLOW_ID, flow_id);
	nla_put_u8(msg, E7_A_ACTION, action);
	if (rule)
		e7_nl_rule_encode(msg, rule);
	return request(self, msg, "sending a verdict", NULL, NULL, error);
}

static int get_stats(struct nlattr **tb, gpointer arg)
{
	if (tb[E7_A_STATS])
		e7_nl_stats_decode(tb[E7_A_STATS], arg);
	return NL_OK;
}

static GVariant *nl_get_stats(E7Kernel *k, GError **error)
{
	Nl *self = (Nl *)k;
	GVariantBuilder b;

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	if (!request(self, new_msg(self, E7_CMD_GET_STATS, NLM_F_ACK),
		     "reading the counters", get_stats, &b, error)) {
		g_variant_builder_clear(&b);
		return NULL;
	}
	return g_variant_builder_end(&b);
}

static void nl_free(E7Kernel *k)
{
	Nl *self = (Nl *)k;

	e7_kernel_stop_worker(k);
	g_clear_handle_id(&self->ev_source, g_source_remove);
	nl_socket_free(self->ev);
	nl_socket_free(self->ctrl);
	nl_socket_free(self->cmd);
	g_free(self);
}

static const E7KernelOps nl_ops = {
	.is_connected = nl_is_connected,
	.add_rule = nl_add_rule,
	.del_rule = nl_del_rule,
	.dump_rules = nl_dump_rules,
	.dump_flows = nl_dump_flows,
	.set_mode = nl_set_mode,
	.get_mode = nl_get_mode,
	.get_flags = nl_get_flags,
	.set_flags = nl_set_flags,
	.set_config = nl_set_config,
	.verdict = nl_verdict,
	.get_stats = nl_get_stats,
	.free = nl_free,
};

/* ---------------------------------------------------------------------
 * Events
 * ---------------------------------------------------------------------
 */

static void disconnect(Nl *self)
{
	if (self->family <= 0)
		return;
	if (self->group > 0)
		nl_socket_drop_membership(self->ev, self->group);
	g_atomic_int_set(&self->family, 0);
	self->group = 0;
	if (self->parent.events)
		self->parent.events->connected(FALSE, self->parent.user_data);
}

static void on_ctrl(Nl *self, struct nl_msg *msg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), E7_GENL_NAME) !=
		    0)
		return;
	if (gh->cmd == CTRL_CMD_NEWFAMILY && self->family <= 0) {
		g_message("the eftirlit7 module was loaded");
		if (resolve(self) && self->parent.events)
			self->parent.events->connected(TRUE,
						       self->parent.user_data);
	} else if (gh->cmd == CTRL_CMD_DELFAMILY) {
		g_message("the eftirlit7 module was unloaded");
		disconnect(self);
	}
}

static int on_event(struct nl_msg *msg, void *arg)
{
	Nl *self = arg;
	const E7KernelEvents *ev = self->parent.events;
	gpointer ud = self->parent.user_data;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	E7NlEvent e;
	gboolean ok;

	if (!ev)
		return NL_SKIP;
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		on_ctrl(self, msg);
		return NL_OK;
	}
	if (self->family <= 0 || nlh->nlmsg_type != self->family)
		return NL_SKIP;
	ok = e7_nl_event_decode(nlh, &e);
	if (e.has_events_lost && e.events_lost > self->events_lost) {
		self->events_lost = e.events_lost;
		ev->events_lost(e.events_lost, ud);
	}
	if (!ok) {
		g_debug("malformed event (command %u) ignored", e.cmd);
	} else if (e.flow) {
		(e.cmd == E7_CMD_EV_PENDING ? ev->pending : ev->flow)(e.flow,
								      ud);
	} else if (e.has_rule_id) {
		ev->rule_expired(e.rule_id, ud);
	} else if (e.has_mode) {
		ev->mode_changed(e.mode, ud);
	} else if (e.has_flow_id) {
		ev->resolved(e.flow_id, e.action, e.reason, ud);
	}
	e7_nl_event_clear(&e);
	return NL_OK;
}

static gboolean on_readable(gint fd, GIOCondition cond, gpointer user_data)
{
	Nl *self = user_data;

	for (;;) {
		int r = nl_recvmsgs_default(self->ev);

		if (r >= 0)
			continue;
		if (r == -NLE_AGAIN)
			break;
		if (r == -NLE_NOMEM || r == -NLE_MSG_OVERFLOW) {
			/* ENOBUFS: our socket buffer overflowed. */
			g_warning(_(
				"netlink event socket overflowed: reading the held flows again"));
			if (self->family > 0 && self->parent.events)
				self->parent.events->events_lost(
					self->events_lost,
					self->parent.user_data);
			continue;
		}
		g_warning("netlink events: %s", nl_geterror(r));
		break;
	}
	return G_SOURCE_CONTINUE;
}

/* Looks up the family and joins its event group; FALSE when the module is
 * not loaded. */
static gboolean resolve(Nl *self)
{
	int family = genl_ctrl_resolve(self->ctrl, E7_GENL_NAME);
	int group;

	if (family < 0)
		return FALSE;
	group = genl_ctrl_resolve_grp(self->ctrl, E7_GENL_NAME,
				      E7_MCGRP_EVENTS);
	if (group < 0) {
		g_warning(/* TRANSLATORS: %s is the name of a netlink multicast group, then the reason */
			  _("the eftirlit family has no \"%s\" group: %s"),
			  E7_MCGRP_EVENTS, nl_geterror(group));
		return FALSE;
	}
	if (nl_socket_add_membership(self->ev, group) < 0) {
		g_warning(_(
			"cannot join the eftirlit events group (CAP_NET_ADMIN needed)"));
		return FALSE;
	}
	self->group = group;
	g_atomic_int_set(&self->family, family);
	g_message("eftirlit genl family %d, events group %d", family, group);
	return TRUE;
}

/* At start without the module: one line that says why and what to do. */
static void log_module_missing(void)
{
	struct utsname u;
	const char *release = uname(&u) == 0 ? u.release : "?";

	g_message(/* TRANSLATORS: both %s are the kernel release (uname -r); keep the commands and the package name */
		  _("the eftirlit7 kernel module is not loaded for kernel %s; "
		    "waiting for it (load it with 'modprobe eftirlit7'; if that "
		    "fails, install linux-headers-%s and run 'dkms autoinstall', "
		    "or with Secure Boot enroll DKMS's key: see the README)"),
		  release, release);
}

E7Kernel *e7_kernel_nl_new(GError **error)
{
	Nl *self = g_new0(Nl, 1);
	int r;

	self->parent.ops = &nl_ops;
	self->cmd = nl_socket_alloc();
	self->ctrl = nl_socket_alloc();
	self->ev = nl_socket_alloc();
	if (!self->cmd || !self->ctrl || !self->ev ||
	    (r = genl_connect(self->cmd)) < 0 ||
	    (r = genl_connect(self->ctrl)) < 0 ||
	    (r = genl_connect(self->ev)) < 0) {
		g_set_error(error, E7_ERROR, E7_ERROR_FAILED,
			    _("cannot open a netlink socket"));
		nl_free(&self->parent);
		return NULL;
	}
	nl_socket_disable_seq_check(self->ev);
	nl_socket_disable_auto_ack(self->ev);
	nl_socket_modify_cb(self->ev, NL_CB_VALID, NL_CB_CUSTOM, on_event,
			    self);
	nl_socket_set_nonblocking(self->ev);
	nl_socket_set_buffer_size(self->ev, EVENT_RCVBUF, 0);
	self->ctrl_group =
		genl_ctrl_resolve_grp(self->ctrl, "nlctrl", "notify");
	if (self->ctrl_group < 0 ||
	    nl_socket_add_membership(self->ev, self->ctrl_group) < 0)
		g_warning(_(
			"cannot follow generic netlink notifications: module reloads will "
			"not be noticed"));
	if (!resolve(self))
		log_module_missing();
	self->ev_source = g_unix_fd_add(nl_socket_get_fd(self->ev), G_IO_IN,
					on_readable, self);
	e7_kernel_start_worker(&self->parent);
	return &self->parent;
}
