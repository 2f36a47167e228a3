/* SPDX-License-Identifier: GPL-2.0-or-later */
/* frame.c - pure helpers on Ethernet frames for the offload path
 *
 * Frames from the guest are hostile: every header is reached through
 * l3_view(), which checks that the Ethernet, IP and TCP headers it points
 * to lie inside the frame, before any field is read. Frames from libslirp
 * are ours, but go through the same checks.
 *
 * Checksums follow RFC 1071; the TCP pseudo-header is RFC 793 (IPv4) and
 * RFC 8200 section 8.1 (IPv6).
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>

#include "frame.h"

_Static_assert(FRAME_ETH_LEN == sizeof(struct ether_header), "Ethernet");
_Static_assert(FRAME_IP4_LEN == sizeof(struct iphdr), "IPv4");
_Static_assert(FRAME_IP6_LEN == sizeof(struct ip6_hdr), "IPv6");
_Static_assert(FRAME_TCP_LEN == sizeof(struct tcphdr), "TCP");

/* Fields are read and written byte by byte at these offsets, never
 * through a struct pointer: in a frame, the IP header starts 14 bytes in,
 * off the alignment a struct iphdr needs. */
#define ETH_DST offsetof(struct ether_header, ether_dhost)
#define ETH_SRC offsetof(struct ether_header, ether_shost)
#define ETH_TYPE offsetof(struct ether_header, ether_type)

#define IP_VERSION_IHL 0 /* version << 4 | header length in 32-bit words */
#define IP4_TOT_LEN offsetof(struct iphdr, tot_len)
#define IP4_FRAG offsetof(struct iphdr, frag_off) /* IP_MF | IP_OFFMASK */
#define IP4_TTL offsetof(struct iphdr, ttl)
#define IP4_PROTO offsetof(struct iphdr, protocol)
#define IP4_CSUM offsetof(struct iphdr, check)
#define IP4_SRC offsetof(struct iphdr, saddr)
#define IP4_DST offsetof(struct iphdr, daddr)

#define IP6_PLEN offsetof(struct ip6_hdr, ip6_plen)
#define IP6_NXT offsetof(struct ip6_hdr, ip6_nxt)
#define IP6_HLIM offsetof(struct ip6_hdr, ip6_hlim)
#define IP6_SRC offsetof(struct ip6_hdr, ip6_src)
#define IP6_DST offsetof(struct ip6_hdr, ip6_dst)

#define TCP_SPORT offsetof(struct tcphdr, th_sport)
#define TCP_DPORT offsetof(struct tcphdr, th_dport)
#define TCP_SEQ offsetof(struct tcphdr, th_seq)
#define TCP_ACK offsetof(struct tcphdr, th_ack)
#define TCP_FLAGS offsetof(struct tcphdr, th_flags)
#define TCP_DOFF (TCP_FLAGS - 1) /* data offset << 4, in 32-bit words */
#define TCP_CSUM offsetof(struct tcphdr, th_sum)

/* RFC 3168's Congestion Window Reduced flag; glibc names only the six of
 * RFC 793 */
#ifndef TH_CWR
#define TH_CWR 0x80
#endif

/* the hop limit of the resets we make, Linux's default (ip_default_ttl) */
#define RST_TTL 64

