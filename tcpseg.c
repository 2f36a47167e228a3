/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcpseg.c - parse TCP segments from the guest, build those to it
 *
 * Frames from the guest are hostile: every field is read only after the
 * length check that covers it. Checksums follow RFC 1071, the TCP
 * pseudo-header RFC 9293 section 3.1 (IPv4) and RFC 8200 section 8.1.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "frame.h"
#include "tcpseg.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define PROTO_TCP 6

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* the MSS and window scale options of a SYN, timestamps on any segment;
 * the rest is skipped */
static void parse_options(const uint8_t *o, size_t len, struct tcpseg *s)
{
	size_t i = 0;

	while (i < len) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			break;
		if (o[i] == 2 && o[i + 1] == 4)
			s->mss = get16(o + i + 2);
		else if (o[i] == 3 && o[i + 1] == 3)
			s->wscale = o[i + 2] > 14 ? 14 : o[i + 2];
		else if (o[i] == 8 && o[i + 1] == 10) {
			s->ts = true;
			s->ts_val = get32(o + i + 2);
			s->ts_ecr = get32(o + i + 6);
		}
		i += o[i + 1];
	}
}

int tcpseg_parse(const uint8_t *f, size_t len, struct tcpseg *s)
{
	const uint8_t *ip = f + FRAME_ETH_LEN, *th;
	size_t tot, thl;

	if (len < FRAME_ETH_LEN + 40)
		return -EINVAL;
	switch (get16(f + 12)) {
	case ETHERTYPE_IPV4:
		/* no options, no fragments: the guest's kernel sends
		 * neither for TCP */
		if (ip[0] != 0x45 || ip[9] != PROTO_TCP ||
		    (get16(ip + 6) & 0x3fff))
			return -EINVAL;
		tot = get16(ip + 2);
		if (tot < 20 + FRAME_TCP_LEN || FRAME_ETH_LEN + tot > len)
			return -EINVAL;
		s->v6 = false;
		s->saddr = ip + 12;
		s->daddr = ip + 16;
		th = ip + 20;
		tot -= 20;
		break;
	case ETHERTYPE_IPV6:
		if ((ip[0] >> 4) != 6 || ip[6] != PROTO_TCP)
			return -EINVAL;
		tot = get16(ip + 4);
		if (tot < FRAME_TCP_LEN || FRAME_ETH_LEN + 40 + tot > len)
			return -EINVAL;
		s->v6 = true;
		s->saddr = ip + 8;
		s->daddr = ip + 24;
		th = ip + 40;
		break;
	default:
		return -EINVAL;
	}
	thl = (size_t)(th[12] >> 4) * 4;
	if (thl < FRAME_TCP_LEN || thl > tot)
		return -EINVAL;
	s->smac = f + 6;
	s->dmac = f;
	s->sport = get16(th);
	s->dport = get16(th + 2);
	s->seq = get32(th + 4);
	s->ack = get32(th + 8);
	s->flags = th[13];
	s->win = get16(th + 14);
	s->mss = -1;
	s->wscale = -1;
	s->ts = false;
	if (thl > FRAME_TCP_LEN)
		parse_options(th + FRAME_TCP_LEN, thl - FRAME_TCP_LEN, s);
	s->data = th + thl;
	s->dlen = tot - thl;
	return 0;
}

size_t tcpseg_build(uint8_t *buf, const struct tcpseg_out *o,
		    size_t *ret_csum_start)
{
	size_t iphl = o->v6 ? 40 : 20;
	size_t optl = (o->flags & TCPSEG_SYN ? 8 : 0) + (o->ts ? 12 : 0);
	size_t thl = FRAME_TCP_LEN + optl, l4 = FRAME_ETH_LEN + iphl;
	size_t l4len = thl + o->dlen;
	uint8_t *ip = buf + FRAME_ETH_LEN, *th = buf + l4;
	uint64_t sum;
	uint16_t c;

	memcpy(buf, o->dmac, 6);
	memcpy(buf + 6, o->smac, 6);
	if (o->v6) {
		put16(buf + 12, ETHERTYPE_IPV6);
		put32(ip, 0x60000000);
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = PROTO_TCP;
		ip[7] = 64;
		memcpy(ip + 8, o->saddr, 16);
		memcpy(ip + 24, o->daddr, 16);
		sum = frame_sum(ip + 8, 32);
	} else {
		put16(buf + 12, ETHERTYPE_IPV4);
		ip[0] = 0x45;
		ip[1] = 0;
		put16(ip + 2, (uint16_t)(iphl + l4len));
		put16(ip + 4, o->ip_id);
		put16(ip + 6, 0x4000); /* DF */
		ip[8] = 64;
		ip[9] = PROTO_TCP;
		memset(ip + 10, 0, 2);
		memcpy(ip + 12, o->saddr + 12, 4);
		memcpy(ip + 16, o->daddr + 12, 4);
		c = (uint16_t)~frame_fold(frame_sum(ip, 20));
		memcpy(ip + 10, &c, 2);
		sum = frame_sum(ip + 12, 8);
	}
	put16(th, o->sport);
	put16(th + 2, o->dport);
	put32(th + 4, o->seq);
	put32(th + 8, o->ack);
	th[12] = (uint8_t)((thl / 4) << 4);
	th[13] = o->flags;
	put16(th + 14, o->win);
	memset(th + 16, 0, 4);
	if (o->flags & TCPSEG_SYN) {
		th[20] = 2; /* MSS */
		th[21] = 4;
		put16(th + 22, o->mss);
		th[24] = 1; /* NOP, and window scale if the guest offered */
		th[25] = 3;
		th[26] = 3;
		th[27] = (uint8_t)(o->wscale < 0 ? 0 : o->wscale);
		if (o->wscale < 0)
			memset(th + 24, 1, 4);
	}
	if (o->ts) { /* NOP, NOP, timestamps; SACK is never offered */
		uint8_t *p = th + thl - 12;

		p[0] = p[1] = 1;
		p[2] = 8;
		p[3] = 10;
		put32(p + 4, o->ts_val);
		put32(p + 8, o->ts_ecr);
	}
	sum += htons(PROTO_TCP) + htons((uint16_t)(l4len >> 16)) +
	       htons((uint16_t)l4len);
	c = frame_fold(sum);
	memcpy(th + 16, &c, 2);
	*ret_csum_start = l4;
	return l4 + thl;
}

void tcpseg_csum(uint8_t *buf, size_t l4, size_t hlen, const uint8_t *data,
		 size_t dlen)
{
	uint64_t sum = frame_sum(buf + l4, hlen - l4);
	uint16_t c;

	/* the pseudo-header sum already sits in the checksum field */
	/* the headers' length is even: the payload's words line up */
	sum += frame_sum(data, dlen);
	c = (uint16_t)~frame_fold(sum);
	memcpy(buf + l4 + 16, &c, 2);
}

uint32_t tcpseg_window(uint32_t sndbuf, uint32_t queued, uint32_t seg)
{
	if (queued >= sndbuf || !seg)
		return 0;
	return (uint32_t)((uint64_t)(sndbuf - queued) * seg /
			  (seg + TCPSEG_SKB_OVERHEAD));
}

uint32_t tcpseg_queued_guess(uint32_t outq, uint32_t seg)
{
	uint64_t q;

	if (!seg)
		return UINT32_MAX;
	q = outq + ((uint64_t)outq + seg - 1) / seg * TCPSEG_SKB_OVERHEAD;
	return q > UINT32_MAX ? UINT32_MAX : (uint32_t)q;
}
