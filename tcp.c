/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcp.c - the guest's TCP connections on host sockets, beside libslirp
 *
 * A guest's SYN to an address outside the virtual network's own services
 * becomes a non-blocking connect() on a host socket, and every later
 * segment of that connection goes to the socket, never to libslirp. There
 * is no TCP stack here: the host kernel's socket is the buffer both ways,
 * and the guest's TCP makes the link reliable. Per flow we keep sequence
 * numbers, windows, scales and the MSS (struct tcp_conn, 120 bytes).
 *
 * Guest to host: a segment at the next expected sequence number is sent
 * to the socket at once from the frame it came in; we acknowledge only
 * what send() took, and offer as window the socket's free send space.
 * While that is too small for another segment of the guest, a timer looks
 * for room in the socket and tells the guest when it opens: a send() that
 * succeeded is followed by no event when the peer reads. A segment
 * after a gap is dropped and answered with a duplicate ACK; one before
 * it (a retransmission, a keep-alive probe) with an ACK.
 *
 * Host to guest: data is read with MSG_PEEK within the guest's window and
 * stays in the socket until the guest acknowledges it; then it is dropped
 * with MSG_TRUNC. The kernel keeps our read position (SO_PEEK_OFF, for
 * TCP since Linux 6.9); older kernels (Debian 12's 6.1) refuse it, and we
 * peek from the start with the bytes already sent skipped into a scratch
 * buffer. Three duplicate ACKs or a timeout send again from the last
 * acknowledged byte (go-back-N: the guest is a local kernel, losses are
 * rare, and the data is still in the socket); the duplicate ACKs that
 * what we sent again brings back do not count (see go_back()).
 *
 * Frames to a guest whose TAP takes virtio-net headers go out as one GSO
 * frame of up to 64 KiB with the checksum left to the guest's kernel
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM): neither side computes a checksum over the
 * payload. Frames from the guest are not checksummed here either: the TAP
 * or the bess socket is a link inside this host, and a frame with a
 * partial checksum (the offload) has none to verify.
 *
 * States of a flow (one comment here, the code follows it):
 *
 *   CONNECTING  SYN seen, connect() in progress; the guest's SYN
 *               retransmits are ignored. Completes -> SYN-ACK sent,
 *               ESTABLISHED. Refused -> RST to the guest; an error at once
 *               -> the SYN goes to libslirp, which answers as it always
 *               did (ICMP unreachable). Timer: CONNECT_TIMEOUT_MS.
 *   ESTABLISHED with flags:
 *     SYN_ACKED   the guest acknowledged our SYN; data may go to it
 *     GUEST_FIN   its FIN came in order: shutdown(SHUT_WR) done
 *     HOST_EOF    the socket reported the peer's FIN (EPOLLRDHUP)
 *     FIN_SENT    our FIN went out at seq snd_max - 1
 *     HOST_RST    the peer reset: deliver what is left and a FIN, then
 *                 a RST
 *     Timers: retransmission (data, SYN-ACK or FIN unacknowledged),
 *     persist (guest window closed with data waiting), TAP_RETRY_MS
 *     when the TAP was full.
 *   LINGER      both FINs acknowledged, socket closed: retransmitted
 *               FINs are still acknowledged for LINGER_MS, then the entry
 *               goes. A new SYN on the tuple replaces it at once.
 *   DEAD        closed; the entry is freed when the handler that closed
 *               it returns (reap()), as freeing may move the table.
 *   SYN_SENT    a port forward's accepted client (tcpfwd.c): our SYN is
 *               out to the guest. Its SYN-ACK -> ESTABLISHED; its RST ->
 *               the client is closed. Timer: the SYN again on each
 *               retransmission timeout, until FWD_SYN_TIMEOUT_MS.
 *
 * A RST from the guest closes the socket with SO_LINGER 0 (a RST to the
 * peer). Idle established flows have no timer: the host kernel keeps the
 * connection, as libslirp does, however long the guest leaves it idle.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib.h>

#include "flow.h"
#include "frame.h"
#include "log.h"
#include "tap.h"
#include "tcp.h"
#include "tcpseg.h"
#include "util.h"
#include "waitset.h"

/* a retransmission after this long without an ACK, doubled each time
 * (the guest is a local kernel: its ACK takes microseconds) */
#define RTO_MIN_MS 200
#define RTO_MAX_MS 8000
/* ... and after this many in a row, both sides are reset */
#define RETRIES_MAX 12
/* the guest's window is closed with data waiting: probe this often */
#define PERSIST_MS 1000
/* longer than the kernel's own connect() takes to give up (127 s with
 * net.ipv4.tcp_syn_retries = 6) is never needed */
#define CONNECT_TIMEOUT_MS 135000
/* a forward's client is given up when the guest does not answer its SYN
 * for this long: libslirp's TCPTV_KEEP_INIT, what its forwards do today */
#define FWD_SYN_TIMEOUT_MS 75000
/* acknowledge retransmitted FINs this long after the close */
#define LINGER_MS 2000
/* the TAP could not take a frame: try again this soon */
#define TAP_RETRY_MS 1
/* our window scale: the socket's send buffer grows to 4 MiB
 * (net.ipv4.tcp_wmem), which takes a shift of 7 to fit 16 bits */
#define OUR_WSCALE 7
/* flows at most: one per descriptor, which tap.c limits first */
#define FLOWS_MAX (1U << 20)
/* ACKs collected in a batch before they are sent anyway */
#define PENDING_MAX 128
/* The ACK of a small segment (a request, a FIN) waits this long for
 * data of ours to carry it, as libslirp's delayed ACKs do: most answers
 * come from the host within tens of microseconds, and a frame less to
 * the guest is a pass less through its TCP stack. A second segment, or
 * a larger one, is acknowledged at the end of the batch as before. */
#define DELACK_US 1000
#define DELACK_LEN 1024
/* see our_window(): the edge is kept in units of 256 bytes, 16 bits */
#define EDGE_SHIFT 8
#define EDGE_MASK 0xffffffU
#define EDGE_MAX (1U << 22)
/* A window below this may not let the guest send one more segment (its
 * TCP waits for room for a whole one): the socket is watched then, and
 * the guest told as soon as room opens (watch_window()). A send() that
 * succeeds gives no EPOLLOUT later, so the watch is a timer, backed off
 * from WATCH_MIN_MS while the host peer reads nothing. */
#define WND_LOW (2 * 65536)
#define WATCH_MIN_MS 1
#define WATCH_LEVEL 0x7f
#define WATCH_TIMER 0x80
/* Bytes the guest acknowledged leave the socket at the end of the batch
 * (tcp_flush()): one recv() per flow, not one per ACK of the guest. With
 * SO_PEEK_OFF the read position moves back with them, so peeks in
 * between are not disturbed. Flows waiting so, at most: */
#define CONSQ_MAX 32
/* the send buffer we ask for at most: twice this, the window our scale
 * can offer (see tcp_new()) */
#define SNDBUF_MAX (4 << 20)
/* RFC 9293 3.7.1: the MSS to assume when the SYN has none */
#define MSS_DEFAULT4 536
#define MSS_DEFAULT6 1220

/* the largest payload of one frame to the guest: an IP packet's limit,
 * less the IPv4 and TCP headers with the timestamps option */
#define PAYLOAD_MAX (65535 - 20 - 20 - 12)
#define VNET_ROOM 32
/* a slot of the frame buffer: virtio-net header, frame headers, payload */
#define PAY_OFF (VNET_ROOM + TCPSEG_HDR_MAX)
/* Frames to the guest are peeked several at once, each into a slot of
 * PAY_OFF + its payload: one recvmsg() then walks the socket's queue to
 * the peek offset once for all of them, which costs as much as the copy
 * when a few MiB wait for the guest's ACK. Slots at most: */
#define PEEK_SLOTS 64
/* the frame buffer: room for 8 of the largest frames, or more smaller */
#define BUF_SIZE (8 * (PAY_OFF + PAYLOAD_MAX))
/* the scratch buffer that bytes already sent are peeked into, without
 * SO_PEEK_OFF; one iovec entry per DISCARD_SIZE bytes skipped */
#define DISCARD_SIZE 65536
#define DISCARD_IOV 32
/* ... which bounds what is in flight to the guest then: each peek copies
 * all of it again, so a larger window costs more than it brings */
#define SKIP_MAX (DISCARD_SIZE * DISCARD_IOV)

enum { ST_CONNECTING = 1, ST_ESTABLISHED, ST_LINGER, ST_DEAD, ST_SYN_SENT };

#define F_SYN_ACKED 0x01
#define F_GUEST_FIN 0x02
#define F_HOST_EOF 0x04
#define F_FIN_SENT 0x08
#define F_HOST_RST 0x10
#define F_ACK_DUE 0x20
#define F_SHORT 0x40 /* send() took less than the guest sent */
#define F_FWD 0x80   /* opened by a port forward (tcpfwd.c) */

/* xflags */
#define X_MORE 0x01    /* the socket may hold data not peeked yet */
#define X_DELACK 0x02  /* the ACK due (F_ACK_DUE) may wait, see DELACK_US */
#define X_KEPT 0x04    /* tcp_flush(): kept in the pending list already */
#define X_CONSUME 0x08 /* acknowledged bytes wait in consq, see CONSQ_MAX */
#define X_EDGE 0x10    /* wnd_edge holds an answer of window_of() */
#define X_RECOVER 0x20 /* went back: duplicate ACKs up to recover are ours */

