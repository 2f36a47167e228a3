/* SPDX-License-Identifier: GPL-2.0-or-later */
/* release.h - when the daemon gives memory back to the kernel
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Where libslirp's buffers are allocated is heap.c's concern; this is
 * when memory goes back: a while after bursts of closed flows, and once
 * when traffic stops (each of hundreds of idle daemons on a host counts).
 * The loop (slirp4netns.c) calls these from its source's callbacks.
 */
#ifndef S4N_RELEASE_H
#define S4N_RELEASE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/* struct release - the policy's state; fields are release.c's */
struct release {
	int64_t busy_us; /* last dispatch with frames or events */
	bool released;	 /* idle memory given back since then */
	unsigned int closed_since_trim;
	guint trim_src;
};

/**
 * release_busy() - frames or events were handled at @now_us (monotonic):
 * the idle release comes IDLE_RELEASE_US after the last such dispatch.
 */
void release_busy(struct release *r, int64_t now_us);

/**
 * release_due_us() - Return: when release_idle() is due, or INT64_MAX if
 * memory was given back since the last busy dispatch.
 */
int64_t release_due_us(const struct release *r);

/**
 * release_idle() - give the stack's depths and the heap's free pages back.
 * Called by the loop's prepare once due, after the frame path and the
 * wait set gave back their buffers' pages (tap_idle(), waitset_idle()).
 * It must be called from a frame near the loop's, not from deep inside a
 * call chain: the stack below it is given back.
 */
void release_idle(struct release *r);

/**
 * release_socket_closed() - libslirp closed a socket: after
 * TRIM_AFTER_CLOSES of them, the heap is trimmed a second later.
 */
void release_socket_closed(struct release *r);

/**
 * release_fini() - remove the trim timer. Called by s4n_ctx_fini() after
 * slirp_cleanup(), whose closed sockets may arm it again.
 */
void release_fini(struct release *r);

#endif /* S4N_RELEASE_H */
