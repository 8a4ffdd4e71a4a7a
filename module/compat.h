/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels the module builds for (6.1 to the
 * newest Debian sid serves), in one place: the rest of the module is
 * written against the newest API, and this file maps it onto older
 * kernels.  No LINUX_VERSION_CODE check belongs anywhere else.
 */
#ifndef _E7_COMPAT_H
#define _E7_COMPAT_H

#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/*
 * A reference to mm's executable file, or NULL.  6.7 made get_file_rcu()
 * take the __rcu pointer and retry until the file it got is still the one
 * the pointer names; before, it took the file and failed on a file whose
 * last reference was going.
 */
static inline struct file *e7_exe_file_get(struct mm_struct *mm)
{
	struct file *exe;

	rcu_read_lock();
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	exe = get_file_rcu(&mm->exe_file);
#else
	exe = rcu_dereference(mm->exe_file);
	if (exe && !get_file_rcu(exe))
		exe = NULL;
#endif
	rcu_read_unlock();
	return exe;
}

/*
 * 6.17 named the per-CPU system workqueue system_percpu_wq (and the unbound
 * one system_dfl_wq); 7.x logs "enqueued on deprecated workqueue" for work
 * queued on the old name, system_wq.  The module queues on the per-CPU one
 * as it always has.  Older kernels get the new name for the same queue; a
 * stable kernel that has both names (Debian's 6.12.118) uses the old one,
 * which is the same queue there and logs nothing.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define system_percpu_wq system_wq
#endif

/*
 * 7.1 removed UDP-Lite sockets, which no Kconfig symbol ever guarded.  The
 * UDP-Lite paths (a local socket's datagrams, parsed with UDP's ports) are
 * built where the kernel has them; elsewhere a protocol-136 packet, which
 * only a raw socket can send, is a protocol without ports like any other.
 * The uapi keeps the protocol, so one rule file serves every kernel.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 1, 0)
#define E7_HAVE_UDPLITE 1
#endif

#endif /* _E7_COMPAT_H */
