/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reasm.c - IPv4 and IPv6 fragment reassembly in front of libslirp
 *
 * libslirp 4.7.0 reassembles IPv4 itself, badly: a last fragment that
 * overlaps an earlier one, or one that arrives after libslirp expired its
 * queue, ends in a store through bytes of the guest's payload (issue 15).
 * Its queue is also unbounded: every fragment held costs an mbuf of the
 * interface MTU. IPv6 fragments it does not handle at all. So every
 * fragment stops here, and libslirp only ever sees whole datagrams.
 *
 * The state is one anonymous mapping, made on the first fragment and
 * unmapped when the daemon goes idle: a daemon whose guest never fragments
 * has none. It holds REASM_SLOTS datagrams, each with room for the largest
 * one (a header area, then 64 KiB of payload) and a bitmap of which 8-byte
 * blocks arrived. Only the pages fragments touch become resident, and
 * REASM_BYTES bounds the payload held in all slots together. Nothing is
 * allocated per fragment: a fragment is copied into its slot at its offset.
 *
 * The rules, with their reasons:
 * - a fragment is told by its IPv4 offset or MF bit, or by an IPv6
 *   Fragment header after the Hop-by-Hop, Routing and Destination Options
 *   headers (the unfragmentable part, RFC 8200 4.5); the first fragment's
 *   headers become the datagram's;
 * - fragments of one datagram share (source, destination, id, protocol)
 *   for IPv4 (RFC 791) and (source, destination, id) for IPv6;
 * - any overlap drops the whole datagram (RFC 5722; for IPv4 Linux does
 *   the same since 4.19), except an exact copy of bytes already held,
 *   which a retransmission produces and which changes nothing;
 * - a fragment that is not the last must carry a multiple of 8 bytes; the
 *   last fixes the length, which every other fragment must then respect;
 *   a datagram longer than 65535 bytes is dropped;
 * - no free slot: the oldest datagram gives way; over REASM_BYTES: the
 *   oldest others give way, else the new fragment's datagram is dropped;
 * - a datagram still incomplete REASM_TIMEOUT_US after its first fragment
 *   arrived is dropped, checked on each fragment and when idle.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

#include "frame.h"
#include "reasm.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define IPV6_FRAG_LEN 8
#define NH_HOPOPTS 0
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_DSTOPTS 60
#define IP_MAX 65535
/* Ethernet, the IP header and, for IPv6, the extension headers before
 * the Fragment header: a longer chain is dropped (libslirp 4.7 handles no
 * IPv6 extension header anyway) */
#define HDR_ROOM 256
#define PAYLOAD_ROOM 65536
#define SLOT_SIZE (HDR_ROOM + PAYLOAD_ROOM)
#define BLOCKS (PAYLOAD_ROOM / 8)

/* one datagram in progress */
struct dgram {
	bool used, v6;
	bool have_first, have_last;
	uint8_t proto; /* IPv4: key; IPv6: from the first fragment */
	uint32_t id;
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes */
	int64_t expire_us;
	size_t hlen;   /* Ethernet and IP headers, from the first fragment */
	size_t nh_off; /* IPv6: the Next Header byte to patch, in them */
	size_t total;  /* payload length, known from the last fragment */
	size_t held;   /* payload bytes held (no overlaps: each once) */
	size_t maxend; /* highest payload end seen */
	uint64_t map[BLOCKS / 64];
};

struct reasm {
	struct dgram d[REASM_SLOTS];
	size_t held; /* payload bytes over all slots */
	uint8_t data[REASM_SLOTS][SLOT_SIZE];
};