/* A remote forward's UNIX stream target (bridge.c) is a flow's socket
 * too. Its accounting differs from TCP's: queued bytes are charged to
 * the sender until the reader takes them (SK_MEMINFO_WMEM_ALLOC),
 * MSG_TRUNC does not discard, and SO_PEEK_OFF works on every kernel but
 * may be filtered (seccomp): each flow says whether its socket keeps
 * the peek position. */
#define LOCAL_PEEK_OFF 1
#define LOCAL_SKIP 2

struct tcp_conn {
	struct flow_hdr h;
	int fd;
	uint8_t state;
	uint8_t flags;
	uint8_t gws;  /* the guest's window scale */
	uint8_t ows;  /* ours */
	uint16_t mss; /* payload per segment to the guest */
	uint8_t dupacks;
	uint8_t retries;
	uint32_t iss;	    /* our initial sequence number */
	uint32_t irs;	    /* the guest's */
	uint32_t snd_una;   /* oldest byte the guest has not acknowledged */
	uint32_t snd_nxt;   /* next byte to send */
	uint32_t snd_max;   /* highest sent, +1 */
	uint32_t rcv_nxt;   /* next byte expected from the guest */
	uint32_t recover;   /* snd_max when we last went back (X_RECOVER) */
	uint32_t gwnd;	    /* the guest's window, bytes */
	uint16_t last_win;  /* window field of the last ACK from the guest */
	uint16_t wnd_sent;  /* window field of our last segment */
	uint16_t seg_len;   /* payload of the guest's last segment */
	uint8_t ts_ok;	    /* the guest offered timestamps (RFC 7323) */
	uint8_t xflags;	    /* X_* */
	uint8_t watch;	    /* WATCH_LEVEL: our window is low, 1 + backoff;
			     * WATCH_TIMER: due_ms is the watch's */
	uint8_t local;	    /* an AF_UNIX socket: LOCAL_*, else 0 */
	uint16_t wnd_edge;  /* rcv_nxt + window at window_of(), 256s (X_EDGE) */
	uint32_t ts_recent; /* its latest timestamp, echoed back */
	int64_t due_ms;	    /* timer, 0: none */
};

struct tcp_ctx {
	const struct s4n_opts *opts;
	struct s4n_tap *tap;
	struct s4n_stats *st;
	struct waitset *ws;
	int32_t *fdidx; /* flow index by socket fd, -1: none */
	size_t nfdidx;
	struct flow_table ft;
	uint8_t gmac[6], hmac[6]; /* from the guest's last SYN */
	uint64_t iss_state;	  /* see new_iss() */
	bool gmac_known;	  /* gmac came from the guest's frames */
	uint8_t *buf;		  /* BUF_SIZE, mapped with the first flow */
	uint8_t *discard;	  /* DISCARD_SIZE, only without SO_PEEK_OFF */
	int peek_off;		  /* 1: works, 0: untried, -1: refused */
	int meminfo;		  /* SO_MEMINFO: 1, 0, -1 as peek_off */
	int sndbuf; /* SO_SNDBUF of each socket, 0: the kernel's */
	int64_t next_due_ms;
	uint16_t ip_id;
	int32_t pending[PENDING_MAX]; /* flows with F_ACK_DUE (and others) */
	unsigned int npending;
	int64_t delack_due_us;	  /* delayed ACKs go out then, 0: none */
	tcp_redirect_fn redirect; /* remote forwards (bridge.c), or NULL */
	void *redirect_opaque;
	struct {
		int32_t idx; /* flow, -1: done */
		uint32_t n;  /* bytes to drop from its socket */
	} consq[CONSQ_MAX];
	unsigned int nconsq;
};

static int64_t now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

static struct tcp_conn *conn(struct tcp_ctx *t, int32_t idx)
{
	return flow_at(&t->ft, idx);
}

static int32_t conn_idx(struct tcp_ctx *t, const struct tcp_conn *c)
{
	return (int32_t)(((const uint8_t *)c - t->ft.ent) / t->ft.esize);
}

/* the number at @index (from 0) in the file at @path, or -1 */
static long read_sysctl(const char *path, int index)
{
	gchar *text = NULL;
	char *p;
	long v = -1;

	if (g_file_get_contents(path, &text, NULL, NULL)) {
		p = text;
		do
			v = strtol(p, &p, 10);
		while (index-- > 0);
	}
	g_free(text);
	return v;
}

/*
 * The window we offer the guest is the socket's free send space, and our
 * ACKs come once per batch of frames: the guest waits for them the less,
 * the larger the buffer (a forward's upload at MTU 65520 ran faster with
 * 8 MiB than with 4). The kernel grows a send buffer up to the third
 * number of net.ipv4.tcp_wmem (4 MiB by default), and SO_SNDBUF sets it
 * to twice what we ask, at most twice net.core.wmem_max (208 KiB by
 * default). Ask only where that is larger. Return: the value to ask for,
 * or 0.
 */
static int sndbuf_size(void)
{
	long wmem_max = read_sysctl("/proc/sys/net/core/wmem_max", 0);
	/* "min default max" */
	long auto_max = read_sysctl("/proc/sys/net/ipv4/tcp_wmem", 2);

	if (wmem_max <= 0 || auto_max < 0)
		return 0;
	wmem_max = MIN(wmem_max, SNDBUF_MAX);
	return 2 * wmem_max > auto_max ? (int)wmem_max : 0;
}

/* 64 random bits; glib's g_random_*() would set up a GRand, 2.5 KiB and
 * its code, in every daemon */
static uint64_t random64(void)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	return (uint64_t)g_get_real_time() * 0x9e3779b97f4a7c15ULL ^
	       (uint64_t)getpid() << 32; /* no entropy pool yet */
}

/* an initial sequence number: splitmix64 on a state of its own, so that
 * what the guest sees of them tells nothing of the flow table's secret */
static uint32_t new_iss(struct tcp_ctx *t)
{
	uint64_t z = (t->iss_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

struct tcp_ctx *tcp_new(const struct s4n_opts *opts, struct s4n_tap *tap,
			struct s4n_stats *stats, struct waitset *ws)
{
	struct tcp_ctx *t = g_new0(struct tcp_ctx, 1);

	t->opts = opts;
	t->tap = tap;
	t->st = stats;
	t->ws = ws;
	t->next_due_ms = INT64_MAX;
	flow_init(&t->ft, sizeof(struct tcp_conn), FLOWS_MAX, random64());
	t->iss_state = random64();
	/* libslirp's own address (52:55 and the gateway's IPv4 address),
	 * for frames a forward sends before the guest sent us any */
	t->hmac[0] = 0x52;
	t->hmac[1] = 0x55;
	memcpy(t->hmac + 2, &opts->vhost, 4);
	if (opts->has_macaddress) {
		memcpy(t->gmac, opts->macaddress, 6);
		t->gmac_known = true;
	}
	if (getenv("SLIRP4NETNS_NO_PEEK_OFF"))
		t->peek_off = -1; /* tests: the fallback of older kernels */
	if (getenv("SLIRP4NETNS_NO_MEMINFO"))
		t->meminfo = -1; /* tests: as before Linux 4.12 */
	t->sndbuf = sndbuf_size();
	return t;
}

/* --- timers ------------------------------------------------------------- */

static void arm(struct tcp_ctx *t, struct tcp_conn *c, int64_t ms)
{
	c->watch &= (uint8_t)~WATCH_TIMER;
	c->due_ms = now_ms() + ms;
	if (c->due_ms < t->next_due_ms)
		t->next_due_ms = c->due_ms;
}

static int64_t rto(const struct tcp_conn *c)
{
	int64_t ms = (int64_t)RTO_MIN_MS << MIN(c->retries, 6);

	return MIN(ms, RTO_MAX_MS);
}

/* no timer runs for @c but, perhaps, the watch's, which any other
 * replaces: the watch waits for it to end */
static bool timer_free(const struct tcp_conn *c)
{
	return !c->due_ms || (c->watch & WATCH_TIMER);
}

/* the timer of a low window's watch, if no other timer runs */
static void watch_arm(struct tcp_ctx *t, struct tcp_conn *c)
{
	unsigned int level = c->watch & WATCH_LEVEL;

	if (!level || c->due_ms)
		return;
	arm(t, c, MIN((int64_t)WATCH_MIN_MS << MIN(level - 1, 10), PERSIST_MS));
	c->watch |= WATCH_TIMER;
}

/* --- frames to the guest -------------------------------------------------- */

/* payload of one segment to the guest: the MSS less our options */
static uint16_t seg_size(const struct tcp_conn *c)
{
	return (uint16_t)(c->mss - (c->ts_ok ? 12 : 0));
}

/* Write the segment whose headers tcpseg_build() put at @hdr with @dlen
 * bytes of payload right behind them. Return: 0, -EAGAIN if the TAP is
 * full (nothing was sent), or -errno. */
static int emit(struct tcp_ctx *t, const struct tcp_conn *c, uint8_t *hdr,
		size_t hlen, size_t l4, size_t dlen)
{
	struct virtio_net_hdr vh;
	unsigned int mtu = tap_mtu(t->tap);
	size_t l34 = hlen - 14;

	memset(&vh, 0, sizeof(vh));
	if (tap_vnet(t->tap)) {
		vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh.csum_start = htole16((uint16_t)l4);
		vh.csum_offset = htole16(16);
		vh.hdr_len = htole16((uint16_t)hlen);
		if (l34 + dlen > mtu) {
			vh.gso_type = c->h.key.v6 ? VIRTIO_NET_HDR_GSO_TCPV6
						  : VIRTIO_NET_HDR_GSO_TCPV4;
			vh.gso_size = htole16(seg_size(c));
		}
		return tap_write(t->tap, &vh, hdr, hlen + dlen);
	}
	tcpseg_csum(hdr, l4, hlen, hdr + hlen, dlen);
	return tap_write(t->tap, NULL, hdr, hlen + dlen);
}

/* the window we offer: the socket's free send space; @ret_queued (if
 * not NULL): whether the socket holds data, so that room may open */
static uint32_t window_of(struct tcp_ctx *t, const struct tcp_conn *c,
			  bool *ret_queued)
{
	uint32_t mi[SK_MEMINFO_VARS] = {0};
	socklen_t sl = sizeof(mi);
	uint32_t len;
	int outq, sndbuf;

	if (ret_queued)
		*ret_queued = false;
	if (c->fd < 0 || (c->flags & F_GUEST_FIN))
		return 0;
	/* for segments as large as the guest's last one: a send() that
	 * takes less than a segment costs the guest the rest of its window
	 * (we keep no data), so the guess errs low */
	len = MAX(c->seg_len, MSS_DEFAULT4);
	/* the kernel's own accounting (sock_getsockopt()) */
	if (t->meminfo >= 0) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_MEMINFO, mi, &sl) == 0) {
			/* a UNIX socket's bytes are charged to the sender
			 * until the reader takes them */
			uint32_t q = mi[c->local ? SK_MEMINFO_WMEM_ALLOC
						 : SK_MEMINFO_WMEM_QUEUED];

			t->meminfo = 1;
			if (ret_queued)
				*ret_queued = q > 0;
			return tcpseg_window(mi[SK_MEMINFO_SNDBUF], q, len);
		}
		if (errno == ENOPROTOOPT && t->meminfo == 0) {
			log_debug("tcp: no SO_MEMINFO (Linux 4.12): windows "
				  "from SIOCOUTQ and SO_SNDBUF");
			t->meminfo = -1;
		}
	}
	/* before Linux 4.12: the data queued, and a guess of its heads */
	sl = sizeof(sndbuf);
	if (ioctl(c->fd, SIOCOUTQ, &outq) < 0 || outq < 0 ||
	    getsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl) < 0 ||
	    sndbuf <= 0)
		return 0;
	if (ret_queued)
		*ret_queued = outq > 0;
	return tcpseg_window((uint32_t)sndbuf,
			     tcpseg_queued_guess((uint32_t)outq, len), len);
}

