/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rfwd.c - remote forwards: the table, its checks and the option syntax
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "addr.h"
#include "frame.h"
#include "rfwd.h"

struct rfwd_table {
	GPtrArray *entries; /* struct rfwd_entry *, ascending ids */
	int64_t next_id;
};

struct rfwd_table *rfwd_table_new(void)
{
	struct rfwd_table *t = g_new0(struct rfwd_table, 1);

	t->entries = g_ptr_array_new_with_free_func(g_free);
	t->next_id = 1;
	return t;
}

void rfwd_table_free(struct rfwd_table *t)
{
	if (!t)
		return;
	g_ptr_array_unref(t->entries);
	g_free(t);
}

uint16_t rfwd_guest_port(const struct rfwd_spec *s)
{
	return ntohs(s->guest.sa.sa_family == AF_INET6 ? s->guest.in6.sin6_port
						       : s->guest.in.sin_port);
}

uint16_t rfwd_host_port(const struct rfwd_spec *s)
{
	return ntohs(s->host.sa.sa_family == AF_INET6 ? s->host.in6.sin6_port
						      : s->host.in.sin_port);
}

void rfwd_set_port(union rfwd_sockaddr *a, uint16_t port)
{
	if (a->sa.sa_family == AF_INET6)
		a->in6.sin6_port = htons(port);
	else
		a->in.sin_port = htons(port);
}

static bool same_guest(const struct rfwd_spec *a, const struct rfwd_spec *b)
{
	if (a->guest.sa.sa_family != b->guest.sa.sa_family)
		return false;
	if (a->guest.sa.sa_family == AF_INET6)
		return IN6_ARE_ADDR_EQUAL(&a->guest.in6.sin6_addr,
					  &b->guest.in6.sin6_addr) &&
		       a->guest.in6.sin6_port == b->guest.in6.sin6_port;
	return a->guest.in.sin_addr.s_addr == b->guest.in.sin_addr.s_addr &&
	       a->guest.in.sin_port == b->guest.in.sin_port;
}

static const char *check4(const struct s4n_opts *o, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr), net = ntohl(o->vnetwork.s_addr);
	uint32_t mask = ntohl(o->vnetmask.s_addr);

	if ((h & mask) != net)
		return "guest_addr is outside the virtual network";
	if (a.s_addr == o->vhost.s_addr)
		return NULL;
	if (h == net || (h | mask) == 0xffffffffu)
		return "guest_addr is the network or broadcast address";
	if (a.s_addr == o->vdns.s_addr)
		return "guest_addr is the DNS address";
	if (a.s_addr == rfwd_hidden4(o).s_addr)
		return "guest_addr is reserved (it stands in for the gateway)";
	if (a.s_addr == o->vguest.s_addr)
		return "guest_addr is the guest's address";
	if (h >= ntohl(o->vdhcp_start.s_addr) &&
	    h <= ntohl(o->vdhcp_end.s_addr))
		return "guest_addr is in the DHCP range";
	return NULL;
}

static bool in_prefix6(const struct in6_addr *a, const struct in6_addr *p,
		       unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		unsigned int bit = 0x80u >> (i % 8);

		if ((a->s6_addr[i / 8] & bit) != (p->s6_addr[i / 8] & bit))
			return false;
	}
	return true;
}

/*
 * anycast6() - is @a one of the 128 reserved subnet anycast addresses of
 * its prefix of @len bits (RFC 2526)? In a /64, interface identifiers
 * fdff:ffff:ffff:ff80 and above; else the last 128 addresses.
 */
static bool anycast6(const struct in6_addr *a, unsigned int len)
{
	static const uint8_t eui64[7] = {0xfd, 0xff, 0xff, 0xff,
					 0xff, 0xff, 0xff};
	unsigned int i;

	if (len == 64)
		return !memcmp(a->s6_addr + 8, eui64, 7) &&
		       a->s6_addr[15] >= 0x80;
	if (len > 121)
		return false; /* too small a network for the rule */
	for (i = len; i < 121; i++)
		if (!(a->s6_addr[i / 8] & (0x80u >> (i % 8))))
			return false;
	return true;
}