/* one fragment, as parsed from a frame */
struct frag {
	bool v6, more;
	uint8_t proto;
	uint32_t id;
	const uint8_t *src, *dst;
	size_t alen; /* address length: 4 or 16 */
	size_t off, plen;
	const uint8_t *payload;
	size_t hlen;   /* bytes before the payload (IPv6: the Fragment hdr) */
	size_t nh_off; /* IPv6: where the Fragment header's type is named */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Return: 1 for a fragment in @fr, 0 for no fragment, -1 for a fragment
 * too malformed to use */
static int parse4(const uint8_t *f, size_t len, struct frag *fr)
{
	const uint8_t *ip = f + FRAME_ETH_LEN;
	size_t ihl, tot;
	uint16_t ff;

	if (len < FRAME_ETH_LEN + FRAME_IP4_LEN || (ip[0] >> 4) != 4)
		return 0;
	ff = get16(ip + 6);
	if (!(ff & 0x3fff))
		return 0; /* no offset, no MF: a whole datagram */
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	tot = get16(ip + 2);
	if (ihl < FRAME_IP4_LEN || tot < ihl || FRAME_ETH_LEN + tot > len)
		return -1;
	*fr = (struct frag){.v6 = false,
			    .more = (ff & 0x2000) != 0,
			    .proto = ip[9],
			    .id = get16(ip + 4),
			    .src = ip + 12,
			    .dst = ip + 16,
			    .alen = 4,
			    .off = (size_t)(ff & 0x1fff) * 8,
			    .plen = tot - ihl,
			    .payload = ip + ihl,
			    .hlen = FRAME_ETH_LEN + ihl};
	return 1;
}

static int parse6(const uint8_t *f, size_t len, struct frag *fr)
{
	const uint8_t *ip = f + FRAME_ETH_LEN;
	size_t end, pos = FRAME_ETH_LEN + FRAME_IP6_LEN,
		    nh_off = FRAME_ETH_LEN + 6;
	uint8_t nh;

	if (len < FRAME_ETH_LEN + FRAME_IP6_LEN || (ip[0] >> 4) != 6)
		return 0;
	nh = ip[6];
	end = FRAME_ETH_LEN + FRAME_IP6_LEN + get16(ip + 4);
	if (end > len)
		return 0; /* libslirp drops it */
	while (nh == NH_HOPOPTS || nh == NH_ROUTING || nh == NH_DSTOPTS) {
		if (pos + 2 > end)
			return 0;
		nh_off = pos;
		nh = f[pos];
		pos += ((size_t)f[pos + 1] + 1) * 8;
		if (pos > HDR_ROOM)
			return -1;
	}
	if (nh != NH_FRAGMENT)
		return 0;
	if (pos + IPV6_FRAG_LEN > end)
		return -1;
	*fr = (struct frag){.v6 = true,
			    .more = (f[pos + 3] & 1) != 0,
			    .proto = f[pos],
			    .id = (uint32_t)get16(f + pos + 4) << 16 |
				  get16(f + pos + 6),
			    .src = ip + 8,
			    .dst = ip + 24,
			    .alen = 16,
			    .off = get16(f + pos + 2) & 0xfff8,
			    .plen = end - pos - IPV6_FRAG_LEN,
			    .payload = f + pos + IPV6_FRAG_LEN,
			    .hlen = pos,
			    .nh_off = nh_off};
	return 1;
}

static int parse(const uint8_t *f, size_t len, struct frag *fr)
{
	if (len < FRAME_ETH_LEN)
		return 0;
	switch (get16(f + 12)) {
	case ETHERTYPE_IPV4:
		return parse4(f, len, fr);
	case ETHERTYPE_IPV6:
		return parse6(f, len, fr);
	default:
		return 0;
	}
}

static void release(struct reasm *r, struct dgram *d)
{
	r->held -= d->held;
	memset(d, 0, sizeof(*d));
}

static struct dgram *find(struct reasm *r, const struct frag *fr)
{
	unsigned int i;

