/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-rfwd.c - unit tests for rfwd.c: --guestfwd syntax, the address
 * checks, the table, and the gateway rewrite with its checksums
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "options.h"
#include "rfwd.h"
#include "tests/taptest.h"

static struct s4n_opts opts;

static void setup(bool v6)
{
	char *argv6[] = {(char *)"slirp4netns", (char *)"-6", (char *)"1",
			 NULL};
	char *argv4[] = {(char *)"slirp4netns", (char *)"1", NULL};
	enum opts_action act;
	char err[256];

	if (v6)
		opts_parse(3, argv6, &opts, &act, err, sizeof(err));
	else
		opts_parse(2, argv4, &opts, &act, err, sizeof(err));
}

static const char *check_str(const char *arg, const struct rfwd_table *t)
{
	struct rfwd_spec s;
	const char *why = NULL;

	if (rfwd_parse(arg, &opts, &s, &why) < 0)
		return why;
	return rfwd_check(&opts, t, &s);
}

static void test_parse(void)
{
	struct rfwd_spec s;
	const char *why;
	char buf[INET6_ADDRSTRLEN];

	setup(true);
	ok(rfwd_parse("5432-127.0.0.1:5433", &opts, &s, &why) == 0 &&
	       s.guest.sa.sa_family == AF_INET &&
	       s.guest.in.sin_addr.s_addr == opts.vhost.s_addr &&
	       rfwd_guest_port(&s) == 5432 && rfwd_host_port(&s) == 5433 &&
	       !s.path[0],
	   "parse: GUEST_PORT-HOST:PORT, guest defaults to the gateway");
	ok(rfwd_parse("10.0.2.50:80-[::1]:8080", &opts, &s, &why) == 0 &&
	       s.host.sa.sa_family == AF_INET6 && rfwd_host_port(&s) == 8080,
	   "parse: IPv6 host in brackets");
	ok(rfwd_parse("[fd00::50]:80-unix:/run/a-b.sock", &opts, &s, &why) ==
		   0 &&
	       s.guest.sa.sa_family == AF_INET6 &&
	       !strcmp(s.path, "/run/a-b.sock") &&
	       !strcmp(inet_ntop(AF_INET6, &s.guest.in6.sin6_addr, buf,
				 sizeof(buf)),
		       "fd00::50"),
	   "parse: IPv6 guest, UNIX target with a dash");
	ok(rfwd_parse("80", &opts, &s, &why) == -EINVAL, "parse: no target");
	ok(rfwd_parse("80-127.0.0.1", &opts, &s, &why) == -EINVAL,
	   "parse: no host port");
	ok(rfwd_parse("70000-127.0.0.1:1", &opts, &s, &why) == -EINVAL,
	   "parse: port out of range");
	ok(rfwd_parse("fd00::1:80-127.0.0.1:1", &opts, &s, &why) == -EINVAL,
	   "parse: IPv6 guest without brackets");
	ok(rfwd_parse("80-unix:", &opts, &s, &why) == -EINVAL,
	   "parse: empty path");
}

