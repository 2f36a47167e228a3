/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bess.c - the listening socket of --target-type=bess
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "bess.h"
#include "util.h"

int bess_listen(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;
	struct stat st;
	int ret;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	/* replace a socket left by an earlier run, nothing else */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		(void)unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 1) < 0)
		return -errno;
	ret = fd;
	fd = -1;
	return ret;
}
