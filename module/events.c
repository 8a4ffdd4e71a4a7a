// SPDX-License-Identifier: GPL-2.0
/*
 * Events to userspace.  Hooks never touch netlink: they queue a small
 * record (bounded by E7_EVENTS_MAX, overflow counted) and a worker builds
 * and multicasts the messages in process context, where it may also read
 * the owner's command line.
 */
#include "events.h"
#include "compat.h"
#include "stats.h"

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

struct e7_event {
	struct list_head list;
	u8 cmd;
	struct e7_flow_info fi;
};

static LIST_HEAD(event_queue);
static DEFINE_SPINLOCK(event_lock);
static unsigned int event_count;
static bool events_closed;
static atomic64_t events_lost = ATOMIC64_INIT(0);
static void e7_events_work(struct work_struct *work);
static DECLARE_WORK(event_work, e7_events_work);
/* The family the events go out on (netlink.c's, given at init). */
static struct genl_family *e7_family;

static int e7_put_addr(struct sk_buff *skb, int attr, u8 family,
		       const struct in6_addr *a)
{
	return nla_put(skb, attr, family == AF_INET ? 4 : 16, a);
}

int e7_flow_info_put(struct sk_buff *skb, const struct e7_flow_info *fi,
		     const char *cmdline, size_t cmdline_len)
{
	const struct e7_prog *prog = fi->owner.prog;
	struct nlattr *nest = nla_nest_start(skb, E7_A_FLOW);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, E7_FLOW_A_ID, fi->id, E7_FLOW_A_PAD) ||
	    nla_put_u32(skb, E7_FLOW_A_PID, fi->owner.pid) ||
	    nla_put_u32(skb, E7_FLOW_A_TGID, fi->owner.tgid) ||
	    nla_put_u32(skb, E7_FLOW_A_UID, fi->owner.uid) ||
	    nla_put_u8(skb, E7_FLOW_A_PROTO, fi->t.proto) ||
	    nla_put_u8(skb, E7_FLOW_A_DIR, fi->t.dir) ||
	    nla_put_u8(skb, E7_FLOW_A_FAMILY, fi->t.family) ||
	    e7_put_addr(skb, E7_FLOW_A_LOCAL_ADDR, fi->t.family,
			&fi->t.laddr) ||
	    e7_put_addr(skb, E7_FLOW_A_REMOTE_ADDR, fi->t.family,
			&fi->t.raddr) ||
	    nla_put_u16(skb, E7_FLOW_A_LOCAL_PORT, fi->t.lport) ||
	    nla_put_u16(skb, E7_FLOW_A_REMOTE_PORT, fi->t.rport) ||
	    nla_put_u64_64bit(skb, E7_FLOW_A_NETNS_COOKIE, fi->netns_cookie,
			      E7_FLOW_A_PAD) ||
	    nla_put_u32(skb, E7_FLOW_A_NETNS_INO, fi->netns_ino) ||
	    nla_put_u32(skb, E7_FLOW_A_FLAGS, fi->owner.flags))
		goto cancel;
	if (prog && (nla_put_string(skb, E7_FLOW_A_PATH, prog->path) ||
		     nla_put_u32(skb, E7_FLOW_A_EXE_DEV, prog->dev) ||
		     nla_put_u64_64bit(skb, E7_FLOW_A_EXE_INO, prog->ino,
				       E7_FLOW_A_PAD) ||
		     nla_put_u64_64bit(skb, E7_FLOW_A_EXE_CTIME, prog->ctime_ns,
				       E7_FLOW_A_PAD)))
		goto cancel;
	if (cmdline_len &&
	    nla_put(skb, E7_FLOW_A_CMDLINE, cmdline_len, cmdline))
		goto cancel;
	if (fi->action && (nla_put_u8(skb, E7_FLOW_A_ACTION, fi->action) ||
			   nla_put_u8(skb, E7_FLOW_A_REASON, fi->reason)))
		goto cancel;
	if (fi->rule_id && nla_put_u64_64bit(skb, E7_FLOW_A_RULE_ID,
					     fi->rule_id, E7_FLOW_A_PAD))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

void e7_flow_info_fill_net(struct e7_flow_info *fi, const struct net *net)
{
	fi->netns_cookie = net->net_cookie;
	fi->netns_ino = net->ns.inum;
}

bool e7_events_listening(void)
{
	return genl_has_listeners(e7_family, &init_net, 0);
}

static void e7_event_lost(void)
{
	atomic64_inc(&events_lost);
	e7_stat_inc(E7_ST_EVENTS_LOST);
}

static void e7_event_free(struct e7_event *ev)
{
	e7_owner_release(&ev->fi.owner);
	kfree(ev);
}

static void e7_event_queue(u8 cmd, const struct e7_flow_info *fi)
{
	struct e7_event *ev;
	unsigned long flags;

	if (!e7_events_listening())
		return;
	ev = kmalloc(sizeof(*ev), GFP_ATOMIC);
	if (!ev) {
		e7_event_lost();
		return;
	}
	ev->cmd = cmd;
	ev->fi = *fi;
	e7_prog_get(ev->fi.owner.prog);
	if (ev->fi.owner.task)
		get_task_struct(ev->fi.owner.task);
	spin_lock_irqsave(&event_lock, flags);
	if (events_closed || event_count >= E7_EVENTS_MAX) {
		spin_unlock_irqrestore(&event_lock, flags);
		e7_event_free(ev);
		e7_event_lost();
		return;
	}
	list_add_tail(&ev->list, &event_queue);
	event_count++;
	spin_unlock_irqrestore(&event_lock, flags);
	queue_work(system_percpu_wq, &event_work);
}

