/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fakefwd.h - the API core's forward operations without libslirp, for
 * test-api.c and fuzz-api.c
 *
 * A table of bound host sockets ("tcp 0.0.0.0 8080" -> "10.0.2.100 80")
 * that refuses a second bind of the same one, and can be told to fail:
 * every IPv6 add, or the adds of one host port. Counters let the callers
 * check what the core asked for; fakefwd_wrong() counts what it must
 * never ask (two families joined, removing what was never added).
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_TESTS_FAKEFWD_H
#define S4N_TESTS_FAKEFWD_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>

#include <glib.h>

#include "api.h"

struct fakefwd {
	GHashTable *bound; /* host key -> guest "addr port" */
	int fail_v6;	   /* -errno for IPv6 adds (of fail_v6_port), 0: none */
	uint16_t fail_v6_port; /* 0: every port */
	int fail_port_err;     /* -errno for the adds of fail_port, 0: none */
	uint16_t fail_port;
	unsigned int adds, removes, remove_misses, mixed;
};

/* "10.0.2.100 80" */
static inline char *fakefwd_addr_key(const union api_sockaddr *a)
{
	char buf[INET6_ADDRSTRLEN];
	bool v6 = a->sa.sa_family == AF_INET6;

	inet_ntop(a->sa.sa_family,
		  v6 ? (const void *)&a->in6.sin6_addr
		     : (const void *)&a->in.sin_addr,
		  buf, sizeof(buf));
	return g_strdup_printf("%s %u", buf,
			       ntohs(v6 ? a->in6.sin6_port : a->in.sin_port));
}

/* "tcp 0.0.0.0 8080" */
static inline char *fakefwd_key(const union api_sockaddr *a, bool udp)
{
	g_autofree char *k = fakefwd_addr_key(a);

	return g_strdup_printf("%s %s", udp ? "udp" : "tcp", k);
}

static inline uint16_t fakefwd_port(const union api_sockaddr *a)
{
	return ntohs(a->sa.sa_family == AF_INET6 ? a->in6.sin6_port
						 : a->in.sin_port);
}

static inline int fakefwd_add(void *opaque, const struct api_fwd *f)
{
	struct fakefwd *fk = opaque;
	uint16_t port = fakefwd_port(&f->host);
	char *k;

	if (f->host.sa.sa_family != f->guest.sa.sa_family) {
		fk->mixed++;
		return -EINVAL; /* libslirp cannot join two families */
	}
	if (fk->fail_port_err && port == fk->fail_port)
		return fk->fail_port_err;
	if (f->host.sa.sa_family == AF_INET6 && fk->fail_v6 &&
	    (!fk->fail_v6_port || port == fk->fail_v6_port))
		return fk->fail_v6;
	k = fakefwd_key(&f->host, f->udp);
	if (g_hash_table_contains(fk->bound, k)) {
		g_free(k);
		return -EADDRINUSE;
	}
	g_hash_table_insert(fk->bound, k, fakefwd_addr_key(&f->guest));
	fk->adds++;
	return 0;
}

static inline int fakefwd_remove(void *opaque, const struct api_fwd *f)
{
	struct fakefwd *fk = opaque;
	g_autofree char *k = fakefwd_key(&f->host, f->udp);

	if (!g_hash_table_remove(fk->bound, k)) {
		fk->remove_misses++;
		return -ENOENT;
	}
	fk->removes++;
	return 0;
}

/* fakefwd_reset() - an empty table, no failures, counters at 0 */
static inline void fakefwd_reset(struct fakefwd *fk)
{
	if (fk->bound)
		g_hash_table_destroy(fk->bound);
	memset(fk, 0, sizeof(*fk));
	fk->bound =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static inline void fakefwd_free(struct fakefwd *fk)
{
	if (fk->bound)
		g_hash_table_destroy(fk->bound);
	fk->bound = NULL;
}

/* Return: the calls the core must never make */
static inline unsigned int fakefwd_wrong(const struct fakefwd *fk)
{
	return fk->mixed + fk->remove_misses;
}

#endif /* S4N_TESTS_FAKEFWD_H */
