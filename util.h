/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h - small helpers: fd cleanup, complete writes, socket files, mappings
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_UTIL_H
#define S4N_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* GLib 2.74 cannot close fds on scope exit: this does. */
void util_closep(int *fd);
#define _cleanup_close_ __attribute__((cleanup(util_closep)))

/**
 * util_write_all() - write all of @buf, retrying on EINTR, waiting with
 * poll() on EAGAIN, and continuing after short writes. For the socketpair
 * and the ready-fd, never for the TAP or API clients.
 *
 * Return: 0, or -errno.
 */
int util_write_all(int fd, const void *buf, size_t len);

/**
 * util_is_own_userns() - whether @fd names the user namespace we are in.
 * Called by nstap.c and sandbox.c before they setns() into one.
 *
 * Return: 1 if it does, 0 if not, or -errno.
 */
int util_is_own_userns(int fd);

/*
 * struct util_sockfile - a socket file we created, to be removed at exit
 * even from inside the sandbox, where its path no longer resolves: an
 * O_PATH fd on its directory, and its inode so that a file another
 * daemon put there since is left alone.
 */
struct util_sockfile {
	int dir_fd;
	char *base;
	dev_t dev;
	ino_t ino;
	bool have_ino;
};

/**
 * util_sockfile_open() - remember the socket file at @path, just bound.
 * Called by api.c and slirp4netns.c before the sandbox.
 */
void util_sockfile_open(struct util_sockfile *f, const char *path);

/**
 * util_sockfile_remove() - remove the file if it is still the one
 * remembered, and free @f's resources. Called at exit.
 */
void util_sockfile_remove(struct util_sockfile *f);

/**
 * util_map() - @len bytes of zeroed memory in a mapping of their own, for
 * a long-lived buffer that is mostly untouched (a frame buffer): kept out
 * of the heap, it leaves no chunk headers on heap pages and nothing for
 * the heap to fragment around. Aborts when out of memory, like g_malloc().
 *
 * Return: the memory, to be given to util_unmap().
 */
void *util_map(size_t len);

/**
 * util_unmap() - release util_map()'s memory. @p may be NULL.
 */
void util_unmap(void *p, size_t len);

#endif /* S4N_UTIL_H */
