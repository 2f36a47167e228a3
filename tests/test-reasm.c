/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-reasm.c - unit tests for reasm.c: fragment reassembly
 *
 * TEST_REASM_ROUNDS (default 2000) sets the number of rounds of the
 * randomised part; .ci/run asks for more.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "reasm.h"
#include "tests/taptest.h"

static int64_t clock_us = 1000000;
static struct reasm_stats st;
static const uint8_t *out;
static size_t outlen;

static int64_t now(void)
{
	return clock_us;
}

static enum reasm_result in(struct reasm **r, const uint8_t *f, size_t len)
{
	return reasm_input(r, f, len, now, &st, &out, &outlen);
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)(p[0] << 8 | p[1]);
}

/* IPv4 UDP fragment: payload @p[@off, @off + @n) of datagram @id */
static size_t frag4(uint8_t *f, unsigned int id, size_t off, bool more,
		    const uint8_t *p, size_t n)
{
	memset(f, 0, 34);
	f[12] = 0x08;
	f[14] = 0x45;
	put16(f + 16, (unsigned int)(20 + n));
	put16(f + 18, id);
	put16(f + 20, (unsigned int)(off / 8) | (more ? 0x2000 : 0));
	f[22] = 64;
	f[23] = 17;
	f[26] = 10, f[27] = 0, f[28] = 2, f[29] = 100;
	f[30] = 10, f[31] = 0, f[32] = 2, f[33] = 2;
	memcpy(f + 34, p + off, n);
	return 34 + n;
}

/* IPv6 fragment, with a Destination Options header before the Fragment
 * header if @opts */
static size_t frag6(uint8_t *f, uint32_t id, size_t off, bool more,
		    const uint8_t *p, size_t n, bool opts)
{
	size_t h = 14 + 40;

	memset(f, 0, 14 + 40 + 16);
	f[12] = 0x86, f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 8] = 0xfd, f[14 + 23] = 0x01;  /* fd00::1 */
	f[14 + 24] = 0xfd, f[14 + 39] = 0x02; /* fd00::2 */
	if (opts) {
		f[14 + 6] = 60;
		f[h] = 44;
		f[h + 1] = 0;
		f[h + 2] = 1, f[h + 3] = 4; /* PadN, 4 bytes */
		h += 8;
	} else {
		f[14 + 6] = 44;
	}
	f[h] = 17;
	put16(f + h + 2, (unsigned int)off | (more ? 1 : 0));
	put16(f + h + 4, id >> 16);
	put16(f + h + 6, id & 0xffff);
	memcpy(f + h + 8, p + off, n);
	put16(f + 14 + 4, (unsigned int)(h + 8 + n - 14 - 40));
	return h + 8 + n;
}

static bool ip4_csum_ok(const uint8_t *ip)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < 20; i += 2)
		s += get16(ip + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

static uint8_t data[70000], f[70000];

static void fill(unsigned int seed)
{
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + seed);
}

static void test_not_fragment(void)
{
	struct reasm *r = NULL;
	size_t len = frag4(f, 1, 0, false, data, 100);

	ok(in(&r, f, len) == REASM_PASS, "a whole datagram passes");
	ok(r == NULL, "... and allocates nothing");
	ok(in(&r, f, 10) == REASM_PASS, "a runt passes (libslirp drops it)");
	f[12] = 0x08, f[13] = 0x06;
	ok(in(&r, f, len) == REASM_PASS, "ARP passes");
	ok(r == NULL && st.fragments == 0, "nothing counted");
}

static void test_in_order_v4(void)
{
	struct reasm *r = NULL;
	size_t len;

	fill(1);
	len = frag4(f, 7, 0, true, data, 1480);
	ok(in(&r, f, len) == REASM_HELD, "first fragment held");
	ok(r != NULL, "state allocated on the first fragment");
	len = frag4(f, 7, 1480, true, data, 1480);
	ok(in(&r, f, len) == REASM_HELD, "second held");
	len = frag4(f, 7, 2960, false, data, 1000);
	ok(in(&r, f, len) == REASM_DONE, "last completes it");
	ok(outlen == 14 + 20 + 3960, "whole length (%zu)", outlen);
	ok(get16(out + 16) == 20 + 3960, "IP total length");
	ok(get16(out + 20) == 0, "no offset, no MF");
	ok(ip4_csum_ok(out + 14), "header checksum");
	ok(!memcmp(out + 34, data, 3960), "payload in order");
	ok(reasm_idle(&r) == 0 && r == NULL, "nothing left; memory given back");
}

