/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bess-peer.c - test peer for --target-type=bess: bridges a TAP to the socket
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage: bess-peer SOCKET TAPNAME
 *
 * Plays the part User Mode Linux plays with its BESS transport: connects a
 * SOCK_SEQPACKET UNIX socket to SOCKET, where the daemon listens, and
 * exchanges one Ethernet frame per message.  The frames come from and go to
 * TAPNAME, a TAP device it creates in the current network namespace, so that
 * ordinary tools (ip, ping, socat, udhcpc) can be used over the BESS link.
 *
 * Stages: open the TAP, connect (retrying while the socket is not there
 * yet), write "ready\n" to fd 3 if it is open (the
 * tests wait on it), then copy frames both ways until the daemon hangs up
 * (exit 0) or an error (exit 1).  Frame counts go to stderr at the end.
 *
 * A lossy wire: BESS_PEER_IMPAIR=LOSS,DUP,REORDER (percentages) drops,
 * sends twice, or holds back until after the next frame that share of the
 * frames, each way; BESS_PEER_SEED seeds the choice (default 1), so that a
 * failure can be replayed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Room for the largest frame the daemon can send (MTU 65521 + header). */
#define FRAME_MAX (65536 + 64)
/* Connection attempts, 10 ms apart: 10 s in all. */
#define CONNECT_TRIES 1000

struct counters {
	uint64_t to_daemon;
	uint64_t from_daemon;
};

/* the impairment of one direction, see the header */
struct wire {
	unsigned int loss, dup, reorder; /* percent */
	uint8_t held[FRAME_MAX];	 /* a frame held back, or none */
	ssize_t nheld;
	uint64_t dropped, duplicated, reordered;
};

static struct wire to_daemon_wire, from_daemon_wire;
static unsigned int seed = 1;

static void parse_impair(void)
{
	const char *e = getenv("BESS_PEER_IMPAIR"),
		   *sd = getenv("BESS_PEER_SEED");
	unsigned int l = 0, d = 0, r = 0;

	if (sd)
		seed = (unsigned int)strtoul(sd, NULL, 10);
	if (!e || sscanf(e, "%u,%u,%u", &l, &d, &r) < 1)
		return;
	to_daemon_wire.loss = from_daemon_wire.loss = l;
	to_daemon_wire.dup = from_daemon_wire.dup = d;
	to_daemon_wire.reorder = from_daemon_wire.reorder = r;
}

static bool chance(unsigned int pct)
{
	return pct && (unsigned int)(rand_r(&seed) % 100) < pct;
}

/* one frame onto the wire @w toward @fd (a socket if @sock); Return: the
 * result of the last send or write */
static ssize_t put(struct wire *w, int fd, bool sock, const uint8_t *buf,
		   ssize_t n)
{
	ssize_t rc = n;
	int i, copies = 1;

	if (chance(w->loss)) {
		w->dropped++;
		return n;
	}
	if (chance(w->dup)) {
		w->duplicated++;
		copies = 2;
	}
	if (!w->nheld && chance(w->reorder)) {
		memcpy(w->held, buf, (size_t)n);
		w->nheld = n;
		w->reordered++;
		return n;
	}
	for (i = 0; i < copies; i++)
		rc = sock
			 ? send(fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL)
			 : write(fd, buf, (size_t)n);
	if (w->nheld) {
		ssize_t k = w->nheld;

		w->nheld = 0;
		(void)(sock ? send(fd, w->held, (size_t)k,
				   MSG_DONTWAIT | MSG_NOSIGNAL)
			    : write(fd, w->held, (size_t)k));
	}
	return rc;
}

static int open_tap(const char *name)
{
	struct ifreq ifr;
	int fd;

	if (strlen(name) >= IFNAMSIZ) {
		fprintf(stderr, "bess-peer: TAP name \"%s\" too long\n", name);
		return -1;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		perror("bess-peer: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("bess-peer: TUNSETIFF");
		close(fd);
		return -1;
	}
	return fd;
}

static int connect_bess(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "bess-peer: socket path \"%s\" too long\n",
			path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("bess-peer: socket");
		return -1;
	}
	/*
	 * The daemon may report ready only once a peer is connected (Debian's
	 * slirp4netns does), so the test starts us without waiting for it:
	 * until the socket is there and listening, try again, for a bounded
	 * time.
	 */
	for (int i = 0; i < CONNECT_TRIES; i++) {
		const struct timespec ts = {.tv_nsec = 10 * 1000 * 1000};

		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
		if (errno != ENOENT && errno != ECONNREFUSED)
			break;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "bess-peer: connect \"%s\": %s\n", path,
		strerror(errno));
	close(fd);
	return -1;
}

