/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-unixsock.c - unit tests for unixsock.c: one policy for socket files
 *
 * A live socket is never replaced, a stale one is, anything else is kept;
 * for stream sockets (the API) and seqpacket ones (bess) alike.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "unixsock.h"
#include "tests/taptest.h"

static void test_type(const char *dir, int type, const char *name)
{
	g_autofree char *path = g_strdup_printf("%s/%s.sock", dir, name);
	int fd, fd2;
	struct stat st;

	fd = unixsock_listen(path, type, 1);
	ok(fd >= 0 && stat(path, &st) == 0 && S_ISSOCK(st.st_mode),
	   "%s: a new socket at a free path", name);
	ok(fcntl(fd, F_GETFL) & O_NONBLOCK, "%s: non-blocking", name);
	ok(fcntl(fd, F_GETFD) & FD_CLOEXEC, "%s: close-on-exec", name);
	ok(unixsock_listen(path, type, 1) == -EADDRINUSE,
	   "%s: a live socket is not replaced", name);
	close(fd);
	ok(access(path, F_OK) == 0, "%s: closing leaves the file behind", name);
	fd2 = unixsock_listen(path, type, 1);
	ok(fd2 >= 0, "%s: a stale socket file is replaced", name);
	close(fd2);
	unlink(path);
}

int main(void)
{
	char tmpl[] = "/tmp/test-unixsock.XXXXXX";
	const char *dir = mkdtemp(tmpl);
	g_autofree char *file = NULL, *lng = NULL;
	int fd;

	if (!dir) {
		printf("1..0 # SKIP mkdtemp: %s\n", strerror(errno));
		return 77;
	}
	test_type(dir, SOCK_STREAM, "stream");
	test_type(dir, SOCK_SEQPACKET, "seqpacket");

	file = g_strdup_printf("%s/file", dir);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	close(fd);
	ok(unixsock_listen(file, SOCK_STREAM, 1) == -EEXIST &&
	       access(file, F_OK) == 0,
	   "a regular file is refused and kept");
	unlink(file);
	ok(unixsock_listen("", SOCK_STREAM, 1) == -EINVAL, "an empty path");
	lng = g_strnfill(200, 'x');
	ok(unixsock_listen(lng, SOCK_STREAM, 1) == -ENAMETOOLONG,
	   "a path longer than sun_path");
	rmdir(dir);
	return done_testing();
}
