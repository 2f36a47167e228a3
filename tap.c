/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.c - the frame path between the TAP device and libslirp
 *
 * Frames from the guest are read into one buffer allocated at start-up and
 * handed to slirp_input() from there: libslirp copies what it keeps into
 * its own mbufs, so the path makes no copy and no allocation per frame.
 * Frames to the guest are written straight from libslirp's buffer.
 *
 * When the TAP fd carries virtio-net headers (IFF_VNET_HDR), the guest's
 * kernel is told it may hand us unchecksummed frames and IPv4 TCP
 * segmentation offload (TUNSETOFFLOAD, see linux/if_tun.h): a bulk upload
 * then arrives as frames of up to 64 KiB instead of one per MTU, which
 * saves a read, a send() to the host and an ACK per segment. We complete
 * the checksum the guest left partial before libslirp, which verifies
 * every checksum, sees the frame. libslirp takes an IPv4 frame larger than
 * its MTU as it is, but drops IPv6 ones, so IPv6 TSO is not offered.
 *
 * The other way, libslirp runs with a 32 KiB MTU and we raise the MSS in
 * the guest's SYNs to match, so that it sends segments of up to 32 KiB;
 * each goes to the guest as one GSO frame with a virtio-net header that
 * tells the guest's kernel the real segment size, as a NIC doing large
 * receive offload would hand it over. Other frames longer than the
 * guest's MTU (UDP, ICMP) are fragmented here, as libslirp would have
 * done with the guest's MTU. Every TCP frame to the guest is marked as
 * checksum-offloaded, so the guest's kernel does not verify again what
 * libslirp just computed.
 *
 * This is the one place where guest frames enter the daemon: every check
 * on their bytes is here (and in frame.c, guard.c and reasm.c), before
 * libslirp reads a header: guard.c drops what may never reach it, and
 * reasm.c reassembles fragments, which libslirp never sees.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

#include <glib.h>

#include "frame.h"
#include "guard.h"
#include "heap.h"
#include "log.h"
#include "pcap.h"
#include "reasm.h"
#include "resources.h"
#include "rfwd.h"
#include "tap.h"
#include "tcp.h"
#include "util.h"

/* an 802.1Q tag between the addresses and the EtherType */
#define VLAN_TAG_LEN 4
/* Ethernet, a VLAN tag and the largest IP packet: also a TSO frame */
#define FRAME_MAX (FRAME_ETH_LEN + VLAN_TAG_LEN + IP_MAXPACKET)
/* One more byte tells a frame that did not fit from one that did */
#define VNET_MAX 32
#define BUF_SIZE (VNET_MAX + FRAME_MAX + 1)

/* libslirp's MTU when the guest takes GSO frames, and the MSS that goes
 * with it. libslirp sizes a connection's socket buffers to 128 KiB rounded
 * up to a multiple of its MSS, once with the guest's MSS option and once
 * with its own MTU's: an MSS of 32768 divides 128 KiB, so the buffers are
 * never reallocated. With 65480 they grow to 192 KiB, and glibc's realloc
 * of a heap chunk copies the first 128 KiB: 34 page faults per connection,
 * half the connection rate, and 256 KiB of resident memory per connection
 * (what makes slirp4netns reach 259 MB with 1000 idle connections). See
 * s4n_ctx_init() for the guests whose MTU is above GSO_MTU. */
#define GSO_MSS 32768
#define GSO_MTU (GSO_MSS + FRAME_IP4_LEN + FRAME_TCP_LEN)

/* A guest in a request/response exchange sends one frame per wake-up, and
 * the read after it only finds the TAP empty: a system call for nothing on
 * every request. After SINGLE_RUN batches of exactly one frame in a row,
 * a batch stops after its first frame; the TAP is watched level-triggered,
 * so a frame left waiting wakes the loop again at once. Every SINGLE_PROBE
 * batches, one reads on to the end, and more than one frame there ends it. */
#define SINGLE_RUN 4
#define SINGLE_PROBE 16

