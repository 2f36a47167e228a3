/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-addr.c - unit tests for addr.c: numbers, CIDRs, MACs, offsets
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>

#include "addr.h"
#include "tests/taptest.h"

static const char *ntop4(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];

	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

static const char *ntop6(const struct in6_addr *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, buf, sizeof(buf));
}

static void test_uint(void)
{
	unsigned long v = 0;

	ok(addr_parse_uint("1500", 68, 65521, &v) == 0 && v == 1500,
	   "uint: 1500");
	ok(addr_parse_uint("65521", 68, 65521, &v) == 0 && v == 65521,
	   "uint: max accepted");
	ok(addr_parse_uint("65522", 68, 65521, &v) == -ERANGE,
	   "uint: max+1 is out of range");
	ok(addr_parse_uint("67", 68, 65521, &v) == -ERANGE,
	   "uint: min-1 is out of range");
	ok(addr_parse_uint("", 0, 10, &v) == -EINVAL, "uint: empty");
	ok(addr_parse_uint("12abc", 0, 100, &v) == -EINVAL,
	   "uint: trailing garbage");
	ok(addr_parse_uint("-1", 0, 100, &v) == -EINVAL, "uint: negative");
	ok(addr_parse_uint(" 5", 0, 100, &v) == -EINVAL, "uint: leading blank");
	ok(addr_parse_uint("+5", 0, 100, &v) == -EINVAL, "uint: sign");
	ok(addr_parse_uint("99999999999999999999999", 0, 100, &v) == -ERANGE,
	   "uint: overflow");
	ok(addr_parse_uint(NULL, 0, 100, &v) == -EINVAL, "uint: NULL");
}

static void test_cidr4(void)
{
	struct in_addr net;
	unsigned int p = 0;

	ok(addr_parse_cidr4("10.0.2.0/24", 25, &net, &p) == 0 && p == 24,
	   "cidr4: default parses");
	is_str(ntop4(net), "10.0.2.0", "cidr4: network");
	ok(addr_parse_cidr4("192.168.7.99/16", 25, &net, &p) == 0 && p == 16,
	   "cidr4: host bits accepted");
	is_str(ntop4(net), "192.168.0.0", "cidr4: host bits masked off");
	ok(addr_parse_cidr4("10.0.2.0/25", 25, &net, &p) == 0,
	   "cidr4: /25 holds network+100");
	ok(addr_parse_cidr4("10.0.2.0/26", 25, &net, &p) == -ERANGE,
	   "cidr4: /26 too small");
	ok(addr_parse_cidr4("10.0.2.0/0", 25, &net, &p) == -ERANGE,
	   "cidr4: /0 refused");
	ok(addr_parse_cidr4("10.0.2.0", 25, &net, &p) == -EINVAL,
	   "cidr4: no prefix");
	ok(addr_parse_cidr4("10.0.2/24", 25, &net, &p) == -EINVAL,
	   "cidr4: short address");
	ok(addr_parse_cidr4("10.0.2.0/x", 25, &net, &p) == -EINVAL,
	   "cidr4: prefix not a number");
	ok(addr_parse_cidr4("fd00::/64", 25, &net, &p) == -EINVAL,
	   "cidr4: IPv6 refused");
	ok(addr_parse_cidr4("10.0.2.0/24/1", 25, &net, &p) == -EINVAL,
	   "cidr4: two slashes");
	ok(addr_parse_cidr4("10.0.2.0/33", 25, &net, &p) == -ERANGE,
	   "cidr4: /33");
}

static void test_cidr6(void)
{
	struct in6_addr net;
	unsigned int p = 0;

	ok(addr_parse_cidr6("fd00::/64", 119, &net, &p) == 0 && p == 64,
	   "cidr6: default parses");
	is_str(ntop6(&net), "fd00::", "cidr6: prefix");
	ok(addr_parse_cidr6("fd12:3456:789a:1::77/60", 119, &net, &p) == 0,
	   "cidr6: host bits accepted");
	is_str(ntop6(&net), "fd12:3456:789a::", "cidr6: host bits masked off");
	ok(addr_parse_cidr6("fd00::/120", 119, &net, &p) == -ERANGE,
	   "cidr6: /120 too small for ::100");
	ok(addr_parse_cidr6("10.0.2.0/24", 119, &net, &p) == -EINVAL,
	   "cidr6: IPv4 refused");
	ok(addr_parse_cidr6("fd00::", 119, &net, &p) == -EINVAL,
	   "cidr6: no prefix");
}

static void test_mac(void)
{
	uint8_t mac[6] = {0};

	ok(addr_parse_mac("02:00:00:aa:BB:0f", mac) == 0 && mac[0] == 2 &&
	       mac[3] == 0xaa && mac[4] == 0xbb && mac[5] == 0x0f,
	   "mac: colons, mixed case");
	ok(addr_parse_mac("02-00-00-aa-bb-0f", mac) == 0, "mac: dashes");
	ok(addr_parse_mac("02:00-00:aa:bb:0f", mac) == -EINVAL,
	   "mac: mixed separators");
	ok(addr_parse_mac("02:00:00:aa:bb", mac) == -EINVAL, "mac: short");
	ok(addr_parse_mac("02:00:00:aa:bb:0f:11", mac) == -EINVAL, "mac: long");
	ok(addr_parse_mac("02:00:00:aa:bb:0g", mac) == -EINVAL, "mac: not hex");
	ok(addr_parse_mac("01:00:5e:00:00:01", mac) == -EADDRNOTAVAIL,
	   "mac: multicast refused");
	ok(addr_parse_mac("00:00:00:00:00:00", mac) == -EADDRNOTAVAIL,
	   "mac: zero refused");
}

static void test_offsets(void)
{
	struct in_addr net, a;
	struct in6_addr net6, a6;
	uint8_t rnd[7] = {1, 2, 3, 4, 5, 6, 7};

	inet_pton(AF_INET, "10.0.2.0", &net);
	is_str(ntop4(addr_add4(net, 2)), "10.0.2.2", "add4: gateway");
	is_str(ntop4(addr_add4(net, 100)), "10.0.2.100", "add4: guest");
	inet_pton(AF_INET, "10.0.0.0", &net);
	is_str(ntop4(addr_add4(net, 300)), "10.0.1.44", "add4: carries");
	is_str(ntop4(addr_mask4(24)), "255.255.255.0", "mask4: /24");
	is_str(ntop4(addr_mask4(1)), "128.0.0.0", "mask4: /1");
	a = addr_mask4(32);
	is_str(ntop4(a), "255.255.255.255", "mask4: /32");
	inet_pton(AF_INET6, "fd00::", &net6);
	a6 = addr_add6(&net6, 3);
	is_str(ntop6(&a6), "fd00::3", "add6: DNS");
	a6 = addr_add6(&net6, 0x100);
	is_str(ntop6(&a6), "fd00::100", "add6: guest");
	a6 = addr_ula_from_bytes(rnd);
	is_str(ntop6(&a6), "fd01:203:405:607::", "ula: fd + 56 random bits");
}

int main(void)
{
	test_uint();
	test_cidr4();
	test_cidr6();
	test_mac();
	test_offsets();
	return done_testing();
}