/* The window for a segment to the guest. Small segments (requests) take
 * little of it: the right edge of the last answer holds while WND_LOW of
 * it is left (below that the watch of a low window takes over), rather
 * than a system call for each request. Larger segments, and a socket that
 * took less than a segment, ask. */
static uint32_t our_window(struct tcp_ctx *t, struct tcp_conn *c)
{
	uint32_t left = ((uint32_t)c->wnd_edge << EDGE_SHIFT) - c->rcv_nxt, w;

	left &= EDGE_MASK;
	if ((c->xflags & X_EDGE) && c->seg_len <= DELACK_LEN &&
	    !(c->flags & (F_SHORT | F_GUEST_FIN)) && c->fd >= 0 &&
	    left >= WND_LOW && left < EDGE_MAX)
		return left;
	w = window_of(t, c, NULL);
	c->xflags &= (uint8_t)~X_EDGE;
	if (w < EDGE_MAX) {
		/* rounded down: never more than the socket had room for */
		c->wnd_edge =
		    (uint16_t)(((c->rcv_nxt + w) & EDGE_MASK) >> EDGE_SHIFT);
		c->xflags |= X_EDGE;
	}
	return w;
}

/* build the headers of a segment of @c right before the payload area */
static size_t build(struct tcp_ctx *t, struct tcp_conn *c, uint8_t flags,
		    uint32_t seq, size_t dlen, uint32_t wnd, uint8_t **ret_hdr,
		    size_t *ret_l4)
{
	uint8_t tmp[TCPSEG_HDR_MAX];
	uint32_t win = flags & TCPSEG_SYN ? 65535 : wnd >> c->ows;
	struct tcpseg_out o = {
	    .v6 = c->h.key.v6,
	    .smac = t->hmac,
	    .dmac = t->gmac,
	    .saddr = c->h.key.haddr,
	    .daddr = c->h.key.gaddr,
	    .sport = c->h.key.hport,
	    .dport = c->h.key.gport,
	    .seq = seq,
	    .ack = c->rcv_nxt,
	    .flags = flags,
	    .win = (uint16_t)MIN(win, 65535),
	    .mss = c->mss,
	    .wscale = c->ows ? c->ows : -1,
	    .ts = c->ts_ok,
	    .ts_val = (uint32_t)now_ms(),
	    .ts_ecr = c->ts_recent,
	    .ip_id = t->ip_id++,
	    .dlen = dlen,
	};
	size_t hlen = tcpseg_build(tmp, &o, ret_l4);

	if (flags & TCPSEG_ACK) {
		/* it acknowledges everything so far */
		c->flags &= (uint8_t)~F_ACK_DUE;
		c->xflags &= (uint8_t)~X_DELACK;
	}
	c->wnd_sent = o.win;
	if (flags & TCPSEG_SYN || c->fd < 0 || (c->flags & F_GUEST_FIN) ||
	    (uint32_t)o.win << c->ows >= WND_LOW) {
		c->watch &= WATCH_TIMER; /* the timer finds nothing to do */
	} else {
		if (!(c->watch & WATCH_LEVEL))
			c->watch |= 1;
		watch_arm(t, c);
	}
	*ret_hdr = t->buf + PAY_OFF - hlen;
	memcpy(*ret_hdr, tmp, hlen);
	return hlen;
}

/* a segment without payload; Return: as emit() */
static int send_ctl(struct tcp_ctx *t, struct tcp_conn *c, uint8_t flags,
		    uint32_t seq)
{
	/* a SYN's window is a fixed 65535 (build()): no need to ask */
	uint32_t wnd = flags & TCPSEG_SYN ? 0 : our_window(t, c);
	uint8_t *hdr;
	size_t l4, hlen = build(t, c, flags, seq, 0, wnd, &hdr, &l4);

	return emit(t, c, hdr, hlen, l4, 0);
}

static void send_ack(struct tcp_ctx *t, struct tcp_conn *c)
{
	(void)send_ctl(t, c, TCPSEG_ACK, c->snd_nxt);
}

/* An ACK for a segment after a gap: the same window as the last one, or
 * the guest does not count it as a duplicate (RFC 5681 section 2), and
 * only its retransmission timeout, backed off, recovers the loss. */
static void send_dupack(struct tcp_ctx *t, struct tcp_conn *c)
{
	uint8_t *hdr;
	size_t l4, hlen;

	hlen = build(t, c, TCPSEG_ACK, c->snd_nxt, 0,
		     (uint32_t)c->wnd_sent << c->ows, &hdr, &l4);
	(void)emit(t, c, hdr, hlen, l4, 0);
}

/* The watch's timer: room opened in the socket since our last, low,
 * window: the guest hears of it. Or not yet: look again later. */
static void watch_window(struct tcp_ctx *t, struct tcp_conn *c)
{
	uint32_t sent = (uint32_t)c->wnd_sent << c->ows, w;
	bool queued;

	if (!(c->watch & WATCH_LEVEL))
		return;
	w = window_of(t, c, &queued);
	if (!queued && w < WND_LOW) {
		/* no room will open: the send buffer is this small */
		c->watch = 0;
		return;
	}
	if (w >= WND_LOW || (w > sent && w - sent >= WND_LOW / 2)) {
		c->watch = 1;
		send_ack(t, c); /* with a window still low, watched again */
		return;
	}
	if ((c->watch & WATCH_LEVEL) < WATCH_LEVEL)
		c->watch++;
	watch_arm(t, c);
}

/* An ACK due for @c, which took @len bytes (or a FIN): after the batch,
 * one for all the frames in it; or later (DELACK_US) for the first small
 * segment since our last ACK, unless data of ours carries it first. */
static void ack_later(struct tcp_ctx *t, struct tcp_conn *c, size_t len)
{
	if (c->flags & F_ACK_DUE) {
		c->xflags &= (uint8_t)~X_DELACK; /* a second segment */
		return;
	}
	if (t->npending == PENDING_MAX) {
		send_ack(t, c);
		return;
	}
	c->flags |= F_ACK_DUE;
	if (len <= DELACK_LEN)
		c->xflags |= X_DELACK;
	t->pending[t->npending++] = conn_idx(t, c);
}

/* a RST to the guest for @c, as a reset peer sends it */
static void send_rst(struct tcp_ctx *t, struct tcp_conn *c)
{
	(void)send_ctl(t, c, TCPSEG_RST | TCPSEG_ACK, c->snd_nxt);
}

/* --- flows ---------------------------------------------------------------- */