static void test_out_of_order_v4(void)
{
	struct reasm *r = NULL;
	size_t len;

	fill(2);
	len = frag4(f, 9, 2960, false, data, 7);
	ok(in(&r, f, len) == REASM_HELD, "last first");
	len = frag4(f, 9, 1480, true, data, 1480);
	ok(in(&r, f, len) == REASM_HELD, "middle");
	len = frag4(f, 9, 1480, true, data, 1480);
	ok(in(&r, f, len) == REASM_HELD, "an exact copy is ignored");
	len = frag4(f, 9, 0, true, data, 1480);
	ok(in(&r, f, len) == REASM_DONE, "first completes it");
	ok(outlen == 14 + 20 + 2967 && !memcmp(out + 34, data, 2967),
	   "payload");
	(void)reasm_idle(&r);
}

/* issue 15, item 1: the crash of libslirp 4.7.0 */
static void test_overlap_v4(void)
{
	struct reasm *r = NULL;
	uint64_t dropped = st.dropped;
	size_t len;

	memset(data, 'A', 8);
	len = frag4(f, 7, 185 * 8, true, data, 8);
	ok(in(&r, f, len) == REASM_HELD, "first piece at 185*8");
	memset(data, 'B', 200);
	len = frag4(f, 7, 184 * 8, false, data, 100);
	ok(in(&r, f, len) == REASM_DROP,
	   "a last piece covering it drops the datagram");
	ok(st.dropped == dropped + 1, "counted");
	len = frag4(f, 7, 0, true, data, 8);
	ok(in(&r, f, len) == REASM_HELD, "a new start of that id is held");
	ok(reasm_idle(&r) == 1, "one datagram in progress");

	fill(3);
	len = frag4(f, 8, 0, true, data, 16);
	(void)in(&r, f, len);
	data[3] ^= 0xff;
	len = frag4(f, 8, 0, true, data, 16);
	ok(in(&r, f, len) == REASM_DROP, "a copy with other bytes drops");
	len = frag4(f, 8, 8, true, data, 16);
	ok(in(&r, f, len) == REASM_HELD, "(the id starts over)");
	len = frag4(f, 8, 0, true, data, 16);
	ok(in(&r, f, len) == REASM_DROP, "a partial overlap drops");
	(void)reasm_idle(&r);
}

static void test_inconsistent_v4(void)
{
	struct reasm *r = NULL;
	size_t len;

	fill(4);
	len = frag4(f, 1, 0, true, data, 100);
	ok(in(&r, f, len) == REASM_DROP, "a non-last piece of 100 bytes");
	len = frag4(f, 2, 800, false, data, 100);
	(void)in(&r, f, len);
	len = frag4(f, 2, 800, false, data, 108);
	ok(in(&r, f, len) == REASM_DROP, "a second, longer last piece");
	len = frag4(f, 3, 800, false, data, 100);
	(void)in(&r, f, len);
	len = frag4(f, 3, 896, true, data, 8);
	ok(in(&r, f, len) == REASM_DROP, "a piece beyond the end");
	len = frag4(f, 4, 1600, true, data, 8);
	(void)in(&r, f, len);
	len = frag4(f, 4, 8, false, data, 8);
	ok(in(&r, f, len) == REASM_DROP, "an end before data held");
	len = frag4(f, 5, 8191 * 8, false, data, 100);
	ok(in(&r, f, len) == REASM_DROP, "over 65535 bytes");
	len = frag4(f, 6, 64, true, data, 0);
	ok(in(&r, f, len) == REASM_DROP, "an empty piece");
	len = frag4(f, 7, 8, true, data, 64);
	ok(in(&r, f, len - 1) == REASM_DROP, "a piece longer than its frame");
	f[14] = 0x44;
	ok(in(&r, f, len) == REASM_DROP, "a header length under 20");
	(void)reasm_idle(&r);
}