static void test_check(void)
{
	struct rfwd_table *t = rfwd_table_new();
	struct rfwd_spec s;
	const char *why;

	setup(false);
	ok(check_str("10.0.2.2:80-127.0.0.1:1", NULL) == NULL,
	   "check: gateway is fine");
	ok(check_str("10.0.2.50:80-127.0.0.1:1", NULL) == NULL,
	   "check: a free address is fine");
	is_str(check_str("10.0.2.3:80-127.0.0.1:1", NULL),
	       "guest_addr is the DNS address", "check: DNS");
	is_str(check_str("10.0.2.100:80-127.0.0.1:1", NULL),
	       "guest_addr is the guest's address", "check: guest");
	is_str(check_str("10.0.2.15:80-127.0.0.1:1", NULL),
	       "guest_addr is in the DHCP range", "check: DHCP start");
	is_str(check_str("10.0.2.30:80-127.0.0.1:1", NULL),
	       "guest_addr is in the DHCP range", "check: DHCP end");
	ok(check_str("10.0.2.31:80-127.0.0.1:1", NULL) == NULL,
	   "check: DHCP end + 1 is fine");
	is_str(check_str("10.0.2.255:80-127.0.0.1:1", NULL),
	       "guest_addr is the network or broadcast address",
	       "check: broadcast");
	ok(check_str("10.0.2.254:80-127.0.0.1:1", NULL) != NULL,
	   "check: the gateway's stand-in is reserved");
	is_str(check_str("10.0.3.2:80-127.0.0.1:1", NULL),
	       "guest_addr is outside the virtual network", "check: outside");
	is_str(check_str("[fd00::50]:80-127.0.0.1:1", NULL),
	       "guest_addr is IPv6 and IPv6 is not enabled (-6)",
	       "check: IPv6 without -6");
	is_str(check_str("80-unix:rel", NULL),
	       "host_socket is not an absolute path", "check: relative path");

	rfwd_parse("10.0.2.50:80-127.0.0.1:1", &opts, &s, &why);
	ok(rfwd_table_add(t, &s, NULL)->id == 1, "table: first id is 1");
	is_str(check_str("10.0.2.50:80-unix:/x", t),
	       "another forward has this guest_addr and guest_port",
	       "check: same address and port");
	ok(check_str("10.0.2.50:81-unix:/x", t) == NULL,
	   "check: same address, other port");
	rfwd_parse("10.0.2.50:81-127.0.0.1:1", &opts, &s, &why);
	ok(rfwd_table_add(t, &s, NULL)->id == 2, "table: ids go up");
	ok(rfwd_table_remove(t, 1) == 0 && rfwd_table_remove(t, 1) == -ENOENT,
	   "table: remove once");
	ok(rfwd_table_add(t, &s, NULL)->id == 3, "table: ids are not reused");
	ok(rfwd_table_len(t) == 2 && rfwd_table_find(t, 3) &&
	       !rfwd_table_find(t, 1),
	   "table: find");
	rfwd_table_free(t);

	setup(true);
	ok(check_str("[fd00::2]:80-127.0.0.1:1", NULL) == NULL,
	   "check6: gateway is fine");
	is_str(check_str("[fd00::3]:80-127.0.0.1:1", NULL),
	       "guest_addr is the DNS address", "check6: DNS");
	is_str(check_str("[fd00::100]:80-127.0.0.1:1", NULL),
	       "guest_addr is the guest's address", "check6: guest");
	is_str(check_str("[fd01::2]:80-127.0.0.1:1", NULL),
	       "guest_addr is outside the virtual network", "check6: outside");
	is_str(check_str("[fd00::]:80-127.0.0.1:1", NULL),
	       "guest_addr is the network address", "check6: network");
	is_str(check_str("[fd00::fdff:ffff:ffff:ff80]:80-127.0.0.1:1", NULL),
	       "guest_addr is a reserved subnet anycast address",
	       "check6: first subnet anycast address (RFC 2526)");
	is_str(check_str("[fd00::fdff:ffff:ffff:ffff]:80-127.0.0.1:1", NULL),
	       "guest_addr is a reserved subnet anycast address",
	       "check6: last subnet anycast address");
	ok(check_str("[fd00::fdff:ffff:ffff:ff7f]:80-127.0.0.1:1", NULL) ==
	       NULL,
	   "check6: the address below them is fine");
	ok(check_str("[fd00::50]:80-[::1]:5432", NULL) == NULL,
	   "check6: a free address is fine");
}

/* full one's complement sum of @len bytes, for checking the rewrite */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t s)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* a TCP frame src:sport -> dst:dport with a payload, checksums right */
static size_t make_frame(uint8_t *f, const char *src, uint16_t sport,
			 const char *dst, uint16_t dport)
{
	uint8_t *ip = f + 14, *tcp = ip + 20;
	size_t tlen = 20 + 5;
	uint32_t s;

	memset(f, 0, 14 + 20 + tlen);
	f[12] = 0x08;
	ip[0] = 0x45;
	ip[3] = (uint8_t)(20 + tlen);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	s = fold(sum16(ip, 20, 0));
	ip[10] = (uint8_t)(s >> 8);
	ip[11] = (uint8_t)s;
	tcp[0] = (uint8_t)(sport >> 8);
	tcp[1] = (uint8_t)sport;
	tcp[2] = (uint8_t)(dport >> 8);
	tcp[3] = (uint8_t)dport;
	tcp[12] = 0x50;
	tcp[13] = 0x18;
	memcpy(tcp + 20, "hello", 5);
	s = sum16(ip + 12, 8, 6 + (uint32_t)tlen);
	s = fold(sum16(tcp, tlen, s));
	tcp[16] = (uint8_t)(s >> 8);
	tcp[17] = (uint8_t)s;
	return 14 + 20 + tlen;
}

static bool csums_ok(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + 14;
	uint32_t s = sum16(ip + 12, 8, 6 + (uint32_t)(len - 34));

	return fold(sum16(ip, 20, 0)) == 0 &&
	       fold(sum16(ip + 20, len - 34, s)) == 0;
}

