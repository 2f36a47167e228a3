/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unixsock.h - listening UNIX sockets at a path: the API's and bess's
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_UNIXSOCK_H
#define S4N_UNIXSOCK_H

/**
 * unixsock_listen() - bind a non-blocking, close-on-exec UNIX socket of
 * @type (SOCK_STREAM for --api-socket, SOCK_SEQPACKET for bess) at @path
 * and listen. One policy for every socket file: a socket another process
 * is listening on is never replaced, a stale one left by an earlier run
 * is; anything else at @path is kept. Called by main() before the sandbox.
 * @backlog:	listen()'s
 *
 * Return: the fd, or -EINVAL (empty path), -ENAMETOOLONG, -EADDRINUSE (a
 * live socket), -EEXIST (not a socket), or another -errno.
 */
int unixsock_listen(const char *path, int type, int backlog);

#endif /* S4N_UNIXSOCK_H */
