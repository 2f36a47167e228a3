/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-frame.c - fuzz target: guest frames through tap_input() into libslirp
 * (and the TCP path's segment parser)
 *
 * The input is one Ethernet frame as a guest would write it to the TAP
 * device. libslirp runs in restricted mode, inside a fresh network
 * namespace when the kernel lets us make one, so that no fuzzed frame can
 * make it send anything beyond this process.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <slirp/libslirp.h>

#include "frame.h"
#include "slirp4netns.h"
#include "tap.h"
#include "tcpseg.h"

const char fuzz_corpus_name[] = "frame";

static struct s4n_stats stats;
static struct s4n_tap *tap;
static Slirp *slirp;
static int64_t fake_ns;

static ssize_t send_packet(const void *buf, size_t len, void *opaque)
{
	(void)buf;
	(void)opaque;
	return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
	(void)msg;
	(void)opaque;
}

static int64_t clock_get_ns(void *opaque)
{
	(void)opaque;
	return fake_ns;
}

static void *timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	(void)id;
	(void)cb_opaque;
	(void)opaque;
	return malloc(1);
}

static void timer_free(void *timer, void *opaque)
{
	(void)opaque;
	free(timer);
}

static void timer_mod(void *timer, int64_t expire, void *opaque)
{
	(void)timer;
	(void)expire;
	(void)opaque;
}

static void poll_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void notify(void *opaque)
{
	(void)opaque;
}

static int add_poll(int fd, int events, void *opaque)
{
	(void)events;
	(void)opaque;
	return fd;
}

static int get_revents(int idx, void *opaque)
{
	(void)idx;
	(void)opaque;
	return 0;
}

static const SlirpCb callbacks = {
    .send_packet = send_packet,
    .guest_error = guest_error,
    .clock_get_ns = clock_get_ns,
    .timer_free = timer_free,
    .timer_mod = timer_mod,
    .register_poll_fd = poll_fd,
    .unregister_poll_fd = poll_fd,
    .notify = notify,
    .timer_new_opaque = timer_new_opaque,
};

static void init(void)
{
	struct guard_net net;
	SlirpConfig cfg = {
	    .version = 4,
	    .restricted = 1,
	    .in_enabled = true,
	    .in6_enabled = true,
	    .vprefix_len = 64,
	    .if_mtu = 1500,
	    .if_mru = 1500,
	    .disable_host_loopback = true,
	};

	if (unshare(CLONE_NEWNET) < 0)
		(void)unshare(CLONE_NEWUSER | CLONE_NEWNET);
	inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
	inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
	inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
	inet_pton(AF_INET6, "fd00::", &cfg.vprefix_addr6);
	inet_pton(AF_INET6, "fd00::2", &cfg.vhost6);
	inet_pton(AF_INET6, "fd00::3", &cfg.vnameserver6);
	net = (struct guard_net){.net = cfg.vnetwork,
				 .mask = cfg.vnetmask,
				 .host = cfg.vhost,
				 .dns = cfg.vnameserver,
				 .host6 = cfg.vhost6,
				 .dns6 = cfg.vnameserver6,
				 .no_host_loopback = true};
	slirp = slirp_new(&cfg, &callbacks, NULL);
	tap = tap_new(-1, 1500, &stats, NULL);
	tap_set_net(tap, &net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the offload helpers tap.c runs on frames, on a copy of the input */
static void fuzz_offload(const uint8_t *data, size_t size)
{
	static uint8_t f[70000], out[1600];
	struct virtio_net_hdr vh;
	struct tcpseg seg;
	uint8_t hdrs[200];
	size_t pos = 0;
	int guard = 0;

	if (size > sizeof(f))
		return;
	memcpy(f, data, size);
	if (size >= 4)
		(void)frame_complete_csum(f, size,
					  (size_t)(data[0] << 8 | data[1]),
					  (size_t)(data[2] << 8 | data[3]));
	/* the TCP path's parser (tcp.c runs it on every frame first) */
	(void)tcpseg_parse(data, size, &seg);
	memcpy(f, data, size);
	(void)frame_adjust_mss(f, size, 65480, true);
	(void)frame_tcp_rst(f, size, out, sizeof(out));
	(void)frame_gso_prepare(f, size, 1500, &vh, hdrs, sizeof(hdrs));
	while (frame_fragment4(f, size, 1500, &pos, out, sizeof(out)) > 0 &&
	       guard++ < 100)
		;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t timeout = UINT32_MAX;

	if (!slirp)
		init();
	fuzz_offload(data, size);
	/* Fragments too: reasm.c keeps them from libslirp, whose own
	 * reassembly crashed within seconds of fuzzing (issue 15). They
	 * accumulate across inputs, as a guest's would. */
	(void)tap_input(tap, slirp, data, size);
	/* let libslirp run its timers and output queue as the loop would */
	fake_ns += 10 * 1000 * 1000;
	slirp_pollfds_fill(slirp, &timeout, add_poll, NULL);
	slirp_pollfds_poll(slirp, 0, get_revents, NULL);
	return 0;
}
