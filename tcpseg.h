/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcpseg.h - parse TCP segments from the guest, build those to it
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_TCPSEG_H
#define S4N_TCPSEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define TCPSEG_FIN 0x01
#define TCPSEG_SYN 0x02
#define TCPSEG_RST 0x04
#define TCPSEG_PSH 0x08
#define TCPSEG_ACK 0x10

/* Ethernet + IPv6 + TCP with the SYN-ACK's options (MSS, window scale,
 * timestamps): the longest header we build */
#define TCPSEG_HDR_MAX (14 + 40 + 20 + 20)

/*
 * struct tcpseg - a TCP segment from the guest, all fields checked to lie
 * inside the frame. Addresses point into the frame.
 */
struct tcpseg {
	bool v6;
	const uint8_t *saddr, *daddr; /* 4 or 16 bytes */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win; /* as sent, not scaled */
	int mss;      /* MSS option, or -1 */
	int wscale;   /* window scale option, or -1 */
	bool ts;      /* timestamps option (RFC 7323) */
	uint32_t ts_val, ts_ecr;
	const uint8_t *data;
	size_t dlen;
	const uint8_t *smac, *dmac;
};

/**
 * tcpseg_parse() - read a TCP segment out of an Ethernet frame from the
 * guest. IPv4 fragments, IPv4 options and IPv6 extension headers are not
 * taken (libslirp gets those frames). Checksums are not looked at: see
 * tcp.c. Called by tcp_input() for every frame, and by the fuzzer.
 *
 * Return: 0, or -EINVAL if the frame is not a TCP segment we take.
 */
int tcpseg_parse(const uint8_t *f, size_t len, struct tcpseg *ret);

/*
 * struct tcpseg_out - what a segment to the guest says
 */
struct tcpseg_out {
	bool v6;
	const uint8_t *smac, *dmac;
	const uint8_t *saddr, *daddr; /* flow_key layout: 16 bytes, IPv4
					 mapped when !v6 */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win; /* already scaled down */
	uint16_t mss; /* SYN only: MSS option */
	int wscale;   /* SYN only: window scale option, or -1 */
	bool ts;      /* timestamps option */
	uint32_t ts_val, ts_ecr;
	uint16_t ip_id; /* IPv4 */
	size_t dlen;	/* payload that follows the header */
};

/**
 * tcpseg_build() - write the Ethernet, IP and TCP headers of @o to @buf
 * (TCPSEG_HDR_MAX bytes). The TCP checksum field holds the pseudo-header
 * sum, as a NIC with checksum offload is handed it: tcpseg_csum() turns
 * it into the full checksum where no offload is there.
 *
 * Return: the headers' length; *@ret_csum_start is the TCP header's
 * offset.
 */
size_t tcpseg_build(uint8_t *buf, const struct tcpseg_out *o,
		    size_t *ret_csum_start);

/**
 * tcpseg_csum() - complete the TCP checksum of the frame in @buf (@hlen
 * bytes of headers from tcpseg_build(), TCP header at @l4) with the
 * payload @data of @dlen bytes (which may be right behind the headers).
 */
void tcpseg_csum(uint8_t *buf, size_t l4, size_t hlen, const uint8_t *data,
		 size_t dlen);

/* what the kernel's accounting adds to each segment's payload in a send
 * queue (struct sk_buff, skb_shared_info, alignment), rounded up */
#define TCPSEG_SKB_OVERHEAD 1024

/**
 * tcpseg_window() - the window to offer the guest for a host socket's
 * free send space, for segments of @seg bytes. send() takes data while
 * the true size of the buffers queued (@queued) is below the send
 * buffer (@sndbuf, SO_SNDBUF as the kernel keeps it), and each segment
 * costs its payload and a buffer head: the window is the room less the
 * heads' share. Called by tcp.c for every window it offers.
 *
 * Return: the window in bytes, 0 when the queue is full.
 */
uint32_t tcpseg_window(uint32_t sndbuf, uint32_t queued, uint32_t seg);

/**
 * tcpseg_queued_guess() - the true size of a send queue that holds
 * @outq bytes of data (SIOCOUTQ), as if each segment of @seg bytes made
 * a buffer of its own; the kernel merges them where it can, so the guess
 * errs high. For tcpseg_window() where SO_MEMINFO (Linux 4.12) is
 * missing.
 */
uint32_t tcpseg_queued_guess(uint32_t outq, uint32_t seg);

/* tcpseg_seq_lt() and friends - sequence space comparisons, RFC 9293 */
static inline bool tcpseg_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool tcpseg_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

#endif /* S4N_TCPSEG_H */
