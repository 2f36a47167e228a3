/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr.h - pure parsers and arithmetic for numbers, CIDRs and MACs
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_ADDR_H
#define S4N_ADDR_H

#include <stdint.h>
#include <netinet/in.h>

/**
 * addr_parse_uint() - parse a whole decimal number in [@min, @max]
 *
 * Return: 0 and *@ret, -EINVAL if not a number, -ERANGE if out of range.
 */
int addr_parse_uint(const char *s, unsigned long min, unsigned long max,
		    unsigned long *ret);

/**
 * addr_parse_cidr4() - parse "A.B.C.D/N"; host bits are masked off.
 * @max_prefix:	longest prefix accepted (the network must hold the fixed
 *		host offsets)
 *
 * Return: 0, -EINVAL on syntax, -ERANGE if the prefix is not in
 * [1, @max_prefix].
 */
int addr_parse_cidr4(const char *s, unsigned int max_prefix,
		     struct in_addr *ret_net, unsigned int *ret_prefix);

/**
 * addr_parse_cidr6() - parse "X::/N"; host bits are masked off.
 *
 * Return: 0, -EINVAL on syntax, -ERANGE if the prefix is not in
 * [1, @max_prefix].
 */
int addr_parse_cidr6(const char *s, unsigned int max_prefix,
		     struct in6_addr *ret_net, unsigned int *ret_prefix);

/**
 * addr_parse_mac() - parse "aa:bb:cc:dd:ee:ff" (also '-' separated)
 *
 * Return: 0, -EINVAL on syntax, -EADDRNOTAVAIL for a multicast or all-zero
 * address, which no interface can take.
 */
int addr_parse_mac(const char *s, uint8_t ret[6]);

/* addr_mask4() - netmask of an IPv4 prefix length, network byte order */
struct in_addr addr_mask4(unsigned int prefix);

/* addr_add4() - @net + @off, network byte order in and out */
struct in_addr addr_add4(struct in_addr net, uint32_t off);

/* addr_add6() - @net + @off, @off added to the low 32 bits */
struct in6_addr addr_add6(const struct in6_addr *net, uint32_t off);

/* addr_ula_from_bytes() - fdXX:XXXX:XXXX:XXXX::/64 from 7 random bytes:
 * a unique local prefix (RFC 4193: 40-bit global ID, 16-bit subnet) */
struct in6_addr addr_ula_from_bytes(const uint8_t rnd[7]);

#endif /* S4N_ADDR_H */
