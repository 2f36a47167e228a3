/* SPDX-License-Identifier: GPL-2.0-or-later */
/* frame.h - pure helpers on Ethernet frames for the offload path
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_FRAME_H
#define S4N_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/virtio_net.h>

/* Header lengths, one definition each for every file that reads frames
 * (frame.c checks them against <net/ethernet.h> and <netinet/...>) */
#define FRAME_ETH_LEN 14 /* struct ether_header, without VLAN tag */
#define FRAME_IP4_LEN 20 /* struct iphdr, without options */
#define FRAME_IP6_LEN 40 /* struct ip6_hdr, without extension headers */
#define FRAME_TCP_LEN 20 /* struct tcphdr, without options */
/* the longest: header length fields of 15 32-bit words */
#define FRAME_IP4_MAX 60
#define FRAME_TCP_MAX 60

/**
 * frame_complete_csum() - finish a checksum left partial by the guest's
 * kernel (VIRTIO_NET_HDR_F_NEEDS_CSUM): the field at @start + @off holds
 * the pseudo-header sum; sum from @start to the end and store the result.
 * Called by tap.c for each frame read with a virtio-net header.
 *
 * Return: 0, or -EINVAL if @start/@off do not fit in the frame.
 */
int frame_complete_csum(uint8_t *f, size_t len, size_t start, size_t off);

/**
 * frame_adjust_mss() - in a TCP SYN from the guest, lower an MSS option
 * above @mss to @mss, or with @raise also raise one below it, and
 * recompute the TCP checksum. libslirp sizes its segments to the guest by
 * that option, and its socket buffers to a multiple of them: see tap.c.
 * Frames that are not a TCP SYN with an MSS option are left alone.
 *
 * Return: 1 if changed, 0 if not.
 */
int frame_adjust_mss(uint8_t *f, size_t len, uint16_t mss, bool raise);

/**
 * frame_is_syn() - whether a frame from the guest opens a TCP connection
 * (SYN without ACK, IPv4 or IPv6). Called by tap.c for every frame, so
 * that the loop notices when libslirp could not open a socket for one.
 *
 * Return: true for a connection request.
 */
bool frame_is_syn(const uint8_t *f, size_t len);

/**
 * frame_tcp_rst() - the frame that refuses the guest's TCP SYN @syn: an
 * RST+ACK from the address and port it was sent to, as from a host with
 * nothing listening. Called by tap.c when the daemon has no memory left
 * for a new flow.
 *
 * Return: length of the frame written to @out, -EINVAL if @syn is not a
 * TCP SYN, -ENOSPC if @outlen is too small (74 bytes always suffice).
 */
ssize_t frame_tcp_rst(const uint8_t *syn, size_t len, uint8_t *out,
		      size_t outlen);

/**
 * frame_gso_prepare() - the virtio-net header for a TCP frame from
 * libslirp, and a copy of the frame's headers with the checksum field as a
 * NIC with checksum offload is handed it (the pseudo-header sum). The
 * guest's kernel then takes the frame as already verified, and one longer
 * than @mtu as one GSO packet of @mtu-sized segments. The payload after
 * the headers is sent as it is. Called by tap.c for every TCP frame to
 * the guest.
 *
 * Return: length of the headers copied to @hdrs, or -ENOTSUP if the frame
 * is not IPv4/IPv6 TCP or the headers do not fit @hdrs_size.
 */
ssize_t frame_gso_prepare(const uint8_t *f, size_t len, unsigned int mtu,
			  struct virtio_net_hdr *ret, uint8_t *hdrs,
			  size_t hdrs_size);

/**
 * frame_fragment4() - write into @out the IPv4 fragment of @f (longer than
 * @mtu) that starts at payload offset *@pos, and advance *@pos. Called in
 * a loop by tap.c until *@pos reaches the payload's end.
 *
 * Return: length of the fragment frame, 0 when done, -ENOTSUP if @f is not
 * an IPv4 frame that can be fragmented, -ENOSPC if @out is too small.
 */
ssize_t frame_fragment4(const uint8_t *f, size_t len, unsigned int mtu,
			size_t *pos, uint8_t *out, size_t outlen);

/*
 * frame_sum() - the one's complement sum of @len bytes at @p, in memory
 * order and not yet folded (RFC 1071); frame.c and tcpseg.c add pseudo
 * headers to it.
 * Return: the sum, to be folded with frame_fold()
 */
uint64_t frame_sum(const uint8_t *p, size_t len);

/* frame_fold() - fold a sum from frame_sum() to 16 bits */
static inline uint16_t frame_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

#endif /* S4N_FRAME_H */