static void test_nat(void)
{
	struct rfwd_nat n = {0};
	uint8_t f[128], out[128];
	size_t len;

	setup(false);
	n.gw = opts.vhost;
	n.hidden = rfwd_hidden4(&opts);
	n.ports[n.n++] = htons(5432);
	len = make_frame(f, "10.0.2.100", 40000, "10.0.2.2", 5432);
	ok(csums_ok(f, len), "nat: test frame is valid");
	ok(rfwd_nat_in(&n, f, len) && !memcmp(f + 30, &n.hidden, 4) &&
	       csums_ok(f, len),
	   "nat in: gateway:5432 becomes the stand-in, checksums right");
	len = make_frame(f, "10.0.2.2", 5433, "10.0.2.100", 40000);
	ok(!rfwd_nat_in(&n, f, len), "nat in: other ports untouched");
	len = make_frame(f, "10.0.2.254", 5432, "10.0.2.100", 40000);
	ok(rfwd_nat_out(&n, f, len, out, sizeof(out)) &&
	       !memcmp(out + 26, &n.gw, 4) && csums_ok(out, len),
	   "nat out: the stand-in becomes the gateway, checksums right");
	ok(!rfwd_nat_out(&n, f, len, out, 10), "nat out: short buffer");
	f[14 + 6] |= 0x20; /* MF */
	ok(!rfwd_nat_out(&n, f, len, out, sizeof(out)),
	   "nat out: fragments untouched");
	ok(!rfwd_nat_in(&n, f, 20), "nat in: truncated frame untouched");
	n.n = 0;
	len = make_frame(f, "10.0.2.100", 40000, "10.0.2.2", 5432);
	ok(!rfwd_nat_in(&n, f, len), "nat in: no forwards, untouched");
}

static void test_match(void)
{
	struct rfwd_table *t = rfwd_table_new();
	struct rfwd_spec s;
	const char *why;
	uint8_t a4[4], a6[16];

	setup(true);
	rfwd_parse("10.0.2.50:80-127.0.0.1:1", &opts, &s, &why);
	rfwd_table_add(t, &s, NULL);
	rfwd_parse("[fd00::50]:80-unix:/x", &opts, &s, &why);
	rfwd_table_add(t, &s, NULL);
	inet_pton(AF_INET, "10.0.2.50", a4);
	inet_pton(AF_INET6, "fd00::50", a6);
	ok(rfwd_table_match(t, false, a4, 80) &&
	       rfwd_table_match(t, false, a4, 80)->id == 1,
	   "match: IPv4 address and port");
	ok(rfwd_table_match(t, true, a6, 80) &&
	       rfwd_table_match(t, true, a6, 80)->id == 2,
	   "match: IPv6 address and port");
	ok(!rfwd_table_match(t, false, a4, 81), "match: other port");
	ok(!rfwd_table_match(t, true, a6, 81), "match: other IPv6 port");
	a6[15] = 0x51;
	ok(!rfwd_table_match(t, true, a6, 80), "match: other IPv6 address");
	ok(!rfwd_table_match(NULL, true, a6, 80), "match: no table");
	rfwd_table_free(t);
}

static const uint8_t gmac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t hmac[6] = {0x52, 0x55, 10, 0, 2, 2};

/* an ARP request from the guest (10.0.2.100) for @tpa */
static size_t make_arp(uint8_t *f, const char *tpa)
{
	static const uint8_t head[] = {0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};

	memset(f, 0xff, 6);
	memcpy(f + 6, gmac, 6);
	memcpy(f + 12, head, sizeof(head));
	memcpy(f + 22, gmac, 6);
	inet_pton(AF_INET, "10.0.2.100", f + 28);
	memset(f + 32, 0, 6);
	inet_pton(AF_INET, tpa, f + 38);
	return 42;
}

