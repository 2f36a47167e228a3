/* SPDX-License-Identifier: GPL-2.0-or-later */
/* release.c - when the daemon gives memory back to the kernel
 *
 * Two occasions:
 * - After a burst of flows, glibc keeps the freed sockets' heap pages
 *   (their buffers had mappings of their own and are gone already, see
 *   heap.c): a second after TRIM_AFTER_CLOSES sockets closed, the heap is
 *   trimmed.
 * - IDLE_RELEASE_US after traffic stops, an idle daemon gives back what
 *   it does not need: the frame buffer's and the event buffer's pages
 *   (their owners do that), the stack's depths and the heap's free pages.
 *   Frames fault them in again. One wake-up after each burst.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>

#include "compat.h"
#include "release.h"

/* memory is given back to the kernel (malloc_trim) a while after this
 * many of libslirp's sockets closed */
#define TRIM_AFTER_CLOSES 1024
#define TRIM_DELAY_MS 1000

/* after this long without frames or events, give idle memory back */
#define IDLE_RELEASE_US (2 * G_USEC_PER_SEC)

/* below the stack frame in use, this much is given back */
#define STACK_RELEASE (128 * 1024)
/* ... leaving this much below the frame for the calls still to make */
#define STACK_KEEP 1024

void release_busy(struct release *r, int64_t now_us)
{
	r->busy_us = now_us;
	r->released = false;
}

int64_t release_due_us(const struct release *r)
{
	return r->released ? INT64_MAX : r->busy_us + IDLE_RELEASE_US;
}

/* Start-up and frames run deeper in the stack than an idle loop: give
 * back the pages below the one in use. Nothing lives there: below the
 * stack pointer is dead, and the stack's guard gap keeps other mappings
 * far below. This function's own frame and the madvise() call take far
 * less than the STACK_KEEP kept below its frame address; the calls still
 * to come fault in what they use. */
static __attribute__((noinline)) void release_stack(void)
{
	uintptr_t page = (uintptr_t)getpagesize();
	uintptr_t in_use = (uintptr_t)__builtin_frame_address(0) - STACK_KEEP;
	uintptr_t top = in_use & ~(page - 1);

	(void)madvise((void *)(top - STACK_RELEASE), STACK_RELEASE,
		      MADV_DONTNEED);
}

void release_idle(struct release *r)
{
	release_stack();
	malloc_trim(0);
	r->released = true;
}

static gboolean trim_cb(gpointer data)
{
	struct release *r = data;

	r->trim_src = 0;
	r->closed_since_trim = 0;
	malloc_trim(0);
	return G_SOURCE_REMOVE;
}

void release_socket_closed(struct release *r)
{
	if (++r->closed_since_trim >= TRIM_AFTER_CLOSES && !r->trim_src)
		r->trim_src = g_timeout_add(TRIM_DELAY_MS, trim_cb, r);
}

void release_fini(struct release *r)
{
	if (r->trim_src)
		g_source_remove(r->trim_src);
	r->trim_src = 0;
}
