/* SPDX-License-Identifier: GPL-2.0-or-later */
/* taptest.h - minimal TAP (Test Anything Protocol) output for unit tests
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_TAPTEST_H
#define S4N_TAPTEST_H

#include <stdio.h>
#include <string.h>

static int tt_n, tt_failed;

#define ok(cond, ...)                                                          \
	do {                                                                   \
		int tt_c = !!(cond);                                           \
		printf("%sok %d - ", tt_c ? "" : "not ", ++tt_n);              \
		printf(__VA_ARGS__);                                           \
		printf("\n");                                                  \
		if (!tt_c) {                                                   \
			tt_failed++;                                           \
			printf("# failed at %s:%d: %s\n", __FILE__, __LINE__,  \
			       #cond);                                         \
		}                                                              \
	} while (0)

#define is_str(got, want, ...)                                                 \
	do {                                                                   \
		const char *tt_g = (got), *tt_w = (want);                      \
		ok(tt_g && !strcmp(tt_g, tt_w), __VA_ARGS__);                  \
		if (!tt_g || strcmp(tt_g, tt_w))                               \
			printf("#   got: \"%s\"\n#  want: \"%s\"\n",           \
			       tt_g ? tt_g : "(null)", tt_w);                  \
	} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tt_n);
	return tt_failed ? 1 : 0;
}

#endif /* S4N_TAPTEST_H */