static int map_buffers(struct tcp_ctx *t)
{
	if (!t->buf)
		t->buf = util_map(BUF_SIZE);
	return t->buf ? 0 : -ENOMEM;
}

static void consume(struct tcp_ctx *t, struct tcp_conn *c, uint32_t n);

/* drop now what CONSQ_MAX keeps for @c, or only forget it (@drop: the
 * socket is reset) */
static void consume_queued(struct tcp_ctx *t, struct tcp_conn *c, bool drop)
{
	int32_t idx;
	unsigned int i;

	if (!(c->xflags & X_CONSUME))
		return;
	c->xflags &= (uint8_t)~X_CONSUME;
	idx = conn_idx(t, c);
	for (i = 0; i < t->nconsq; i++) {
		if (t->consq[i].idx != idx)
			continue;
		t->consq[i].idx = -1;
		if (!drop)
			consume(t, c, t->consq[i].n);
	}
}

/* stop waiting on @fd and close it */
static void close_fd(struct tcp_ctx *t, int fd)
{
	waitset_del(t->ws, fd);
	if ((size_t)fd < t->nfdidx)
		t->fdidx[fd] = -1;
	close(fd);
	tap_socket_closed(t->tap);
}

static void conn_del(struct tcp_ctx *t, struct tcp_conn *c, bool reset)
{
	if (c->state == ST_DEAD)
		return;
	/* unread bytes would make close() send a RST */
	consume_queued(t, c, reset);
	if (c->fd >= 0) {
		if (reset) {
			struct linger l = {.l_onoff = 1, .l_linger = 0};

			(void)setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l,
					 sizeof(l));
		}
		close_fd(t, c->fd);
		c->fd = -1;
	}
	c->state = ST_DEAD;
	c->due_ms = 0;
	t->st->tcp_flows--;
}

/* free the entry of flow @idx if it was closed; Return: true if so */
static bool reap(struct tcp_ctx *t, int32_t idx)
{
	if (conn(t, idx)->state != ST_DEAD)
		return false;
	flow_del(&t->ft, idx);
	return true;
}

/* reset both sides */
static void conn_reset(struct tcp_ctx *t, struct tcp_conn *c)
{
	if (c->state == ST_ESTABLISHED)
		send_rst(t, c);
	conn_del(t, c, true);
}

/* both directions are closed: keep the tuple a while for late FINs */
static void conn_linger(struct tcp_ctx *t, struct tcp_conn *c)
{
	if (c->state != ST_ESTABLISHED)
		return;
	if (c->flags & F_ACK_DUE)
		send_ack(t, c); /* tcp_flush() skips lingering flows */
	consume_queued(t, c, false);
	close_fd(t, c->fd);
	c->fd = -1;
	c->state = ST_LINGER;
	arm(t, c, LINGER_MS);
}

static void check_closed(struct tcp_ctx *t, struct tcp_conn *c)
{
	/* The peer reset: the guest gets what came before, a FIN, and
	 * once that is acknowledged the RST. A RST right behind the data
	 * makes the guest's kernel report the reset before the data its
	 * application has not read yet. */
	if ((c->flags & F_HOST_RST) && (c->flags & F_FIN_SENT) &&
	    c->snd_una == c->snd_max && c->state == ST_ESTABLISHED) {
		conn_reset(t, c);
		return;
	}
	if ((c->flags & F_GUEST_FIN) && (c->flags & F_FIN_SENT) &&
	    c->snd_una == c->snd_max)
		conn_linger(t, c);
}

/* --- host to guest -------------------------------------------------------- */

/* peek from the start of the socket, skipping what is in flight? */
static bool skips(const struct tcp_ctx *t, const struct tcp_conn *c)
{
	return c->local ? c->local == LOCAL_SKIP : t->peek_off < 0;
}

static void set_peek_off(struct tcp_ctx *t, struct tcp_conn *c, int off)
{
	consume_queued(t, c, false); /* @off counts from snd_una */
	if (c->local) {
		if (c->local == LOCAL_PEEK_OFF &&
		    setsockopt(c->fd, SOL_SOCKET, SO_PEEK_OFF, &off,
			       sizeof(off)) < 0)
			c->local = LOCAL_SKIP;
		return;
	}
	if (t->peek_off >= 0 &&
	    setsockopt(c->fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)) < 0) {
		log_debug("SO_PEEK_OFF refused for TCP (%s): peeking from "
			  "the start",
			  g_strerror(errno));
		t->peek_off = -1;
	} else if (t->peek_off == 0) {
		t->peek_off = 1;
	}
}

/* data bytes sent to the guest and not acknowledged */
static uint32_t data_in_flight(const struct tcp_conn *c)
{
	uint32_t n = c->snd_nxt - c->snd_una;

	if ((c->flags & F_FIN_SENT) && c->snd_nxt == c->snd_max)
		n--;
	return n;
}

/* peek up to @len new bytes into the payload areas of slots of @stride
 * bytes, @maxlen in each; Return: bytes, 0 at the end of what the socket
 * holds, -errno */
static ssize_t peek(struct tcp_ctx *t, struct tcp_conn *c, size_t len,
		    size_t stride, size_t maxlen)
{
	struct iovec iov[DISCARD_IOV + PEEK_SLOTS];
	size_t off;
	struct msghdr mh = {.msg_iov = iov};
	size_t skip = data_in_flight(c), n = 0;
	ssize_t rc;

	if (skips(t, c)) {
		if (!t->discard)
			t->discard = util_map(DISCARD_SIZE);
		if (!t->discard)
			return -ENOMEM;
		while (skip && n < DISCARD_IOV) {
			size_t k = MIN(skip, DISCARD_SIZE);

			iov[n++] = (struct iovec){t->discard, k};
			skip -= k;
		}
		if (skip)
			return -EAGAIN; /* push() keeps below SKIP_MAX */
		skip = data_in_flight(c);
	} else {
		skip = 0;
	}
	for (off = 0; off < len; off += maxlen)
		iov[n++] =
		    (struct iovec){t->buf + off / maxlen * stride + PAY_OFF,
				   MIN(maxlen, len - off)};
	mh.msg_iovlen = n;
	do
		rc = recvmsg(c->fd, &mh, MSG_PEEK | MSG_DONTWAIT);
	while (rc < 0 && errno == EINTR);
	if (rc < 0 && errno == EAGAIN)
		c->xflags &= (uint8_t)~X_MORE;
	if (rc < 0)
		return errno == EAGAIN ? -EAGAIN : -errno;
	if (rc == 0 && len)
		c->flags |= F_HOST_EOF; /* nothing left, and the peer's FIN */
	if ((size_t)rc <= skip)
		return 0;
	return rc - (ssize_t)skip;
}

/* Send what the guest's window allows; our FIN or RST once the socket
 * is drained. Only when something may be waiting (X_MORE): a peek that
 * finds nothing costs a system call for each segment from the guest. */
static void push(struct tcp_ctx *t, struct tcp_conn *c)
{
	size_t maxlen = tap_vnet(t->tap) ? PAYLOAD_MAX : seg_size(c);
	size_t stride = PAY_OFF + maxlen;
	size_t slots = MIN(BUF_SIZE / stride, PEEK_SLOTS);
	uint32_t wnd = 0, wnd_max = c->gwnd;
	bool wnd_known = false;

	if (skips(t, c))
		wnd_max = MIN(wnd_max, SKIP_MAX);

	if (c->state != ST_ESTABLISHED || !(c->flags & F_SYN_ACKED) ||
	    !(c->xflags & X_MORE))
		return;
	while (!(c->flags & F_FIN_SENT) || c->snd_nxt != c->snd_max) {
		uint32_t inflight = c->snd_nxt - c->snd_una;
		size_t room = 0, off;
		ssize_t n;
		int rc;

		if (c->snd_nxt != c->snd_max && (c->flags & F_FIN_SENT) &&
		    c->snd_nxt + 1 == c->snd_max)
			n = 0; /* going back: the data is out, the FIN next */
		else if (inflight >= wnd_max)
			break;
		else {
			room =
			    MIN((size_t)(wnd_max - inflight), maxlen * slots);
			n = peek(t, c, room, stride, maxlen);
		}
		if (n == -EAGAIN)
			break; /* nothing new yet */
		if (n < 0) {
			/* the peer reset: what it sent first is delivered */
			c->flags |= F_HOST_RST | F_HOST_EOF;
			n = 0;
		}
		if (n == 0) {
			if (!(c->flags & F_HOST_EOF)) {
				c->xflags &= (uint8_t)~X_MORE;
				break;
			}
			rc =
			    send_ctl(t, c, TCPSEG_FIN | TCPSEG_ACK, c->snd_nxt);
			if (rc == -EAGAIN) {
				arm(t, c, TAP_RETRY_MS);
				return;
			}
			c->flags |= F_FIN_SENT;
			c->xflags &= (uint8_t)~X_MORE;
			c->snd_nxt++;
			if (tcpseg_seq_lt(c->snd_max, c->snd_nxt))
				c->snd_max = c->snd_nxt;
			break;
		}
		if (!wnd_known) {
			wnd = our_window(t, c);
			wnd_known = true;
		}
		for (off = 0; off < (size_t)n; off += maxlen) {
			size_t dlen = MIN(maxlen, (size_t)n - off), l4, hlen;
			uint8_t *pay = t->buf + off / maxlen * stride + PAY_OFF;
			uint8_t *hdr;

			hlen = build(t, c, TCPSEG_ACK | TCPSEG_PSH, c->snd_nxt,
				     dlen, wnd, &hdr, &l4);
			if (hdr != pay - hlen) /* built in the first slot */
				hdr = memcpy(pay - hlen, hdr, hlen);
			rc = emit(t, c, hdr, hlen, l4, dlen);
			if (rc == -EAGAIN) {
				/* not sent: the peek position goes back */
				if (!skips(t, c))
					set_peek_off(t, c,
						     (int)data_in_flight(c));
				arm(t, c, TAP_RETRY_MS);
				return;
			}
			c->snd_nxt += (uint32_t)dlen;
			if (tcpseg_seq_lt(c->snd_max, c->snd_nxt))
				c->snd_max = c->snd_nxt;
			t->st->tcp_to_guest_bytes += (uint64_t)dlen;
		}
		if ((size_t)n < room && !(c->flags & F_HOST_EOF)) {
			c->xflags &= (uint8_t)~X_MORE;
			break; /* drained for now */
		}
	}
	if (c->snd_una != c->snd_nxt) {
		if (timer_free(c))
			arm(t, c, rto(c));
	} else if (c->gwnd == 0 && !(c->flags & F_FIN_SENT)) {
		arm(t, c, PERSIST_MS);
	}
}

