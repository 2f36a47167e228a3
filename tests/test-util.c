/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-util.c - unit tests for util.c: the descriptor reserve
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tests/taptest.h"
#include "util.h"

#define LIMIT 64

static int fds[LIMIT];
static int nfds;

/* open descriptors until the limit; return how many were opened */
static int exhaust(void)
{
	int n = 0, fd;

	while (nfds < LIMIT && (fd = open("/dev/null", O_RDONLY)) >= 0) {
		fds[nfds++] = fd;
		n++;
	}
	return n;
}

static void test_reserve(void)
{
	struct rlimit rl = {.rlim_cur = LIMIT, .rlim_max = LIMIT};
	int first_free = fcntl(0, F_DUPFD, 0), fd, i;

	close(first_free); /* 3, or higher under a sanitizer */

	ok(setrlimit(RLIMIT_NOFILE, &rl) == 0, "RLIMIT_NOFILE lowered");
	ok(util_fdres_fill(), "the reserve fills");
	ok(util_fdres_fill(), "filling a full reserve is a no-op");
	ok(exhaust() > 0, "descriptors run out");
	errno = 0;
	ok(open("/dev/null", O_RDONLY) < 0 && errno == EMFILE,
	   "then an open fails with EMFILE");
	ok(util_fdres_take(), "one is given up");
	fd = open("/dev/null", O_RDONLY);
	ok(fd >= 0, "and the open succeeds");
	ok(!util_fdres_fill(), "the reserve cannot fill while none is free");
	close(fd);
	ok(util_fdres_fill(), "a freed descriptor goes back to the reserve");
	for (i = 0; i < 4; i++)
		(void)util_fdres_take();
	ok(!util_fdres_take(), "the last one (the dups' source) is kept");
	fd = open("/dev/null", O_RDONLY);
	ok(fd >= 0, "four were given up");
	close(fd);
	while (nfds > 0)
		close(fds[--nfds]);
	ok(util_fdres_fill(), "refilled once descriptors are back");
	util_fdres_free();
	fd = fcntl(0, F_DUPFD, 0);
	ok(fd == first_free, "util_fdres_free() closed every one (next fd %d)",
	   fd);
	close(fd);
}

int main(void)
{
	test_reserve();
	return done_testing();
}