struct s4n_tap {
	int fd;
	size_t vnet_len;  /* virtio-net header before each frame, or 0 */
	unsigned int mtu; /* the guest's MTU */
	bool gso;	  /* libslirp runs at GSO_MTU, see above */
	struct s4n_stats *stats;
	struct pcap *pcap;   /* --pcap, or NULL */
	struct res *res;     /* NULL: no checks before a new flow */
	struct tcp_ctx *tcp; /* the TCP path, or NULL */
	/* the frame handed to tap_input() from the read buffer left its
	 * checksum and the MSS to raise to it, see tap_read_batch() */
	bool deferred;
	bool csum_pending;
	unsigned int singles; /* batches of one frame in a row, see above */
	uint16_t csum_start, csum_off;
	struct guard_net net;	     /* see guard_check() */
	struct reasm *reasm;	     /* NULL until the guest fragments */
	uint8_t *buf;		     /* one frame from the guest */
	uint8_t *obuf;		     /* one fragment to the guest */
	const struct rfwd_nat *nat;  /* forwards on the gateway (bridge.c) */
	void (*after_input)(void *); /* bridge.c's drain, or NULL */
	void *after_opaque;
	/* bridge.c's ARP and NDP answers, or NULL */
	bool (*neigh)(void *, const uint8_t *, size_t);
	void *neigh_opaque;
};

/* Ask for offloads on a TAP fd opened with IFF_VNET_HDR; returns the
 * header length to expect, 0 for plain frames. */
static size_t setup_vnet(int fd)
{
	unsigned int offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO_ECN;
	struct ifreq ifr;
	int le = 1, len = 0;

	memset(&ifr, 0, sizeof(ifr));
	if (fd < 0 || ioctl(fd, TUNGETIFF, &ifr) < 0 ||
	    !(ifr.ifr_flags & IFF_VNET_HDR))
		return 0;
	if (ioctl(fd, TUNGETVNETHDRSZ, &len) < 0 ||
	    len < (int)sizeof(struct virtio_net_hdr) || len > VNET_MAX) {
		len = sizeof(struct virtio_net_hdr);
		if (ioctl(fd, TUNSETVNETHDRSZ, &len) < 0)
			return 0;
	}
	/* the header's fields are little-endian on every host from here */
	if (ioctl(fd, TUNSETVNETLE, &le) < 0 && BYTE_ORDER != LITTLE_ENDIAN)
		offload = 0;
	if (ioctl(fd, TUNSETOFFLOAD, offload) < 0)
		log_debug("TUNSETOFFLOAD: %s", g_strerror(errno));
	return (size_t)len;
}

struct s4n_tap *tap_new(int fd, unsigned int mtu, struct s4n_stats *stats,
			struct res *res)
{
	struct s4n_tap *tap = g_new0(struct s4n_tap, 1);

	tap->stats = stats;
	tap->res = res;
	tap->mtu = mtu;
	tap->buf = util_map(BUF_SIZE);
	tap->fd = -1;
	tap_set_fd(tap, fd);
	/* fixed for the daemon's life: libslirp's MTU depends on it */
	tap->gso =
	    tap->vnet_len && mtu < GSO_MTU && !getenv("SLIRP4NETNS_NO_GSO");
	if (tap->gso)
		tap->obuf = g_malloc(FRAME_ETH_LEN + mtu);
	return tap;
}

unsigned int tap_slirp_mtu(const struct s4n_tap *tap)
{
	return tap->gso ? GSO_MTU : tap->mtu;
}

void tap_set_net(struct s4n_tap *tap, const struct guard_net *net)
{
	tap->net = *net;
}

void tap_idle(struct s4n_tap *tap)
{
	(void)madvise(tap->buf, BUF_SIZE, MADV_DONTNEED);
	tap->stats->reasm.dropped += reasm_idle(&tap->reasm);
}

void tap_free(struct s4n_tap *tap)
{
	if (!tap)
		return;
	if (tap->fd >= 0)
		close(tap->fd);
	util_unmap(tap->buf, BUF_SIZE);
	(void)reasm_idle(&tap->reasm);
	g_free(tap->obuf);
	g_free(tap);
}

int tap_fd(const struct s4n_tap *tap)
{
	return tap->fd;
}