/* Send again from the oldest unacknowledged byte. Until the guest
 * acknowledges beyond what was out then (recover, as in RFC 6582 3.2),
 * its duplicate ACKs do not send us back again: it answers each segment
 * it already had with one at once, and going back on every third sent
 * the window again and again. With lost ACKs behind it (a timeout), 100
 * busy flows sent each byte to the guest about 30 times, and the flood
 * of ACKs overflowed the TAP's queue the other way, stalling the guest's
 * own flows for a minute under ASan. */
static void go_back(struct tcp_ctx *t, struct tcp_conn *c)
{
	c->dupacks = 0;
	c->recover = c->snd_max;
	c->xflags |= X_RECOVER;
	c->snd_nxt = c->snd_una;
	if (!(c->flags & F_SYN_ACKED)) {
		(void)send_ctl(t, c, TCPSEG_SYN | TCPSEG_ACK, c->iss);
		c->snd_nxt = c->iss + 1;
		return;
	}
	if (!skips(t, c))
		set_peek_off(t, c, 0);
	c->xflags |= X_MORE;
	push(t, c);
}

/* @n acknowledged bytes leave the socket at the end of the batch, or at
 * once where the peek position does not follow (see CONSQ_MAX) */
static void consume_later(struct tcp_ctx *t, struct tcp_conn *c, uint32_t n)
{
	int32_t idx = conn_idx(t, c);
	unsigned int i;

	if (c->local || t->peek_off <= 0) {
		consume(t, c, n);
		return;
	}
	if (c->xflags & X_CONSUME) {
		for (i = t->nconsq; i-- > 0;)
			if (t->consq[i].idx == idx) {
				t->consq[i].n += n;
				return;
			}
	}
	if (t->nconsq == CONSQ_MAX) {
		consume(t, c, n);
		return;
	}
	t->consq[t->nconsq].idx = idx;
	t->consq[t->nconsq++].n = n;
	c->xflags |= X_CONSUME;
}

/* drop @n acknowledged bytes from the socket (a UNIX socket's go to
 * the payload area, unused between frames) */
static void consume(struct tcp_ctx *t, struct tcp_conn *c, uint32_t n)
{
	while (n) {
		ssize_t rc =
		    c->local ? recv(c->fd, t->buf + PAY_OFF,
				    MIN(n, PAYLOAD_MAX), MSG_DONTWAIT)
			     : recv(c->fd, NULL, n, MSG_TRUNC | MSG_DONTWAIT);

		if (rc <= 0 && errno != EINTR)
			return;
		if (rc > 0)
			n -= (uint32_t)rc;
	}
}

/* the ACK field of a segment from the guest */
static void on_ack(struct tcp_ctx *t, struct tcp_conn *c,
		   const struct tcpseg *s)
{
	uint32_t acked, data;
	bool dup;

	dup = s->ack == c->snd_una && !s->dlen &&
	      !(s->flags & (TCPSEG_SYN | TCPSEG_FIN)) &&
	      s->win == c->last_win && c->snd_una != c->snd_max;
	c->last_win = s->win;
	if (tcpseg_seq_lt(c->snd_una, s->ack) &&
	    tcpseg_seq_le(s->ack, c->snd_max)) {
		acked = s->ack - c->snd_una;
		data = acked;
		if (!(c->flags & F_SYN_ACKED)) {
			c->flags |= F_SYN_ACKED;
			data--;
		}
		if ((c->flags & F_FIN_SENT) && s->ack == c->snd_max)
			data--;
		/* with go-back, the guest may acknowledge beyond snd_nxt
		 * what it had before: the peek position follows */
		if (tcpseg_seq_lt(c->snd_nxt, s->ack)) {
			c->snd_nxt = s->ack;
			if (!skips(t, c))
				set_peek_off(t, c, 0);
			consume(t, c, data); /* the position counts from here */
		} else {
			consume_later(t, c, data);
		}
		c->snd_una = s->ack;
		c->dupacks = 0;
		c->retries = 0;
		c->due_ms = 0;
		if (tcpseg_seq_lt(c->recover, s->ack))
			c->xflags &= (uint8_t)~X_RECOVER;
	} else if (dup && !(c->xflags & X_RECOVER) && ++c->dupacks == 3) {
		go_back(t, c);
	}
	c->gwnd = (uint32_t)s->win << c->gws;
	if (c->snd_una != c->snd_nxt && timer_free(c))
		arm(t, c, rto(c));
	watch_arm(t, c);
}

/* --- guest to host -------------------------------------------------------- */

/* the guest's payload and FIN */
static void on_data(struct tcp_ctx *t, struct tcp_conn *c,
		    const struct tcpseg *s)
{
	const uint8_t *data = s->data;
	size_t len = s->dlen, skip;
	bool fin = s->flags & TCPSEG_FIN;
	ssize_t n = 0;

	if (tcpseg_seq_lt(s->seq, c->rcv_nxt)) {
		skip = c->rcv_nxt - s->seq;
		if (skip > len || (skip == len && !fin) ||
		    (c->flags & F_GUEST_FIN)) {
			/* all old: a retransmission or a keep-alive probe */
			send_ack(t, c);
			return;
		}
		data += skip;
		len -= skip;
	} else if (s->seq != c->rcv_nxt) {
		if (len || fin)
			send_dupack(t, c); /* a gap */
		return;
	}
	if (c->flags & F_GUEST_FIN)
		return;
	if (len) {
		c->seg_len = (uint16_t)MIN(len, 65535);
		do
			n = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0 && errno != EAGAIN) {
			conn_reset(t, c);
			return;
		}
		if (n < 0)
			n = 0;
		c->rcv_nxt += (uint32_t)n;
		t->st->tcp_from_guest_bytes += (uint64_t)n;
		if ((size_t)n < len) {
			c->flags |= F_SHORT;
			send_ack(t, c);
			return;
		}
	}
	if (fin) {
		(void)shutdown(c->fd, SHUT_WR);
		c->rcv_nxt++;
		c->flags |= F_GUEST_FIN;
		if (!(c->flags & F_FIN_SENT)) {
			/* our FIN, when the peer closes, may carry it */
			ack_later(t, c, len);
			return;
		}
		send_ack(t, c);
		check_closed(t, c);
		return;
	}
	if (len)
		ack_later(t, c, len);
}

/* --- connections ---------------------------------------------------------- */

/*
 * Where the guest's SYN is to connect: the host's loopback for the
 * gateway address (unless --disable-host-loopback), or the address it
 * names. Return: false for what libslirp answers itself: its own
 * addresses, the rest of the virtual network, and addresses no host
 * socket should reach for the guest (loopback, multicast, broadcast).
 */
static bool destination(const struct s4n_opts *o, const struct tcpseg *s,
			struct sockaddr_storage *ret, socklen_t *ret_len)
{
	if (!s->v6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ret;
		struct in_addr a;

		memcpy(&a, s->daddr, 4);
		memset(sin, 0, sizeof(*sin));
		sin->sin_family = AF_INET;
		sin->sin_port = htons(s->dport);
		*ret_len = sizeof(*sin);
		if (a.s_addr == o->vhost.s_addr) {
			if (o->disable_host_loopback)
				return false;
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			return true;
		}
		if ((a.s_addr & o->vnetmask.s_addr) == o->vnetwork.s_addr)
			return false;
		if (s->daddr[0] == 0 || s->daddr[0] == 127 ||
		    s->daddr[0] >= 224)
			return false;
		sin->sin_addr = a;
		return true;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ret;
		struct in6_addr a;
		unsigned int i, bits = o->prefix6_len;
		bool in_prefix = true;

		if (!o->enable_ipv6)
			return false;
		memcpy(&a, s->daddr, 16);
		memset(sin6, 0, sizeof(*sin6));
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(s->dport);
		*ret_len = sizeof(*sin6);
		if (!memcmp(&a, &o->vhost6, 16)) {
			if (o->disable_host_loopback)
				return false;
			sin6->sin6_addr = in6addr_loopback;
			return true;
		}
		for (i = 0; i < 16 && bits; i++) {
			unsigned int m = bits >= 8 ? 8 : bits;
			uint8_t mask = (uint8_t)(0xff << (8 - m));

			if ((a.s6_addr[i] ^ o->vprefix6.s6_addr[i]) & mask)
				in_prefix = false;
			bits -= m;
		}
		if (in_prefix || IN6_IS_ADDR_LOOPBACK(&a) ||
		    IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_MULTICAST(&a) ||
		    IN6_IS_ADDR_LINKLOCAL(&a) || IN6_IS_ADDR_V4MAPPED(&a))
			return false;
		sin6->sin6_addr = a;
		return true;
	}
}

