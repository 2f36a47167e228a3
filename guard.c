/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guard.c - what a guest frame may not ask of libslirp
 *
 * Two checks on every frame from the guest, before libslirp sees it:
 *
 * Destinations. libslirp opens a host socket to whatever address a guest
 * packet names, and only translates (or, with disable_host_loopback,
 * refuses) its gateway address. A packet to 127.0.0.1, 0.0.0.0, ::1 or
 * ::ffff:127.0.0.1 written directly would so reach the host's loopback
 * services, which --disable-host-loopback promises to keep from the guest
 * (Podman and rootless Docker rely on it). No guest kernel routes these
 * to tap0 on its own: only crafted frames carry them, so they are dropped
 * with or without the option. Linux connects a socket to 0.0.0.0/8 or ::
 * as to the local host (see ip(7)), and an IPv4-mapped or -compatible
 * IPv6 address as to its IPv4 form.
 *
 * Neighbours. libslirp learns the guest's MACs from ARP (the sender of a
 * request or reply) and NDP (the source of a solicitation, the target of
 * an advertisement) without checking which address is claimed. A guest
 * that claims the gateway's or the DNS address, or a multicast MAC, would
 * make libslirp send its frames for those addresses astray. Real guest
 * kernels only announce their own unicast addresses, with the frame's
 * own source MAC, which is all that passes here.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <string.h>

#include "frame.h"
#include "guard.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ARP_LEN 28
#define PROTO_ICMPV6 58
#define NDP_RS 133
#define NDP_NS 135
#define NDP_NA 136
#define NDP_TARGET_OFF 8 /* in NS and NA, after type, code, sum, flags */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* 0.0.0.0/8 ("this host", RFC 1122 3.2.1.3) or 127.0.0.0/8 (loopback) */
static bool v4_local(const uint8_t *a)
{
	return a[0] == 0 || a[0] == 127;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* @a (16 bytes) reaches the host itself when connected to */
static bool v6_local(const uint8_t *a, bool no_host_loopback)
{
	static const uint8_t nat64[12] = {0x00, 0x64, 0xff, 0x9b};

	/* ::/96: ::, ::1 and the IPv4-compatible form (RFC 4291 2.5.5.1),
	 * which no guest has a reason to use */
	if (all_zero(a, 12))
		return true;
	/* ::ffff:0:0/96, IPv4-mapped (RFC 4291 2.5.5.2) */
	if (all_zero(a, 10) && a[10] == 0xff && a[11] == 0xff)
		return v4_local(a + 12);
	/* ::ffff:0:0:0/96, IPv4-translated (RFC 2765 2.1) */
	if (all_zero(a, 8) && a[8] == 0xff && a[9] == 0xff && !a[10] && !a[11])
		return v4_local(a + 12);
	/* 64:ff9b::/96 (RFC 6052): only a NAT64 on the host itself could
	 * take it there, but the option promises "however written" */
	if (no_host_loopback && !memcmp(a, nat64, sizeof(nat64)))
		return v4_local(a + 12);
	return false;
}

static bool mac_unicast(const uint8_t *m)
{
	return !(m[0] & 1) && !all_zero(m, 6);
}

static enum guard_verdict check_arp(const struct guard_net *n, const uint8_t *f,
				    size_t len)
{
	const uint8_t *arp = f + FRAME_ETH_LEN;
	struct in_addr spa;

	/* Ethernet/IPv4 only (RFC 826); libslirp reads these fields as if */
	if (len < FRAME_ETH_LEN + ARP_LEN || get16(arp) != 1 ||
	    get16(arp + 2) != ETHERTYPE_IPV4 || arp[4] != 6 || arp[5] != 4)
		return GUARD_BAD_NEIGH;
	if (memcmp(arp + 8, f + 6, 6) || !mac_unicast(arp + 8))
		return GUARD_BAD_NEIGH;
	memcpy(&spa, arp + 14, 4);
	if (spa.s_addr == 0) /* a probe (RFC 5227): teaches nothing */
		return GUARD_PASS;
	if ((spa.s_addr & n->mask.s_addr) != n->net.s_addr ||
	    spa.s_addr == n->net.s_addr ||
	    spa.s_addr == (n->net.s_addr | ~n->mask.s_addr) ||
	    spa.s_addr == n->host.s_addr || spa.s_addr == n->dns.s_addr)
		return GUARD_BAD_NEIGH;
	return GUARD_PASS;
}

/* libslirp's own link-local address: the source of its router
 * advertisements, the guest's default router (LINKLOCAL_ADDR in libslirp) */
static const uint8_t slirp_ll6[16] = {0xfe, 0x80, [15] = 0x02};

/* the address an NDP message from the guest makes libslirp learn */
static enum guard_verdict check_ndp(const struct guard_net *n, const uint8_t *f,
				    size_t len)
{
	const uint8_t *ip = f + FRAME_ETH_LEN;
	const uint8_t *icmp = ip + FRAME_IP6_LEN;
	const uint8_t *claim;

	if (ip[6] != PROTO_ICMPV6 || len < FRAME_ETH_LEN + FRAME_IP6_LEN + 1)
		return GUARD_PASS;
	switch (icmp[0]) {
	case NDP_RS:
	case NDP_NS:
		claim = ip + 8; /* the source address */
		break;
	case NDP_NA:
		if (len < FRAME_ETH_LEN + FRAME_IP6_LEN + NDP_TARGET_OFF + 16)
			return GUARD_BAD_NEIGH;
		claim = icmp + NDP_TARGET_OFF;
		break;
	default:
		return GUARD_PASS;
	}
	if (!mac_unicast(f + 6))
		return GUARD_BAD_NEIGH;
	if (claim[0] == 0xff || !memcmp(claim, &n->host6, 16) ||
	    !memcmp(claim, &n->dns6, 16) || !memcmp(claim, slirp_ll6, 16))
		return GUARD_BAD_NEIGH;
	return GUARD_PASS;
}

enum guard_verdict guard_check(const struct guard_net *n, const uint8_t *f,
			       size_t len)
{
	if (len < FRAME_ETH_LEN)
		return GUARD_PASS; /* too short for anyone: tap.c drops it */
	switch (get16(f + 12)) {
	case ETHERTYPE_IPV4:
		if (len >= FRAME_ETH_LEN + FRAME_IP4_LEN &&
		    v4_local(f + FRAME_ETH_LEN + 16))
			return GUARD_BAD_DEST;
		return GUARD_PASS;
	case ETHERTYPE_IPV6:
		if (len < FRAME_ETH_LEN + FRAME_IP6_LEN)
			return GUARD_PASS;
		if (v6_local(f + FRAME_ETH_LEN + 24, n->no_host_loopback))
			return GUARD_BAD_DEST;
		return check_ndp(n, f, len);
	case ETHERTYPE_ARP:
		return check_arp(n, f, len);
	default:
		return GUARD_PASS;
	}
}