static const char *check6(const struct s4n_opts *o, const struct in6_addr *a)
{
	struct in6_addr net = *a;
	unsigned int i;

	if (!o->enable_ipv6)
		return "guest_addr is IPv6 and IPv6 is not enabled (-6)";
	if (!in_prefix6(a, &o->vprefix6, o->prefix6_len))
		return "guest_addr is outside the virtual network";
	if (IN6_ARE_ADDR_EQUAL(a, &o->vhost6))
		return NULL;
	for (i = o->prefix6_len; i < 128; i++)
		net.s6_addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	if (IN6_ARE_ADDR_EQUAL(a, &net))
		return "guest_addr is the network address";
	if (IN6_ARE_ADDR_EQUAL(a, &o->vdns6))
		return "guest_addr is the DNS address";
	if (IN6_ARE_ADDR_EQUAL(a, &o->vguest6))
		return "guest_addr is the guest's address";
	if (anycast6(a, o->prefix6_len))
		return "guest_addr is a reserved subnet anycast address";
	return NULL;
}

const char *rfwd_check(const struct s4n_opts *o, const struct rfwd_table *t,
		       const struct rfwd_spec *s)
{
	const char *why;
	size_t i;

	if (s->guest.sa.sa_family == AF_INET6)
		why = check6(o, &s->guest.in6.sin6_addr);
	else
		why = check4(o, s->guest.in.sin_addr);
	if (why)
		return why;
	if (!rfwd_guest_port(s))
		return "guest_port is 0";
	if (s->path[0] ? s->path[0] != '/' : !rfwd_host_port(s))
		return s->path[0] ? "host_socket is not an absolute path"
				  : "host_port is 0";
	for (i = 0; t && i < t->entries->len; i++) {
		const struct rfwd_entry *e = t->entries->pdata[i];

		if (same_guest(&e->spec, s))
			return "another forward has this guest_addr and "
			       "guest_port";
	}
	return NULL;
}

struct rfwd_entry *rfwd_table_add(struct rfwd_table *t,
				  const struct rfwd_spec *s, void *data)
{
	struct rfwd_entry *e;

	if (t->entries->len >= RFWD_MAX)
		return NULL;
	e = g_new0(struct rfwd_entry, 1);
	e->id = t->next_id++;
	e->spec = *s;
	e->data = data;
	g_ptr_array_add(t->entries, e);
	return e;
}

static gssize find(const struct rfwd_table *t, int64_t id)
{
	guint i;

	for (i = 0; i < t->entries->len; i++)
		if (((struct rfwd_entry *)t->entries->pdata[i])->id == id)
			return i;
	return -1;
}

struct rfwd_entry *rfwd_table_find(const struct rfwd_table *t, int64_t id)
{
	gssize i = t ? find(t, id) : -1;

	return i < 0 ? NULL : t->entries->pdata[i];
}

int rfwd_table_remove(struct rfwd_table *t, int64_t id)
{
	gssize i = t ? find(t, id) : -1;

	if (i < 0)
		return -ENOENT;
	g_ptr_array_remove_index(t->entries, i);
	return 0;
}

/* is @g the address @a, of 16 bytes if @v6, else 4? */
static bool guest_addr_is(const union rfwd_sockaddr *g, bool v6,
			  const uint8_t *a)
{
	return v6 ? g->sa.sa_family == AF_INET6 &&
			!memcmp(&g->in6.sin6_addr, a, 16)
		  : g->sa.sa_family == AF_INET &&
			!memcmp(&g->in.sin_addr, a, 4);
}

struct rfwd_entry *rfwd_table_match(const struct rfwd_table *t, bool v6,
				    const uint8_t *daddr, uint16_t dport)
{
	for (size_t i = 0; t && i < t->entries->len; i++) {
		struct rfwd_entry *e = t->entries->pdata[i];
		const union rfwd_sockaddr *g = &e->spec.guest;

		if (rfwd_guest_port(&e->spec) == dport &&
		    guest_addr_is(g, v6, daddr))
			return e;
	}
	return NULL;
}

size_t rfwd_table_len(const struct rfwd_table *t)
{
	return t ? t->entries->len : 0;
}

struct rfwd_entry *rfwd_table_at(const struct rfwd_table *t, size_t i)
{
	return t && i < t->entries->len ? t->entries->pdata[i] : NULL;
}

