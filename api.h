/* SPDX-License-Identifier: GPL-2.0-or-later */
/* api.h - the API's pure core: one request's bytes in, one reply out
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * The core (api_core_*(), api_frame_next()) turns one request's bytes into
 * one reply without touching a socket; it is called by the socket side
 * (apiserver.c), the unit tests and the fuzzer.
 */
#ifndef S4N_API_H
#define S4N_API_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "rfwd.h"
#include "slirp4netns.h"

/* Longest request, without its newline (slirp4netns(1): under 4096 bytes) */
#define API_MAX_REQUEST 4096
/* Most forwards at once: bounds the table and the list_hostfwd reply */
#define API_MAX_FORWARDS 65536

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
	/* remote forwards (bridge.h); NULL: add_guestfwd is refused */
	int64_t (*guest_add)(void *opaque, const struct rfwd_spec *s,
			     const char **ret_why);
	int (*guest_remove)(void *opaque, int64_t id);
	const struct rfwd_table *(*guest_table)(void *opaque);
};

struct api_core;

/**
 * api_sockaddr_len() - the length of @a's address for its family, for the
 * forward operations' calls into libslirp.
 *
 * Return: sizeof(struct sockaddr_in) or sizeof(struct sockaddr_in6).
 */
socklen_t api_sockaddr_len(const union api_sockaddr *a);

/**
 * api_core_new() - create the request handler and its forward table, and
 * seed jansson's hash function while /dev/urandom is reachable: called
 * before the sandbox.
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
