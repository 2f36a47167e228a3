/* SPDX-License-Identifier: GPL-2.0-or-later */
/* apiserver.h - the API's socket side, started and stopped by main()
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_APISERVER_H
#define S4N_APISERVER_H

#include "slirp4netns.h"

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

#endif /* S4N_APISERVER_H */