/*
 * parse_hostport() - "ADDR:PORT" or "[ADDR6]:PORT" from @s (length @n) into
 * @ret. ADDR may be empty ("" or "[]" is not allowed) when @opt_addr, and
 * then *@ret_has_addr is false.
 */
static int parse_hostport(const char *s, size_t n, bool opt_addr,
			  union rfwd_sockaddr *ret, bool *ret_has_addr)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *port, *addr = buf;
	unsigned long v;
	char *colon;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(ret, 0, sizeof(*ret));
	*ret_has_addr = true;
	if (buf[0] == '[') {
		colon = strstr(buf, "]:");
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		addr = buf + 1;
		port = colon + 2;
	} else if ((colon = strrchr(buf, ':'))) {
		*colon = '\0';
		port = colon + 1;
	} else {
		if (!opt_addr)
			return -EINVAL;
		*ret_has_addr = false;
		port = buf;
	}
	if (addr_parse_uint(port, 1, 65535, &v) < 0)
		return -EINVAL;
	/* no address: IPv4's any */
	if (!*ret_has_addr ||
	    (buf[0] != '[' && inet_pton(AF_INET, addr, &ret->in.sin_addr) == 1))
		ret->sa.sa_family = AF_INET;
	else if (buf[0] == '[' &&
		 inet_pton(AF_INET6, addr, &ret->in6.sin6_addr) == 1)
		ret->sa.sa_family = AF_INET6;
	else
		return -EINVAL;
	rfwd_set_port(ret, (uint16_t)v);
	return 0;
}

int rfwd_parse(const char *arg, const struct s4n_opts *o, struct rfwd_spec *ret,
	       const char **ret_why)
{
	struct rfwd_spec s;
	const char *dash = strchr(arg, '-');
	bool has;

	memset(&s, 0, sizeof(s));
	if (!dash) {
		*ret_why = "expected GUEST-TARGET";
		return -EINVAL;
	}
	if (parse_hostport(arg, (size_t)(dash - arg), true, &s.guest, &has) <
	    0) {
		*ret_why = "bad [GUEST_ADDR:]GUEST_PORT";
		return -EINVAL;
	}
	if (!has)
		s.guest.in.sin_addr = o->vhost;
	if (!strncmp(dash + 1, "unix:", 5)) {
		const char *p = dash + 6;

		if (!*p || strlen(p) >= sizeof(s.path)) {
			*ret_why = "bad unix:PATH";
			return -EINVAL;
		}
		strcpy(s.path, p);
	} else if (parse_hostport(dash + 1, strlen(dash + 1), false, &s.host,
				  &has) < 0) {
		*ret_why = "bad HOST_ADDR:HOST_PORT";
		return -EINVAL;
	}
	*ret = s;
	return 0;
}

struct in_addr rfwd_hidden4(const struct s4n_opts *o)
{
	struct in_addr a = {htonl(
	    (ntohl(o->vnetwork.s_addr) | ~ntohl(o->vnetmask.s_addr)) - 1)};

	return a;
}

/* Ethernet + IPv4 + TCP, the offsets we touch */
#define ETH_TYPE_IPV4 0x0800
#define IP_PROTO_TCP 6

/* csum_replace4() - RFC 1624 incremental update of the checksum at @sum
 * for a 32-bit field changing from @from to @to (both network order) */
static void csum_replace4(uint8_t *sum, uint32_t from, uint32_t to)
{
	uint32_t c = (uint32_t)(~((sum[0] << 8) | sum[1]) & 0xffff);
	uint32_t f = ntohl(from), t = ntohl(to);

	c += (~f >> 16 & 0xffff) + (~f & 0xffff);
	c += (t >> 16) + (t & 0xffff);
	while (c >> 16)
		c = (c & 0xffff) + (c >> 16);
	c = ~c & 0xffff;
	sum[0] = (uint8_t)(c >> 8);
	sum[1] = (uint8_t)c;
}

/*
 * tcp4() - the offset of the TCP header of an unfragmented IPv4 TCP frame
 * with a whole header, or 0.
 */