void tap_set_fd(struct s4n_tap *tap, int fd)
{
	if (tap->fd >= 0)
		close(tap->fd);
	tap->fd = fd;
	tap->vnet_len = setup_vnet(fd);
}

void tap_set_tcp(struct s4n_tap *tap, struct tcp_ctx *tcp)
{
	tap->tcp = tcp;
}

unsigned int tap_mtu(const struct s4n_tap *tap)
{
	return tap->mtu;
}

bool tap_vnet(const struct s4n_tap *tap)
{
	return tap->vnet_len != 0;
}

void tap_socket_opened(struct s4n_tap *tap)
{
	if (tap->res)
		res_socket_opened(tap->res);
}

void tap_socket_closed(struct s4n_tap *tap)
{
	if (tap->res)
		res_socket_closed(tap->res);
}

void tap_set_pcap(struct s4n_tap *tap, struct pcap *pc)
{
	tap->pcap = pc;
}

/* strip and act on the virtio-net header of one frame read from the TAP */
static int vnet_input(struct s4n_tap *tap, uint8_t *buf, size_t n,
		      uint8_t **ret_frame, size_t *ret_len)
{
	struct virtio_net_hdr h;
	uint8_t *frame = buf + tap->vnet_len;
	size_t len;

	if (n < tap->vnet_len)
		return -EINVAL;
	len = n - tap->vnet_len;
	memcpy(&h, buf, sizeof(h));
	if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && tap->deferred) {
		/* the TCP path takes it as it is: see tap_input() */
		tap->csum_pending = true;
		tap->csum_start = le16toh(h.csum_start);
		tap->csum_off = le16toh(h.csum_offset);
	} else if ((h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
		   frame_complete_csum(frame, len, le16toh(h.csum_start),
				       le16toh(h.csum_offset)) < 0) {
		return -EINVAL;
	}
	*ret_frame = frame;
	*ret_len = len;
	return 0;
}

/* answer the guest's SYN with an RST, as a host with nothing listening */
static void refuse_syn(struct s4n_tap *tap, const uint8_t *syn, size_t len,
		       int why)
{
	uint8_t rst[FRAME_ETH_LEN + FRAME_IP6_LEN + FRAME_TCP_LEN];
	ssize_t n = frame_tcp_rst(syn, len, rst, sizeof(rst));

	if (why == -EMFILE)
		tap->stats->from_guest_refused_nofd++;
	else
		tap->stats->from_guest_refused_nomem++;
	if (n > 0)
		(void)tap_send(tap, rst, (size_t)n);
}

/* Return: true if the frame may go on (to reassembly, then libslirp) */
static bool guard_frame(struct s4n_tap *tap, const uint8_t *frame, size_t len)
{
	switch (guard_check(&tap->net, frame, len)) {
	case GUARD_PASS:
		return true;
	case GUARD_BAD_DEST:
		tap->stats->from_guest_bad_dest++;
		return false;
	case GUARD_BAD_NEIGH:
		tap->stats->from_guest_bad_neigh++;
		return false;
	default:
		return false;
	}
}

/* A frame from the read buffer on its way to libslirp: what was left
 * for after the TCP path (tap_read_batch()). Return: false to drop it. */
static bool finish_deferred(struct s4n_tap *tap, const uint8_t *frame,
			    size_t len)
{
	/* the read buffer, ours to change (tap_input() takes const for the
	 * fuzzer, which never defers) */
	uint8_t *f = tap->buf + (frame - tap->buf);

	if (frame < tap->buf || frame + len > tap->buf + BUF_SIZE)
		return true; /* reassembled (reasm.c): from whole fragments */
	if (tap->csum_pending) {
		tap->csum_pending = false;
		if (frame_complete_csum(f, len, tap->csum_start,
					tap->csum_off) < 0) {
			tap->stats->from_guest_dropped++;
			return false;
		}
	}
	if (tap->gso)
		(void)frame_adjust_mss(f, len, GSO_MSS, true);
	return true;
}

