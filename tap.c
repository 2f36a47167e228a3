/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.c - the frame path between the TAP device and libslirp
 *
 * Frames from the guest are read into one buffer allocated at start-up and
 * handed to slirp_input() from there: libslirp copies what it keeps into
 * its own mbufs, so the path makes no copy and no allocation per frame.
 * Frames to the guest are written straight from libslirp's buffer.
 *
 * This is the one place where guest frames enter the daemon. Offloads
 * (virtio-net headers), an egress policy or a fast path belong here.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"
#include "tap.h"

#define ETH_HDR_LEN 14
/* The largest frame: MTU 65521 plus Ethernet and a VLAN tag fits in 64 KiB.
 * One more byte tells a frame that did not fit from one that did. */
#define FRAME_MAX 65536
#define BUF_SIZE (FRAME_MAX + 1)

struct s4n_tap {
	int fd;
	struct s4n_stats *stats;
	uint8_t *buf;
};

struct s4n_tap *tap_new(int fd, struct s4n_stats *stats)
{
	struct s4n_tap *tap = g_new0(struct s4n_tap, 1);

	tap->fd = fd;
	tap->stats = stats;
	tap->buf = g_malloc(BUF_SIZE);
	return tap;
}

void tap_free(struct s4n_tap *tap)
{
	if (!tap)
		return;
	if (tap->fd >= 0)
		close(tap->fd);
	g_free(tap->buf);
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
}

int tap_input(struct s4n_tap *tap, Slirp *slirp, const uint8_t *frame,
	      size_t len)
{
	/* A guest controls these bytes: libslirp checks each header it
	 * parses, we check the frame as a whole. */
	if (len < ETH_HDR_LEN || len > FRAME_MAX) {
		tap->stats->from_guest_dropped++;
		return -EINVAL;
	}
	tap->stats->from_guest_frames++;
	tap->stats->from_guest_bytes += len;
	slirp_input(slirp, frame, (int)len);
	return 0;
}

int tap_read_batch(struct s4n_tap *tap, Slirp *slirp)
{
	int i;

	for (i = 0; i < TAP_BATCH && tap->fd >= 0; i++) {
		ssize_t n = read(tap->fd, tap->buf, BUF_SIZE);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		(void)tap_input(tap, slirp, tap->buf, (size_t)n);
	}
	return 0;
}

ssize_t tap_send(struct s4n_tap *tap, const void *frame, size_t len)
{
	ssize_t n;

	if (tap->fd < 0) {
		tap->stats->to_guest_dropped++;
		return (ssize_t)len;
	}
	do
		n = write(tap->fd, frame, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		tap->stats->to_guest_dropped++;
		if (errno == EAGAIN || errno == ENOBUFS)
			return (ssize_t)len;
		log_debug("write to TAP: %s", g_strerror(errno));
		return -errno;
	}
	tap->stats->to_guest_frames++;
	tap->stats->to_guest_bytes += (uint64_t)n;
	return n;
}
