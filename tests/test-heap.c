/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-heap.c - unit tests for heap.c: where socket buffers are allocated
 *
 * Flows are played the way libslirp allocates for them: two buffers of
 * 128 KiB at the SYN, the socket opened, both regrown to 192 KiB once the
 * connection is up, and freed when it closes. The checks ask glibc's
 * allocator where each buffer landed: below the program break is the
 * heap, above it a mapping of its own.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heap.h"
#include "tests/taptest.h"

#define FIRST (128 * 1024)
#define GROWN 196440 /* 128 KiB rounded up to a multiple of MSS 65480 */

struct flow {
	void *snd, *rcv;
	int fd;
	bool first_in_heap; /* a buffer's first allocation came from the heap */
};

static bool in_heap(const void *p)
{
	return p < sbrk(0);
}

static void open_flow(struct flow *f, int fd)
{
	heap_before_flow();
	f->snd = malloc(FIRST);
	f->rcv = malloc(FIRST);
	f->fd = fd;
	f->first_in_heap = in_heap(f->snd) || in_heap(f->rcv);
	heap_socket_opened(fd);
	f->snd = realloc(f->snd, GROWN);
	f->rcv = realloc(f->rcv, GROWN);
	memset(f->snd, 1, 100);
	memset(f->rcv, 1, 100);
}

static void close_flow(struct flow *f)
{
	heap_socket_closed(f->fd);
	free(f->snd);
	free(f->rcv);
	f->snd = f->rcv = NULL;
}

static bool mapped(const struct flow *f)
{
	return !f->first_in_heap && !in_heap(f->snd) && !in_heap(f->rcv);
}

/* open and close @n flows one after the other: were all mapped? */
static bool short_flows_mapped(int n)
{
	struct flow f;
	bool all = true;
	int i;

	for (i = 0; i < n; i++) {
		open_flow(&f, 20);
		all = all && mapped(&f);
		close_flow(&f);
	}
	return all;
}

static void test_modes(void)
{
	struct flow f[8];
	int i;

	heap_init();
	heap_sockets(0);
	ok(!heap_mapping(), "few sockets: buffers from the heap");
	for (i = 0; i < 3; i++)
		open_flow(&f[i], 10 + i);
	ok(in_heap(f[0].snd) && in_heap(f[2].rcv),
	   "the first three flows have their buffers in the heap");
	open_flow(&f[3], 13);
	ok(heap_mapping(), "the fourth socket turns mappings on");
	open_flow(&f[4], 14);
	ok(mapped(&f[4]), "the fifth flow's buffers are mapped");

	/* a flow with heap buffers closes: its chunks must not serve the
	 * next flows, which would copy out of them on regrowing */
	close_flow(&f[0]);
	heap_sockets(4);
	ok(heap_mapping(), "four sockets again: still mapping");
	open_flow(&f[5], 15);
	ok(mapped(&f[5]),
	   "after a heap flow closed, the next flow's buffers are mapped");
	ok(heap_plugs() > 0, "the freed chunks are held out of play (%u)",
	   heap_plugs());
	ok(short_flows_mapped(50),
	   "50 short flows next to the heap flows: all mapped");
	close_flow(&f[1]);
	close_flow(&f[2]);
	ok(short_flows_mapped(20), "and after the last heap flows closed");

	close_flow(&f[3]);
	close_flow(&f[4]);
	heap_sockets(1);
	ok(heap_mapping(), "one socket left at once: still mapping");
	for (i = 0; i < 100; i++)
		heap_sockets(i % 2 ? 4 : 2);
	ok(heap_mapping(),
	   "a count going up and down with each connection: still mapping");
	usleep(1100 * 1000);
	heap_sockets(1);
	ok(!heap_mapping(), "one socket left a second on: back to the heap");
	ok(heap_plugs() == 0, "the held chunks are freed");
	open_flow(&f[6], 16);
	ok(in_heap(f[6].snd) && in_heap(f[6].rcv),
	   "a new flow's buffers come from the heap again");
	close_flow(&f[5]);
	close_flow(&f[6]);
}

/* port forwards' sockets have no buffers: they do not count */
static void test_forwards(void)
{
	heap_forwards(3);
	heap_sockets(3 + 3);
	ok(!heap_mapping(), "three forwards and three flows: the heap");
	heap_sockets(3 + 4);
	ok(heap_mapping(), "three forwards and four flows: mapping");
	heap_forwards(-3);
	usleep(1100 * 1000);
	heap_sockets(2);
	ok(!heap_mapping(), "forwards removed, two flows: the heap again");
}

#if defined(__SANITIZE_ADDRESS__)
/* the sanitizer's allocator takes no advice from mallopt() */
static const bool glibc_malloc = false;
#else
static const bool glibc_malloc = true;
#endif

int main(void)
{
	if (!glibc_malloc) {
		printf(
		    "1..0 # SKIP glibc's allocator is replaced under ASan\n");
		return 0;
	}
	test_modes();
	test_forwards();
	return done_testing();
}
