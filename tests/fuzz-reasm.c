/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-reasm.c - fuzz target: a sequence of guest frames through reasm.c
 *
 * The input is a list of records: one byte of clock advance (in units of
 * 100 ms, so that the reassembly timeout is reached within a few), two
 * bytes of frame length (big-endian), then the frame. Every datagram
 * reassembly hands back is checked for what libslirp relies on: a length
 * within the bounds, and no fragment fields left.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

const char fuzz_corpus_name[] = "reasm";

static int64_t clock_us;

static int64_t now(void)
{
	return clock_us;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *f, size_t len)
{
	/* Ethernet, the largest IPv6 unfragmentable part we take, 64 KiB */
	if (len < 14 + 20 || len > 14 + 256 + 65535)
		abort();
	if (f[12] == 0x08 && f[13] == 0x00 && ((f[20] << 8 | f[21]) & 0x3fff))
		abort(); /* an IPv4 fragment left */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct reasm_stats st;
	struct reasm *r = NULL;
	size_t pos = 0;

	clock_us = 1000000;
	while (pos + 3 <= size) {
		size_t len = (size_t)(data[pos + 1] << 8 | data[pos + 2]);
		const uint8_t *out;
		size_t outlen;
		uint8_t *copy;

		clock_us += (int64_t)data[pos] * 100000;
		pos += 3;
		if (len > size - pos)
			len = size - pos;
		/* a copy of its own, so that ASan sees every overread */
		copy = malloc(len ? len : 1);
		if (!copy)
			break;
		memcpy(copy, data + pos, len);
		if (reasm_input(&r, copy, len, now, &st, &out, &outlen) ==
		    REASM_DONE)
			check(out, outlen);
		free(copy);
		pos += len;
	}
	(void)reasm_idle(&r);
	return 0;
}