/* a socket connecting to @dst, a remote forward's target if @fwd (its
 * own connection: no --outbound-addr); Return: fd, or -errno */
static int open_socket(const struct s4n_opts *o,
		       const struct sockaddr_storage *dst, socklen_t len,
		       bool fwd)
{
	bool local = dst->ss_family == AF_UNIX;
	int fd, one = 1, rc = 0;

	fd = socket(dst->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    local ? 0 : IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	/* segments from the guest are sent as they come: its TCP already
	 * decided when to send them */
	if (!local)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				 sizeof(one));
	if (fwd)
		rc = 0;
	else if (dst->ss_family == AF_INET && o->has_outbound_addr)
		rc = bind(fd, (const struct sockaddr *)&o->outbound_addr,
			  sizeof(o->outbound_addr));
	else if (dst->ss_family == AF_INET6 && o->has_outbound_addr6)
		rc = bind(fd, (const struct sockaddr *)&o->outbound_addr6,
			  sizeof(o->outbound_addr6));
	/* a UNIX socket connects at once, or fails (EAGAIN: its backlog
	 * is full) */
	if (rc == 0 && connect(fd, (const struct sockaddr *)dst, len) < 0 &&
	    (errno != EINPROGRESS || local))
		rc = -1;
	if (rc < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static void on_sock(void *cookie, int fd, uint32_t events);
static void check_connect(struct tcp_ctx *t, struct tcp_conn *c);

static int track(struct tcp_ctx *t, int fd, int32_t idx);

/* a remote forward's SYN that cannot become a flow: a reset, as from a
 * closed port (libslirp would take it to the host's loopback) */
static bool refuse_fwd(struct tcp_ctx *t, const uint8_t *frame, size_t len)
{
	uint8_t rst[FRAME_ETH_LEN + FRAME_IP6_LEN + FRAME_TCP_LEN];
	ssize_t n = frame_tcp_rst(frame, len, rst, sizeof(rst));

	if (n > 0)
		(void)tap_send(t->tap, rst, (size_t)n);
	return true;
}

/* the guest's SYN (@frame) for a new flow; Return: false to hand it to
 * libslirp */
static bool on_syn(struct tcp_ctx *t, const uint8_t *frame, size_t len,
		   const struct tcpseg *s, const struct flow_key *k)
{
	struct sockaddr_storage dst;
	struct tcp_conn *c;
	socklen_t dlen;
	int32_t idx;
	int fd;
	bool fwd = t->redirect && t->redirect(t->redirect_opaque, s->v6,
					      s->daddr, s->dport, &dst, &dlen);

	if (!fwd && !destination(t->opts, s, &dst, &dlen))
		return false;
	fd = map_buffers(t) < 0 ? -ENOMEM
				: open_socket(t->opts, &dst, dlen, fwd);
	if (fd < 0) {
		if (fwd)
			log_debug("tcp: remote forward: %s", g_strerror(-fd));
		/* else libslirp tries and answers as it always did */
		return fwd && refuse_fwd(t, frame, len);
	}
	if (t->sndbuf)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &t->sndbuf,
				 sizeof(t->sndbuf));
	idx = flow_add(&t->ft, k);
	if (idx < 0 || track(t, fd, idx) < 0) {
		close(fd);
		if (idx >= 0)
			flow_del(&t->ft, idx);
		return fwd && refuse_fwd(t, frame, len);
	}
	tap_socket_opened(t->tap); /* one descriptor fewer, as for libslirp */
	c = conn(t, idx);
	c->fd = fd;
	c->local = dst.ss_family == AF_UNIX ? LOCAL_PEEK_OFF : 0;
	c->state = ST_CONNECTING;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	c->gws = s->wscale >= 0 ? (uint8_t)s->wscale : 0;
	c->ows = s->wscale >= 0 ? OUR_WSCALE : 0;
	c->gwnd = s->win; /* a SYN's window is never scaled */
	/* Timestamps let the guest measure the round trip of segments it
	 * sent again, too: without them, Karn's rule keeps its backed-off
	 * timeout after a loss, and each further loss doubles it. */
	c->ts_ok = s->ts;
	c->ts_recent = s->ts_val;
	c->last_win = s->win;
	c->mss = (uint16_t)(s->mss > 0 ? s->mss
				       : (s->v6 ? MSS_DEFAULT6 : MSS_DEFAULT4));
	c->iss = new_iss(t);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	memcpy(t->gmac, s->smac, 6);
	memcpy(t->hmac, s->dmac, 6);
	t->st->tcp_flows++;
	t->st->tcp_flows_opened++;
	arm(t, c, CONNECT_TIMEOUT_MS);
	/* To the host's loopback, the handshake is mostly over when
	 * connect() returns (the listener answered from within the call):
	 * the SYN-ACK goes out now, not one wake-up later. */
	check_connect(t, c);
	(void)reap(t, idx);
	return true;
}

/* connect() completed: the SYN-ACK */
static void connected(struct tcp_ctx *t, struct tcp_conn *c)
{
	unsigned int mtu = tap_mtu(t->tap);
	uint16_t fit = (uint16_t)(mtu - (c->h.key.v6 ? 60 : 40));

	/* no larger than the guest takes or the link carries */
	c->mss = MIN(c->mss, fit);
	c->state = ST_ESTABLISHED;
	c->due_ms = 0;
	c->snd_nxt = c->snd_max = c->iss + 1;
	set_peek_off(t, c, 0);
	(void)send_ctl(t, c, TCPSEG_SYN | TCPSEG_ACK, c->iss);
	arm(t, c, rto(c));
}

/* Whether connect() on @c completed, failed or goes on; one TCP_INFO
 * answers the first and the last (SO_ERROR is 0 in both). */
static void check_connect(struct tcp_ctx *t, struct tcp_conn *c)
{
	struct tcp_info ti;
	socklen_t sl = sizeof(ti);
	int err = 0;
	socklen_t elen = sizeof(err);

	if (c->local) {
		connected(t, c); /* a UNIX socket connects in connect() */
		return;
	}
	if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) < 0)
		err = errno;
	else if (ti.tcpi_state == TCP_SYN_SENT)
		return; /* an event from before: still connecting */
	else if (ti.tcpi_state == TCP_ESTABLISHED ||
		 ti.tcpi_state == TCP_CLOSE_WAIT) {
		connected(t, c); /* a FIN that came already follows */
		return;
	}
	if (!err && getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		err = errno;
	if (!err || err == EINPROGRESS || err == EALREADY)
		return;
	if (err == ECONNRESET || err == EPIPE) {
		/* connected, and reset before we looked: the SYN-ACK, then
		 * what the peer sent, then the reset */
		c->flags |= F_HOST_RST | F_HOST_EOF;
		connected(t, c);
		return;
	}
	/* refused or unreachable later on: a reset, as from the host */
	log_debug("tcp: connect: %s", g_strerror(err));
	c->state = ST_ESTABLISHED;
	c->snd_nxt = c->iss + 1;
	c->rcv_nxt = c->irs + 1;
	send_rst(t, c);
	conn_del(t, c, false);
}

/* --- connections from the host (port forwards, tcpfwd.c) ----------------- */

/* An ARP request for the guest's address: a forward's first SYN needs the
 * guest's MAC, and a guest that only listens may not have sent a frame
 * yet. Its reply teaches tcp_input() the address (and libslirp too). */
static void send_arp(struct tcp_ctx *t, const struct tcp_conn *c)
{
	static const uint8_t head[] = {0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};
	uint8_t f[42];
	struct virtio_net_hdr vh;
	const uint8_t *tpa = c->h.key.v6 ? (const uint8_t *)&t->opts->vguest
					 : c->h.key.gaddr + 12;

	memset(f, 0xff, 6);
	memcpy(f + 6, t->hmac, 6);
	memcpy(f + 12, head, sizeof(head));
	memcpy(f + 22, t->hmac, 6);
	memcpy(f + 28, &t->opts->vhost, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, tpa, 4);
	memset(&vh, 0, sizeof(vh));
	(void)tap_write(t->tap, tap_vnet(t->tap) ? &vh : NULL, f, sizeof(f));
}

/* our SYN to the guest, or the ARP request that must come first */
static void send_syn(struct tcp_ctx *t, struct tcp_conn *c)
{
	if (!t->gmac_known)
		send_arp(t, c);
	else
		(void)send_ctl(t, c, TCPSEG_SYN, c->iss);
}

