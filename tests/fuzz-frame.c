/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-frame.c - fuzz target: guest frames through the daemon's own frame
 * path, into libslirp and back out to the guest (and the TCP path's
 * segment parser)
 *
 * The input is one Ethernet frame as a guest would write it to the TAP
 * device. The daemon's context is created as main() creates it
 * (s4n_ctx_init()), so that what libslirp answers goes out through the
 * daemon's send_packet callback and tap_send(), with its offloads: on a
 * real TAP device with virtio-net headers where this process may make one,
 * else on a socketpair. Everything runs in a fresh network namespace, so
 * that no fuzzed frame can make libslirp reach beyond this process; where
 * none can be made, the target does not run.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_tun.h>

#include <glib.h>
#include <slirp/libslirp.h>

#include "bridge.h"
#include "frame.h"
#include "slirp4netns.h"
#include "rfwd.h"
#include "tap.h"
#include "tcpseg.h"

const char fuzz_corpus_name[] = "frame";

static struct s4n_opts opts;
static struct s4n_ctx ctx;
static int peer = -1; /* the socketpair's other end, without a TAP */

static void set_opts(struct s4n_opts *o)
{
	o->target = "/proc/self/ns/net";
	o->tapname = "tap0";
	o->netns_type = S4N_NETNS_PATH; /* no target PID to watch */
	o->target_type = S4N_TARGET_NETNS;
	o->exit_fd = o->ready_fd = -1;
	o->mtu = 1500;
	o->enable_ipv6 = true;
	o->disable_host_loopback = true;
	inet_pton(AF_INET, "10.0.2.0", &o->vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &o->vnetmask);
	o->prefix_len = 24;
	inet_pton(AF_INET, "10.0.2.2", &o->vhost);
	inet_pton(AF_INET, "10.0.2.3", &o->vdns);
	inet_pton(AF_INET, "10.0.2.15", &o->vdhcp_start);
	inet_pton(AF_INET, "10.0.2.30", &o->vdhcp_end);
	inet_pton(AF_INET, "10.0.2.100", &o->vguest);
	inet_pton(AF_INET6, "fd00::", &o->vprefix6);
	o->prefix6_len = 64;
	inet_pton(AF_INET6, "fd00::2", &o->vhost6);
	inet_pton(AF_INET6, "fd00::3", &o->vdns6);
	inet_pton(AF_INET6, "fd00::100", &o->vguest6);
}

/* a TAP device with virtio-net headers, up, in our namespace; or -1 */
static int open_tap(void)
{
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR};
	int fd, s;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	strcpy(ifr.ifr_name, "tap0");
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return -1;
	}
	/* up, so that the kernel takes the frames (and checks the GSO
	 * ones) instead of failing every write with EIO */
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		(void)ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (s >= 0)
		close(s);
	/* No IPv6 address on tap0 from libslirp's router advertisements:
	 * with one, every fuzzed SYN to an IPv6 address became a socket in
	 * SYN-SENT for minutes, and within seconds the process had no
	 * descriptor left, not even for LeakSanitizer.  Connections from the
	 * namespace now fail at once, as IPv4's do (no address, no route). */
	s = open("/proc/sys/net/ipv6/conf/tap0/disable_ipv6",
		 O_WRONLY | O_CLOEXEC);
	if (s >= 0) {
		(void)!write(s, "1", 1);
		close(s);
	}
	return fd;
}

/* Remote forwards, so that their ARP and NDP answers (bridge.c's, in
 * front of libslirp) and the TCP path's redirect see fuzzed frames. Their
 * targets fail at once in the empty namespace: each SYN gets a reset. */
static void add_forwards(void)
{
	static const char *const fwds[] = {
	    "10.0.2.50:80-127.0.0.1:1",
	    "[fd00::50]:80-[::1]:1",
	    "[fd00::2]:81-unix:/nonexistent/fuzz.sock",
	};
	struct rfwd_spec s;
	const char *why;

	for (size_t i = 0; i < sizeof(fwds) / sizeof(fwds[0]); i++)
		if (rfwd_parse(fwds[i], &opts, &s, &why) < 0 ||
		    bridge_add(&ctx, &s, &why) < 0)
			abort();
}

static void init(void)
{
	int sp[2], fd;

	if (unshare(CLONE_NEWNET) < 0 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
		/* libslirp would open sockets in the host's network */
		printf("1..0 # SKIP cannot make a network namespace\n");
		exit(0);
	}
	set_opts(&opts);
	ctx.opts = &opts;
	fd = open_tap();
	if (fd < 0) {
		if (socketpair(AF_UNIX,
			       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
			       sp) < 0)
			abort();
		fd = sp[0];
		peer = sp[1];
	}
	if (s4n_ctx_init(&ctx, fd) < 0)
		abort();
	add_forwards();
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

/* what the guest would read: thrown away, so that writes do not stop */
static void drain(void)
{
	char buf[2048];

	if (peer >= 0)
		while (recv(peer, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int i;

	if (!ctx.slirp)
		init();
	fuzz_offload(data, size);
	/* Fragments too: reasm.c keeps them from libslirp, whose own
	 * reassembly crashed within seconds of fuzzing (issue 15). They
	 * accumulate across inputs, as a guest's would. libslirp's answers
	 * go out through the daemon's send_packet and tap_send(). */
	(void)tap_input(ctx.tap, ctx.slirp, data, size);
	/* the daemon's own loop: libslirp's fill, poll, timers and output
	 * queue, the TCP path's timers */
	for (i = 0; i < 2; i++)
		(void)g_main_context_iteration(NULL, FALSE);
	drain();
	return 0;
}
