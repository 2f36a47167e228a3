/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guard.h - what a guest frame may not ask of libslirp
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_GUARD_H
#define S4N_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/*
 * struct guard_net - the virtual network's own addresses, network byte
 * order, as the daemon was started with them
 */
struct guard_net {
	struct in_addr net, mask, host, dns;
	struct in6_addr host6, dns6;
	bool no_host_loopback; /* --disable-host-loopback */
};

enum guard_verdict {
	GUARD_PASS = 0,
	GUARD_BAD_DEST,	 /* a destination that is never valid */
	GUARD_BAD_NEIGH, /* ARP/NDP claiming the network's own addresses */
};

/**
 * guard_check() - whether one frame from the guest may reach libslirp.
 * Called by tap.c for every frame, fragments included, before anything
 * else looks at it.
 *
 * Dropped as GUARD_BAD_DEST: IPv4 to 0.0.0.0/8 or 127.0.0.0/8; IPv6 to
 * ::/96 (::, ::1, IPv4-compatible), or to an IPv4-mapped or -translated
 * address in one of those IPv4 ranges; with --disable-host-loopback also
 * the NAT64 well-known prefix embedding them. A host socket connected to
 * any of these reaches the host's loopback, whatever libslirp's
 * disable_host_loopback says (it only knows the gateway's address).
 *
 * Dropped as GUARD_BAD_NEIGH: ARP that is malformed, whose sender MAC is
 * not the frame's unicast source, or whose sender IPv4 address is the
 * gateway, DNS, network or broadcast address or outside the network; NDP
 * solicitations and advertisements that would teach libslirp a MAC for
 * the gateway, DNS, libslirp's link-local router address (fe80::2), a
 * multicast address, or a multicast MAC.
 *
 * Return: GUARD_PASS, or why the frame is dropped.
 */
enum guard_verdict guard_check(const struct guard_net *n, const uint8_t *f,
			       size_t len);

#endif /* S4N_GUARD_H */
