// SPDX-License-Identifier: GPL-2.0
/*
 * Attribution: which program owns a socket.  In the owner's task context
 * the answer comes from `current`; program identities are cached by
 * executable inode so that d_path() runs once per binary, not per flow.
 *
 * What that means for the odd cases (tests/vm/module/attribution.sh):
 * - a socket passed with SCM_RIGHTS (or inherited): a connected socket's
 *   verdict is cached per socket, so it stays with the program that
 *   connected it; an unconnected datagram socket is decided per
 *   destination, for the process that sends to it;
 * - a deleted executable: d_path() appends " (deleted)"; the path is
 *   reported without it, with E7_FLOW_F_EXE_DELETED, so rules by path
 *   keep matching a program whose binary an upgrade unlinked;
 * - a replaced binary has a new (dev, inode, ctime) identity, reported
 *   with every flow, so userspace can notice it.
 */
#include "identify.h"
#include "compat.h"
#include "match.h"
#include "stats.h"

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm_types.h>
#include <linux/namei.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#define E7_PROG_CACHE_BITS 8
#define E7_PROG_CACHE_SIZE (1U << E7_PROG_CACHE_BITS)
#define E7_DELETED_SUFFIX " (deleted)"

struct e7_path_buf {
	char buf[E7_PATH_MAX];
};

static struct e7_path_buf __percpu *path_bufs;
static DEFINE_SPINLOCK(prog_cache_lock);
static struct e7_prog *prog_cache[E7_PROG_CACHE_SIZE];

/*
 * The uid a flow of the full socket sk is charged to: sk_uid, the fsuid of
 * the task that made the socket (or the uid it was fchown()ed to).  It
 * outlives the socket's file: an orphaned socket, whose program closed it
 * before the held-flow worker looked, keeps its last owner's uid.  The
 * sock_i_uid() this replaces (removed in 7.x) said 0 there, which would
 * charge the flow to root, match root's rules and route its prompt to
 * root's agent.  sock_net_uid() reads sk_uid on every kernel (7.x through
 * sk_uid(), with READ_ONCE()), without sock_i_uid()'s sk_callback_lock.
 */
u32 e7_sock_uid(const struct sock *sk)
{
	return from_kuid_munged(&init_user_ns, sock_net_uid(sock_net(sk), sk));
}

/*
 * The sender is the socket's user when the packet is built in process
 * context (connect, sendmsg) by a user task on a socket that has a file.
 * Softirq, timers and kernel threads must use the socket caches instead.
 */
bool e7_identify_can_use_current(const struct sock *sk)
{
	if (!in_task() || (current->flags & PF_KTHREAD) || !current->mm)
		return false;
	return sk && sk_fullsock(sk) && sk->sk_socket && sk->sk_socket->file;
}

static u32 e7_prog_slot(u32 dev, u64 ino)
{
	return (u32)(ino ^ (ino >> 32) ^ dev) & (E7_PROG_CACHE_SIZE - 1);
}

static struct e7_prog *e7_prog_cache_find(u32 dev, u64 ino, u64 ctime)
{
	struct e7_prog *p;
	unsigned long flags;

	spin_lock_irqsave(&prog_cache_lock, flags);
	p = prog_cache[e7_prog_slot(dev, ino)];
	if (p && p->dev == dev && p->ino == ino && p->ctime_ns == ctime)
		e7_prog_get(p);
	else
		p = NULL;
	spin_unlock_irqrestore(&prog_cache_lock, flags);
	return p;
}

static void e7_prog_cache_store(struct e7_prog *p)
{
	struct e7_prog *old;
	unsigned long flags;
	u32 slot = e7_prog_slot(p->dev, p->ino);

	spin_lock_irqsave(&prog_cache_lock, flags);
	old = prog_cache[slot];
	prog_cache[slot] = e7_prog_get(p);
	spin_unlock_irqrestore(&prog_cache_lock, flags);
	e7_prog_put(old);
}

static struct e7_prog *e7_prog_alloc(const char *path, u32 len, u32 flags)
{
	struct e7_prog *p = kmalloc(struct_size(p, path, len + 1), GFP_ATOMIC);

	if (!p)
		return NULL;
	refcount_set(&p->ref, 1);
	memcpy(p->path, path, len);
	p->path[len] = '\0';
	p->len = len;
	p->hash = e7_path_hash(path, len);
	p->flags = flags;
	return p;
}

/* A program's identity: its executable's device, inode and change time. */
static void e7_exe_id_of(const struct inode *inode, struct e7_exe_id *id)
{
	struct timespec64 ct = inode_get_ctime(inode);

	id->dev = new_encode_dev(inode->i_sb->s_dev);
	id->ino = inode->i_ino;
	id->ctime_ns = (u64)timespec64_to_ns(&ct);
}

int e7_identify_path(const char *path, struct e7_exe_id *id)
{
	struct path p;
	int err;

	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	e7_exe_id_of(d_inode(p.dentry), id);
	path_put(&p);
	return 0;
}

static struct e7_prog *e7_prog_from_file(struct file *exe)
{
	struct inode *inode = file_inode(exe);
	struct e7_exe_id id;
	u32 dev, flags = 0;
	u64 ctime;
	struct e7_path_buf *pb;
	struct e7_prog *p;
	char *path;
	size_t len;