	for (i = 0; i < REASM_SLOTS; i++) {
		struct dgram *d = &r->d[i];

		if (d->used && d->v6 == fr->v6 && d->id == fr->id &&
		    (fr->v6 || d->proto == fr->proto) &&
		    !memcmp(d->src, fr->src, fr->alen) &&
		    !memcmp(d->dst, fr->dst, fr->alen))
			return d;
	}
	return NULL;
}

/* the datagram that has waited longest, other than @keep */
static struct dgram *oldest(struct reasm *r, const struct dgram *keep)
{
	struct dgram *o = NULL;
	unsigned int i;

	for (i = 0; i < REASM_SLOTS; i++) {
		struct dgram *d = &r->d[i];

		/* cppcheck-suppress nullPointerRedundantCheck
		 * (d points into r->d: never NULL; @keep may be) */
		if (d->used && d != keep && (!o || d->expire_us < o->expire_us))
			o = d;
	}
	return o;
}

static void expire(struct reasm *r, int64_t now, struct reasm_stats *st)
{
	unsigned int i;

	for (i = 0; i < REASM_SLOTS; i++) {
		if (r->d[i].used && now >= r->d[i].expire_us) {
			release(r, &r->d[i]);
			st->dropped++;
		}
	}
}

static struct dgram *start(struct reasm *r, const struct frag *fr, int64_t now,
			   struct reasm_stats *st)
{
	struct dgram *d = NULL;
	unsigned int i;

