/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench-util.h - what the benchmark helpers rr.c, conns.c and spawn.c share
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_BENCH_UTIL_H
#define S4N_BENCH_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* parse_long() - a whole decimal number in [min, max]: 0, or -EINVAL */
static inline int parse_long(const char *s, long min, long max, long *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* detach_stdio() - point stdio at /dev/null: a background child must not
 * hold the caller's $(...) pipe open */
static inline void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

#endif /* S4N_BENCH_UTIL_H */
