/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-frame.c - unit tests for frame.c: checksums, MSS, GSO, fragments
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "frame.h"
#include "tests/taptest.h"

static uint8_t f[70000];

static uint32_t sum16(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	return s;
}

static uint16_t fold16(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* IPv4 frame: Ethernet + 20-byte IP header + @l4len bytes of @proto */
static size_t build4(uint8_t proto, size_t l4len)
{
	size_t tot = 20 + l4len;

	memset(f, 0, 14 + tot);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = (uint8_t)(tot >> 8);
	f[17] = (uint8_t)tot;
	f[22] = 64;
	f[23] = proto;
	f[26] = 10, f[27] = 0, f[28] = 2, f[29] = 100; /* source */
	f[30] = 10, f[31] = 0, f[32] = 2, f[33] = 2;   /* destination */
	return 14 + tot;
}

static uint32_t pseudo4(uint8_t proto, size_t l4len)
{
	return sum16(f + 26, 8) + proto + (uint32_t)l4len;
}

/* does the transport checksum of the IPv4 frame verify? */
static bool l4_ok4(size_t len, uint8_t proto)
{
	size_t l4len = len - 34;

	return fold16(pseudo4(proto, l4len) + sum16(f + 34, l4len)) == 0xffff;
}

static bool ip_ok(const uint8_t *p)
{
	return fold16(sum16(p + 14, 20)) == 0xffff;
}

static void test_complete_csum(void)
{
	size_t len = build4(17, 8 + 999), i;
	uint16_t ps;

	for (i = 42; i < len; i++)
		f[i] = (uint8_t)(i * 7);
	f[34] = 0x30, f[35] = 0x39, f[36] = 0, f[37] = 53;
	f[38] = (uint8_t)((8 + 999) >> 8), f[39] = (uint8_t)(8 + 999);
	/* what a guest with TX checksum offload leaves: the pseudo sum */
	ps = fold16(pseudo4(17, 8 + 999));
	f[40] = (uint8_t)(ps >> 8), f[41] = (uint8_t)ps;
	ok(frame_complete_csum(f, len, 34, 6) == 0, "complete UDP checksum");
	ok(l4_ok4(len, 17), "completed UDP checksum verifies (odd length)");
	ok(frame_complete_csum(f, len, 10, 6) == -EINVAL,
	   "start inside the Ethernet header refused");
	ok(frame_complete_csum(f, len, len - 1, 0) == -EINVAL,
	   "field past the end refused");
	ok(frame_complete_csum(f, len, 34, 0xffff) == -EINVAL,
	   "huge offset refused");
	ok(frame_complete_csum(f, len, len + 5, 0) == -EINVAL,
	   "start past the end refused");
}

/* a TCP SYN with options @opt of @optlen bytes (a multiple of 4) */
static size_t build_syn(const uint8_t *opt, size_t optlen, uint8_t flags)
{
	size_t len = build4(6, 20 + optlen);
	uint16_t c;

	f[34] = 0x9c, f[35] = 0x40, f[37] = 80;
	f[46] = (uint8_t)((5 + optlen / 4) << 4);
	f[47] = flags;
	f[48] = 0xff, f[49] = 0xff;
	memcpy(f + 54, opt, optlen);
	c = (uint16_t)~fold16(pseudo4(6, 20 + optlen) +
			      sum16(f + 34, 20 + optlen));
	f[50] = (uint8_t)(c >> 8), f[51] = (uint8_t)c;
	return len;
}

static void test_raise_mss(void)
{
	static const uint8_t mss1460[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};
	static const uint8_t nop_first[] = {1, 1, 1, 2, 4, 0x05, 0xb4, 0};
	static const uint8_t bad_len[] = {3, 0, 2, 4, 0x05, 0xb4, 0, 0};
	static const uint8_t overrun[] = {1, 1, 1, 2, 4, 0x05, 0xb4, 8};
	size_t len;

	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	ok(l4_ok4(len, 6), "test SYN verifies");
	ok(frame_adjust_mss(f, len, 65480, true) == 1, "SYN MSS raised");
	ok(f[56] == 0xff && f[57] == 0xc8, "MSS is now 65480");
	ok(l4_ok4(len, 6), "checksum still verifies");
	ok(frame_adjust_mss(f, len, 65480, true) == 0,
	   "already high: unchanged");

	ok(frame_adjust_mss(f, len, 32768, false) == 1 && f[56] == 0x80 &&
	       f[57] == 0x00 && l4_ok4(len, 6),
	   "MSS above the limit lowered to 32768, checksum verifies");
	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	ok(frame_adjust_mss(f, len, 32768, false) == 0 && f[56] == 0x05,
	   "MSS below the limit kept without raise");

	len = build_syn(nop_first, sizeof(nop_first), 0x12);
	ok(frame_adjust_mss(f, len, 65480, true) == 1 && l4_ok4(len, 6),
	   "SYN-ACK with MSS at an odd offset raised and verifies");

	len = build_syn(mss1460, sizeof(mss1460), 0x10);
	ok(frame_adjust_mss(f, len, 65480, true) == 0 && f[56] == 0x05,
	   "plain ACK untouched");
	len = build_syn(bad_len, sizeof(bad_len), 0x02);
	ok(frame_adjust_mss(f, len, 65480, true) == 0,
	   "option length 0: stops");
	len = build_syn(overrun, sizeof(overrun), 0x02);
	ok(frame_adjust_mss(f, len, 65480, true) == 1,
	   "MSS before a bad option");
	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	ok(frame_adjust_mss(f, len - 30, 65480, true) == 0, "truncated frame");
	f[46] = 0xf0; /* data offset 60 > segment */
	ok(frame_adjust_mss(f, len, 65480, true) == 0, "bad data offset");
}

static void test_is_syn(void)
{
	static const uint8_t mss1460[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};
	size_t len;

	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	ok(frame_is_syn(f, len), "SYN opens a connection");
	len = build_syn(mss1460, sizeof(mss1460), 0x12);
	ok(!frame_is_syn(f, len), "SYN-ACK does not");
	len = build_syn(mss1460, sizeof(mss1460), 0x10);
	ok(!frame_is_syn(f, len), "ACK does not");
	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	f[20] = 0x00, f[21] = 0x10; /* fragment offset 128 bytes */
	ok(!frame_is_syn(f, len), "a later fragment is not read as TCP");
	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	f[23] = 17;
	ok(!frame_is_syn(f, len), "UDP is not TCP");
	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	ok(!frame_is_syn(f, 40), "truncated frame");
	ok(!frame_is_syn(f, 10), "shorter than Ethernet");
}

/* does the TCP checksum of the IPv6 frame @p (no extension headers)
 * verify? */
static bool l4_ok6(const uint8_t *p, size_t len)
{
	size_t l4len = len - 54;

	return fold16(sum16(p + 22, 32) + 6 + (uint32_t)l4len +
		      sum16(p + 54, l4len)) == 0xffff;
}

static void test_tcp_rst(void)
{
	static const uint8_t mss1460[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2};
	uint8_t out[80], syn[200];
	size_t len;
	ssize_t n;

	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	f[6] = 0x02, f[11] = 0x64; /* guest MAC */
	f[0] = 0x52, f[5] = 0x02;  /* gateway MAC */
	f[38] = 0x11, f[39] = 0x22, f[40] = 0x33, f[41] = 0x44; /* seq */
	memcpy(syn, f, len);
	n = frame_tcp_rst(syn, len, out, sizeof(out));
	ok(n == 54, "IPv4 RST: 54 bytes (%zd)", n);
	ok(!memcmp(out, syn + 6, 6) && !memcmp(out + 6, syn, 6),
	   "IPv4 RST: Ethernet addresses swapped");
	ok(!memcmp(out + 26, syn + 30, 4) && !memcmp(out + 30, syn + 26, 4),
	   "IPv4 RST: IP addresses swapped");
	ok(ip_ok(out) && out[23] == 6 && out[22] == 64,
	   "IPv4 RST: IP header checksum, protocol, TTL");
	ok(!memcmp(out + 34, syn + 36, 2) && !memcmp(out + 36, syn + 34, 2),
	   "IPv4 RST: ports swapped");
	ok(out[47] == 0x14 && out[46] == 0x50, "IPv4 RST: RST+ACK, 20 bytes");
	ok(out[42] == 0x11 && out[43] == 0x22 && out[44] == 0x33 &&
	       out[45] == 0x45,
	   "IPv4 RST: acknowledges the SYN (seq + 1)");
	memcpy(f, out, 54);
	ok(l4_ok4(54, 6), "IPv4 RST: TCP checksum verifies");

	/* a SYN with 10 bytes of data (TCP Fast Open style) */
	len = build4(6, 30);
	f[46] = 0x50, f[47] = 0x02, f[41] = 0xff;
	n = frame_tcp_rst(f, len, out, sizeof(out));
	ok(n == 54 && out[45] == 0x0a && out[44] == 0x01,
	   "RST acknowledges a SYN's data too (seq + 1 + 10)");

	len = build_syn(mss1460, sizeof(mss1460), 0x12);
	ok(frame_tcp_rst(f, len, out, sizeof(out)) == -EINVAL,
	   "no RST for a SYN-ACK");
	len = build_syn(mss1460, sizeof(mss1460), 0x02);
	ok(frame_tcp_rst(f, len, out, 53) == -ENOSPC, "-ENOSPC below 54 bytes");

	/* IPv6: fd00::100 port 40000 -> fd00::2 port 80 */
	memset(syn, 0, sizeof(syn));
	syn[12] = 0x86, syn[13] = 0xdd;
	syn[14] = 0x60, syn[19] = 20, syn[20] = 6, syn[21] = 64;
	syn[22] = 0xfd, syn[36] = 0x01;		      /* src fd00::100 */
	syn[38] = 0xfd, syn[53] = 0x02;		      /* dst fd00::2 */
	syn[54] = 0x9c, syn[55] = 0x40, syn[57] = 80; /* ports */
	syn[61] = 0x07;				      /* seq 7 */
	syn[66] = 0x50, syn[67] = 0x02;		      /* SYN */
	n = frame_tcp_rst(syn, 74, out, sizeof(out));
	ok(n == 74, "IPv6 RST: 74 bytes (%zd)", n);
	ok(!memcmp(out + 22, syn + 38, 16) && !memcmp(out + 38, syn + 22, 16),
	   "IPv6 RST: addresses swapped");
	ok(out[14] == 0x60 && out[19] == 20 && out[20] == 6,
	   "IPv6 RST: version, payload length, next header");
	ok(out[67] == 0x14 && out[65] == 0x08 && out[54] == 0x00 &&
	       out[55] == 80,
	   "IPv6 RST: RST+ACK of seq 7, from port 80");
	ok(l4_ok6(out, 74), "IPv6 RST: TCP checksum verifies");
}

static void test_gso(void)
{
	struct virtio_net_hdr vh;
	uint8_t hdrs[200];
	size_t len = build4(6, 20 + 10000);
	ssize_t h;
	uint16_t ps;

	f[46] = 0x50;
	f[47] = 0x18;
	h = frame_gso_prepare(f, len, 1500, &vh, hdrs, sizeof(hdrs));
	ok(h == 54, "GSO headers: Ethernet + IPv4 + TCP = 54");
	ok(vh.gso_type == VIRTIO_NET_HDR_GSO_TCPV4 &&
	       vh.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM,
	   "TCPv4 GSO with partial checksum");
	ok(le16toh(vh.gso_size) == 1460 && le16toh(vh.hdr_len) == 54,
	   "segment size 1460 for MTU 1500");
	ok(le16toh(vh.csum_start) == 34 && le16toh(vh.csum_offset) == 16,
	   "checksum at TCP offset 16");
	ps = fold16(pseudo4(6, 20 + 10000));
	ok(hdrs[50] == (ps >> 8) && hdrs[51] == (ps & 0xff),
	   "checksum field holds the pseudo-header sum");
	ok(memcmp(hdrs, f, 50) == 0, "other header bytes copied");
	ok(frame_gso_prepare(f, len, 1500, &vh, hdrs, 40) == -ENOTSUP,
	   "header buffer too small refused");
	len = build4(17, 8 + 10000);
	ok(frame_gso_prepare(f, len, 1500, &vh, hdrs, sizeof(hdrs)) == -ENOTSUP,
	   "UDP is not GSO");
	f[17] = 0xff; /* IP total length beyond the frame */
	ok(frame_gso_prepare(f, len, 1500, &vh, hdrs, sizeof(hdrs)) == -ENOTSUP,
	   "bad IP length refused");
}

static void test_fragment(void)
{
	static uint8_t out[1600], re[7000];
	size_t len = build4(17, 8 + 6000), pos = 0, i, got = 0;
	int n = 0;
	ssize_t fl;
	bool ok_all = true;

	for (i = 34; i < len; i++)
		f[i] = (uint8_t)(i * 13);
	f[20] = 0x40; /* DF */
	while ((fl = frame_fragment4(f, len, 1500, &pos, out, sizeof(out))) >
	       0) {
		size_t plen = (size_t)fl - 34;
		uint16_t fo = (uint16_t)(out[20] << 8 | out[21]);
		bool last = pos == 6008;

		n++;
		ok_all &= ip_ok(out) && (size_t)fl <= 1514;
		ok_all &= ((fo & 0x1fff) * 8u == got);
		ok_all &= last ? !(fo & 0x2000) : !!(fo & 0x2000);
		ok_all &= !(fo & 0x4000);
		ok_all &= (size_t)(out[16] << 8 | out[17]) == 20 + plen;
		memcpy(re + got, out + 34, plen);
		got += plen;
	}
	ok(fl == 0 && n == 5, "6008-byte payload in 5 fragments");
	ok(ok_all, "offsets, MF, DF cleared, lengths, IP checksums");
	ok(got == 6008 && memcmp(re, f + 34, got) == 0, "payload reassembles");
	pos = 0;
	ok(frame_fragment4(f, len, 1500, &pos, out, 100) == -ENOSPC,
	   "small output buffer refused");
	f[12] = 0x86, f[13] = 0xdd;
	pos = 0;
	ok(frame_fragment4(f, len, 1500, &pos, out, sizeof(out)) == -ENOTSUP,
	   "not IPv4");
}

int main(void)
{
	test_complete_csum();
	test_raise_mss();
	test_is_syn();
	test_tcp_rst();
	test_gso();
	test_fragment();
	return done_testing();
}