static size_t tcp4(const uint8_t *f, size_t len)
{
	size_t ihl;

	if (len < FRAME_ETH_LEN + FRAME_IP4_LEN ||
	    ((f[12] << 8) | f[13]) != ETH_TYPE_IPV4)
		return 0;
	ihl = (size_t)(f[FRAME_ETH_LEN] & 0x0f) * 4;
	if ((f[FRAME_ETH_LEN] >> 4) != 4 || ihl < FRAME_IP4_LEN ||
	    f[FRAME_ETH_LEN + 9] != IP_PROTO_TCP)
		return 0;
	/* a fragment other than the first has no ports; a first one would
	 * be reassembled with the others under its old address */
	if (((f[FRAME_ETH_LEN + 6] << 8) | f[FRAME_ETH_LEN + 7]) & 0x3fff)
		return 0;
	if (len < FRAME_ETH_LEN + ihl + FRAME_TCP_LEN)
		return 0;
	return FRAME_ETH_LEN + ihl;
}

static bool has_port(const struct rfwd_nat *n, const uint8_t *p)
{
	uint16_t port;
	unsigned int i;

	memcpy(&port, p, 2);
	for (i = 0; i < n->n; i++)
		if (n->ports[i] == port)
			return true;
	return false;
}

/* swap_addr() - replace the IPv4 address at @at (a source or
 * destination) with @to, fixing the IP and TCP checksums */
static void swap_addr(uint8_t *f, size_t tcp, size_t at, struct in_addr to)
{
	uint32_t from;

	memcpy(&from, f + at, 4);
	memcpy(f + at, &to.s_addr, 4);
	csum_replace4(f + FRAME_ETH_LEN + 10, from, to.s_addr);
	csum_replace4(f + tcp + 16, from, to.s_addr);
}

bool rfwd_nat_in(const struct rfwd_nat *n, uint8_t *f, size_t len)
{
	size_t tcp;

	if (!n || !n->n || !(tcp = tcp4(f, len)) ||
	    memcmp(f + FRAME_ETH_LEN + 16, &n->gw.s_addr, 4) ||
	    !has_port(n, f + tcp + 2))
		return false;
	swap_addr(f, tcp, FRAME_ETH_LEN + 16, n->hidden);
	return true;
}

bool rfwd_nat_out(const struct rfwd_nat *n, const uint8_t *f, size_t len,
		  uint8_t *out, size_t outlen)
{
	size_t tcp;

	if (!n || !n->n || len > outlen || !(tcp = tcp4(f, len)) ||
	    memcmp(f + FRAME_ETH_LEN + 12, &n->hidden.s_addr, 4) ||
	    !has_port(n, f + tcp))
		return false;
	memcpy(out, f, len);
	swap_addr(out, tcp, FRAME_ETH_LEN + 12, n->gw);
	return true;
}

/* --- neighbours ---------------------------------------------------------- */

#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_IPV6 0x86dd
#define ARP_LEN 28
#define IP_PROTO_ICMPV6 58
#define NDP_NS 135
#define NDP_NA 136
#define NDP_LEN 24	    /* type, code, sum, flags, target */
#define NDP_OPT_LEN 8	    /* a link-layer address option */
#define NDP_OPT_TARGET_LL 2 /* in an advertisement */
#define NA_SOLICITED 0x40
#define NA_OVERRIDE 0x20

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* is @a (4 or 16 bytes) the address of a forward other than the gateway? */
static bool forward_addr(const struct rfwd_table *t, const struct s4n_opts *o,
			 bool v6, const uint8_t *a)
{
	if (v6 ? !memcmp(a, &o->vhost6, 16) : !memcmp(a, &o->vhost, 4))
		return false;
	for (size_t i = 0; t && i < t->entries->len; i++) {
		const struct rfwd_entry *e = t->entries->pdata[i];

		if (guest_addr_is(&e->spec.guest, v6, a))
			return true;
	}
	return false;
}

