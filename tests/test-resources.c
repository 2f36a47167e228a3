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

/* descriptors free now (opened and closed again to count them) */
static int count_free(void)
{
	int held[LIMIT], n = 0, i;

	while (n < LIMIT && (held[n] = open("/dev/null", O_RDONLY)) >= 0)
		n++;
	for (i = 0; i < n; i++)
		close(held[i]);
	return n;
}

/* Flows closed low in the table leave holes: the lowest free descriptor
 * is then far below the limit while few are free. A guest whose SYNs
 * linger (every flow keeps its socket) must still leave 16 free. */
static void test_holes(void)
{
	struct res *r = res_new();
	int flows[LIMIT], nflows = 0, i, fd, freed;

	/* the guest's flows, as many as the checks let in */
	while (res_room_for_flow(r) == 0 &&
	       (fd = open("/dev/null", O_RDONLY)) >= 0) {
		res_socket_opened(r);
		flows[nflows++] = fd;
	}
	freed = count_free();
	ok(freed >= 16, "flows stop with 16 free (%d free, %d flows)", freed,
	   nflows);
	/* the first 8 close: holes at the bottom */
	for (i = 0; i < 8 && i < nflows; i++) {
		close(flows[i]);
		res_socket_closed(r);
	}
	res_refill(r);
	fd = fcntl(0, F_DUPFD, 0);
	ok(fd >= 0 && fd <= flows[7], "the lowest free one is a hole (%d)", fd);
	if (fd >= 0)
		close(fd);
	/* lingering SYNs: each one's socket stays */
	for (i = 0; i < 8; i++)
		flows[i] = -1;
	for (i = 0; i < 32 && res_room_for_flow(r) == 0; i++) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		res_socket_opened(r);
		flows[nflows++] = fd;
	}
	freed = count_free();
	ok(i == 8, "the holes are filled again, and no more (%d flows)", i);
	ok(freed >= 16, "still 16 free after the lingering SYNs (%d)", freed);
	ok(res_room_for_flow(r) == -EMFILE, "the next SYN is refused");
	for (i = 0; i < nflows; i++) {
		if (flows[i] < 0)
			continue;
		close(flows[i]);
		res_socket_closed(r);
	}
	ok(res_room_for_flow(r) == 0, "room again once the flows closed");
	res_free(r);
}

int main(void)
{
	test_reserve();
	test_room();
	test_holes();
	return done_testing();
}
