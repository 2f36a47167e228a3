/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rr.c - request/response latency and connection rate (benchmarks only)
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage:
 *   rr serve ADDR PORT PIDFILE   TCP and UDP echo server; returns once it
 *                                listens, the server runs in the background
 *                                (at most one hour) and holds any number of
 *                                idle connections
 *   rr tcp ADDR PORT SECS MAX    1-byte round trips on one TCP connection
 *   rr udp ADDR PORT SECS MAX    1-byte round trips over UDP
 *   rr crr ADDR PORT SECS MAX    connect, 1 byte each way, close; repeated
 *
 * tcp and udp print "P50_US P99_US COUNT LOST"; crr prints
 * "PER_SECOND COUNT FAILED". Each client stops after SECS seconds or MAX
 * round trips, whichever comes first; every blocking call has a timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

#define RR_WARMUP 50		 /* round trips not recorded */
#define RR_IO_TIMEOUT_MS 1000	 /* one reply, after which UDP resends */
#define RR_SERVE_LIFETIME 3600	 /* seconds, then the server exits */
#define RR_MAX_SAMPLES 10000000L /* bound on MAX */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_addr(const char *host, const char *port,
		      struct sockaddr_in *ret)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	long p;

	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    parse_long(port, 1, 65535, &p) < 0)
		return -EINVAL;
	sa.sin_port = htons((uint16_t)p);
	*ret = sa;
	return 0;
}

static void set_timeouts(int fd, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000};

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* --- server -------------------------------------------------------------- */

static int listen_on(const struct sockaddr_in *sa, int type)
{
	int one = 1;
	int fd;

	fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 4096) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void serve_accept(int ep, int lfd)
{
	struct epoll_event ev = {.events = EPOLLIN};
	int one = 1;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >=
	       0) {
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				 sizeof(one));
		ev.data.fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			close(fd);
	}
}

static void serve_udp(int ufd)
{
	struct sockaddr_in from;
	socklen_t len = sizeof(from);
	char buf[2048];
	ssize_t n;

	while ((n = recvfrom(ufd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &len)) >= 0) {
		(void)sendto(ufd, buf, (size_t)n, 0, (struct sockaddr *)&from,
			     len);
		len = sizeof(from);
	}
}

/* Echo what arrives; close on end of file or error. */
static void serve_conn(int fd)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			if (write(fd, buf, (size_t)n) != n)
				break;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		break;
	}
	close(fd); /* also leaves the epoll set */
}

static void serve_loop(int tfd, int ufd)
{
	struct epoll_event evs[64], ev = {.events = EPOLLIN};
	int ep, i, n;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		_exit(1);
	ev.data.fd = tfd;
	(void)epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.fd = ufd;
	(void)epoll_ctl(ep, EPOLL_CTL_ADD, ufd, &ev);
	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == tfd)
				serve_accept(ep, tfd);
			else if (fd == ufd)
				serve_udp(ufd);
			else
				serve_conn(fd);
		}
	}
}

static int cmd_serve(const struct sockaddr_in *sa, const char *pidfile)
{
	int tfd, ufd;
	FILE *f;
	pid_t pid;

	raise_nofile();
	tfd = listen_on(sa, SOCK_STREAM);
	ufd = listen_on(sa, SOCK_DGRAM);
	if (tfd < 0 || ufd < 0) {
		fprintf(stderr, "rr: listen: %s\n",
			strerror(tfd < 0 ? -tfd : -ufd));
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid > 0) {
		f = fopen(pidfile, "w");
		if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f)) {
			kill(pid, SIGKILL);
			return 1;
		}
		return 0;
	}
	setsid();
	detach_stdio();
	alarm(RR_SERVE_LIFETIME);
	serve_loop(tfd, ufd);
	return 0;
}

/* --- clients ------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double percentile(double *v, long n, double p)
{
	long i = (long)(p * (double)(n - 1) + 0.5);

	return v[i];
}

static int connect_to(const struct sockaddr_in *sa, int type)
{
	int one = 1;
	int fd;

	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_timeouts(fd, RR_IO_TIMEOUT_MS * 3);
	if (type == SOCK_STREAM)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				 sizeof(one));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* One request and its reply. Return: 0, -EAGAIN on a UDP timeout, or -1 */
static int round_trip(int fd)
{
	char c = 'x';
	ssize_t n;

	if (send(fd, &c, 1, MSG_NOSIGNAL) != 1)
		return -1;
	do
		n = recv(fd, &c, 1, 0);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		return 0;
	return (n < 0 && errno == EAGAIN) ? -EAGAIN : -1;
}

static int cmd_rr(const struct sockaddr_in *sa, int type, double secs, long max)
{
	double *lat, t0, t, end;
	long n = 0, lost = 0, i;
	int fd, r;

	fd = connect_to(sa, type);
	if (fd < 0) {
		fprintf(stderr, "rr: connect: %s\n", strerror(-fd));
		return 1;
	}
	if (type == SOCK_DGRAM)
		set_timeouts(fd, RR_IO_TIMEOUT_MS);
	lat = calloc((size_t)max, sizeof(*lat));
	if (!lat)
		return 1;
	end = now_s() + secs;
	for (i = 0; n < max && (t = now_s()) < end; i++) {
		t0 = t;
		r = round_trip(fd);
		if (r == -EAGAIN) {
			lost++;
			continue;
		}
		if (r < 0) {
			perror("rr: round trip");
			return 1;
		}
		if (i >= RR_WARMUP)
			lat[n++] = (now_s() - t0) * 1e6;
	}
	close(fd);
	if (n == 0) {
		fprintf(stderr, "rr: no round trip completed\n");
		return 1;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	printf("%.1f %.1f %ld %ld\n", percentile(lat, n, 0.5),
	       percentile(lat, n, 0.99), n, lost);
	free(lat);
	return 0;
}

static int one_crr(const struct sockaddr_in *sa)
{
	int fd, r;

	fd = connect_to(sa, SOCK_STREAM);
	if (fd < 0)
		return -1;
	r = round_trip(fd);
	close(fd);
	return r < 0 ? -1 : 0;
}

static int cmd_crr(const struct sockaddr_in *sa, double secs, long max)
{
	long n = 0, failed = 0;
	double t0, end, el;

	t0 = now_s();
	end = t0 + secs;
	while (n < max && now_s() < end) {
		if (one_crr(sa) == 0)
			n++;
		else if (++failed > 100)
			break;
	}
	el = now_s() - t0;
	if (n == 0) {
		fprintf(stderr, "rr: no connection completed\n");
		return 1;
	}
	printf("%.1f %ld %ld\n", (double)n / el, n, failed);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	long secs = 0, max = 0;

	if (argc < 5 || parse_addr(argv[2], argv[3], &sa) < 0)
		goto usage;
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(argv[1], "serve") && argc == 5)
		return cmd_serve(&sa, argv[4]);
	if (argc != 6 || parse_long(argv[4], 1, 3600, &secs) < 0 ||
	    parse_long(argv[5], 1, RR_MAX_SAMPLES, &max) < 0)
		goto usage;
	if (!strcmp(argv[1], "tcp"))
		return cmd_rr(&sa, SOCK_STREAM, (double)secs, max);
	if (!strcmp(argv[1], "udp"))
		return cmd_rr(&sa, SOCK_DGRAM, (double)secs, max);
	if (!strcmp(argv[1], "crr"))
		return cmd_crr(&sa, (double)secs, max);
usage:
	fprintf(stderr, "usage: rr serve ADDR PORT PIDFILE\n"
			"       rr tcp|udp|crr ADDR PORT SECS MAX\n");
	return 2;
}
