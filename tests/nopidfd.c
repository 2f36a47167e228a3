/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nopidfd.c - run a command on which pidfd_open() fails with ENOSYS
 *
 * As on kernels before 5.3, where the daemon notices its target's exit by
 * polling kill(PID, 0) instead of watching a pidfd. A seccomp filter does
 * it: it stays on across execve(), and the daemon's own filter stacks on
 * top of it.
 *
 * Usage: nopidfd COMMAND [ARG]...
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

int main(int argc, char **argv)
{
	scmp_filter_ctx ctx;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: nopidfd COMMAND [ARG]...\n");
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		fprintf(stderr, "nopidfd: seccomp_init failed\n");
		return 1;
	}
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(pidfd_open),
			      0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		fprintf(stderr, "nopidfd: %s\n", strerror(-rc));
		return 1;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "nopidfd: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