	e7_exe_id_of(inode, &id);
	dev = id.dev;
	ctime = id.ctime_ns;
	p = e7_prog_cache_find(dev, inode->i_ino, ctime);
	if (p)
		return p;
	pb = get_cpu_ptr(path_bufs);
	path = d_path(&exe->f_path, pb->buf, sizeof(pb->buf));
	if (IS_ERR(path)) {
		put_cpu_ptr(path_bufs);
		return NULL;
	}
	len = strlen(path);
	if (d_unlinked(exe->f_path.dentry) && len > strlen(E7_DELETED_SUFFIX) &&
	    !strcmp(path + len - strlen(E7_DELETED_SUFFIX),
		    E7_DELETED_SUFFIX)) {
		len -= strlen(E7_DELETED_SUFFIX);
		flags |= E7_FLOW_F_EXE_DELETED;
	}
	p = e7_prog_alloc(path, len, flags);
	put_cpu_ptr(path_bufs);
	if (!p)
		return NULL;
	p->dev = dev;
	p->ino = inode->i_ino;
	p->ctime_ns = ctime;
	if (!(flags & E7_FLOW_F_EXE_DELETED))
		e7_prog_cache_store(p);
	return p;
}

/* Fills o from current; the caller checked e7_identify_can_use_current(). */
int e7_identify_current(const struct sock *sk, struct e7_owner *o)
{
	struct file *exe;

	memset(o, 0, sizeof(*o));
	o->pid = task_pid_nr(current);
	o->tgid = task_tgid_nr(current);
	o->uid = e7_sock_uid(sk);
	exe = e7_exe_file_get(current->mm);
	if (!exe) {
		o->flags |= E7_FLOW_F_UNIDENTIFIED;
		return -ESRCH;
	}
	o->prog = e7_prog_from_file(exe);
	fput(exe);
	if (!o->prog) {
		o->flags |= E7_FLOW_F_UNIDENTIFIED | E7_FLOW_F_PATH_TRUNCATED;
		return -ENAMETOOLONG;
	}
	o->flags |= o->prog->flags;
	get_task_struct(current);
	o->task = current;
	return 0;
}

static int e7_file_is_sock(const void *target, struct file *f, unsigned int fd)
{
	struct socket *sock = sock_from_file(f);

	return sock && sock->sk == target;
}

static struct task_struct *e7_find_sock_task(const struct sock *sk)
{
	struct task_struct *p, *found = NULL;

	rcu_read_lock();
	for_each_process(p) {
		task_lock(p);
		if (p->files && iterate_fd(p->files, 0, e7_file_is_sock, sk))
			found = get_task_struct(p);
		task_unlock(p);
		if (found)
			break;
	}
	rcu_read_unlock();
	return found;
}

/* A socket whose flows need its owner from a walk: listening or unconnected. */
static bool e7_sock_needs_walk(const struct sock *sk)
{
	if (!sk_fullsock(sk))
		return false;
	if (sk->sk_type == SOCK_STREAM)
		return sk->sk_state == TCP_LISTEN;
	return sk->sk_state != TCP_ESTABLISHED;
}

struct e7_sock_walk {
	e7_sock_fn fn;
	void *arg;
	unsigned int left;
};

static int e7_file_visit_sock(const void *data, struct file *f, unsigned int fd)
{
	struct e7_sock_walk *w = (void *)data;
	struct socket *sock = sock_from_file(f);

	if (!sock || !sock->sk || !e7_sock_needs_walk(sock->sk))
		return 0;
	w->fn(sock->sk, SOCK_INODE(sock)->i_ino, w->arg);
	return --w->left == 0;
}

/*
 * Calls fn for at most max listening or unconnected sockets of task, so that
 * one walk of the process table serves every such socket of the owner it
 * found.  Process context.
 */
void e7_identify_task_socks(struct task_struct *task, unsigned int max,
			    e7_sock_fn fn, void *arg)
{
	struct e7_sock_walk w = { .fn = fn, .arg = arg, .left = max };

	if (!max)
		return;
	task_lock(task);
	if (task->files)
		iterate_fd(task->files, 0, e7_file_visit_sock, &w);
	task_unlock(task);
}

/*
 * Active socket cache miss: finds the process holding a socket by walking
 * the process table.  Process context only (the held-flow worker).
 */
int e7_identify_sock_owner(const struct sock *sk, struct e7_owner *o)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct file *exe = NULL;

	might_sleep();
	memset(o, 0, sizeof(*o));
	o->uid = e7_sock_uid(sk);
	e7_stat_inc(E7_ST_OWNER_WALKS);
	task = e7_find_sock_task(sk);
	if (!task)
		goto unidentified;
	mm = get_task_mm(task);
	if (mm) {
		exe = e7_exe_file_get(mm);
		mmput(mm);
	}
	if (!exe) {
		put_task_struct(task);
		goto unidentified;
	}
	o->prog = e7_prog_from_file(exe);
	fput(exe);
	o->task = task;
	o->pid = task_pid_nr(task);
	o->tgid = task_tgid_nr(task);
	o->flags |= E7_FLOW_F_CACHED_OWNER;
	if (!o->prog) {
		o->flags |= E7_FLOW_F_UNIDENTIFIED | E7_FLOW_F_PATH_TRUNCATED;
		return -ENAMETOOLONG;
	}
	o->flags |= o->prog->flags;
	return 0;
unidentified:
	o->flags |= E7_FLOW_F_UNIDENTIFIED;
	return -ESRCH;
}

void e7_owner_release(struct e7_owner *o)
{
	e7_prog_put(o->prog);
	o->prog = NULL;
	if (o->task)
		put_task_struct(o->task);
	o->task = NULL;
}

int e7_identify_init(void)
{
	path_bufs = alloc_percpu(struct e7_path_buf);
	return path_bufs ? 0 : -ENOMEM;
}

void e7_identify_exit(void)
{
	unsigned int i;

	for (i = 0; i < E7_PROG_CACHE_SIZE; i++) {
		e7_prog_put(prog_cache[i]);
		prog_cache[i] = NULL;
	}
	free_percpu(path_bufs);
}
