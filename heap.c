/* SPDX-License-Identifier: GPL-2.0-or-later */
/* heap.c - where glibc puts libslirp's socket buffers
 *
 * libslirp gives each TCP socket two buffers of 128 KiB, which grow to
 * 192 KiB once the connection is up when its MSS does not divide 128 KiB
 * (see tap.c); an idle connection touches little of them. Where glibc
 * puts them decides what a flow costs:
 *
 * - In the heap, a new connection reuses the pages of the one before: no
 *   system call, no page fault. But a regrowing realloc() there copies the
 *   first 128 KiB, so an idle flow keeps 256 KiB resident; and with
 *   thousands of flows, buffers in between spread libslirp's sockets over
 *   many pages, which made its walk over them on every wake-up twice as
 *   slow.
 * - In mappings of their own (above glibc's mmap threshold), a regrowth is
 *   a mremap() that copies nothing, an idle flow costs two resident pages,
 *   a closed one gives its buffers back at once, and the heap keeps only
 *   sockets and control blocks, close together. But each connection costs
 *   six system calls and some page faults: a fifth of a short
 *   connection's CPU time.
 *
 * So buffers come from the heap while libslirp has fewer than HEAP_FEW
 * sockets, and get mappings of their own from then on, until the count
 * falls to half of that, a second or more after the change. The heap's
 * buffers stay where they are until their flows close: at most HEAP_FEW
 * times 384 KiB. Port forwards' sockets have no buffers and are not
 * counted: two forwards and a stream of short connections would
 * otherwise change the mode with every connection, and each change costs
 * a trim and the plugs (with the TCP path off, that made the connection
 * rate a fifth of slirp4netns').
 *
 * glibc serves a request from a free heap chunk big enough before it maps
 * one, so the mapping mode has to keep such chunks out of play:
 * - The heap's top: it keeps up to HEAP_TRIM between connections in heap
 *   mode, and is trimmed when the mode changes; afterwards the default
 *   trim threshold keeps it smaller than a buffer.
 * - A chunk freed in the middle of the heap by a flow that had its
 *   buffers there: every new flow would take it, regrow out of it by
 *   copying 128 KiB into its own mapping, and free it for the next one.
 *   So it is "plugged": allocated and held, its pages given back. While
 *   such flows are open (and once after the last one closed), a plug is
 *   tried each time libslirp opens a socket, and before each guest SYN.
 *   Plugs are freed when the heap mode comes back.
 *
 * glibc's allocator is one per process, and so is the state here.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "compat.h"
#include "heap.h"

#define HEAP_FEW 4
#define MAP_ABOVE (96 * 1024)
#define MAP_TRIM (128 * 1024)
#define HEAP_BELOW (256 * 1024)
#define HEAP_TRIM (1024 * 1024)
#define TOP_PAD (16 * 1024)
/* libslirp's first request for a socket buffer */
#define PLUG_SIZE (128 * 1024)
#define PLUG_MAX 32
/* the least time in the mapping mode: a change of mode costs a trim and
 * the plugs, so a count that goes up and down with every connection must
 * not change it every time */
#define MAP_MIN_US (1000 * 1000)

static struct {
	bool map;		/* buffers get mappings of their own */
	unsigned int sockets;	/* libslirp's, about, listeners left out */
	unsigned int listeners; /* libslirp's port forwards */
	int64_t map_since;	/* when the mapping mode began, us */
	uint8_t *in_heap;	/* by fd: opened in heap mode */
	size_t nfd;		/* entries in in_heap */
	unsigned int heap_open; /* fds set in in_heap */
	bool plug_due;
	void *plugs[PLUG_MAX];
	unsigned int nplugs;
} h;

void heap_init(void)
{
	mallopt(M_TOP_PAD, TOP_PAD);
	mallopt(M_TRIM_THRESHOLD, HEAP_TRIM);
	mallopt(M_MMAP_THRESHOLD, HEAP_BELOW);
}

static bool in_main_heap(const void *p)
{
	/* glibc's main arena grows with brk() as long as it can */
	return p < sbrk(0);
}

/* take the heap's free chunks that a buffer could come from out of play */
static void plug(void)
{
	long page = sysconf(_SC_PAGESIZE);

	h.plug_due = h.heap_open > 0;
	while (h.nplugs < PLUG_MAX) {
		void *p = malloc(PLUG_SIZE);
		uintptr_t lo, hi;

		if (!p || !in_main_heap(p)) {
			free(p);
			return;
		}
		lo = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
		hi = ((uintptr_t)p + PLUG_SIZE) & ~(uintptr_t)(page - 1);
		if (hi > lo)
			(void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
		h.plugs[h.nplugs++] = p;
	}
}

static void unplug(void)
{
	while (h.nplugs)
		free(h.plugs[--h.nplugs]);
}

static void set_mode(bool map)
{
	h.map = map;
	mallopt(M_MMAP_THRESHOLD, map ? MAP_ABOVE : HEAP_BELOW);
	mallopt(M_TRIM_THRESHOLD, map ? MAP_TRIM : HEAP_TRIM);
	if (map) {
		h.map_since = g_get_monotonic_time();
		malloc_trim(0);
		plug();
	} else {
		unplug();
		h.plug_due = false;
	}
}

/* @sockets: libslirp's sockets that can have buffers */
static void count(unsigned int sockets)
{
	h.sockets = sockets;
	if (!h.map && sockets >= HEAP_FEW)
		set_mode(true);
	else if (h.map && sockets <= HEAP_FEW / 2 &&
		 g_get_monotonic_time() - h.map_since >= MAP_MIN_US)
		set_mode(false);
}

void heap_sockets(unsigned int sockets)
{
	count(sockets > h.listeners ? sockets - h.listeners : 0);
}

void heap_forwards(int delta)
{
	h.listeners += delta;
}

void heap_socket_opened(int fd)
{
	bool was_heap = !h.map;

	if (fd >= 0 && was_heap) {
		if ((size_t)fd >= h.nfd) {
			size_t n = MAX(h.nfd * 2, (size_t)fd + 64);

			h.in_heap = g_realloc(h.in_heap, n);
			memset(h.in_heap + h.nfd, 0, n - h.nfd);
			h.nfd = n;
		}
		if (!h.in_heap[fd]) {
			h.in_heap[fd] = 1;
			h.heap_open++;
		}
	}
	count(h.sockets + 1);
	if (h.map && h.plug_due)
		plug();
}

void heap_socket_closed(int fd)
{
	if (fd < 0 || (size_t)fd >= h.nfd || !h.in_heap[fd])
		return;
	h.in_heap[fd] = 0;
	h.heap_open--;
	/* its buffers are freed after this: plug before the next flow */
	h.plug_due = true;
}

void heap_before_flow(void)
{
	if (h.map && h.plug_due)
		plug();
}

bool heap_mapping(void)
{
	return h.map;
}

unsigned int heap_plugs(void)
{
	return h.nplugs;
}
