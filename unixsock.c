/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unixsock.c - listening UNIX sockets at a path: the API's and bess's
 *
 * A socket file outlives the daemon that bound it when that daemon was
 * killed. The next daemon started with the same path replaces such a
 * stale file, but must not take the path from a daemon still serving it:
 * Podman and RootlessKit keep talking to the socket they were given.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unixsock.h"
#include "util.h"

/*
 * probe() - is anybody listening on the socket file at @sun? Connecting
 * with the listener's own @type tells: a stream client gets EPROTOTYPE
 * from a SOCK_SEQPACKET listener, which would look stale. Only
 * ECONNREFUSED (nobody listens) and ENOENT (gone meanwhile) say stale:
 * EACCES or EPERM mean a socket we may not talk to, maybe another user's
 * live service, which must not be replaced (issue 15).
 *
 * Return: 0 (stale: nobody listens), -EADDRINUSE (live), or the -errno
 * of a connect() that could not tell.
 */
static int probe(const struct sockaddr_un *sun, int type)
{
	_cleanup_close_ int fd = -1;

	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* EAGAIN: a live listener whose backlog is full */
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0 ||
	    errno == EAGAIN)
		return -EADDRINUSE;
	if (errno == ECONNREFUSED || errno == ENOENT)
		return 0;
	return -errno;
}

/*
 * clear_stale() - make room for a new socket at @sun: a socket file that
 * nobody listens on is removed; a live one, or anything else, is kept.
 *
 * Return: 0, -EADDRINUSE (live socket), -EEXIST (not a socket), or -errno.
 */
static int clear_stale(const struct sockaddr_un *sun, int type)
{
	struct stat st;
	int rc;

	if (lstat(sun->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	rc = probe(sun, type);
	if (rc < 0)
		return rc;
	if (unlink(sun->sun_path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int unixsock_listen(const char *path, int type, int backlog)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;
	size_t len = strlen(path);
	int rc;

	if (len == 0)
		return -EINVAL;
	if (len >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, len);
	rc = clear_stale(&sun, type);
	if (rc < 0)
		return rc;
	fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		return -errno;
	if (listen(fd, backlog) < 0) {
		rc = -errno;
		(void)unlink(path);
		return rc;
	}
	rc = fd;
	fd = -1;
	return rc;
}
