/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_ABORT_H
#define _E7_ABORT_H

struct sock;

void e7_abort_sock(struct sock *sk);
void e7_abort_exit(void);

#endif /* _E7_ABORT_H */
