/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcp.h - the guest's TCP connections on host sockets, beside libslirp
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_TCP_H
#define S4N_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "slirp4netns.h"

struct tcp_ctx;
struct s4n_tap;
struct waitset;

/**
 * tcp_new() - the TCP path's state (a few hundred bytes: the flow table
 * and the frame buffer come with the first flow). Called by
 * s4n_ctx_init() unless --disable-tcp-fast-path.
 * @ws:		the loop's wait set, where flow sockets go with their
 *		own handler (waitset_add())
 */
struct tcp_ctx *tcp_new(const struct s4n_opts *opts, struct s4n_tap *tap,
			struct s4n_stats *stats, struct waitset *ws);

/**
 * tcp_input() - take a frame from the guest if it belongs to the path: a
 * segment of one of its flows, or a SYN to an address it serves. Called
 * by tap.c for every frame that passed its checks, before libslirp.
 *
 * Return: true if taken (libslirp must not see it).
 */
bool tcp_input(struct tcp_ctx *t, const uint8_t *frame, size_t len);

/**
 * tcp_flush() - send the acknowledgements that frames of one batch made
 * due. Called by the loop after each batch of frames and of events.
 */
void tcp_flush(struct tcp_ctx *t);

/**
 * tcp_due_us() - when tcp_timers() must run next (monotonic, us), or
 * INT64_MAX. Called by the loop before it sleeps.
 */
int64_t tcp_due_us(const struct tcp_ctx *t);

/* tcp_timers() - run the flows' timers due by @now_us. Called by the loop. */
void tcp_timers(struct tcp_ctx *t, int64_t now_us);

/* tcp_idle() - give the frame buffer's pages back. Called by the loop
 * once traffic stopped. */
void tcp_idle(struct tcp_ctx *t);

/**
 * tcp_open_from_host() - a client accepted on a port forward's listener
 * becomes a flow: a SYN to the guest at @gaddr:@gport from @caddr:@cport,
 * the address the guest is to see. Called by tcpfwd.c after accept().
 * @fd:		the accepted socket, non-blocking; the flow owns it on
 *		success, the caller closes it on failure
 * @v6:		addresses are 16 bytes, else 4
 *
 * Return: 0, -EEXIST if a flow has that tuple, -EMFILE at the flow limit,
 * -ENOMEM, or -errno.
 */
int tcp_open_from_host(struct tcp_ctx *t, int fd, bool v6, const uint8_t *caddr,
		       uint16_t cport, const uint8_t *gaddr, uint16_t gport);

/* tcp_waitset() - the wait set flow sockets are in, for tcpfwd.c's
 * listeners */
struct waitset *tcp_waitset(struct tcp_ctx *t);

/**
 * typedef tcp_redirect_fn - the target of a remote forward at the guest's
 * destination @daddr (4 or 16 bytes, as @v6 says) port @dport.
 * @ret:	the target: AF_INET, AF_INET6 or AF_UNIX (stream), and its
 *		length in *@ret_len
 *
 * Return: true if @daddr:@dport is a forward's, false to go on as usual.
 */
typedef bool (*tcp_redirect_fn)(void *opaque, bool v6, const uint8_t *daddr,
				uint16_t dport, struct sockaddr_storage *ret,
				socklen_t *ret_len);

/**
 * tcp_set_redirect() - ask @fn about every new SYN from the guest before
 * its destination: the flow's socket then connects to @fn's target, with
 * no --outbound-addr, and --disable-host-loopback does not apply; a
 * target that fails at once resets the guest's connection. Called by
 * bridge.c with its first remote forward; NULL @fn: none.
 */
void tcp_set_redirect(struct tcp_ctx *t, tcp_redirect_fn fn, void *opaque);

/**
 * tcp_reset_to() - reset both ends of the guest's flows to @haddr (4 or
 * 16 bytes, as @v6 says) port @hport. Called by bridge.c when a remote
 * forward is removed.
 */
void tcp_reset_to(struct tcp_ctx *t, bool v6, const uint8_t *haddr,
		  uint16_t hport);

/* tcp_free() - close every flow and free the state. Called at exit. */
void tcp_free(struct tcp_ctx *t);

#endif /* S4N_TCP_H */
