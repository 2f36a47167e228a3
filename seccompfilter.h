/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seccompfilter.h - --enable-seccomp: the system call allow-list
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_SECCOMPFILTER_H
#define S4N_SECCOMPFILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <seccomp.h>

/**
 * seccomp_prepare() - build the filter and keep it for seccomp_install().
 * Called by main() first thing after the options were read: libseccomp's
 * work leaves its freed memory at the bottom of the heap, where the
 * daemon's own allocations reuse it, instead of in the middle of an idle
 * daemon's heap.
 * @sandboxed:	as for seccomp_filter_build()
 *
 * Return: 0, or -1 after logging exactly one line.
 */
int seccomp_prepare(bool sandboxed);

/**
 * seccomp_install() - load the allow-list filter on every thread of the
 * process (the one seccomp_prepare() built, or a new one built for the
 * process as it is). Called by main() once, after sandbox_enter() and after every
 * socket, file and thread the daemon opens at start-up exists, just
 * before ready is reported. Unlisted calls fail with EPERM; calls only an
 * attacker makes (execve, ptrace, mount, setns, ...) kill the process.
 *
 * Return: 0, or -1 after logging exactly one line.
 */
int seccomp_install(void);

/**
 * seccomp_filter_build() - build the filter without loading it. Called by
 * seccomp_install(), and by tests/test-seccomp.c to build it for every
 * architecture libseccomp knows.
 * @arch:	SCMP_ARCH_NATIVE, or another SCMP_ARCH_* token
 * @self:	the only process tgkill() may signal
 * @sandboxed:	allow unlink() and unlinkat(), which inside the sandbox
 *		reach only directories the daemon holds open
 * @ret_ctx:	the filter, for seccomp_load() or seccomp_export_bpf();
 *		the caller releases it
 * @ret_bad:	on failure, the call or attribute that could not be added
 *
 * Return: 0, or -errno from libseccomp.
 */
int seccomp_filter_build(uint32_t arch, pid_t self, bool sandboxed,
			 scmp_filter_ctx *ret_ctx, const char **ret_bad);

#endif /* S4N_SECCOMPFILTER_H */
