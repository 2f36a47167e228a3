/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-flow.c - unit tests for flow.c (the flow table) and tcpseg.c
 * (TCP segments from and to the guest)
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "tcpseg.h"
#include "tests/taptest.h"

struct ent {
	struct flow_hdr h;
	uint32_t value;
};

static void key(struct flow_key *k, uint32_t n)
{
	uint8_t g[4] = {10, 0, 2, 100}, h[4];

	memcpy(h, &n, 4);
	flow_key_make(k, false, g, h, (uint16_t)(n & 0xffff), 80);
}

static void test_table(void)
{
	struct flow_table t;
	struct flow_key k;
	int32_t idx[5000];
	uint32_t i;
	bool all = true;

	flow_init(&t, sizeof(struct ent), 4000, 42);
	ok(t.cap == 0 && !t.ent, "an empty table allocates nothing");
	key(&k, 1);
	ok(flow_find(&t, &k) == -1, "nothing found in an empty table");
	for (i = 0; i < 4000; i++) {
		key(&k, i);
		idx[i] = flow_add(&t, &k);
		if (idx[i] < 0)
			all = false;
		else
			((struct ent *)flow_at(&t, idx[i]))->value = i;
	}
	ok(all && t.count == 4000, "4000 flows added");
	key(&k, 4000);
	ok(flow_add(&t, &k) == -ENOSPC, "the limit refuses one more");
	for (i = 0; i < 4000 && all; i++) {
		key(&k, i);
		if (flow_find(&t, &k) != idx[i] ||
		    ((struct ent *)flow_at(&t, idx[i]))->value != i)
			all = false;
	}
	ok(all, "each flow found at its index, with its value");
	for (i = 0; i < 4000; i += 2)
		flow_del(&t, idx[i]);
	all = true;
	for (i = 0; i < 4000; i++) {
		key(&k, i);
		if (flow_find(&t, &k) != (i % 2 ? idx[i] : -1))
			all = false;
	}
	ok(all && t.count == 2000, "deleted flows are gone, the rest stay");
	key(&k, 0);
	ok(flow_add(&t, &k) == 0, "a new flow takes the lowest free index");
	flow_del(&t, 0);
	for (i = 1; i < 4000; i += 2)
		if (idx[i] >= 64)
			flow_del(&t, idx[i]);
	ok(t.cap < 4096, "the table shrinks when its top is free (cap %u)",
	   t.cap);
	all = true;
	for (i = 1; i < 4000; i += 2) {
		key(&k, i);
		if (flow_find(&t, &k) != (idx[i] < 64 ? idx[i] : -1))
			all = false;
	}
	ok(all, "the flows left keep their indices across the shrink");
	for (i = 1; i < 4000; i += 2)
		if (idx[i] < 64)
			flow_del(&t, idx[i]);
	ok(t.count == 0 && t.cap == 0 && !t.ent,
	   "the last flow gone, the table is freed");
	flow_free(&t);
}

static void test_keys(void)
{
	struct flow_key a, b;
	uint8_t g4[4] = {10, 0, 2, 100}, h4[4] = {10, 0, 2, 2};
	uint8_t g6[16] = {0}, h6[16] = {0};

	flow_key_make(&a, false, g4, h4, 1000, 80);
	g6[10] = g6[11] = 0xff;
	memcpy(g6 + 12, g4, 4);
	h6[10] = h6[11] = 0xff;
	memcpy(h6 + 12, h4, 4);
	flow_key_make(&b, true, g6, h6, 1000, 80);
	ok(memcmp(&a, &b, sizeof(a)) != 0,
	   "an IPv4 flow and its IPv4-mapped IPv6 twin are two keys");
	flow_key_make(&b, false, g4, h4, 1000, 81);
	ok(memcmp(&a, &b, sizeof(a)) != 0, "another port, another key");
}

/* a SYN from 10.0.2.100:40000 to 1.2.3.4:80 with MSS and window scale */
static size_t syn4(uint8_t *f)
{
	static const uint8_t opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7};

	memset(f, 0, 80);
	f[12] = 0x08;
	f[14] = 0x45;
	f[16] = 0;
	f[17] = 20 + 28;
	f[22] = 64;
	f[23] = 6;
	f[26] = 10, f[27] = 0, f[28] = 2, f[29] = 100;
	f[30] = 1, f[31] = 2, f[32] = 3, f[33] = 4;
	f[34] = 40000 >> 8, f[35] = 40000 & 0xff;
	f[37] = 80;
	f[38] = 0x12, f[39] = 0x34, f[40] = 0x56, f[41] = 0x78;
	f[46] = 7 << 4;
	f[47] = TCPSEG_SYN;
	f[48] = 0xff, f[49] = 0xff;
	memcpy(f + 54, opts, sizeof(opts));
	return 14 + 20 + 28;
}