/* issue 15, item 1b: first fragment, silence, last fragment */
static void test_timeout(void)
{
	struct reasm *r = NULL;
	uint64_t dropped = st.dropped;
	size_t len;

	fill(5);
	len = frag4(f, 11, 0, true, data, 8);
	ok(in(&r, f, len) == REASM_HELD, "first");
	clock_us += REASM_TIMEOUT_US;
	len = frag4(f, 11, 8, false, data, 8);
	ok(in(&r, f, len) == REASM_HELD, "after the timeout: a new datagram");
	ok(st.dropped == dropped + 1, "the expired one counted");
	clock_us += REASM_TIMEOUT_US - 1;
	len = frag4(f, 11, 0, true, data, 8);
	ok(in(&r, f, len) == REASM_DONE, "in time: complete");
	(void)reasm_idle(&r);
}

static void test_bounds(void)
{
	struct reasm *r = NULL;
	unsigned int i;
	size_t len;

	fill(6);
	for (i = 0; i < 3 * REASM_SLOTS; i++) {
		len = frag4(f, 100 + i, 0, true, data, 8);
		(void)in(&r, f, len);
	}
	ok(reasm_idle(&r) == REASM_SLOTS, "at most %d in progress",
	   REASM_SLOTS);
	len = frag4(f, 1, 0, true, data, 8);
	(void)in(&r, f, len);
	for (i = 0; i < REASM_SLOTS - 1; i++) {
		len = frag4(f, 200 + i, 0, true, data, 8);
		(void)in(&r, f, len);
	}
	len = frag4(f, 1, 8, false, data, 8);
	ok(in(&r, f, len) == REASM_DONE,
	   "the oldest stays while there is room");
	len = frag4(f, 2, 0, true, data, 8);
	(void)in(&r, f, len);
	for (i = 0; i < REASM_SLOTS; i++) {
		len = frag4(f, 300 + i, 0, true, data, 8);
		(void)in(&r, f, len);
	}
	len = frag4(f, 2, 8, false, data, 8);
	ok(in(&r, f, len) == REASM_HELD,
	   "... and gives way when there is none");
	(void)reasm_idle(&r);

	/* bytes: datagrams of 60000 bytes, held but not complete */
	for (i = 0; i < 6; i++) {
		size_t off;

		for (off = 8; off < 60000; off += 1480) {
			len = frag4(f, 400 + i, off, true, data, 1480);
			(void)in(&r, f, len);
		}
	}
	len = frag4(f, 400, 0, true, data, 8);
	ok(in(&r, f, len) == REASM_HELD, "the first big one gave way");
	ok(reasm_idle(&r) <= REASM_BYTES / 59000 + 1, "at most %d bytes held",
	   REASM_BYTES);
}

