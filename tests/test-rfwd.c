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

int main(void)
{
	test_parse();
	test_check();
	test_nat();
	return done_testing();
}
