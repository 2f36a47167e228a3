/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-loop.c - unit tests for slirp4netns.c: the context's life cycle
 *
 * A context is created on a socketpair instead of a TAP device, libslirp
 * is given sockets through host forwards, and the context is freed again:
 * nothing it created may be left in glib's default main context, where a
 * source would fire later with a pointer to freed state.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>
#include <slirp/libslirp.h>

#include "slirp4netns.h"
#include "tests/taptest.h"

/* more host sockets than the loop's trim threshold (1024 closes) */
#define FORWARDS 1100

static void set_opts(struct s4n_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->target = "test";
	o->netns_type = S4N_NETNS_PATH; /* no target PID to watch */
	o->target_type = S4N_TARGET_NETNS;
	o->exit_fd = o->ready_fd = -1;
	o->mtu = 1500;
	inet_pton(AF_INET, "10.0.2.0", &o->vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &o->vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &o->vhost);
	inet_pton(AF_INET, "10.0.2.3", &o->vdns);
	inet_pton(AF_INET, "10.0.2.15", &o->vdhcp_start);
	inet_pton(AF_INET, "10.0.2.100", &o->vguest);
	o->prefix_len = 24;
}

static gboolean never(gpointer data)
{
	(void)data;
	return G_SOURCE_REMOVE;
}

/* sources still attached to the default context, by their ids: glib
 * numbers them in order */
static unsigned int sources_left(void)
{
	guint last = g_idle_add(never, NULL), id;
	unsigned int n = 0;

	for (id = 1; id < last; id++)
		if (g_main_context_find_source_by_id(NULL, id))
			n++;
	g_source_remove(last);
	return n;
}

/* Return: the soft limit of descriptors, raised as far as allowed */
static rlim_t raise_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur;
}

static void test_fini(void)
{
	struct s4n_opts o;
	struct s4n_ctx ctx = {0};
	struct in_addr lo, guest;
	int sp[2], i, added = 0;

	set_opts(&o);
	ctx.opts = &o;
	ok(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
		      sp) == 0,
	   "socketpair for the frames");
	ok(s4n_ctx_init(&ctx, sp[0]) == 0, "a context on the socketpair");
	inet_pton(AF_INET, "127.0.0.1", &lo);
	guest = o.vguest;
	for (i = 0; i < FORWARDS; i++)
		added +=
		    slirp_add_hostfwd(ctx.slirp, false, lo, 0, guest, 80) == 0;
	ok(added == FORWARDS, "%d host sockets in libslirp", added);
	s4n_ctx_fini(&ctx);
	ok(sources_left() == 0,
	   "after s4n_ctx_fini() no source is left in the main context");
	close(sp[1]);
}

int main(void)
{
	if (raise_limit() < FORWARDS + 64) {
		printf("1..0 # SKIP RLIMIT_NOFILE's hard limit is below %d\n",
		       FORWARDS + 64);
		return 77;
	}
	test_fini();
	return done_testing();
}