/* the layer 3 and 4 headers of a frame, all inside it */
struct l3_view {
	bool v6;
	size_t l3;  /* offset of the IP header */
	size_t l4;  /* offset of the transport header */
	size_t end; /* end of the IP packet (<= frame length) */
	uint8_t proto;
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

/* Fill @v for an IPv4 or IPv6 frame; IPv6 extension headers are not
 * followed (the transport is then not TCP for our purposes). */
static int l3_view(const uint8_t *f, size_t len, struct l3_view *v)
{
	size_t ihl, tot;

	if (len < FRAME_ETH_LEN)
		return -EINVAL;
	v->l3 = FRAME_ETH_LEN;
	switch (get16(f + ETH_TYPE)) {
	case ETHERTYPE_IP:
		if (len < v->l3 + FRAME_IP4_LEN ||
		    (f[v->l3 + IP_VERSION_IHL] >> 4) != 4)
			return -EINVAL;
		ihl = (size_t)(f[v->l3 + IP_VERSION_IHL] & 0x0f) * 4;
		tot = get16(f + v->l3 + IP4_TOT_LEN);
		if (ihl < FRAME_IP4_LEN || tot < ihl || v->l3 + tot > len)
			return -EINVAL;
		v->v6 = false;
		v->l4 = v->l3 + ihl;
		v->end = v->l3 + tot;
		v->proto = f[v->l3 + IP4_PROTO];
		return 0;
	case ETHERTYPE_IPV6:
		if (len < v->l3 + FRAME_IP6_LEN ||
		    (f[v->l3 + IP_VERSION_IHL] >> 4) != 6)
			return -EINVAL;
		tot = FRAME_IP6_LEN + get16(f + v->l3 + IP6_PLEN);
		if (v->l3 + tot > len)
			return -EINVAL;
		v->v6 = true;
		v->l4 = v->l3 + FRAME_IP6_LEN;
		v->end = v->l3 + tot;
		v->proto = f[v->l3 + IP6_NXT];
		return 0;
	default:
		return -EINVAL;
	}
}

/* TCP header length of a TCP packet in @v, or 0 if it does not fit */
static size_t tcp_hdr_len(const uint8_t *f, const struct l3_view *v)
{
	size_t thl;

	if (v->proto != IPPROTO_TCP || v->end < v->l4 + FRAME_TCP_LEN)
		return 0;
	thl = (size_t)(f[v->l4 + TCP_DOFF] >> 4) * 4;
	if (thl < FRAME_TCP_LEN || v->l4 + thl > v->end)
		return 0;
	return thl;
}

uint64_t frame_sum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;
	uint32_t w;

	while (len >= 4) {
		memcpy(&w, p, 4);
		sum += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;

		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint16_t h = 0;

		memcpy(&h, p, 1); /* zero pad, in memory order */
		sum += h;
	}
	return sum;
}

/* pseudo-header sum for the transport payload of @v, in memory order */
static uint64_t pseudo_sum(const uint8_t *f, const struct l3_view *v)
{
	uint16_t n[2];
	uint64_t sum;
	size_t l4len = v->end - v->l4;

	/* the source and destination addresses, next to each other */
	if (v->v6)
		sum =
		    frame_sum(f + v->l3 + IP6_SRC, 2 * sizeof(struct in6_addr));
	else
		sum =
		    frame_sum(f + v->l3 + IP4_SRC, 2 * sizeof(struct in_addr));
	n[0] = htons((uint16_t)(l4len >> 16));
	n[1] = htons((uint16_t)l4len);
	sum += n[0] + n[1];
	return sum + htons(v->proto);
}

int frame_complete_csum(uint8_t *f, size_t len, size_t start, size_t off)
{
	uint16_t c;

	if (start < FRAME_ETH_LEN || start > len || off > len - start ||
	    len - start - off < 2)
		return -EINVAL;
	c = (uint16_t)~frame_fold(frame_sum(f + start, len - start));
	memcpy(f + start + off, &c, 2);
	return 0;
}

/* offset of the MSS option's value in the TCP header at @tcp, or 0 */
static size_t find_mss(const uint8_t *tcp, size_t thl)
{
	size_t i = FRAME_TCP_LEN;

	while (i < thl) {
		uint8_t kind = tcp[i];

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= thl || tcp[i + 1] < 2 || i + tcp[i + 1] > thl)
			break;
		if (kind == TCPOPT_MAXSEG)
			return tcp[i + 1] == TCPOLEN_MAXSEG ? i + 2 : 0;
		i += tcp[i + 1];
	}
	return 0;
}