/* a neighbour solicitation from @src (or ::) for @target */
static size_t make_ns(uint8_t *f, const char *src, const char *target)
{
	uint8_t *ip = f + 14, *ns = ip + 40;
	uint32_t s;
	int i;

	memset(f, 0, 14 + 40 + 32);
	f[0] = 0x33;
	f[1] = 0x33;
	f[2] = 0xff;
	memcpy(f + 6, gmac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	ip[0] = 0x60;
	ip[5] = 32;
	ip[6] = 58;
	ip[7] = 255;
	inet_pton(AF_INET6, src, ip + 8);
	inet_pton(AF_INET6, "ff02::1:ff00:0", ip + 24);
	inet_pton(AF_INET6, target, ns + 8);
	for (i = 0; i < 3; i++)
		ip[37 + i] = ns[21 + i];
	ns[0] = 135;
	ns[24] = 1;
	ns[25] = 1;
	memcpy(ns + 26, gmac, 6);
	s = sum16(ip + 8, 32, 58 + 32);
	s = fold(sum16(ns, 32, s));
	ns[2] = (uint8_t)(s >> 8);
	ns[3] = (uint8_t)s;
	return 14 + 40 + 32;
}

static void test_neigh(void)
{
	struct rfwd_table *t = rfwd_table_new();
	uint8_t f[128], out[RFWD_NEIGH_MAX];
	struct rfwd_spec s;
	const char *why;
	uint8_t a[16];
	size_t len, n;

	setup(true);
	rfwd_parse("10.0.2.50:80-127.0.0.1:1", &opts, &s, &why);
	rfwd_table_add(t, &s, NULL);
	rfwd_parse("[fd00::50]:80-127.0.0.1:1", &opts, &s, &why);
	rfwd_table_add(t, &s, NULL);
	rfwd_parse("[fd00::2]:80-127.0.0.1:1", &opts, &s, &why);
	rfwd_table_add(t, &s, NULL);
	rfwd_parse("10.0.2.2:81-127.0.0.1:1", &opts, &s, &why);
	rfwd_table_add(t, &s, NULL);

	len = make_arp(f, "10.0.2.50");
	n = rfwd_neigh_reply(t, &opts, hmac, f, len, out);
	inet_pton(AF_INET, "10.0.2.50", a);
	ok(n == 42 && !memcmp(out, gmac, 6) && !memcmp(out + 6, hmac, 6) &&
	       out[21] == 2 && !memcmp(out + 22, hmac, 6) &&
	       !memcmp(out + 28, a, 4) && !memcmp(out + 32, gmac, 6) &&
	       !memcmp(out + 38, f + 28, 4),
	   "neigh: ARP reply for a forward's address, from our MAC");
	len = make_arp(f, "10.0.2.51");
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len, out),
	   "neigh: no ARP reply for another address");
	len = make_arp(f, "10.0.2.2");
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len, out),
	   "neigh: the gateway is libslirp's to answer");
	len = make_arp(f, "10.0.2.50");
	f[21] = 2;
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len, out),
	   "neigh: an ARP reply is not answered");
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, 30, out),
	   "neigh: a short ARP frame is not answered");

	len = make_ns(f, "fd00::100", "fd00::50");
	ok(fold(sum16(f + 54, 32, sum16(f + 22, 32, 58 + 32))) == 0,
	   "neigh: the test solicitation's checksum is right");
	n = rfwd_neigh_reply(t, &opts, hmac, f, len, out);
	inet_pton(AF_INET6, "fd00::50", a);
	ok(n == 14 + 40 + 32 && !memcmp(out, gmac, 6) &&
	       !memcmp(out + 6, hmac, 6) && out[14 + 7] == 255 &&
	       !memcmp(out + 14 + 8, a, 16) &&
	       !memcmp(out + 14 + 24, f + 14 + 8, 16) && out[54] == 136 &&
	       out[58] == 0x60 && !memcmp(out + 62, a, 16) && out[78] == 2 &&
	       !memcmp(out + 80, hmac, 6),
	   "neigh: advertisement for a forward's IPv6 address, solicited, "
	   "override, our MAC");
	ok(fold(sum16(out + 54, 32, sum16(out + 22, 32, 58 + 32))) == 0,
	   "neigh: the advertisement's checksum is right");
	len = make_ns(f, "::", "fd00::50");
	n = rfwd_neigh_reply(t, &opts, hmac, f, len, out);
	ok(n && out[14 + 24] == 0xff && out[14 + 25] == 0x02 &&
	       out[14 + 39] == 1 && out[58] == 0x20 &&
	       fold(sum16(out + 54, 32, sum16(out + 22, 32, 58 + 32))) == 0,
	   "neigh: from ::, to all nodes, not solicited");
	len = make_ns(f, "fd00::100", "fd00::2");
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len, out),
	   "neigh: the IPv6 gateway is libslirp's to answer");
	len = make_ns(f, "fd00::100", "fd00::51");
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len, out),
	   "neigh: no advertisement for another address");
	len = make_ns(f, "fd00::100", "fd00::50");
	f[14 + 7] = 64;
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len, out),
	   "neigh: a hop limit other than 255 is not answered");
	len = make_ns(f, "fd00::100", "fd00::50");
	ok(!rfwd_neigh_reply(t, &opts, hmac, f, len - 20, out),
	   "neigh: a truncated solicitation is not answered");
	rfwd_table_free(t);
	ok(!rfwd_neigh_reply(NULL, &opts, hmac, f, len, out),
	   "neigh: no table, no answer");
}

int main(void)
{
	test_parse();
	test_check();
	test_nat();
	test_match();
	test_neigh();
	return done_testing();
}
