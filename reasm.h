/* SPDX-License-Identifier: GPL-2.0-or-later */
/* reasm.h - IPv4 and IPv6 fragment reassembly in front of libslirp
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_REASM_H
#define S4N_REASM_H

#include <stddef.h>
#include <stdint.h>

/* Datagrams in progress at once; the oldest gives way to a new one */
#define REASM_SLOTS 16
/* Payload bytes held over all datagrams in progress */
#define REASM_BYTES (256 * 1024)
/* A datagram not complete this long after its first fragment is dropped.
 * libslirp 4.7 keeps its own for IPFRAGTTL (60) ticks of its 0.5 s slow
 * timer, 30 s; RFC 791 suggests starting at 15 s, as we do. */
#define REASM_TIMEOUT_US (15 * 1000 * 1000)

struct reasm; /* reasm.c: allocated on the first fragment */

/* counters, owned by the caller and reported by get_stats */
struct reasm_stats {
	uint64_t fragments;   /* fragments taken in */
	uint64_t reassembled; /* datagrams completed and passed on */
	uint64_t dropped;     /* fragments or datagrams given up */
};

enum reasm_result {
	REASM_PASS = 0, /* not a fragment: pass the frame on as it is */
	REASM_HELD,	/* a fragment, kept: nothing to pass on yet */
	REASM_DONE,	/* the datagram is complete: pass *ret_frame on */
	REASM_DROP, /* a fragment that was dropped (and maybe its datagram) */
};

/**
 * reasm_input() - take one Ethernet frame from the guest. A fragment is
 * copied into the datagram it belongs to; the frame that completes one
 * returns the whole datagram, with the fragment fields cleared (IPv4) or
 * the Fragment header removed (IPv6), in memory valid until the next call.
 * Overlapping or inconsistent fragments drop their whole datagram (RFC
 * 5722 for IPv6; the same for IPv4, whose overlaps libslirp 4.7.0 mishandles
 * into a write through guest-chosen bytes), as does one that would exceed
 * 65535 bytes. An exact duplicate of data already held is ignored.
 * Called by tap.c for every frame from the guest.
 * @rp:		state, NULL until the first fragment; allocated here
 * @now_us:	a monotonic clock, called only for fragments
 * @st:		counters to update
 *
 * Return: what to do with the frame, see enum reasm_result.
 */
enum reasm_result reasm_input(struct reasm **rp, const uint8_t *f, size_t len,
			      int64_t (*now_us)(void), struct reasm_stats *st,
			      const uint8_t **ret_frame, size_t *ret_len);

/**
 * reasm_idle() - drop every datagram in progress and give all memory back.
 * Called by tap.c when the loop saw no traffic for a while: the fragments
 * of a datagram arrive back to back, so nothing real is lost.
 *
 * Return: the number of datagrams dropped.
 */
unsigned int reasm_idle(struct reasm **rp);

#endif /* S4N_REASM_H */