int tap_input(struct s4n_tap *tap, Slirp *slirp, const uint8_t *frame,
	      size_t len)
{
	bool syn;

	/* A guest controls these bytes: libslirp checks each header it
	 * parses, we check the frame as a whole, and libslirp never sees a
	 * fragment (see reasm.c). */
	if (len < FRAME_ETH_LEN || len > FRAME_MAX) {
		tap->stats->from_guest_dropped++;
		return -EINVAL;
	}
	if (!guard_frame(tap, frame, len))
		return -EINVAL;
	tap->stats->from_guest_frames++;
	tap->stats->from_guest_bytes += len;
	switch (reasm_input(&tap->reasm, frame, len, g_get_monotonic_time,
			    &tap->stats->reasm, &frame, &len)) {
	case REASM_PASS:
	case REASM_DONE:
		break;
	case REASM_HELD:
		return 0;
	case REASM_DROP:
	default:
		return -EINVAL;
	}
	if (tap->neigh && tap->neigh(tap->neigh_opaque, frame, len))
		return 0;
	syn = frame_is_syn(frame, len);
	if (syn) {
		/* resources.c: descriptors and memory for the flow's socket */
		int rc = tap->res ? res_room_for_flow(tap->res) : 0;

		tap->stats->from_guest_syns++;
		if (rc < 0) {
			refuse_syn(tap, frame, len, rc);
			return 0;
		}
	}
	/* the TCP path's flows, and new ones it takes (tcp.c) */
	if (tap->tcp && tcp_input(tap->tcp, frame, len))
		return 0;
	if (tap->deferred && !finish_deferred(tap, frame, len))
		return -EINVAL;
	if (syn)
		heap_before_flow();
	slirp_input(slirp, frame, (int)len);
	return 0;
}

void tap_set_after_input(struct s4n_tap *tap, void (*fn)(void *), void *opaque)
{
	tap->after_input = fn;
	tap->after_opaque = opaque;
}

void tap_set_nat(struct s4n_tap *tap, const struct rfwd_nat *nat)
{
	tap->nat = nat;
}

void tap_set_neigh(struct s4n_tap *tap,
		   bool (*fn)(void *, const uint8_t *, size_t), void *opaque)
{
	tap->neigh = fn;
	tap->neigh_opaque = opaque;
}

/* count a batch of @got frames, see SINGLE_RUN */
static void count_batch(struct s4n_tap *tap, unsigned int got)
{
	if (got > 1)
		tap->singles = 0;
	else if (got == 1 && tap->singles < UINT_MAX)
		tap->singles++;
}

int tap_read_batch(struct s4n_tap *tap, Slirp *slirp)
{
	bool single =
	    tap->singles >= SINGLE_RUN && tap->singles % SINGLE_PROBE != 0;
	unsigned int got = 0;
	int i;

	for (i = 0; i < TAP_BATCH && tap->fd >= 0; i++) {
		ssize_t n;
		uint8_t *frame = tap->buf;
		size_t len;

		if (single && got == 1) {
			count_batch(tap, got);
			return 0;
		}
		n = read(tap->fd, tap->buf, BUF_SIZE);
		len = (size_t)n;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			count_batch(tap, got);
			if (errno == EAGAIN)
				return 0;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		got++;
		/* The TCP path needs neither the checksum the guest left
		 * partial nor libslirp's MSS in the SYN: both wait until
		 * the frame goes to libslirp. Not with forwards on the
		 * gateway, whose rewrite needs the full checksum. */
		tap->deferred = tap->tcp && !tap->nat;
		tap->csum_pending = false;
		if (tap->vnet_len &&
		    vnet_input(tap, tap->buf, len, &frame, &len) < 0) {
			tap->stats->from_guest_dropped++;
			continue;
		}
		pcap_frame(tap->pcap, frame, len);
		if (tap->gso && !tap->deferred)
			(void)frame_adjust_mss(frame, len, GSO_MSS, true);
		(void)rfwd_nat_in(tap->nat, frame, len);
		(void)tap_input(tap, slirp, frame, len);
		if (tap->after_input)
			tap->after_input(tap->after_opaque);
	}
	count_batch(tap, got);
	tap->deferred = false;
	tap->csum_pending = false;
	return 0;
}

