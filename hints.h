/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hints.h - what to do about the start-up failures users meet most
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_HINTS_H
#define S4N_HINTS_H

#include <stdbool.h>
#include <sys/types.h>

/* Each returns a clause to append to the one error line, beginning with a
 * space and in parentheses, or "" when there is nothing to add. The
 * namespace child calls them (they only pick a string). */

/* hint_tun_open() - open("/dev/net/tun") failed with @err */
const char *hint_tun_open(int err);

/**
 * hint_tap_attach() - TUNSETIFF failed with @err
 * @existed:	an interface of that name was there before
 */
const char *hint_tap_attach(int err, bool existed);

/**
 * hint_join() - joining the target's user or network namespace failed with
 * @err
 * @has_subids:	hint_has_subids() for the user, asked before the fork
 */
const char *hint_join(int err, bool has_subids);

/**
 * hint_has_subids() - does @subuid (/etc/subuid) give user @uid a range of
 * subordinate ids, by number or by the name @passwd (/etc/passwd) gives
 * it? Files are read directly, not through NSS, whose modules would stay
 * loaded in every daemon. A file that cannot be read counts as none.
 * Called by nstap.c before it forks; root always has some.
 */
bool hint_has_subids(const char *subuid, const char *passwd, uid_t uid);

#endif /* S4N_HINTS_H */
