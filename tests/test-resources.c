/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-resources.c - unit tests for resources.c: the descriptor reserve
 * and the room for a new flow near the limit
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "resources.h"
#include "tests/taptest.h"

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
	struct res *r;

	close(first_free); /* 3, or higher under a sanitizer */

	ok(setrlimit(RLIMIT_NOFILE, &rl) == 0, "RLIMIT_NOFILE lowered");
	r = res_new();
	ok(res_reserve_fill(r), "the reserve fills");
	ok(res_reserve_fill(r), "filling a full reserve is a no-op");
	ok(exhaust() > 0, "descriptors run out");
	errno = 0;
	ok(open("/dev/null", O_RDONLY) < 0 && errno == EMFILE,
	   "then an open fails with EMFILE");
	ok(res_reserve_take(r), "one is given up");
	fd = open("/dev/null", O_RDONLY);
	ok(fd >= 0, "and the open succeeds");
	ok(!res_reserve_fill(r), "the reserve cannot fill while none is free");
	close(fd);
	ok(res_reserve_fill(r), "a freed descriptor goes back to the reserve");
	for (i = 0; i < 4; i++)
		(void)res_reserve_take(r);
	ok(!res_reserve_take(r), "the last one (the dups' source) is kept");
	fd = open("/dev/null", O_RDONLY);
	ok(fd >= 0, "four were given up");
	close(fd);
	while (nfds > 0)
		close(fds[--nfds]);
	ok(res_reserve_fill(r), "refilled once descriptors are back");
	res_free(r);
	fd = fcntl(0, F_DUPFD, 0);
	ok(fd == first_free, "res_free() closed every one (next fd %d)", fd);
	close(fd);
}

/* open descriptors until @lowest is the lowest free one */
static void fill_to(int lowest)
{
	int fd;

	while ((fd = open("/dev/null", O_RDONLY)) >= 0 && fd < lowest - 1)
		fds[nfds++] = fd;
	if (fd >= 0)
		fds[nfds++] = fd;
}

/* guest flows stop 16 descriptors short of the limit (FD_HEADROOM); far
 * from it, one look lasts for half the distance */
static void test_room(void)
{
	struct res *r = res_new();
	int i;

	fill_to(LIMIT - 24);
	ok(res_room_for_flow(r) == 0, "room 24 descriptors from the limit");
	for (i = 0; i < 3; i++)
		res_socket_opened(r);
	fill_to(LIMIT - 10);
	ok(res_room_for_flow(r) == 0,
	   "the next look waits for half the distance (4 sockets)");
	res_socket_opened(r);
	ok(res_room_for_flow(r) == -EMFILE,
	   "then 10 from the limit: no room (headroom 16)");
	while (nfds > 0)
		close(fds[--nfds]);
	ok(res_room_for_flow(r) == 0, "room again once descriptors are back");
	res_free(r);
}

int main(void)
{
	test_reserve();
	test_room();
	return done_testing();
}