/* Tell the test we are connected; fd 3 is optional. */
static void report_ready(void)
{
	static const char msg[] = "ready\n";

	if (fcntl(3, F_GETFD) < 0)
		return;
	if (write(3, msg, sizeof(msg) - 1) < 0)
		perror("bess-peer: write ready");
	close(3);
}

/*
 * Copy every frame waiting on the TAP to the socket.  A frame the socket
 * cannot take right now is dropped, as a real link would drop it.
 * Return: 0, or -1 on a fatal error.
 */
static int tap_to_sock(int tap, int sock, uint8_t *buf, struct counters *c)
{
	for (;;) {
		ssize_t n = read(tap, buf, FRAME_MAX);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0) {
			perror("bess-peer: read TAP");
			return -1;
		}
		if (put(&to_daemon_wire, sock, true, buf, n) < 0) {
			if (errno == EAGAIN || errno == ENOBUFS)
				continue;
			perror("bess-peer: send");
			return -1;
		}
		c->to_daemon++;
	}
}

/*
 * Copy every message waiting on the socket to the TAP.
 * Return: 0, 1 when the daemon hung up, or -1 on a fatal error.
 */
static int sock_to_tap(int sock, int tap, uint8_t *buf, struct counters *c)
{
	for (;;) {
		ssize_t n = recv(sock, buf, FRAME_MAX, MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n < 0) {
			perror("bess-peer: recv");
			return -1;
		}
		if (n == 0)
			return 1;
		/* The TAP may refuse a frame (e.g. over its MTU): drop it. */
		if (put(&from_daemon_wire, tap, false, buf, n) < 0 &&
		    errno != EAGAIN)
			perror("bess-peer: write TAP");
		c->from_daemon++;
	}
}

static int bridge(int tap, int sock, struct counters *c)
{
	static uint8_t buf[FRAME_MAX];
	struct pollfd pfd[2] = {
	    {.fd = tap, .events = POLLIN},
	    {.fd = sock, .events = POLLIN},
	};

	for (;;) {
		int r;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("bess-peer: poll");
			return -1;
		}
		if (pfd[1].revents) {
			r = sock_to_tap(sock, tap, buf, c);
			if (r != 0)
				return r > 0 ? 0 : -1;
		}
		if (pfd[0].revents && tap_to_sock(tap, sock, buf, c) < 0)
			return -1;
	}
}

int main(int argc, char **argv)
{
	struct counters c = {0};
	int tap, sock, r;

	if (argc != 3) {
		fprintf(stderr, "usage: bess-peer SOCKET TAPNAME\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	parse_impair();
	tap = open_tap(argv[2]);
	if (tap < 0)
		return 1;
	sock = connect_bess(argv[1]);
	if (sock < 0)
		return 1;
	report_ready();
	r = bridge(tap, sock, &c);
	fprintf(stderr, "bess-peer: %llu frames to the daemon, %llu from it\n",
		(unsigned long long)c.to_daemon,
		(unsigned long long)c.from_daemon);
	fprintf(stderr,
		"bess-peer: impaired: %llu/%llu dropped, %llu/%llu doubled, "
		"%llu/%llu reordered (to/from the daemon)\n",
		(unsigned long long)to_daemon_wire.dropped,
		(unsigned long long)from_daemon_wire.dropped,
		(unsigned long long)to_daemon_wire.duplicated,
		(unsigned long long)from_daemon_wire.duplicated,
		(unsigned long long)to_daemon_wire.reordered,
		(unsigned long long)from_daemon_wire.reordered);
	close(sock);
	close(tap);
	return r < 0 ? 1 : 0;
}
