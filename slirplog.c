/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirplog.c - libslirp's own messages, rate-limited
 *
 * libslirp logs through GLib (domain "Slirp"), often about what the
 * guest sent: an ICMPv6 echo beyond the gateway prints "external icmpv6
 * not supported yet" at CRITICAL level, once per packet, so an
 * unprivileged ping in the container could write megabytes to our stderr
 * (issue 15). Here every kind of message gets one line per
 * SLIRPLOG_INTERVAL_US at most, the next one saying how many were left
 * out, and the ones a guest causes go to the debug level.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "log.h"
#include "slirplog.h"

/* lower-case words of libslirp 4.7's messages about guest packets */
static const char *const guest_words[] = {
    "guest", "icmp", "dhcp", "bootp", "tftp", "ndp", "ttl exceeded", "cksum",
};

static uint32_t kind_of(const char *msg)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *msg; msg++) {
		if (isdigit((unsigned char)*msg))
			continue;
		h ^= (uint8_t)*msg;
		h *= 16777619u;
	}
	return h;
}

bool slirplog_allow(struct slirplog_limiter *l, const char *msg, int64_t now_us,
		    uint64_t *ret_suppressed)
{
	uint32_t key = kind_of(msg);
	unsigned int i, victim = 0;

	for (i = 0; i < SLIRPLOG_KINDS; i++) {
		if (l->kind[i].key == key && l->kind[i].next_us)
			break;
		if (l->kind[i].next_us < l->kind[victim].next_us)
			victim = i;
	}
	if (i == SLIRPLOG_KINDS) {
		/* a new kind takes the place of the longest quiet one */
		i = victim;
		l->kind[i].key = key;
		l->kind[i].next_us = 0;
		l->kind[i].suppressed = 0;
	} else if (now_us < l->kind[i].next_us) {
		l->kind[i].suppressed++;
		return false;
	}
	*ret_suppressed = l->kind[i].suppressed;
	l->kind[i].suppressed = 0;
	l->kind[i].next_us = now_us + SLIRPLOG_INTERVAL_US;
	if (!l->kind[i].next_us)
		l->kind[i].next_us = 1;
	return true;
}

bool slirplog_from_guest(const char *msg)
{
	char low[256];
	size_t i;

	for (i = 0; i < sizeof(low) - 1 && msg[i]; i++)
		low[i] = (char)tolower((unsigned char)msg[i]);
	low[i] = '\0';
	for (i = 0; i < G_N_ELEMENTS(guest_words); i++)
		if (strstr(low, guest_words[i]))
			return true;
	return false;
}

static struct slirplog_limiter limiter;

static void handler(const gchar *domain, GLogLevelFlags level, const gchar *msg,
		    gpointer data)
{
	struct s4n_stats *stats = data;
	bool guest = slirplog_from_guest(msg);
	char more[64] = "";
	uint64_t n;

	(void)domain;
	if (guest)
		stats->guest_errors++;
	/* libslirp's debug output is its own trace (SLIRP_DEBUG) */
	if ((guest || (level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))) &&
	    !(level & G_LOG_LEVEL_ERROR) && !log_debug_enabled())
		return;
	if (!slirplog_allow(&limiter, msg, g_get_monotonic_time(), &n))
		return;
	if (n)
		snprintf(more, sizeof(more), " (%" PRIu64 " more like it)", n);
	if (level & G_LOG_LEVEL_ERROR)
		log_error("libslirp: %s%s", msg, more);
	else if (guest || (level & (G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG)))
		log_debug("libslirp: %s%s", msg, more);
	else
		log_warn("libslirp: %s%s", msg, more);
}

void slirplog_init(struct s4n_stats *stats)
{
	(void)g_log_set_handler(
	    "Slirp", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
	    handler, stats);
}
