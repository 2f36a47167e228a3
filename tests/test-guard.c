/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-guard.c - unit tests for guard.c (destinations, ARP/NDP) and for
 * slirplog.c's rate limit
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>

#include "guard.h"
#include "slirplog.h"
#include "tests/taptest.h"

static struct guard_net net;
static uint8_t f[200];
static const uint8_t guest_mac[6] = {0x02, 0, 0, 0, 0, 0x10};

static void setup(bool no_host_loopback)
{
	inet_pton(AF_INET, "10.0.2.0", &net.net);
	inet_pton(AF_INET, "255.255.255.0", &net.mask);
	inet_pton(AF_INET, "10.0.2.2", &net.host);
	inet_pton(AF_INET, "10.0.2.3", &net.dns);
	inet_pton(AF_INET6, "fd00::2", &net.host6);
	inet_pton(AF_INET6, "fd00::3", &net.dns6);
	net.no_host_loopback = no_host_loopback;
}

static size_t ip4_to(const char *dst)
{
	memset(f, 0, sizeof(f));
	memcpy(f + 6, guest_mac, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 40;
	f[23] = 6;
	inet_pton(AF_INET, "10.0.2.100", f + 26);
	inet_pton(AF_INET, dst, f + 30);
	return 14 + 40;
}

static size_t ip6_to(const char *dst)
{
	memset(f, 0, sizeof(f));
	memcpy(f + 6, guest_mac, 6);
	f[12] = 0x86, f[13] = 0xdd;
	f[14] = 0x60;
	f[19] = 20;
	f[20] = 17;
	inet_pton(AF_INET6, "fd00::100", f + 22);
	inet_pton(AF_INET6, dst, f + 38);
	return 14 + 40 + 20;
}

static void test_destinations(void)
{
	static const char *const bad4[] = {
	    "127.0.0.1", "127.0.0.2", "127.255.255.254", "0.0.0.0", "0.1.2.3"};
	static const char *const bad6[] = {
	    "::1",
	    "::",
	    "::ffff:127.0.0.1",
	    "::ffff:0.0.0.0",
	    "::127.0.0.1",
	    "::ffff:0:127.0.0.1",
	    "::ffff:127.1.2.3",
	    "::ffff:0:0.0.0.0",
	};
	static const char *const good4[] = {"10.0.2.2", "10.0.2.3", "192.0.2.1",
					    "128.0.0.1", "255.255.255.255"};
	static const char *const good6[] = {
	    "fd00::2", "2001:db8::1", "::ffff:192.0.2.1",
	    "ff02::1", "fe80::1",     "64:ff9b::7f00:1"};
	size_t i, len;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		setup(pass);
		for (i = 0; i < G_N_ELEMENTS(bad4); i++) {
			len = ip4_to(bad4[i]);
			ok(guard_check(&net, f, len) == GUARD_BAD_DEST,
			   "%s%s dropped", bad4[i], pass ? " (-L)" : "");
		}
		for (i = 0; i < G_N_ELEMENTS(bad6); i++) {
			len = ip6_to(bad6[i]);
			ok(guard_check(&net, f, len) == GUARD_BAD_DEST,
			   "%s%s dropped", bad6[i], pass ? " (-L)" : "");
		}
		for (i = 0; i < G_N_ELEMENTS(good4); i++) {
			len = ip4_to(good4[i]);
			ok(guard_check(&net, f, len) == GUARD_PASS,
			   "%s%s passes", good4[i], pass ? " (-L)" : "");
		}
		for (i = 0; i < G_N_ELEMENTS(good6) - pass; i++) {
			len = ip6_to(good6[i]);
			ok(guard_check(&net, f, len) == GUARD_PASS,
			   "%s%s passes", good6[i], pass ? " (-L)" : "");
		}
	}
	len = ip6_to("64:ff9b::7f00:1");
	ok(guard_check(&net, f, len) == GUARD_BAD_DEST,
	   "NAT64 form of 127.0.0.1 dropped with --disable-host-loopback");
	len = ip4_to("127.0.0.1");
	ok(guard_check(&net, f, 14 + 19) == GUARD_PASS,
	   "a runt is left to libslirp");
}

static size_t arp(uint16_t op, const char *sip, const uint8_t *sha)
{
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, guest_mac, 6);
	f[12] = 0x08, f[13] = 0x06;
	f[15] = 1;		 /* Ethernet */
	f[16] = 0x08, f[17] = 0; /* IPv4 */
	f[18] = 6, f[19] = 4;
	f[21] = (uint8_t)op;
	memcpy(f + 22, sha, 6);
	inet_pton(AF_INET, sip, f + 28);
	inet_pton(AF_INET, "10.0.2.2", f + 38);
	return 14 + 28;
}

