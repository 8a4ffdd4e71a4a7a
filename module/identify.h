/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_IDENTIFY_H
#define _E7_IDENTIFY_H

#include "match.h"
#include "prog.h"

#include <linux/types.h>

struct sock;
struct task_struct;

/* Who owns a flow. */
struct e7_owner {
	struct e7_prog *prog; /* NULL: not identified */
	struct task_struct
		*task; /* reference, for the command line; may be NULL */
	pid_t pid;
	pid_t tgid;
	u32 uid;
	u32 flags; /* E7_FLOW_F_* */
};

bool e7_identify_can_use_current(const struct sock *sk);
int e7_identify_current(const struct sock *sk, struct e7_owner *o);
void e7_owner_release(struct e7_owner *o);
int e7_identify_sock_owner(const struct sock *sk, struct e7_owner *o);
typedef void (*e7_sock_fn)(const struct sock *sk, unsigned long ino, void *arg);
void e7_identify_task_socks(struct task_struct *task, unsigned int max,
			    e7_sock_fn fn, void *arg);
u32 e7_sock_uid(const struct sock *sk);
/* The identity of the program at @path now (process context). */
int e7_identify_path(const char *path, struct e7_exe_id *id);

int e7_identify_init(void);
void e7_identify_exit(void);

#endif /* _E7_IDENTIFY_H */
