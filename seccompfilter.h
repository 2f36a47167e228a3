/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccompfilter.h - --enable-seccomp: the system call allow-list
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * The prefix is filter_: seccomp_ is libseccomp's.
 */
#ifndef S4N_SECCOMPFILTER_H
#define S4N_SECCOMPFILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

/**
 * filter_prepare() - build the filter and keep it for filter_install().
 * Called by main() first thing after the options were read: libseccomp's
 * work leaves its freed memory at the bottom of the heap, where the
 * daemon's own allocations reuse it, instead of in the middle of an idle
 * daemon's heap.
 * @sandboxed:	as for filter_build(): --enable-sandbox is given
 * @target:	as for filter_build()
 * @unix_streams: as for filter_build(): --guestfwd or --api-socket given
 *
 * Return: 0, or -1 after logging exactly one line.
 */
int filter_prepare(bool sandboxed, pid_t target, bool unix_streams);

/**
 * filter_install() - load the filter filter_prepare() built on every thread
 * of the process. Called by main() once, after sandbox_enter() and after every
 * socket, file and thread the daemon opens at start-up exists, just
 * before ready is reported. Unlisted calls fail with EPERM; calls only an
 * attacker makes (execve, ptrace, mount, setns, ...) kill the process.
 *
 * Return: 0, or -1 after logging exactly one line.
 */
int filter_install(void);

/**
 * filter_build() - build the filter without loading it. Called by
 * filter_prepare() (in a child), and by tests/test-seccomp.c to build it
 * for every architecture libseccomp knows.
 * @arch:	SCMP_ARCH_NATIVE, or another SCMP_ARCH_* token
 * @self:	the only process tgkill() may signal
 * @target:	the target PID whose exit the daemon watches, for
 *		kill(@target, 0) where pidfd_open() is missing; 0: none
 * @sandboxed:	allow unlink() and unlinkat(), which inside the sandbox
 *		reach only directories the daemon holds open
 * @unix_streams: allow AF_UNIX stream sockets, which remote forwards
 *		need after start-up (bridge.c's listeners, libslirp's
 *		connections to them, UNIX targets)
 * @ret_ctx:	the filter, for seccomp_load() or seccomp_export_bpf();
 *		the caller releases it
 * @ret_bad:	on failure, the call or attribute that could not be added
 *
 * Return: 0, or -errno from libseccomp.
 */
int filter_build(uint32_t arch, pid_t self, pid_t target, bool sandboxed,
		 bool unix_streams, scmp_filter_ctx *ret_ctx,
		 const char **ret_bad);

#endif /* S4N_SECCOMPFILTER_H */