static void test_parse(void)
{
	uint8_t f[128];
	struct tcpseg s;
	size_t n = syn4(f), i;
	bool none = true;

	ok(tcpseg_parse(f, n, &s) == 0, "a SYN parses");
	ok(!s.v6 && s.sport == 40000 && s.dport == 80 && s.seq == 0x12345678,
	   "... ports and sequence number");
	ok(s.mss == 1460 && s.wscale == 7 && s.win == 0xffff && s.dlen == 0,
	   "... MSS 1460, window scale 7, no payload");
	for (i = 0; i < n; i++)
		if (tcpseg_parse(f, i, &s) == 0)
			none = false;
	ok(none, "every truncation of it is refused");
	f[20] = 0x20; /* more fragments */
	ok(tcpseg_parse(f, n, &s) < 0, "an IPv4 fragment is left to libslirp");
	f[20] = 0;
	f[14] = 0x46;
	ok(tcpseg_parse(f, n, &s) < 0, "IPv4 options are left to libslirp");
	f[14] = 0x45;
	f[46] = 15 << 4;
	ok(tcpseg_parse(f, n, &s) < 0, "a TCP header past the packet: refused");
	f[46] = 7 << 4;
	f[55] = 0; /* option length 0 in the MSS option: stop there */
	ok(tcpseg_parse(f, n, &s) == 0 && s.mss == -1,
	   "a malformed option ends the option walk");
}

/* RFC 1071 over @len bytes */
static uint16_t csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void test_build(void)
{
	uint8_t buf[TCPSEG_HDR_MAX + 100], g[16] = {0}, h[16] = {0};
	uint8_t mac1[6] = {1, 2, 3, 4, 5, 6}, mac2[6] = {6, 5, 4, 3, 2, 1};
	struct tcpseg_out o = {
	    .smac = mac1,
	    .dmac = mac2,
	    .saddr = h,
	    .daddr = g,
	    .sport = 80,
	    .dport = 40000,
	    .seq = 0xfffffff0,
	    .ack = 7,
	    .flags = TCPSEG_ACK | TCPSEG_PSH,
	    .win = 1000,
	    .wscale = -1,
	    .ip_id = 1,
	    .dlen = 33,
	};
	size_t l4, hl, i;
	uint32_t pseudo;
	struct tcpseg s;

	g[10] = g[11] = h[10] = h[11] = 0xff;
	g[12] = 10, g[15] = 100, h[12] = 1, h[15] = 4;
	hl = tcpseg_build(buf, &o, &l4);
	ok(hl == 54 && l4 == 34, "IPv4 data segment: 54 bytes of headers");
	ok(csum(buf + 14, 20, 0) == 0xffff, "... a valid IPv4 header checksum");
	for (i = 0; i < 33; i++)
		buf[hl + i] = (uint8_t)(i * 7);
	tcpseg_csum(buf, l4, hl, buf + hl, 33);
	pseudo = (uint32_t)(csum(buf + 26, 8, 0) + 6 + 20 + 33);
	ok(csum(buf + l4, 20 + 33, pseudo) == 0xffff,
	   "... the completed TCP checksum verifies");
	ok(tcpseg_parse(buf, hl + 33, &s) == 0 && s.seq == 0xfffffff0 &&
	       s.ack == 7 && s.dlen == 33 && s.sport == 80,
	   "... and parses back");
	o.v6 = true;
	o.flags = TCPSEG_SYN | TCPSEG_ACK;
	o.mss = 65440;
	o.wscale = 7;
	o.dlen = 0;
	hl = tcpseg_build(buf, &o, &l4);
	ok(hl == 14 + 40 + 28 && l4 == 54, "IPv6 SYN-ACK: options included");
	ok(tcpseg_parse(buf, hl, &s) == 0 && s.v6 && s.mss == 65440 &&
	       s.wscale == 7,
	   "... MSS and window scale parse back");
	ok(tcpseg_seq_lt(0xfffffff0, 5) && !tcpseg_seq_lt(5, 0xfffffff0) &&
	       tcpseg_seq_le(5, 5),
	   "sequence comparisons across the wrap");
}

/* the window offered for a socket's free send space (tcpseg_window()),
 * from SO_MEMINFO or, before Linux 4.12, SIOCOUTQ and SO_SNDBUF */
static void test_window(void)
{
	uint32_t q;

	ok(tcpseg_window(212992, 0, 1448) == 212992ULL * 1448 / 2472,
	   "an empty queue: the buffer less a head per 1448 bytes");
	ok(tcpseg_window(212992, 212992, 1448) == 0 &&
	       tcpseg_window(212992, 300000, 1448) == 0,
	   "a full (or overfull) queue: no window");
	ok(tcpseg_window(212992, 0, 0) == 0, "no segment size: no window");
	ok(tcpseg_window(4194304, 0, 65483) == 4194304ULL * 65483 / 66507,
	   "64 KiB segments: a head costs little");
	ok(tcpseg_window(UINT32_MAX, 0, 65535) > 0,
	   "the largest buffer does not overflow");
	ok(tcpseg_queued_guess(0, 1448) == 0, "nothing queued: nothing");
	ok(tcpseg_queued_guess(1448, 1448) == 1448 + TCPSEG_SKB_OVERHEAD &&
	       tcpseg_queued_guess(1449, 1448) ==
		   1449 + 2 * TCPSEG_SKB_OVERHEAD,
	   "one head per segment, a part segment counted whole");
	ok(tcpseg_queued_guess(UINT32_MAX, 1) == UINT32_MAX &&
	       tcpseg_queued_guess(5, 0) == UINT32_MAX,
	   "the guess saturates");
	/* the guess takes the same room as the kernel's accounting would
	 * for one buffer per segment */
	q = tcpseg_queued_guess(100 * 1448, 1448);
	ok(tcpseg_window(1048576, q, 1448) + 100 * 1448 ==
	       tcpseg_window(1048576, 0, 1448),
	   "100 segments queued take 100 segments off the window");
}

int main(void)
{
	test_table();
	test_keys();
	test_parse();
	test_build();
	test_window();
	return done_testing();
}
