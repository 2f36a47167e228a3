/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirplog.h - libslirp's own messages, rate-limited
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_SLIRPLOG_H
#define S4N_SLIRPLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "slirp4netns.h"

/* one line per kind of message per interval at most */
#define SLIRPLOG_INTERVAL_US (5 * 1000 * 1000)
#define SLIRPLOG_KINDS 16

/* struct slirplog_limiter - the kinds of message seen lately */
struct slirplog_limiter {
	struct {
		uint32_t key;	     /* hash of the message, digits left out */
		int64_t next_us;     /* no line for it before this time */
		uint64_t suppressed; /* lines left out since the last one */
	} kind[SLIRPLOG_KINDS];
};

/**
 * slirplog_init() - route libslirp's messages (GLib log domain "Slirp")
 * through the limiter, at debug level when a guest can cause them.
 * Called by s4n_ctx_init() before libslirp is created.
 * @stats:	its guest_errors counts the guest-caused messages
 */
void slirplog_init(struct s4n_stats *stats);

/**
 * slirplog_allow() - whether @msg may be printed at @now_us. Messages
 * that differ only in their digits are one kind.
 * @ret_suppressed:	on true, how many of its kind were left out before
 *
 * Return: true to print it.
 */
bool slirplog_allow(struct slirplog_limiter *l, const char *msg, int64_t now_us,
		    uint64_t *ret_suppressed);

/**
 * slirplog_from_guest() - whether libslirp says @msg about what a guest
 * sent (its ICMP, DHCP, NDP, TFTP handling), which a guest can repeat at
 * will.
 */
bool slirplog_from_guest(const char *msg);

#endif /* S4N_SLIRPLOG_H */