/* an ARP reply to the request at @f, or 0 */
static size_t arp_reply(const struct rfwd_table *t, const struct s4n_opts *o,
			const uint8_t *mac, const uint8_t *f, size_t len,
			uint8_t *out)
{
	const uint8_t *arp = f + FRAME_ETH_LEN;

	if (len < FRAME_ETH_LEN + ARP_LEN || get16(arp) != 1 ||
	    get16(arp + 2) != ETH_TYPE_IPV4 || arp[4] != 6 || arp[5] != 4 ||
	    get16(arp + 6) != 1 || !forward_addr(t, o, false, arp + 24))
		return 0;
	memcpy(out, f + 6, 6);
	memcpy(out + 6, mac, 6);
	put16(out + 12, ETH_TYPE_ARP);
	memcpy(out + FRAME_ETH_LEN, arp,
	       6); /* hardware and protocol types, sizes */
	put16(out + FRAME_ETH_LEN + 6, 2);
	memcpy(out + FRAME_ETH_LEN + 8, mac, 6);
	memcpy(out + FRAME_ETH_LEN + 14, arp + 24,
	       4); /* the address asked for */
	memcpy(out + FRAME_ETH_LEN + 18, arp + 8, 10); /* to the asker */
	return FRAME_ETH_LEN + ARP_LEN;
}

/* a neighbour advertisement for the solicitation at @f, or 0 */
static size_t na_reply(const struct rfwd_table *t, const struct s4n_opts *o,
		       const uint8_t *mac, const uint8_t *f, size_t len,
		       uint8_t *out)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
	const uint8_t *ip = f + FRAME_ETH_LEN, *ns = ip + FRAME_IP6_LEN,
		      *src = ip + 8;
	uint8_t *oip = out + FRAME_ETH_LEN, *na = oip + FRAME_IP6_LEN;
	bool unspec = true;
	uint64_t sum;
	uint16_t csum;

	/* RFC 4861 7.1.1: hop limit 255, code 0, a unicast target; no
	 * extension headers (a guest's kernel sends none here) */
	if (len < FRAME_ETH_LEN + FRAME_IP6_LEN + NDP_LEN ||
	    (ip[0] >> 4) != 6 || ip[6] != IP_PROTO_ICMPV6 || ip[7] != 255 ||
	    ns[0] != NDP_NS || ns[1] != 0 || get16(ip + 4) < NDP_LEN ||
	    get16(ip + 4) > len - FRAME_ETH_LEN - FRAME_IP6_LEN ||
	    ns[8] == 0xff || !forward_addr(t, o, true, ns + 8))
		return 0;
	for (int i = 0; i < 16; i++)
		unspec = unspec && !src[i];
	memcpy(out, f + 6, 6);
	memcpy(out + 6, mac, 6);
	put16(out + 12, ETH_TYPE_IPV6);
	memset(oip, 0, FRAME_IP6_LEN);
	oip[0] = 0x60;
	put16(oip + 4, NDP_LEN + NDP_OPT_LEN);
	oip[6] = IP_PROTO_ICMPV6;
	oip[7] = 255;
	memcpy(oip + 8, ns + 8, 16);
	/* 7.2.4: to the solicitation's source; to all nodes, unsolicited,
	 * when that is unspecified (duplicate address detection) */
	memcpy(oip + 24, unspec ? all_nodes : src, 16);
	memset(na, 0, NDP_LEN);
	na[0] = NDP_NA;
	na[4] = (uint8_t)(NA_OVERRIDE | (unspec ? 0 : NA_SOLICITED));
	memcpy(na + 8, ns + 8, 16);
	na[NDP_LEN] = NDP_OPT_TARGET_LL;
	na[NDP_LEN + 1] = 1; /* units of 8 bytes */
	memcpy(na + NDP_LEN + 2, mac, 6);
	/* the pseudo-header: addresses, length, next header */
	sum = frame_sum(oip + 8, 32) + htons(NDP_LEN + NDP_OPT_LEN) +
	      htons(IP_PROTO_ICMPV6);
	sum += frame_sum(na, NDP_LEN + NDP_OPT_LEN);
	csum = (uint16_t)~frame_fold(sum); /* in memory order already */
	memcpy(na + 2, &csum, 2);
	return FRAME_ETH_LEN + FRAME_IP6_LEN + NDP_LEN + NDP_OPT_LEN;
}

size_t rfwd_neigh_reply(const struct rfwd_table *t, const struct s4n_opts *o,
			const uint8_t *mac, const uint8_t *f, size_t len,
			uint8_t *out)
{
	if (!t || !t->entries->len || len < FRAME_ETH_LEN)
		return 0;
	switch (get16(f + 12)) {
	case ETH_TYPE_ARP:
		return arp_reply(t, o, mac, f, len, out);
	case ETH_TYPE_IPV6:
		return na_reply(t, o, mac, f, len, out);
	default:
		return 0;
	}
}
