/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.h - the frame path between the TAP device and libslirp
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_TAP_H
#define S4N_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <slirp/libslirp.h>

#include "guard.h"
#include "slirp4netns.h"

/* Frames read per wake-up before the loop serves its other sources */
#define TAP_BATCH 256

/**
 * tap_new() - frame path state for @fd (a TAP fd or a connected bess
 * socket; -1 while a bess peer is awaited) and a guest of MTU @mtu.
 * Called by s4n_ctx_init().
 * @stats:	counters updated on every frame
 * @res:	asked before each new guest flow (res_room_for_flow()), or NULL
 *
 * Return: new state; aborts on allocation failure as glib does.
 */
struct s4n_tap *tap_new(int fd, unsigned int mtu, struct s4n_stats *stats,
			struct res *res);

/**
 * tap_slirp_mtu() - the MTU libslirp must be created with: the guest's,
 * or larger when frames to the guest can be sent as GSO frames.
 * Called by s4n_ctx_init() once, after tap_new().
 */
unsigned int tap_slirp_mtu(const struct s4n_tap *tap);

/* tap_set_net() - the virtual network's own addresses, for guard_check().
 * Called by s4n_ctx_init() once, after tap_new(). */
void tap_set_net(struct s4n_tap *tap, const struct guard_net *net);

/* tap_idle() - give the read buffer's pages back to the kernel (they are
 * faulted in again, zeroed, by the next frame), and drop fragments still
 * waiting for the rest of their datagram. Called by the loop once traffic
 * stopped. */
void tap_idle(struct s4n_tap *tap);

/* tap_free() - close the fd and free the state. Called at exit. */
void tap_free(struct s4n_tap *tap);

struct rfwd_nat;
struct tcp_ctx;
struct virtio_net_hdr;

/* tap_set_tcp() - frames from the guest go to the TCP path @tcp first
 * (tcp_input()). Called by s4n_ctx_init(). */
void tap_set_tcp(struct s4n_tap *tap, struct tcp_ctx *tcp);

/* tap_mtu() - the guest's MTU */
unsigned int tap_mtu(const struct s4n_tap *tap);

/* tap_vnet() - whether frames to the guest carry a virtio-net header
 * (checksum and segmentation offload) */
bool tap_vnet(const struct s4n_tap *tap);

/* tap_socket_opened() - the TCP path opened a host socket: counted as
 * libslirp's are, for the descriptor checks (resources.c) */
void tap_socket_opened(struct s4n_tap *tap);

/* tap_socket_closed() - ... and closed one: the descriptors held back for
 * the API can be taken again (resources.c) */
void tap_socket_closed(struct s4n_tap *tap);

/**
 * tap_write() - write one frame to the guest, with the virtio-net header
 * @vh (NULL: none needed) where the device takes one. Called by tcp.c.
 *
 * Return: 0 (also when there is no device: the frame is lost as on a
 * wire), -EAGAIN if the device is full (nothing written), -errno.
 */
int tap_write(struct s4n_tap *tap, const struct virtio_net_hdr *vh,
	      const void *frame, size_t len);

/* tap_set_nat() - rewrite frames from the guest to forwards on the gateway
 * (rfwd_nat_in()) before anything else sees them; NULL: none. Called by
 * bridge.c when the first such forward opens. */
void tap_set_nat(struct s4n_tap *tap, const struct rfwd_nat *nat);

/* tap_set_neigh() - let @fn answer the guest's ARP and NDP frames first:
 * it returns true when it answered, and the frame goes no further; NULL:
 * none. Called by bridge.c, whose forwards' addresses answer them. */
void tap_set_neigh(struct s4n_tap *tap,
		   bool (*fn)(void *, const uint8_t *, size_t), void *opaque);

/* tap_set_after_input() - call @fn(@opaque) after each frame from the guest
 * went to libslirp (NULL: none). Called by bridge.c while remote forwards
 * carry connections, see bridge_drain(). */
void tap_set_after_input(struct s4n_tap *tap, void (*fn)(void *), void *opaque);

/* tap_fd() - the fd, or -1 */
int tap_fd(const struct s4n_tap *tap);

/* tap_set_fd() - swap in a new fd (bess peer), closing the old one */
void tap_set_fd(struct s4n_tap *tap, int fd);

struct pcap;
/* tap_set_pcap() - capture every frame read from and sent to the guest
 * into @pc (--pcap), which must outlive @tap. Called by main(). */
void tap_set_pcap(struct s4n_tap *tap, struct pcap *pc);

/**
 * tap_read_batch() - read frames until EAGAIN or TAP_BATCH frames, handing
 * each one to libslirp; only one while the guest sends one frame per
 * wake-up (see SINGLE_RUN in tap.c). Called by the loop when the fd is
 * readable.
 *
 * Return: 0, or -errno when the device or peer is gone (-EPIPE at end of
 * file).
 */
int tap_read_batch(struct s4n_tap *tap, Slirp *slirp);

/**
 * tap_input() - check one frame read from the guest and hand it to
 * libslirp. The only place a guest frame enters; also the fuzzer's entry.
 *
 * Return: 0 if handed on, -EINVAL if dropped.
 */
int tap_input(struct s4n_tap *tap, Slirp *slirp, const uint8_t *frame,
	      size_t len);

/**
 * tap_send() - write one frame from libslirp to the guest, without
 * blocking: a frame the device cannot take now is dropped and counted
 * (TCP retransmits, as libslirp's send_packet contract allows).
 *
 * Return: @len, or -errno on a dead device.
 */
ssize_t tap_send(struct s4n_tap *tap, const void *frame, size_t len);

#endif /* S4N_TAP_H */
