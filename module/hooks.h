/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _E7_HOOKS_H
#define _E7_HOOKS_H

int e7_hooks_init(void);
void e7_hooks_exit(void);

#endif /* _E7_HOOKS_H */