/* the SYN's retransmission timeout: again, or the client is given up */
static void syn_again(struct tcp_ctx *t, struct tcp_conn *c)
{
	/* irs holds the SYN's first time until the guest's SYN-ACK */
	if ((uint32_t)now_ms() - c->irs >= FWD_SYN_TIMEOUT_MS) {
		log_debug("tcp: forward: no answer from the guest");
		conn_del(t, c, false);
		return;
	}
	if (!t->gmac_known) {
		send_arp(t, c);
		arm(t, c, RTO_MIN_MS / 4);
		return;
	}
	if (c->retries < RETRIES_MAX)
		c->retries++;
	send_syn(t, c);
	arm(t, c, rto(c));
}

/* a segment from the guest in SYN_SENT: its SYN-ACK, or its refusal */
static void on_synack(struct tcp_ctx *t, struct tcp_conn *c,
		      const struct tcpseg *s)
{
	uint16_t fit = (uint16_t)(tap_mtu(t->tap) - (c->h.key.v6 ? 60 : 40));

	/* RFC 9293 3.10.7.3: only an ACK of our SYN counts */
	if (!(s->flags & TCPSEG_ACK) || s->ack != c->iss + 1)
		return;
	if (s->flags & TCPSEG_RST) {
		/* no listener in the guest: the client's connection ends,
		 * as libslirp closes it */
		conn_del(t, c, false);
		return;
	}
	if (!(s->flags & TCPSEG_SYN))
		return;
	c->irs = s->seq;
	c->rcv_nxt = s->seq + 1;
	if (s->wscale >= 0) {
		c->gws = (uint8_t)MIN(s->wscale, 14);
	} else {
		c->gws = 0;
		c->ows = 0; /* RFC 7323 2.2: scaling needs both sides */
	}
	c->ts_ok = c->ts_ok && s->ts;
	c->ts_recent = s->ts_val;
	c->gwnd = s->win;
	c->last_win = s->win;
	c->mss = MIN(s->mss > 0 ? (uint16_t)s->mss
				: (c->h.key.v6 ? MSS_DEFAULT6 : MSS_DEFAULT4),
		     fit);
	c->state = ST_ESTABLISHED;
	c->flags |= F_SYN_ACKED;
	c->retries = 0;
	c->due_ms = 0;
	c->snd_una = c->snd_nxt = c->snd_max = c->iss + 1;
	set_peek_off(t, c, 0);
	send_ack(t, c);
	/* what the client sent meanwhile: edge-triggered, not reported
	 * again */
	c->xflags |= X_MORE;
	push(t, c);
	check_closed(t, c);
}

/* wait on a flow's socket @fd for flow @idx; Return: 0 or -errno */
static int track(struct tcp_ctx *t, int fd, int32_t idx)
{
	int rc;

	if ((size_t)fd >= t->nfdidx) {
		size_t n = MAX(t->nfdidx * 2, (size_t)fd + 64), i;

		t->fdidx = g_renew(int32_t, t->fdidx, n);
		for (i = t->nfdidx; i < n; i++)
			t->fdidx[i] = -1;
		t->nfdidx = n;
	}
	/* edge-triggered: the socket holds data the guest has not
	 * acknowledged yet, which level-triggered would report forever */
	rc = waitset_add(t->ws, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
			 on_sock, t);
	if (rc < 0)
		return rc;
	t->fdidx[fd] = idx;
	return 0;
}

int tcp_open_from_host(struct tcp_ctx *t, int fd, bool v6, const uint8_t *caddr,
		       uint16_t cport, const uint8_t *gaddr, uint16_t gport)
{
	struct flow_key k;
	struct tcp_conn *c;
	int32_t idx;
	int rc, one = 1;

	flow_key_make(&k, v6, gaddr, caddr, gport, cport);
	idx = flow_find(&t->ft, &k);
	if (idx >= 0 && conn(t, idx)->state != ST_LINGER)
		return -EEXIST; /* two loopback clients on one port */
	if (idx >= 0) {
		/* The client's port again right after its last connection
		 * closed: when the guest closed first, the client's kernel
		 * may reuse the port at once. The guest takes the new SYN
		 * over its TIME-WAIT by the newer timestamp (RFC 6191). */
		conn_del(t, conn(t, idx), false);
		(void)reap(t, idx);
	}
	if (map_buffers(t) < 0)
		return -ENOMEM;
	idx = flow_add(&t->ft, &k);
	if (idx < 0)
		return idx == -ENOSPC ? -EMFILE : idx;
	rc = track(t, fd, idx);
	if (rc < 0) {
		flow_del(&t->ft, idx);
		return rc;
	}
	/* as on_syn() does: the guest's TCP decides when to send */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (t->sndbuf)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &t->sndbuf,
				 sizeof(t->sndbuf));
	tap_socket_opened(t->tap);
	c = conn(t, idx);
	c->fd = fd;
	c->state = ST_SYN_SENT;
	c->flags = F_FWD;
	c->irs = (uint32_t)now_ms();
	c->ows = OUR_WSCALE;
	c->ts_ok = 1;
	c->mss = (uint16_t)(tap_mtu(t->tap) - (v6 ? 60 : 40));
	c->iss = new_iss(t);
	c->snd_una = c->snd_nxt = c->snd_max = c->iss;
	t->st->tcp_flows++;
	t->st->tcp_flows_opened++;
	send_syn(t, c);
	/* not backed off: the first ARP request may go unanswered */
	arm(t, c, t->gmac_known ? rto(c) : RTO_MIN_MS / 4);
	return 0;
}

struct waitset *tcp_waitset(struct tcp_ctx *t)
{
	return t->ws;
}

void tcp_set_redirect(struct tcp_ctx *t, tcp_redirect_fn fn, void *opaque)
{
	t->redirect = fn;
	t->redirect_opaque = opaque;
}

void tcp_reset_to(struct tcp_ctx *t, bool v6, const uint8_t *haddr,
		  uint16_t hport)
{
	struct flow_key k;
	uint32_t i;

	/* the guest's side does not matter: a key for its address only */
	flow_key_make(&k, v6, haddr, haddr, 0, hport);
	for (i = 0; i < t->ft.hi; i++) {
		struct tcp_conn *c = conn(t, (int32_t)i);

		if (!c->h.used || c->h.key.hport != hport ||
		    c->h.key.v6 != v6 || memcmp(c->h.key.haddr, k.haddr, 16) ||
		    (c->flags & F_FWD))
			continue;
		conn_reset(t, c);
		(void)reap(t, (int32_t)i);
	}
}

/* a segment for an existing flow */
static void on_segment(struct tcp_ctx *t, struct tcp_conn *c,
		       const struct tcpseg *s)
{
	if (c->state == ST_SYN_SENT) {
		on_synack(t, c, s);
		return;
	}
	if (s->flags & TCPSEG_RST) {
		/* RFC 5961 3.2 asks for an exact match; a guest can only
		 * reset its own flows, so the window is enough here */
		/* A forward's client gets what the guest sent, then EOF,
		 * as libslirp's forwards close it: a reset would make its
		 * kernel drop what the client has not read yet. */
		if (c->state != ST_ESTABLISHED ||
		    tcpseg_seq_le(c->rcv_nxt - 1, s->seq))
			conn_del(t, c, !(c->flags & F_FWD));
		return;
	}
	if (c->state == ST_CONNECTING)
		return; /* the SYN again, or early junk: the SYN-ACK waits */
	if (c->state == ST_LINGER) {
		if (s->flags & TCPSEG_FIN)
			send_ack(t, c);
		return;
	}
	if (s->flags & TCPSEG_SYN) {
		/* our SYN-ACK was lost: the guest sends its SYN again */
		if (!(c->flags & F_SYN_ACKED) && s->seq == c->irs)
			(void)send_ctl(t, c, TCPSEG_SYN | TCPSEG_ACK, c->iss);
		return;
	}
	if (!(s->flags & TCPSEG_ACK))
		return;
	/* RFC 7323 4.3: the timestamp of the segment that starts at the
	 * next byte expected (or before it) is the one to echo */
	if (c->ts_ok && s->ts && tcpseg_seq_le(s->seq, c->rcv_nxt) &&
	    tcpseg_seq_le(c->ts_recent, s->ts_val)) {
		if (s->ts_val == c->ts_recent &&
		    tcpseg_seq_lt(s->seq, c->rcv_nxt) && s->dlen > 1)
			return; /* a copy the link made, see below */
		c->ts_recent = s->ts_val;
	} else if (c->ts_ok && s->ts && tcpseg_seq_lt(s->seq, c->rcv_nxt) &&
		   s->dlen > 1) {
		/* Old data with an old timestamp: not sent again by the guest
		 * (that carries a new one) but doubled on the way. An ACK
		 * for it would count as a duplicate ACK there, and enough of
		 * them make the guest's TCP take every later gap for
		 * reordering, leaving losses to its retransmission timer. */
		return;
	}
	on_ack(t, c, s);
	on_data(t, c, s);
	push(t, c);
	check_closed(t, c);
}

