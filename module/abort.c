// SPDX-License-Identifier: GPL-2.0
/*
 * Blocked TCP connections fail at once: the socket is aborted with EPERM
 * from process context (tcp_abort() takes the socket lock), so connect()
 * returns an error instead of retransmitting SYNs for minutes.
 */
#include "abort.h"
#include "compat.h"
#include "stats.h"

#include <linux/llist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/tcp.h>

#define E7_ABORT_MAX 1024

struct e7_abort {
	struct llist_node node;
	struct sock *sk;
};

static LLIST_HEAD(abort_list);
static atomic_t abort_queued = ATOMIC_INIT(0);
static void e7_abort_work(struct work_struct *work);
static DECLARE_WORK(abort_work, e7_abort_work);

/* A live TCP connection: never a listener, which tcp_abort() would close. */
static bool e7_abortable(const struct sock *sk)
{
	u8 state;

	if (!sk || !sk_fullsock(sk) || sk->sk_protocol != IPPROTO_TCP ||
	    sk->sk_type != SOCK_STREAM)
		return false;
	state = READ_ONCE(sk->sk_state);
	return state != TCP_CLOSE && state != TCP_LISTEN;
}

/* Queues sk for an abort; safe in any context. */
void e7_abort_sock(struct sock *sk)
{
	struct e7_abort *a;

	if (!e7_abortable(sk))
		return;
	if (atomic_inc_return(&abort_queued) > E7_ABORT_MAX)
		goto out_dec;
	a = kmalloc(sizeof(*a), GFP_ATOMIC);
	if (!a)
		goto out_dec;
	sock_hold(sk);
	a->sk = sk;
	llist_add(&a->node, &abort_list);
	queue_work(system_percpu_wq, &abort_work);
	return;
out_dec:
	atomic_dec(&abort_queued);
}

static void e7_abort_work(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&abort_list);
	struct e7_abort *a, *tmp;

	llist_for_each_entry_safe(a, tmp, list, node) {
		if (e7_abortable(a->sk)) {
			tcp_abort(a->sk, EPERM);
			e7_stat_inc(E7_ST_CONN_ABORTED);
		}
		sock_put(a->sk);
		kfree(a);
		atomic_dec(&abort_queued);
	}
}

void e7_abort_exit(void)
{
	flush_work(&abort_work);
	cancel_work_sync(&abort_work);
	e7_abort_work(NULL);
}
