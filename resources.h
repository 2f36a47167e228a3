/* SPDX-License-Identifier: GPL-2.0-or-later */
/* resources.h - running out of file descriptors and memory
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * One place decides what happens near the limits: main() raises the
 * descriptor limit, the frame path asks before each new guest flow
 * (res_room_for_flow()), the API takes from a reserve of descriptors when
 * accept() or a forward ran out, and the loop warns, at most once per
 * interval, about the flows refused. The prefix is res_.
 */
#ifndef S4N_RESOURCES_H
#define S4N_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "slirp4netns.h"

struct res;

/**
 * res_raise_nofile() - raise RLIMIT_NOFILE's soft limit to the hard one:
 * every guest flow costs a host socket. Called by main() at start-up,
 * before anything opens descriptors; warns if it cannot.
 */
void res_raise_nofile(void);

/**
 * res_new() - read the limits, see whether a mapping can fail at all, and
 * fill the descriptor reserve. Called by s4n_ctx_init() before the
 * sandbox (which may hide /proc). Never NULL.
 */
struct res *res_new(void);

/**
 * res_count_open() - count the descriptors open now, for the checks of
 * res_room_for_flow(). Called by main() once start-up opened what it
 * needs, before the sandbox hides /proc (res_new() counts too).
 */
void res_count_open(struct res *r);

/**
 * res_free() - close the reserve and free @r. NULL is a no-op.
 */
void res_free(struct res *r);

/**
 * res_room_for_flow() - is there room for one more guest flow? Asked by
 * the frame path before a guest's SYN reaches libslirp.
 *
 * Return: 0, -EMFILE (too close to the descriptor limit) or -ENOMEM (a
 * trial mapping failed).
 */
int res_room_for_flow(struct res *r);

/**
 * res_room_for_fwd() - is there room for a client accepted on a TCP port
 * forward (tcpfwd.c)? It may take the descriptors the guest's flows leave
 * free for forwards, all but a few.
 *
 * Return: 0, -EMFILE or -ENOMEM, as res_room_for_flow().
 */
int res_room_for_fwd(struct res *r);

/**
 * res_socket_opened() - a socket was opened: by libslirp
 * (register_poll_fd), the TCP path for a flow, or tcpfwd.c for a
 * listener. Counted until res_socket_closed().
 */
void res_socket_opened(struct res *r);

/**
 * res_socket_closed() - a socket that res_socket_opened() counted was
 * closed (libslirp's unregister_poll_fd, say): the reserve is refilled by
 * the next res_refill().
 */
void res_socket_closed(struct res *r);

/**
 * res_reserve_fill() - hold back descriptors until the reserve is full.
 * Called when descriptors may have been freed.
 *
 * Return: true if the reserve is full.
 */
bool res_reserve_fill(struct res *r);

/**
 * res_reserve_take() - give one held-back descriptor up, so that the
 * caller can open one. Called by the API when an open failed with EMFILE
 * or ENFILE. The next res_refill() tries to fill the reserve again.
 *
 * Return: true if one was given up.
 */
bool res_reserve_take(struct res *r);

/**
 * res_batch_begin() - frames from the guest are about to be handed to
 * libslirp. Called by the loop before each batch.
 */
void res_batch_begin(struct res *r);

/**
 * res_batch_end() - the batch is done: warn, at most once per interval,
 * about the guest's connections refused for want of descriptors or
 * memory, by the frame path (@st's refusal counters) or by libslirp
 * itself (a SYN for which it opened no socket while no descriptor is
 * left).
 */
void res_batch_end(struct res *r, const struct s4n_stats *st);

/**
 * res_refill() - refill the reserve if a descriptor was closed since the
 * last call (res_socket_closed()). Called at the end of each dispatch.
 */
void res_refill(struct res *r);

#endif /* S4N_RESOURCES_H */
