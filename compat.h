/* SPDX-License-Identifier: GPL-2.0-or-later */
/* compat.h - the glibc extensions we use, and what stands in for them
 *
 * mallopt() and malloc_trim() tune glibc's allocator for many idle
 * daemons (heap.c, release.c, main.c). Other C libraries (musl) do not
 * have them, nor need them in the same way: there they do nothing, and
 * the memory tuning simply does not apply. Include this instead of
 * <malloc.h>. close_range() has a glibc wrapper only from 2.34 on (musl
 * has none): the system call stands in for it.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_COMPAT_H
#define S4N_COMPAT_H

#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"

#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif

#ifndef HAVE_MALLOPT
static inline int compat_mallopt(int param, int value)
{
	(void)param;
	(void)value;
	return 0;
}
#define mallopt compat_mallopt
#endif
/* glibc's values; only ever passed to the mallopt() above */
#ifndef M_TRIM_THRESHOLD
#define M_TRIM_THRESHOLD -1
#endif
#ifndef M_TOP_PAD
#define M_TOP_PAD -2
#endif
#ifndef M_MMAP_THRESHOLD
#define M_MMAP_THRESHOLD -3
#endif

#ifndef HAVE_MALLOC_TRIM
static inline int compat_malloc_trim(size_t pad)
{
	(void)pad;
	return 0;
}
#define malloc_trim compat_malloc_trim
#endif

#ifndef HAVE_CLOSE_RANGE
static inline int compat_close_range(unsigned int first, unsigned int last,
				     int flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}
#define close_range compat_close_range
#endif

#endif /* S4N_COMPAT_H */
