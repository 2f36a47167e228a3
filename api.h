/* SPDX-License-Identifier: GPL-2.0-or-later */
/* api.h - the JSON API on the --api-socket UNIX socket
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Two halves: the socket side (api_socket_open(), api_server_start(),
 * api_server_stop()), called by main(), and a pure core (api_core_*(),
 * api_frame_next()) that turns one request's bytes into one reply without
 * touching a socket, called by the socket side, the unit tests and the
 * fuzzer.
 */
#ifndef S4N_API_H
#define S4N_API_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "slirp4netns.h"

/* Longest request, without its newline (slirp4netns(1): under 4096 bytes) */
#define API_MAX_REQUEST 4096
/* Most forwards at once: bounds the table and the list_hostfwd reply */
#define API_MAX_FORWARDS 65536

/* ---- socket side, for main() ------------------------------------------ */

/**
 * api_socket_open() - create the listening socket for --api-socket. Called
 * by main() before the sandbox and before the ready-fd is written, so that
 * a client can connect as soon as it is told the network is ready.
 * @path:	socket path, bound with the caller's umask; a stale socket file
 *		is replaced, a live one or any other kind of file is refused
 *
 * Return: a non-blocking, close-on-exec listening fd, or -1 after logging
 * one line naming the option and the path.
 */
int api_socket_open(const char *path);

/**
 * api_server_start() - serve the API from the default main context. Called
 * by main() once ctx->slirp exists, before the sandbox (it opens the
 * directory of @path, so that api_server_stop() can remove the socket file
 * after a pivot_root).
 * @ctx:	daemon context; forwards go to ctx->slirp, counters to ctx->stats
 * @listen_fd:	fd from api_socket_open(); ownership passes to the server
 * @path:	the path it was bound to
 *
 * Return: the server, never NULL.
 */
struct api_server *api_server_start(struct s4n_ctx *ctx, int listen_fd,
				    const char *path);

/**
 * api_server_stop() - close the listener and every client, and remove the
 * socket file if it is still the one we bound. Forwards are left to
 * slirp_cleanup(). Called by main() on every exit path, before
 * s4n_ctx_fini(). NULL is a no-op.
 */
void api_server_stop(struct api_server *api);

/* ---- pure core, for the socket side, unit tests and the fuzzer ---------- */

union api_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/*
 * struct api_fwd - one listening socket of a forward: libslirp joins a host
 * and a guest address of the same family. A dual-stack forward is two.
 */
struct api_fwd {
	bool udp;
	union api_sockaddr host; /* address and port, network order */
	union api_sockaddr guest;
};

/*
 * struct api_fwd_ops - how the core opens and closes forwards. The daemon's
 * ops call libslirp; unit tests and the fuzzer pass fakes. Both return 0 or
 * -errno.
 */
struct api_fwd_ops {
	int (*add)(void *opaque, const struct api_fwd *fwd);
	int (*remove)(void *opaque, const struct api_fwd *fwd);
};

struct api_core;

/**
 * api_core_new() - create the request handler and its forward table.
 * @opts:	options in effect (defaults, get_info); must outlive the core
 * @stats:	counters for get_stats; api_requests is counted here
 * @ops:	forward operations, called with @opaque
 *
 * Return: the core, never NULL.
 */
struct api_core *api_core_new(const struct s4n_opts *opts,
			      struct s4n_stats *stats,
			      const struct api_fwd_ops *ops, void *opaque);

/**
 * api_core_free() - free the core and its table without calling ops->remove
 * (libslirp closes its sockets itself). NULL is a no-op.
 */
void api_core_free(struct api_core *core);

/**
 * api_core_handle() - handle one request.
 * @req:	request bytes, not NUL-terminated, any content
 * @len:	length; over API_MAX_REQUEST gets "bad request: too large message"
 *
 * Return: one JSON object, {"return": ...} or {"error": {"desc": ...}},
 * without a newline; free with free(). NULL only if memory ran out.
 */
char *api_core_handle(struct api_core *core, const char *req, size_t len);

/**
 * api_core_forwards() - number of entries in the forward table.
 *
 * Return: the count.
 */
size_t api_core_forwards(const struct api_core *core);

/* What the socket side does with the next request of a connection */
enum api_frame_kind {
	API_FRAME_MORE, /* no complete request yet: read more */
	API_FRAME_LINE, /* newline-terminated request: reply, keep going */
	API_FRAME_LAST, /* last request (end of input, a complete object
			 * without newline, or too large): reply, close */
	API_FRAME_END,	/* end of input, nothing left: close */
};

/*
 * struct api_frame - the next request in a client's buffer: bytes
 * [off, off + len) are the request; drop the first @used bytes after it.
 */
struct api_frame {
	enum api_frame_kind kind;
	size_t off, len, used;
};

/**
 * api_frame_next() - find the next request in a client's input.
 * @buf, @len:	bytes received and not yet consumed
 * @eof:	the client shut down its side: no more bytes will come
 * @first:	no request was answered on this connection yet
 * @ret_frame:	where the request is, written always
 *
 * Requests end with a newline, or with the end of input. Blank lines are
 * skipped. A first request that is a complete JSON object without newline
 * is also the last: slirp4netns answered each connection's first read, and
 * "echo -n $json | nc -U" waits for the server to close. Later requests
 * need their newline, so that a pipelined request cut by a read is not
 * mistaken for the last one.
 *
 * Return: ret_frame->kind.
 */
enum api_frame_kind api_frame_next(const char *buf, size_t len, bool eof,
				   bool first, struct api_frame *ret_frame);

#endif /* S4N_API_H */
