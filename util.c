/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.c - small helpers: fd cleanup, complete writes, socket files, mappings
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"

#include "util.h"

void util_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
	*fd = -1;
}

static int wait_fd(int fd, short events)
{
	struct pollfd pfd = {.fd = fd, .events = events};

	if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

int util_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			int rc;

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			rc = wait_fd(fd, POLLOUT);
			if (rc < 0)
				return rc;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* setns() refuses to enter our own user namespace again (EINVAL): those
 * who would enter one ask this first */
int util_is_own_userns(int fd)
{
	struct stat self, other;

	if (stat("/proc/self/ns/user", &self) < 0 || fstat(fd, &other) < 0)
		return -errno;
	return self.st_dev == other.st_dev && self.st_ino == other.st_ino;
}

void util_sockfile_open(struct util_sockfile *f, const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->base = g_path_get_basename(path);
	f->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (f->dir_fd < 0) {
		log_debug("cannot open %s: %s", dir, strerror(errno));
		return;
	}
	if (fstatat(f->dir_fd, f->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISSOCK(st.st_mode)) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		f->have_ino = true;
	}
}

void util_sockfile_remove(struct util_sockfile *f)
{
	struct stat st;

	if (f->have_ino &&
	    fstatat(f->dir_fd, f->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    st.st_dev == f->dev && st.st_ino == f->ino &&
	    unlinkat(f->dir_fd, f->base, 0) < 0)
		log_debug("cannot remove %s: %s", f->base, strerror(errno));
	if (f->dir_fd >= 0)
		close(f->dir_fd);
	g_free(f->base);
	memset(f, 0, sizeof(*f));
	f->dir_fd = -1;
}

void *util_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		g_error("cannot map %zu bytes: %s", len, g_strerror(errno));
	return p;
}

void util_unmap(void *p, size_t len)
{
	if (p)
		munmap(p, len);
}
