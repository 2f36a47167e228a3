/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccompfilter.h - --enable-seccomp: the system call allow-list
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_SECCOMPFILTER_H
#define S4N_SECCOMPFILTER_H

/**
 * seccomp_install() - load the allow-list filter on every thread of the
 * process. Called by main() once, after sandbox_enter() and after every
 * socket, file and thread the daemon opens at start-up exists, just
 * before ready is reported. Unlisted calls fail with EPERM; calls only an
 * attacker makes (execve, ptrace, mount, setns, ...) kill the process.
 *
 * Return: 0, or -1 after logging exactly one line.
 */
int seccomp_install(void);

#endif /* S4N_SECCOMPFILTER_H */
