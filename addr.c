/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.c - pure parsers and arithmetic for numbers, CIDRs and MACs
 *
 * No sockets and no global state: unit tests link this alone.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int addr_parse_uint(const char *s, unsigned long min, unsigned long max,
		    unsigned long *ret)
{
	unsigned long v;
	char *end;

	/* strtoul() accepts leading blanks and a sign: a number is digits */
	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

/* split "ADDR/N" into a copy of ADDR and the prefix length */
static int split_prefix(const char *s, char *addr, size_t addrlen,
			unsigned int max_prefix, unsigned int *ret_prefix)
{
	const char *slash = strchr(s, '/');
	unsigned long prefix;
	int rc;

	if (!slash || (size_t)(slash - s) >= addrlen)
		return -EINVAL;
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	rc = addr_parse_uint(slash + 1, 0, 128, &prefix);
	if (rc == -EINVAL)
		return rc;
	if (rc < 0 || prefix < 1 || prefix > max_prefix)
		return -ERANGE;
	*ret_prefix = (unsigned int)prefix;
	return 0;
}

struct in_addr addr_mask4(unsigned int prefix)
{
	struct in_addr m;

	m.s_addr = prefix ? htonl(~0U << (32 - prefix)) : 0;
	return m;
}

int addr_parse_cidr4(const char *s, unsigned int max_prefix,
		     struct in_addr *ret_net, unsigned int *ret_prefix)
{
	char addr[INET_ADDRSTRLEN];
	struct in_addr a;
	unsigned int prefix;
	int rc;

	rc = split_prefix(s, addr, sizeof(addr), max_prefix, &prefix);
	if (rc == -EINVAL || inet_pton(AF_INET, addr, &a) != 1)
		return -EINVAL;
	if (rc < 0)
		return rc;
	ret_net->s_addr = a.s_addr & addr_mask4(prefix).s_addr;
	*ret_prefix = prefix;
	return 0;
}

int addr_parse_cidr6(const char *s, unsigned int max_prefix,
		     struct in6_addr *ret_net, unsigned int *ret_prefix)
{
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr a;
	unsigned int prefix, i;
	int rc;

	rc = split_prefix(s, addr, sizeof(addr), max_prefix, &prefix);
	if (rc == -EINVAL || inet_pton(AF_INET6, addr, &a) != 1)
		return -EINVAL;
	if (rc < 0)
		return rc;
	for (i = 0; i < 16; i++) {
		unsigned int bits = prefix > i * 8 ? prefix - i * 8 : 0;

		if (bits < 8)
			a.s6_addr[i] &= (uint8_t)(0xff00 >> bits);
	}
	*ret_net = a;
	*ret_prefix = prefix;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int addr_parse_mac(const char *s, uint8_t ret[6])
{
	uint8_t mac[6];
	int i;

	/* exactly six pairs of hex digits with one separator between */
	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		const char *p = s + i * 3;
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (i < 5 && p[2] != ':' && p[2] != '-')
			return -EINVAL;
		if (i > 0 && p[-1] != s[2])
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	/* the kernel refuses these for a unicast interface */
	if ((mac[0] & 1) ||
	    !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EADDRNOTAVAIL;
	memcpy(ret, mac, 6);
	return 0;
}

struct in_addr addr_add4(struct in_addr net, uint32_t off)
{
	struct in_addr a;

	a.s_addr = htonl(ntohl(net.s_addr) + off);
	return a;
}

struct in6_addr addr_add6(const struct in6_addr *net, uint32_t off)
{
	struct in6_addr a = *net;
	uint32_t low;

	memcpy(&low, &a.s6_addr[12], 4);
	low = htonl(ntohl(low) + off);
	memcpy(&a.s6_addr[12], &low, 4);
	return a;
}

struct in6_addr addr_ula_from_bytes(const uint8_t rnd[7])
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	a.s6_addr[0] = 0xfd;
	memcpy(&a.s6_addr[1], rnd, 7);
	return a;
}