static void test_v6(void)
{
	struct reasm *r = NULL;
	size_t len;

	fill(7);
	len = frag6(f, 0x10203, 1448, false, data, 500, false);
	ok(in(&r, f, len) == REASM_HELD, "IPv6 last piece first");
	len = frag6(f, 0x10203, 0, true, data, 1448, false);
	ok(in(&r, f, len) == REASM_DONE, "IPv6 first completes it");
	ok(outlen == 14 + 40 + 1948, "IPv6 length (%zu)", outlen);
	ok(out[14 + 6] == 17, "Fragment header removed: next header UDP");
	ok(get16(out + 18) == 1948, "payload length");
	ok(!memcmp(out + 54, data, 1948), "payload");

	len = frag6(f, 5, 8, false, data, 100, true);
	ok(in(&r, f, len) == REASM_HELD, "after Destination Options");
	len = frag6(f, 5, 0, true, data, 8, true);
	ok(in(&r, f, len) == REASM_DONE, "completes");
	ok(out[14 + 6] == 60 && out[54] == 17,
	   "the option header now names UDP");
	ok(get16(out + 18) == 8 + 108 && outlen == 14 + 40 + 8 + 108 &&
	       !memcmp(out + 62, data, 108),
	   "payload after the option header");

	len = frag6(f, 6, 0, false, data, 40, false);
	ok(in(&r, f, len) == REASM_DONE && outlen == 14 + 40 + 40,
	   "an atomic fragment (RFC 6946) passes whole");

	len = frag6(f, 7, 0, true, data, 64, false);
	(void)in(&r, f, len);
	len = frag6(f, 7, 56, false, data, 64, false);
	ok(in(&r, f, len) == REASM_DROP, "IPv6 overlap drops (RFC 5722)");
	len = frag6(f, 8, 65528, false, data, 64, false);
	ok(in(&r, f, len) == REASM_DROP, "IPv6 over 65535");
	len = frag6(f, 9, 0, true, data, 64, false);
	f[14 + 5] += 8;
	ok(in(&r, f, len) == REASM_PASS,
	   "a length beyond the frame: libslirp's");
	ok(reasm_idle(&r) == 0, "nothing left");
}

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* random datagrams cut at random 8-byte boundaries, sent shuffled with
 * copies; then random bytes mutated in fragments: never a wrong datagram,
 * never a crash (ASan) */
static void test_random(unsigned int rounds)
{
	static uint8_t frames[64][1600];
	static size_t flen[64];
	struct reasm *r = NULL;
	unsigned int round, good = 0, bad = 0, mutated_done = 0;

	for (round = 0; round < rounds; round++) {
		size_t total = 1 + rnd() % 8000, off = 0;
		unsigned int n = 0, i, id = rnd() & 0xffff;
		bool v6 = rnd() & 1, opts = rnd() & 1;
		bool mutate = round % 4 == 3, done = false;

		fill(round);
		while (off < total && n < 60) {
			size_t len = 8 * (1 + rnd() % 180);
			bool more = off + len < total;

			if (!more)
				len = total - off;
			flen[n] =
			    v6 ? frag6(frames[n], id, off, more, data, len,
				       opts)
			       : frag4(frames[n], id, off, more, data, len);
			n++;
			off += len;
		}
		if (off < total || (n == 1 && !v6))
			continue; /* too many pieces; or IPv4 not fragmented */
		if (rnd() % 3 == 0) { /* a copy */
			memcpy(frames[n], frames[0], flen[0]);
			flen[n] = flen[0];
			n++;
		}
		for (i = n - 1; i > 0; i--) {
			unsigned int j = rnd() % (i + 1);
			uint8_t tmp[1600];
			size_t tl = flen[i];

			memcpy(tmp, frames[i], tl);
			memcpy(frames[i], frames[j], flen[j]);
			flen[i] = flen[j];
			memcpy(frames[j], tmp, tl);
			flen[j] = tl;
		}
		if (mutate) {
			unsigned int k = rnd() % n;

			frames[k][14 + rnd() % 60] ^=
			    (uint8_t)(1 + rnd() % 255);
		}
		for (i = 0; i < n; i++) {
			if (in(&r, frames[i], flen[i]) != REASM_DONE)
				continue;
			if (mutate) {
				mutated_done++;
				continue;
			}
			done = true;
			if (outlen == 14 + (v6 ? 40 + 8 * opts : 20) + total &&
			    !memcmp(out + outlen - total, data, total))
				good++;
			else
				bad++;
		}
		if (!mutate && !done)
			bad++;
		(void)reasm_idle(&r);
	}
	ok(bad == 0 && good > 0,
	   "random fragmentation: %u datagrams intact, %u wrong or lost "
	   "(%u mutated ones completed)",
	   good, bad, mutated_done);
}

int main(void)
{
	const char *e = getenv("TEST_REASM_ROUNDS");
	unsigned int rounds = e ? (unsigned int)strtoul(e, NULL, 10) : 2000;

	test_not_fragment();
	test_in_order_v4();
	test_out_of_order_v4();
	test_overlap_v4();
	test_inconsistent_v4();
	test_timeout();
	test_bounds();
	test_v6();
	test_random(rounds);
	return done_testing();
}