static void test_arp(void)
{
	static const uint8_t mcast[6] = {0x01, 0, 0x5e, 0, 0, 1};
	static const char *const bad[] = {"10.0.2.2",  "10.0.2.3",
					  "10.0.2.0",  "10.0.2.255",
					  "192.0.2.1", "127.0.0.1"};
	size_t i, len;

	setup(false);
	len = arp(1, "10.0.2.100", guest_mac);
	ok(guard_check(&net, f, len) == GUARD_PASS, "a request from the guest");
	len = arp(2, "10.0.2.100", guest_mac);
	ok(guard_check(&net, f, len) == GUARD_PASS, "a reply from the guest");
	len = arp(1, "0.0.0.0", guest_mac);
	ok(guard_check(&net, f, len) == GUARD_PASS, "a probe");
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		len = arp(2, bad[i], guest_mac);
		ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH,
		   "a reply claiming %s", bad[i]);
	}
	len = arp(2, "10.0.2.100", mcast);
	memcpy(f + 6, mcast, 6);
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "a multicast MAC");
	len = arp(2, "10.0.2.100", guest_mac);
	f[22 + 5] ^= 1;
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH,
	   "a sender MAC that is not the frame's");
	len = arp(2, "10.0.2.100", guest_mac);
	ok(guard_check(&net, f, len - 1) == GUARD_BAD_NEIGH, "a short ARP");
	f[19] = 16;
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "not Ethernet/IPv4");
}

static size_t ndp(uint8_t type, const char *src, const char *target)
{
	size_t len = ip6_to("ff02::1");

	f[20] = 58;
	f[19] = 24;
	inet_pton(AF_INET6, src, f + 22);
	f[54] = type;
	inet_pton(AF_INET6, target, f + 54 + 8);
	return len + 4;
}

static void test_ndp(void)
{
	size_t len;

	setup(false);
	len = ndp(135, "fd00::100", "fd00::2");
	ok(guard_check(&net, f, len) == GUARD_PASS, "NS from the guest");
	len = ndp(135, "::", "fd00::100");
	ok(guard_check(&net, f, len) == GUARD_PASS, "DAD");
	len = ndp(136, "fd00::100", "fd00::100");
	ok(guard_check(&net, f, len) == GUARD_PASS, "NA for the guest");
	len = ndp(136, "fd00::100", "fd00::2");
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "NA for the gateway");
	len = ndp(136, "fd00::100", "fd00::3");
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "NA for the DNS");
	len = ndp(136, "fe80::1", "fe80::2");
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH,
	   "NA for libslirp's link-local router address");
	len = ndp(136, "fd00::100", "ff02::1");
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "NA for multicast");
	len = ndp(135, "fd00::2", "fd00::100");
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "NS from the gateway");
	len = ndp(133, "fd00::3", "::");
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "RS from the DNS");
	len = ndp(135, "fd00::100", "fd00::2");
	f[6] |= 1;
	ok(guard_check(&net, f, len) == GUARD_BAD_NEIGH, "multicast source");
	len = ndp(136, "fd00::100", "fd00::100");
	ok(guard_check(&net, f, 14 + 40 + 10) == GUARD_BAD_NEIGH, "short NA");
}

static void test_slirplog(void)
{
	struct slirplog_limiter l;
	uint64_t n = 99;
	int64_t t = 1000;
	int i, printed = 0;

	memset(&l, 0, sizeof(l));
	ok(slirplog_allow(&l, "external icmpv6 not supported yet", t, &n) &&
	       n == 0,
	   "the first line is printed");
	for (i = 0; i < 100000; i++)
		printed += slirplog_allow(
		    &l, "external icmpv6 not supported yet", t + i, &n);
	ok(printed == 0, "100000 more within the interval: none printed");
	ok(slirplog_allow(&l, "udp tx errno = 11-x", t, &n),
	   "another kind still is");
	ok(!slirplog_allow(&l, "udp tx errno = 13-x", t + 1, &n),
	   "numbers do not make a new kind");
	ok(slirplog_allow(&l, "external icmpv6 not supported yet",
			  t + SLIRPLOG_INTERVAL_US, &n) &&
	       n == 100000,
	   "after the interval: printed with the count (%llu)",
	   (unsigned long long)n);
	for (i = 0; i < 3 * SLIRPLOG_KINDS; i++) {
		char m[32];

		snprintf(m, sizeof(m), "kind %c", 'A' + i);
		ok(slirplog_allow(&l, m, t + SLIRPLOG_INTERVAL_US, &n),
		   "new kind %d printed", i);
	}
	ok(slirplog_from_guest("external icmpv6 not supported yet") &&
	       slirplog_from_guest("Guest sent bad DHCPv6 packet!") &&
	       slirplog_from_guest("Warning: guest sent NDP RA, but shouldn't"),
	   "guest-caused messages recognised");
	ok(!slirplog_from_guest("Failed to send packet, ret: -5"),
	   "others are not");
}

int main(void)
{
	test_destinations();
	test_arp();
	test_ndp();
	test_slirplog();
	return done_testing();
}