/* write one frame made of @iov, retrying on EINTR; a full device drops */
static ssize_t write_frame(struct s4n_tap *tap, struct iovec *iov, int n,
			   size_t len)
{
	ssize_t rc;

	do
		rc = writev(tap->fd, iov, n);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		tap->stats->to_guest_dropped++;
		if (errno == EAGAIN || errno == ENOBUFS)
			return (ssize_t)len;
		log_debug("write to TAP: %s", g_strerror(errno));
		return -errno;
	}
	tap->stats->to_guest_frames++;
	tap->stats->to_guest_bytes += len;
	return (ssize_t)len;
}

/* all zero: a frame that needs no offload */
static const uint8_t vnet_none[VNET_MAX];

/* a frame to a guest that takes virtio-net headers: TCP ones as
 * offloaded, others longer than the guest's MTU fragmented */
static ssize_t send_offload(struct s4n_tap *tap, const uint8_t *frame,
			    size_t len)
{
	uint8_t hdrs[FRAME_ETH_LEN + FRAME_IP4_MAX + FRAME_TCP_MAX];
	struct virtio_net_hdr vh;
	struct iovec iov[3];
	ssize_t h, n;
	size_t pos = 0;

	h = frame_gso_prepare(frame, len, tap->mtu, &vh, hdrs, sizeof(hdrs));
	if (h > 0) {
		/* a longer header than virtio_net_hdr is zero padded */
		uint8_t vbuf[VNET_MAX] = {0};

		memcpy(vbuf, &vh, sizeof(vh));
		iov[0] = (struct iovec){vbuf, tap->vnet_len};
		iov[1] = (struct iovec){hdrs, (size_t)h};
		iov[2] = (struct iovec){(void *)(frame + h), len - (size_t)h};
		return write_frame(tap, iov, 3, len);
	}
	iov[0] = (struct iovec){(void *)vnet_none, tap->vnet_len};
	if (!tap->gso || len <= FRAME_ETH_LEN + tap->mtu) {
		iov[1] = (struct iovec){(void *)frame, len};
		return write_frame(tap, iov, 2, len);
	}
	while ((n = frame_fragment4(frame, len, tap->mtu, &pos, tap->obuf,
				    FRAME_ETH_LEN + tap->mtu)) > 0) {
		ssize_t rc;

		iov[1] = (struct iovec){tap->obuf, (size_t)n};
		rc = write_frame(tap, iov, 2, (size_t)n);
		if (rc < 0)
			return rc;
	}
	if (n == 0)
		return (ssize_t)len;
	/* not IPv4 (IPv6 UDP, which libslirp never fragments): as it is */
	iov[1] = (struct iovec){(void *)frame, len};
	return write_frame(tap, iov, 2, len);
}

int tap_write(struct s4n_tap *tap, const struct virtio_net_hdr *vh,
	      const void *frame, size_t len)
{
	uint8_t vbuf[VNET_MAX] = {0};
	struct iovec iov[2] = {
	    {.iov_base = vbuf, .iov_len = tap->vnet_len},
	    {.iov_base = (void *)frame, .iov_len = len},
	};
	ssize_t rc;

	if (tap->fd < 0) {
		tap->stats->to_guest_dropped++;
		return 0;
	}
	if (vh && tap->vnet_len)
		memcpy(vbuf, vh, sizeof(*vh));
	pcap_frame(tap->pcap, frame, len);
	do
		rc = writev(tap->fd, iov, 2);
	while (rc < 0 && errno == EINTR);
	if (rc < 0) {
		tap->stats->to_guest_dropped++;
		return errno == ENOBUFS ? -EAGAIN : -errno;
	}
	tap->stats->to_guest_frames++;
	tap->stats->to_guest_bytes += len;
	return 0;
}

ssize_t tap_send(struct s4n_tap *tap, const void *frame, size_t len)
{
	struct iovec iov[2] = {
	    {.iov_base = (void *)vnet_none, .iov_len = tap->vnet_len},
	    {.iov_base = (void *)frame, .iov_len = len},
	};

	if (tap->fd < 0) {
		tap->stats->to_guest_dropped++;
		return (ssize_t)len;
	}
	pcap_frame(tap->pcap, frame, len);
	if (tap->vnet_len)
		return send_offload(tap, frame, len);
	return write_frame(tap, iov, 2, len);
}