	for (i = 0; i < REASM_SLOTS && !d; i++)
		if (!r->d[i].used)
			d = &r->d[i];
	if (!d) {
		d = oldest(r, NULL);
		release(r, d);
		st->dropped++;
	}
	d->used = true;
	d->v6 = fr->v6;
	d->id = fr->id;
	if (!fr->v6)
		d->proto = fr->proto;
	memcpy(d->src, fr->src, fr->alen);
	memcpy(d->dst, fr->dst, fr->alen);
	d->expire_us = now + REASM_TIMEOUT_US;
	return d;
}

static uint8_t *slot_data(struct reasm *r, const struct dgram *d)
{
	return r->data[d - r->d];
}

/* blocks of [@first, @last) already held: 0, some (-1) or all (1) */
static int blocks_held(const struct dgram *d, size_t first, size_t last)
{
	size_t b, n = 0;

	for (b = first; b < last; b++)
		n += (d->map[b / 64] >> (b % 64)) & 1;
	return n == 0 ? 0 : n == last - first ? 1 : -1;
}

static void mark_blocks(struct dgram *d, size_t first, size_t last)
{
	size_t b;

	for (b = first; b < last; b++)
		d->map[b / 64] |= (uint64_t)1 << (b % 64);
}

/* does @fr agree with what @d already knows? */
static bool consistent(const struct dgram *d, const struct frag *fr)
{
	size_t end = fr->off + fr->plen;

	if (fr->plen == 0 || end > IP_MAX - (fr->v6 ? 0 : FRAME_IP4_LEN))
		return false;
	if (fr->more && fr->plen % 8)
		return false;
	if (!fr->more && d->maxend > end)
		return false; /* data beyond the end */
	if (d->have_last && (fr->more ? end >= d->total : end != d->total))
		return false;
	return true;
}

/* room for @n more bytes, letting the oldest other datagrams go */
static bool make_room(struct reasm *r, const struct dgram *keep, size_t n,
		      struct reasm_stats *st)
{
	while (r->held + n > REASM_BYTES) {
		struct dgram *o = oldest(r, keep);

		if (!o)
			return false;
		release(r, o);
		st->dropped++;
	}
	return true;
}

/* the whole datagram of @d, headers rewritten, at *@ret_frame */
static bool finish(struct reasm *r, struct dgram *d, const uint8_t **ret_frame,
		   size_t *ret_len)
{
	uint8_t *out = slot_data(r, d) + HDR_ROOM - d->hlen;
	uint8_t *ip = out + FRAME_ETH_LEN;
	size_t iplen = d->hlen - FRAME_ETH_LEN + d->total;
	uint32_t sum = 0;
	size_t i;

	if (d->v6) {
		if (iplen - FRAME_IP6_LEN > IP_MAX)
			return false;
		out[d->nh_off] = d->proto;
		put16(ip + 4, (uint16_t)(iplen - FRAME_IP6_LEN));
	} else {
		if (iplen > IP_MAX)
			return false;
		put16(ip + 2, (uint16_t)iplen);
		put16(ip + 6, 0);
		put16(ip + 10, 0);
		for (i = 0; i < d->hlen - FRAME_ETH_LEN; i += 2)
			sum += get16(ip + i);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		put16(ip + 10, (uint16_t)~sum);
	}
	*ret_frame = out;
	*ret_len = d->hlen + d->total;
	return true;
}

/* a fragment whose datagram goes: count it, and free the slot */
static enum reasm_result drop(struct reasm *r, struct dgram *d,
			      struct reasm_stats *st)
{
	release(r, d);
	st->dropped++;
	return REASM_DROP;
}

static enum reasm_result add(struct reasm *r, const struct frag *fr,
			     const uint8_t *f, int64_t now,
			     struct reasm_stats *st, const uint8_t **ret_frame,
			     size_t *ret_len)
{
	struct dgram *d = find(r, fr);
	size_t end = fr->off + fr->plen;
	size_t first = fr->off / 8, last = (end + 7) / 8;
	uint8_t *data;
	int held;

	if (!d)
		d = start(r, fr, now, st);
	data = slot_data(r, d);
	if (!consistent(d, fr))
		return drop(r, d, st);
	held = blocks_held(d, first, last);
	if (held == 1 &&
	    !memcmp(data + HDR_ROOM + fr->off, fr->payload, fr->plen))
		return REASM_HELD; /* a copy: changes nothing */
	if (held)
		return drop(r, d, st);
	if (!make_room(r, d, fr->plen, st))
		return drop(r, d, st);
	memcpy(data + HDR_ROOM + fr->off, fr->payload, fr->plen);
	mark_blocks(d, first, last);
	d->held += fr->plen;
	r->held += fr->plen;
	if (end > d->maxend)
		d->maxend = end;
	if (fr->off == 0) {
		memcpy(data + HDR_ROOM - fr->hlen, f, fr->hlen);
		d->hlen = fr->hlen;
		d->nh_off = fr->nh_off;
		d->proto = fr->proto;
		d->have_first = true;
	}
	if (!fr->more) {
		d->total = end;
		d->have_last = true;
	}
	if (!d->have_first || !d->have_last || d->held != d->total)
		return REASM_HELD;
	if (!finish(r, d, ret_frame, ret_len))
		return drop(r, d, st);
	/* the slot is free again; its bytes stay until the next call */
	release(r, d);
	st->reassembled++;
	return REASM_DONE;
}

enum reasm_result reasm_input(struct reasm **rp, const uint8_t *f, size_t len,
			      int64_t (*now_us)(void), struct reasm_stats *st,
			      const uint8_t **ret_frame, size_t *ret_len)
{
	struct frag fr;
	int64_t now;
	int rc = parse(f, len, &fr);

	if (rc == 0)
		return REASM_PASS;
	st->fragments++;
	if (rc < 0) {
		st->dropped++;
		return REASM_DROP;
	}
	if (!*rp) {
		void *p =
		    mmap(NULL, sizeof(struct reasm), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			st->dropped++;
			return REASM_DROP;
		}
		*rp = p;
	}
	now = now_us();
	expire(*rp, now, st);
	return add(*rp, &fr, f, now, st, ret_frame, ret_len);
}

unsigned int reasm_idle(struct reasm **rp)
{
	unsigned int i, n = 0;

	if (!*rp)
		return 0;
	for (i = 0; i < REASM_SLOTS; i++)
		n += (*rp)->d[i].used;
	munmap(*rp, sizeof(struct reasm));
	*rp = NULL;
	return n;
}