bool tcp_input(struct tcp_ctx *t, const uint8_t *frame, size_t len)
{
	struct flow_key k;
	struct tcpseg s;
	int32_t idx;

	if (!(frame[6] & 1)) {
		/* the guest's address, for a forward's SYN (tcpfwd.c) */
		memcpy(t->gmac, frame + 6, 6);
		t->gmac_known = true;
	}
	if (tcpseg_parse(frame, len, &s) < 0)
		return false;
	flow_key_make(&k, s.v6, s.saddr, s.daddr, s.sport, s.dport);
	idx = flow_find(&t->ft, &k);
	if ((s.flags & (TCPSEG_SYN | TCPSEG_ACK | TCPSEG_RST)) == TCPSEG_SYN) {
		if (idx >= 0 && conn(t, idx)->state != ST_CONNECTING &&
		    s.seq != conn(t, idx)->irs) {
			/* the tuple again, after a FIN or a RST that we
			 * did not see: the old flow goes */
			conn_reset(t, conn(t, idx));
			(void)reap(t, idx);
			idx = -1;
		}
		if (idx < 0)
			return on_syn(t, frame, len, &s, &k);
	}
	if (idx < 0)
		return false;
	on_segment(t, conn(t, idx), &s);
	(void)reap(t, idx);
	return true;
}

void tcp_flush(struct tcp_ctx *t)
{
	bool late =
	    t->delack_due_us && g_get_monotonic_time() >= t->delack_due_us;
	unsigned int i, kept = 0;

	for (i = 0; i < t->nconsq; i++)
		if (t->consq[i].idx >= 0 &&
		    (uint32_t)t->consq[i].idx < t->ft.cap)
			consume_queued(t, conn(t, t->consq[i].idx), false);
	t->nconsq = 0;

	for (i = 0; i < t->npending; i++) {
		int32_t idx = t->pending[i];
		struct tcp_conn *c;

		if ((uint32_t)idx >= t->ft.cap)
			continue; /* the table shrank or went */
		c = conn(t, idx);
		if (!c->h.used || !(c->flags & F_ACK_DUE) ||
		    c->state != ST_ESTABLISHED) {
			/* closed, acknowledged since, or a new flow in its
			 * place (listed again if it owes an ACK) */
			c->flags &= (uint8_t)~F_ACK_DUE;
			continue;
		}
		if ((c->xflags & X_DELACK) && !late) {
			if (!(c->xflags & X_KEPT)) {
				c->xflags |= X_KEPT;
				t->pending[kept++] = idx;
			}
			continue;
		}
		send_ack(t, c);
	}
	t->npending = kept;
	for (i = 0; i < kept; i++)
		conn(t, t->pending[i])->xflags &= (uint8_t)~X_KEPT;
	if (!kept)
		t->delack_due_us = 0;
	else if (!t->delack_due_us || late)
		t->delack_due_us = g_get_monotonic_time() + DELACK_US;
}

/* Whether the peer's FIN came: asked of the socket, as an event may be
 * a late one for an earlier socket of the same number (see waitset.h) */
static bool peer_closed(int fd)
{
	struct tcp_info ti;
	socklen_t sl = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &sl) < 0) {
		/* a UNIX socket (a remote forward's): its state now */
		struct pollfd p = {.fd = fd, .events = POLLRDHUP};

		return poll(&p, 1, 0) != 0;
	}
	switch (ti.tcpi_state) {
	case TCP_CLOSE_WAIT:
	case TCP_LAST_ACK:
	case TCP_CLOSING:
	case TCP_TIME_WAIT:
	case TCP_CLOSE:
		return true;
	default:
		return false;
	}
}

/*
 * The socket has room again, and the guest was last offered less than a
 * segment: a window update now, or only its persist timer, which backs
 * off, would find out. A UNIX socket (a remote forward's) reports room
 * whenever its reader took enough; a TCP socket only after a short send
 * (F_SHORT). Not when the window did not grow: that ACK would count as
 * a duplicate.
 */
static void window_update(struct tcp_ctx *t, struct tcp_conn *c)
{
	uint32_t seg = MAX(c->seg_len, MSS_DEFAULT4);

	if (c->state != ST_ESTABLISHED || (c->flags & F_GUEST_FIN) ||
	    ((uint32_t)c->wnd_sent << c->ows) >= seg ||
	    (our_window(t, c) >> c->ows) <= c->wnd_sent)
		return;
	send_ack(t, c);
}

/* a waitset_fn: events on the socket @fd of a flow */
static void on_sock(void *cookie, int fd, uint32_t events)
{
	struct tcp_ctx *t = cookie;
	struct tcp_conn *c;
	uint32_t idx;

	if (fd < 0 || (size_t)fd >= t->nfdidx || t->fdidx[fd] < 0)
		return;
	idx = (uint32_t)t->fdidx[fd];
	if (idx >= t->ft.cap)
		return;
	c = conn(t, (int32_t)idx);
	if (!c->h.used || c->fd < 0)
		return;
	if (c->state == ST_CONNECTING) {
		/* the same event may also say that data, a FIN or a reset
		 * came already: edge-triggered, it is not reported again */
		check_connect(t, c);
		if (c->state != ST_ESTABLISHED) {
			(void)reap(t, (int32_t)idx);
			return;
		}
		events &= ~(uint32_t)EPOLLERR; /* check_connect() read it */
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		c->xflags |= X_MORE;
	if ((events & (EPOLLRDHUP | EPOLLHUP)) && peer_closed(c->fd))
		c->flags |= F_HOST_EOF;
	if (events & EPOLLERR) {
		int err = 0;
		socklen_t el = sizeof(err);

		(void)getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err)
			c->flags |= F_HOST_RST | F_HOST_EOF;
	}
	if ((events & EPOLLOUT) && !(c->flags & F_SHORT))
		window_update(t, c);
	if ((events & EPOLLOUT) && (c->flags & F_SHORT)) {
		/* room again for what the socket could not take: a window
		 * update, and three duplicates of it, so that the guest
		 * sends it again at once (RFC 5681 3.2) */
		int i;

		c->flags &= (uint8_t)~F_SHORT;
		for (i = 0; i < 4; i++)
			send_ack(t, c);
	}
	push(t, c);
	check_closed(t, c);
	(void)reap(t, (int32_t)idx);
}

int64_t tcp_due_us(const struct tcp_ctx *t)
{
	int64_t due =
	    t->next_due_ms == INT64_MAX ? INT64_MAX : t->next_due_ms * 1000;

	return t->delack_due_us ? MIN(due, t->delack_due_us) : due;
}

/* the timer of @c went off */
static void expire(struct tcp_ctx *t, struct tcp_conn *c)
{
	bool watch = c->watch & WATCH_TIMER;

	c->due_ms = 0;
	c->watch &= (uint8_t)~WATCH_TIMER;
	switch (c->state) {
	case ST_CONNECTING:
		log_debug("tcp: connect timed out");
		c->state = ST_ESTABLISHED;
		c->snd_nxt = c->iss + 1;
		send_rst(t, c);
		conn_del(t, c, true);
		return;
	case ST_LINGER:
		conn_del(t, c, false);
		return;
	case ST_SYN_SENT:
		syn_again(t, c);
		return;
	default:
		break;
	}
	if (watch) {
		watch_window(t, c);
		return;
	}
	if (c->snd_una == c->snd_max) {
		/* the persist probe: an old sequence number asks the guest
		 * for its window; or the TAP was full */
		if (c->gwnd == 0)
			(void)send_ctl(t, c, TCPSEG_ACK, c->snd_una - 1);
		c->xflags |= X_MORE;
		push(t, c);
		watch_arm(t, c);
		return;
	}
	if (c->snd_nxt != c->snd_una && c->retries >= RETRIES_MAX) {
		log_debug("tcp: no ACK from the guest, resetting");
		conn_reset(t, c);
		return;
	}
	if (c->snd_nxt != c->snd_una)
		c->retries++;
	go_back(t, c);
	if (c->h.used && c->state == ST_ESTABLISHED && timer_free(c) &&
	    c->snd_una != c->snd_max)
		arm(t, c, rto(c));
	watch_arm(t, c);
}

void tcp_timers(struct tcp_ctx *t, int64_t now_us)
{
	int64_t now = now_us / 1000, next = INT64_MAX;
	uint32_t i;

	if (t->next_due_ms > now)
		return;
	t->next_due_ms = INT64_MAX;
	for (i = 0; i < t->ft.hi && t->ft.count; i++) {
		struct tcp_conn *c = conn(t, (int32_t)i);

		if (!c->h.used || !c->due_ms)
			continue;
		if (c->due_ms <= now) {
			expire(t, c);
			if (reap(t, (int32_t)i))
				continue; /* the table may have moved */
		}
		if (c->due_ms)
			next = MIN(next, c->due_ms);
	}
	t->next_due_ms = MIN(t->next_due_ms, next);
}

void tcp_idle(struct tcp_ctx *t)
{
	if (t->buf)
		(void)madvise(t->buf, BUF_SIZE, MADV_DONTNEED);
	if (t->discard)
		(void)madvise(t->discard, DISCARD_SIZE, MADV_DONTNEED);
}

void tcp_free(struct tcp_ctx *t)
{
	uint32_t i;

	if (!t)
		return;
	for (i = 0; i < t->ft.hi; i++) {
		struct tcp_conn *c = conn(t, (int32_t)i);

		if (c->h.used && c->fd >= 0)
			close_fd(t, c->fd);
	}
	flow_free(&t->ft);
	g_free(t->fdidx);
	if (t->buf)
		util_unmap(t->buf, BUF_SIZE);
	if (t->discard)
		util_unmap(t->discard, DISCARD_SIZE);
	g_free(t);
}