void e7_events_pending(const struct e7_flow_info *fi)
{
	e7_event_queue(E7_CMD_EV_PENDING, fi);
}

void e7_events_flow(const struct e7_flow_info *fi)
{
	e7_event_queue(E7_CMD_EV_FLOW, fi);
}

void e7_events_rule_expired(u64 rule_id)
{
	struct e7_flow_info fi = { .rule_id = rule_id };

	e7_event_queue(E7_CMD_EV_RULE_EXPIRED, &fi);
}

void e7_events_mode(u8 mode)
{
	struct e7_flow_info fi = { .action = mode };

	e7_event_queue(E7_CMD_EV_MODE, &fi);
}

void e7_events_resolved(u64 flow_id, u8 action, u8 reason)
{
	struct e7_flow_info fi = { .id = flow_id,
				   .action = action,
				   .reason = reason };

	e7_event_queue(E7_CMD_EV_RESOLVED, &fi);
}

/* Reads the first bytes of the owner's argv; may sleep. */
static size_t e7_read_cmdline(struct task_struct *task, char *buf, size_t size)
{
	struct mm_struct *mm;
	unsigned long start, end;
	int n;

	if (!task)
		return 0;
	mm = get_task_mm(task);
	if (!mm)
		return 0;
	spin_lock(&mm->arg_lock);
	start = mm->arg_start;
	end = mm->arg_end;
	spin_unlock(&mm->arg_lock);
	n = 0;
	if (end > start)
		n = access_process_vm(task, start, buf,
				      min_t(size_t, end - start, size),
				      FOLL_FORCE);
	mmput(mm);
	return n > 0 ? n : 0;
}

static int e7_event_fill(struct sk_buff *skb, const struct e7_event *ev,
			 char *cmdline)
{
	size_t clen = 0;

	switch (ev->cmd) {
	case E7_CMD_EV_PENDING:
	case E7_CMD_EV_FLOW:
		clen = e7_read_cmdline(ev->fi.owner.task, cmdline,
				       E7_CMDLINE_MAX);
		return e7_flow_info_put(skb, &ev->fi, cmdline, clen);
	case E7_CMD_EV_RULE_EXPIRED:
		return nla_put_u64_64bit(skb, E7_A_RULE_ID, ev->fi.rule_id,
					 E7_A_PAD);
	case E7_CMD_EV_MODE:
		return nla_put_u8(skb, E7_A_MODE, ev->fi.action);
	case E7_CMD_EV_RESOLVED:
		if (nla_put_u64_64bit(skb, E7_A_FLOW_ID, ev->fi.id, E7_A_PAD) ||
		    nla_put_u8(skb, E7_A_ACTION, ev->fi.action) ||
		    nla_put_u8(skb, E7_A_REASON, ev->fi.reason))
			return -EMSGSIZE;
		return 0;
	}
	return -EINVAL;
}

static void e7_event_send(const struct e7_event *ev, char *cmdline)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(NLMSG_GOODSIZE + E7_PATH_MAX, GFP_KERNEL);
	if (!skb)
		goto lost;
	hdr = genlmsg_put(skb, 0, 0, e7_family, 0, ev->cmd);
	if (!hdr)
		goto lost_free;
	if (e7_event_fill(skb, ev, cmdline) ||
	    nla_put_u64_64bit(skb, E7_A_EVENTS_LOST,
			      atomic64_read(&events_lost), E7_A_PAD))
		goto lost_free;
	genlmsg_end(skb, hdr);
	err = genlmsg_multicast(e7_family, skb, 0, 0, GFP_KERNEL);
	if (err && err != -ESRCH)
		goto lost;
	e7_stat_inc(E7_ST_EVENTS_SENT);
	return;
lost_free:
	nlmsg_free(skb);
lost:
	e7_event_lost();
}

static void e7_events_work(struct work_struct *work)
{
	struct e7_event *ev;
	char *cmdline;

	cmdline = kmalloc(E7_CMDLINE_MAX, GFP_KERNEL);
	for (;;) {
		spin_lock_irq(&event_lock);
		ev = list_first_entry_or_null(&event_queue, struct e7_event,
					      list);
		if (ev) {
			list_del(&ev->list);
			event_count--;
		}
		spin_unlock_irq(&event_lock);
		if (!ev)
			break;
		if (cmdline)
			e7_event_send(ev, cmdline);
		else
			e7_event_lost();
		e7_event_free(ev);
		cond_resched();
	}
	kfree(cmdline);
}

int e7_events_init(struct genl_family *family)
{
	e7_family = family;
	events_closed = false;
	return 0;
}

void e7_events_exit(void)
{
	struct e7_event *ev, *tmp;
	LIST_HEAD(drop);

	spin_lock_irq(&event_lock);
	events_closed = true;
	list_splice_init(&event_queue, &drop);
	event_count = 0;
	spin_unlock_irq(&event_lock);
	cancel_work_sync(&event_work);
	list_for_each_entry_safe(ev, tmp, &drop, list)
		e7_event_free(ev);
}