int frame_adjust_mss(uint8_t *f, size_t len, uint16_t mss, bool raise)
{
	struct l3_view v;
	size_t thl, opt;
	uint16_t c;

	if (l3_view(f, len, &v) < 0)
		return 0;
	thl = tcp_hdr_len(f, &v);
	if (!thl || !(f[v.l4 + TCP_FLAGS] & TH_SYN))
		return 0;
	if (!v.v6 && (get16(f + v.l3 + IP4_FRAG) & (IP_MF | IP_OFFMASK)))
		return 0; /* a fragment */
	opt = find_mss(f + v.l4, thl);
	if (!opt || get16(f + v.l4 + opt) == mss ||
	    (get16(f + v.l4 + opt) < mss && !raise))
		return 0;
	put16(f + v.l4 + opt, mss);
	/* a SYN is a few dozen bytes: recompute rather than patch */
	memset(f + v.l4 + TCP_CSUM, 0, 2);
	c = (uint16_t)~frame_fold(pseudo_sum(f, &v) +
				  frame_sum(f + v.l4, v.end - v.l4));
	memcpy(f + v.l4 + TCP_CSUM, &c, 2);
	return 1;
}

bool frame_is_syn(const uint8_t *f, size_t len)
{
	struct l3_view v;

	if (l3_view(f, len, &v) < 0 || !tcp_hdr_len(f, &v))
		return false;
	if (!v.v6 && (get16(f + v.l3 + IP4_FRAG) & IP_OFFMASK))
		return false; /* a later fragment: no TCP header there */
	return (f[v.l4 + TCP_FLAGS] & (TH_SYN | TH_ACK)) == TH_SYN;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

ssize_t frame_tcp_rst(const uint8_t *syn, size_t len, uint8_t *out,
		      size_t outlen)
{
	struct l3_view v, o;
	size_t thl, iphl, n;
	uint16_t c;

	if (!frame_is_syn(syn, len) || l3_view(syn, len, &v) < 0)
		return -EINVAL;
	thl = tcp_hdr_len(syn, &v);
	iphl = v.v6 ? FRAME_IP6_LEN : FRAME_IP4_LEN;
	n = FRAME_ETH_LEN + iphl + FRAME_TCP_LEN;
	if (outlen < n)
		return -ENOSPC;
	memset(out, 0, n);
	/* Ethernet: back to the sender, from the address it sent to */
	memcpy(out + ETH_DST, syn + ETH_SRC, ETH_ALEN);
	memcpy(out + ETH_SRC, syn + ETH_DST, ETH_ALEN);
	memcpy(out + ETH_TYPE, syn + ETH_TYPE, 2);
	o = (struct l3_view){.v6 = v.v6,
			     .l3 = FRAME_ETH_LEN,
			     .l4 = FRAME_ETH_LEN + iphl,
			     .end = n,
			     .proto = IPPROTO_TCP};
	if (v.v6) {
		out[o.l3 + IP_VERSION_IHL] = 6 << 4;
		put16(out + o.l3 + IP6_PLEN, FRAME_TCP_LEN);
		out[o.l3 + IP6_NXT] = IPPROTO_TCP;
		out[o.l3 + IP6_HLIM] = RST_TTL;
		memcpy(out + o.l3 + IP6_SRC, syn + v.l3 + IP6_DST,
		       sizeof(struct in6_addr));
		memcpy(out + o.l3 + IP6_DST, syn + v.l3 + IP6_SRC,
		       sizeof(struct in6_addr));
	} else {
		out[o.l3 + IP_VERSION_IHL] = 4 << 4 | FRAME_IP4_LEN / 4;
		put16(out + o.l3 + IP4_TOT_LEN,
		      (uint16_t)(iphl + FRAME_TCP_LEN));
		put16(out + o.l3 + IP4_FRAG, IP_DF);
		out[o.l3 + IP4_TTL] = RST_TTL;
		out[o.l3 + IP4_PROTO] = IPPROTO_TCP;
		memcpy(out + o.l3 + IP4_SRC, syn + v.l3 + IP4_DST,
		       sizeof(struct in_addr));
		memcpy(out + o.l3 + IP4_DST, syn + v.l3 + IP4_SRC,
		       sizeof(struct in_addr));
		c = (uint16_t)~frame_fold(frame_sum(out + o.l3, FRAME_IP4_LEN));
		memcpy(out + o.l3 + IP4_CSUM, &c, 2);
	}
	/* TCP: acknowledges the SYN (and any data it carried), as a host
	 * with nothing listening does (RFC 9293 3.10.7.1) */
	put16(out + o.l4 + TCP_SPORT, get16(syn + v.l4 + TCP_DPORT));
	put16(out + o.l4 + TCP_DPORT, get16(syn + v.l4 + TCP_SPORT));
	put32(out + o.l4 + TCP_ACK,
	      get32(syn + v.l4 + TCP_SEQ) + 1 + (uint32_t)(v.end - v.l4 - thl));
	out[o.l4 + TCP_DOFF] = (FRAME_TCP_LEN / 4) << 4;
	out[o.l4 + TCP_FLAGS] = TH_RST | TH_ACK;
	c = (uint16_t)~frame_fold(pseudo_sum(out, &o) +
				  frame_sum(out + o.l4, FRAME_TCP_LEN));
	memcpy(out + o.l4 + TCP_CSUM, &c, 2);
	return (ssize_t)n;
}

ssize_t frame_gso_prepare(const uint8_t *f, size_t len, unsigned int mtu,
			  struct virtio_net_hdr *ret, uint8_t *hdrs,
			  size_t hdrs_size)
{
	struct l3_view v;
	size_t thl, l34;
	uint16_t c;

	if (l3_view(f, len, &v) < 0)
		return -ENOTSUP;
	thl = tcp_hdr_len(f, &v);
	if (!thl)
		return -ENOTSUP;
	l34 = v.l4 - v.l3 + thl;
	if (mtu <= l34 || v.l4 + thl > hdrs_size)
		return -ENOTSUP;
	memset(ret, 0, sizeof(*ret));
	/* As a TSO-capable NIC is handed a packet: the checksum field holds
	 * the pseudo-header sum and the kernel completes each segment. */
	ret->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	if (v.end - v.l3 > mtu) {
		ret->gso_type =
		    v.v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
		if (f[v.l4 + TCP_FLAGS] & TH_CWR) /* first segment only */
			ret->gso_type |= VIRTIO_NET_HDR_GSO_ECN;
		ret->gso_size = htole16((uint16_t)(mtu - l34));
	}
	ret->hdr_len = htole16((uint16_t)(v.l4 + thl));
	ret->csum_start = htole16((uint16_t)v.l4);
	ret->csum_offset = htole16(TCP_CSUM);
	memcpy(hdrs, f, v.l4 + thl);
	c = frame_fold(pseudo_sum(f, &v));
	memcpy(hdrs + v.l4 + TCP_CSUM, &c, 2);
	return (ssize_t)(v.l4 + thl);
}

ssize_t frame_fragment4(const uint8_t *f, size_t len, unsigned int mtu,
			size_t *pos, uint8_t *out, size_t outlen)
{
	struct l3_view v;
	size_t ihl, payload, chunk, n, flen;
	uint16_t frag, off8, c;

	if (l3_view(f, len, &v) < 0 || v.v6)
		return -ENOTSUP;
	ihl = v.l4 - v.l3;
	payload = v.end - v.l4;
	if (*pos >= payload)
		return 0;
	if (mtu < ihl + 8)
		return -ENOTSUP;
	chunk = (mtu - ihl) & ~(size_t)7;
	n = payload - *pos < chunk ? payload - *pos : chunk;
	flen = v.l4 + n;
	if (flen > outlen)
		return -ENOSPC;
	frag = get16(f + v.l3 + IP4_FRAG);
	off8 = (uint16_t)((frag & IP_OFFMASK) + *pos / 8);
	if (off8 > IP_OFFMASK)
		return -ENOTSUP;
	memcpy(out, f, v.l4);
	memcpy(out + v.l4, f + v.l4 + *pos, n);
	/* more fragments follow unless this is the last piece of a packet
	 * that was itself the last; DF cannot hold once we fragment */
	put16(out + v.l3 + IP4_FRAG,
	      (uint16_t)(off8 |
			 ((*pos + n < payload || (frag & IP_MF)) ? IP_MF : 0)));
	put16(out + v.l3 + IP4_TOT_LEN, (uint16_t)(ihl + n));
	memset(out + v.l3 + IP4_CSUM, 0, 2);
	c = (uint16_t)~frame_fold(frame_sum(out + v.l3, ihl));
	memcpy(out + v.l3 + IP4_CSUM, &c, 2);
	*pos += n;
	return (ssize_t)flen;
}
