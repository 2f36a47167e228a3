/* SPDX-License-Identifier: GPL-2.0-or-later */
/* flows.c - many TCP flows through the daemon: an echo server and a client
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage:
 *   flows serve ADDR PORT
 *   flows open ADDR PORT N [--bytes B] [--timeout MS] [--hold SECS]
 *                          [--ready-fd FD]
 *
 * serve: an IPv4 echo server on ADDR:PORT for the host side (one epoll
 * loop, any number of clients).  Writes "ready\n" to fd 3, if open, once
 * it listens, then runs until killed.  A client's EOF closes its socket.
 *
 * open: for the guest.  Opens N connections to ADDR:PORT one after the
 * other.  Each one is a non-blocking connect() bounded by MS milliseconds
 * (default 3000), then B bytes (default 64, a pattern unique to the
 * connection) sent and read back, also bounded by MS.  Every connection
 * ends up in one of these counts:
 *   ok       connected, and the bytes came back intact (it is kept open)
 *   refused  connect() failed with an error (the errno names are listed)
 *   timeout  connect() or the echo did not finish in time
 *   broken   connected, but the echo failed or came back wrong
 *   untried  not attempted: after 3 timeouts in a row we stop, so that a
 *            daemon that drops SYNs cannot make us run for N * MS
 * and one line sums them up:
 *   opened ok=.. refused=.. timeout=.. broken=.. untried=.. ms=..
 *          refused_span_ms=.. errors=NAME:COUNT,...
 * (refused_span_ms: from the first refusal to the last one), and with
 * --ready-fd, "opened\n" goes to FD too, which is then closed.  Without --hold the connections are then closed and we exit.  With
 * --hold, the ok ones stay open until SIGUSR1 comes (or SECS seconds
 * pass); then every one of them echoes B bytes once more, we print
 *   held ok=.. of ..
 * and close them all.
 *
 * Exit status: 0 when the counts were printed (the caller judges them),
 * 1 on bad usage or a local failure (e.g. out of descriptors here).
 * The soft RLIMIT_NOFILE is raised as far as N needs and the hard limit
 * allows: a rootless guest cannot raise its hard limit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "config.h"
#include "benchmarks/bench-util.h"

#define FLOWS_MAX 100000
#define BYTES_MAX (1024 * 1024)
#define TIMEOUTS_IN_A_ROW 3
#define ERRNO_MAX 256
#define SERVE_BUF 65536
#define SERVE_NOFILE 65536

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_addr(const char *addr, const char *port,
		      struct sockaddr_in *ret)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	long p;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "flows: bad IPv4 address \"%s\"\n", addr);
		return -EINVAL;
	}
	if (parse_long(port, 1, 65535, &p) < 0) {
		fprintf(stderr, "flows: bad port \"%s\"\n", port);
		return -EINVAL;
	}
	sa.sin_port = htons((uint16_t)p);
	*ret = sa;
	return 0;
}

/* Make room for @want descriptors, within the hard limit unless we may
 * raise it (root in the initial user namespace).  Return: the soft limit */
static rlim_t raise_nofile(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur >= want)
		return rl.rlim_cur;
	if (rl.rlim_max < want) {
		struct rlimit up = {.rlim_cur = want, .rlim_max = want};

		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			return want;
	}
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	(void)getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur;
}

/* ------------------------------------------------------------------ */
/* serve                                                                */
/* ------------------------------------------------------------------ */

struct peer {
	char *pend; /* bytes read but not yet echoed */
	size_t len;
	size_t off;
};

static struct peer *peers;
static size_t npeers;

static struct peer *peer_get(int fd)
{
	if ((size_t)fd >= npeers) {
		size_t n = (size_t)fd * 2 + 64;
		struct peer *p = realloc(peers, n * sizeof(*p));

		if (!p)
			return NULL;
		memset(p + npeers, 0, (n - npeers) * sizeof(*p));
		peers = p;
		npeers = n;
	}
	return &peers[fd];
}

static void peer_close(int ep, int fd)
{
	struct peer *p = peer_get(fd);

	(void)epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	if (p) {
		free(p->pend);
		memset(p, 0, sizeof(*p));
	}
}

static void peer_watch(int ep, int fd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.fd = fd};

	(void)epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* Write what is pending; switch to EPOLLIN once it is all out */
static int peer_flush(int ep, int fd, struct peer *p)
{
	while (p->off < p->len) {
		ssize_t n =
		    send(fd, p->pend + p->off, p->len - p->off, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		p->off += (size_t)n;
	}
	free(p->pend);
	p->pend = NULL;
	p->len = p->off = 0;
	peer_watch(ep, fd, EPOLLIN);
	return 0;
}

/* Read what came and echo it; keep the rest if the socket is full */
static int peer_echo(int ep, int fd, struct peer *p)
{
	static char buf[SERVE_BUF];
	ssize_t n, w;

	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		return -EPIPE;
	w = send(fd, buf, (size_t)n, MSG_NOSIGNAL);
	if (w < 0 && errno != EAGAIN)
		return -errno;
	if (w < 0)
		w = 0;
	if (w == n)
		return 0;
	p->pend = malloc((size_t)(n - w));
	if (!p->pend)
		return -ENOMEM;
	memcpy(p->pend, buf + w, (size_t)(n - w));
	p->len = (size_t)(n - w);
	p->off = 0;
	peer_watch(ep, fd, EPOLLOUT);
	return 0;
}

static void serve_accept(int ep, int lfd)
{
	for (;;) {
		struct epoll_event ev = {.events = EPOLLIN};
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fprintf(stderr, "flows serve: accept: %s\n",
					strerror(errno));
			return;
		}
		ev.data.fd = fd;
		if (!peer_get(fd) || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			close(fd);
	}
}

static int serve(const struct sockaddr_in *sa)
{
	struct epoll_event ev = {.events = EPOLLIN}, evs[256];
	/* checked before we open anything that could take fd 3 */
	bool ready_fd = fcntl(3, F_GETFD) >= 0;
	int one = 1, lfd, ep, i, n;

	raise_nofile(SERVE_NOFILE);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (lfd < 0 || ep < 0) {
		perror("flows serve: socket");
		return 1;
	}
	(void)setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 ||
	    listen(lfd, 4096) < 0) {
		perror("flows serve: bind/listen");
		return 1;
	}
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
		perror("flows serve: epoll_ctl");
		return 1;
	}
	if (ready_fd) {
		if (write(3, "ready\n", 6) != 6)
			perror("flows serve: ready fd");
		close(3);
	}
	for (;;) {
		n = epoll_wait(ep, evs, 256, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("flows serve: epoll_wait");
			return 1;
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			struct peer *p;
			int r;

			if (fd == lfd) {
				serve_accept(ep, lfd);
				continue;
			}
			p = peer_get(fd);
			if (!p) {
				peer_close(ep, fd);
				continue;
			}
			r = p->pend ? peer_flush(ep, fd, p)
				    : peer_echo(ep, fd, p);
			if (r < 0)
				peer_close(ep, fd);
		}
	}
}

/* ------------------------------------------------------------------ */
/* open                                                                 */
/* ------------------------------------------------------------------ */

struct tally {
	long ok, refused, timeout, broken, untried;
	long first_refused_ms, last_refused_ms;
	long errs[ERRNO_MAX];
};

static void fill_pattern(char *buf, size_t len, long idx)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + (idx * 7 + (long)i) % 26);
}

/* Wait for @events on @fd until @deadline (monotonic ms).
 * Return: revents, 0 on timeout, or -errno */
static int wait_fd(int fd, short events, long deadline)
{
	struct pollfd pfd = {.fd = fd, .events = events};
	long left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return 0;
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		return pfd.revents;
	}
}

/* Send @len pattern bytes and read them back by @deadline.
 * Return: 0, -ETIMEDOUT, -EPROTO (wrong bytes), -EPIPE (EOF) or -errno */
static int echo_check(int fd, const char *want, char *got, size_t len,
		      long deadline)
{
	size_t sent = 0, rcvd = 0;
	ssize_t n;
	int r;

	while (rcvd < len) {
		short ev = POLLIN;

		if (sent < len)
			ev |= POLLOUT;
		r = wait_fd(fd, ev, deadline);
		if (r <= 0)
			return r < 0 ? r : -ETIMEDOUT;
		if ((r & POLLOUT) && sent < len) {
			n = send(fd, want + sent, len - sent, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN)
				return -errno;
			if (n > 0)
				sent += (size_t)n;
		}
		if (r & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, got + rcvd, len - rcvd, 0);
			if (n == 0)
				return -EPIPE;
			if (n < 0 && errno != EAGAIN)
				return -errno;
			if (n > 0)
				rcvd += (size_t)n;
		}
	}
	return memcmp(want, got, len) ? -EPROTO : 0;
}

/* Connect by @deadline.  Return: 0, -ETIMEDOUT or -errno (refused) */
static int connect_one(int fd, const struct sockaddr_in *sa, long deadline)
{
	socklen_t sl = sizeof(int);
	int r, err = 0;

	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	r = wait_fd(fd, POLLOUT, deadline);
	if (r < 0)
		return r;
	if (r == 0)
		return -ETIMEDOUT;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) < 0)
		return -errno;
	return err ? -err : 0;
}

static void count_refused(struct tally *t, int err)
{
	long now = now_ms();

	if (!t->refused)
		t->first_refused_ms = now;
	t->last_refused_ms = now;
	t->refused++;
	t->errs[err > 0 && err < ERRNO_MAX ? err : 0]++;
}

#ifndef HAVE_STRERRORNAME_NP
/* glibc 2.32's; with other C libraries, the number */
static const char *strerrorname_np(int e)
{
	static char name[16];

	snprintf(name, sizeof(name), "E%d", e);
	return name;
}
#endif

static void print_opened(const struct tally *t, long ms)
{
	const char *sep = "";
	int e;

	printf("opened ok=%ld refused=%ld timeout=%ld broken=%ld untried=%ld"
	       " ms=%ld refused_span_ms=%ld errors=",
	       t->ok, t->refused, t->timeout, t->broken, t->untried, ms,
	       t->refused ? t->last_refused_ms - t->first_refused_ms : 0);
	for (e = 0; e < ERRNO_MAX; e++) {
		const char *name = e ? strerrorname_np(e) : "other";

		if (!t->errs[e])
			continue;
		printf("%s%s:%ld", sep, name ? name : "?", t->errs[e]);
		sep = ",";
	}
	printf("%s\n", *sep ? "" : "none");
	fflush(stdout);
}

/* Hold until SIGUSR1 (blocked since start-up) or @secs seconds */
static void hold(long secs)
{
	struct timespec ts = {.tv_sec = secs};
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	while (sigtimedwait(&set, NULL, &ts) < 0 && errno == EINTR)
		;
}

struct open_args {
	struct sockaddr_in sa;
	long n;
	long bytes;
	long timeout_ms;
	long hold_secs; /* 0: no --hold */
	long ready_fd;	/* -1: no --ready-fd */
};

static void signal_ready(long fd)
{
	if (fd < 0)
		return;
	if (write((int)fd, "opened\n", 7) != 7)
		perror("flows: ready fd");
	close((int)fd);
}

static int open_flows(const struct open_args *a)
{
	struct tally t = {0};
	char *want, *got;
	int *fds;
	long i, row = 0, start = now_ms(), held = 0;

	if (raise_nofile((rlim_t)a->n + 32) < (rlim_t)a->n + 8) {
		fprintf(stderr, "flows: cannot get %ld descriptors here\n",
			a->n + 8);
		return 1;
	}
	fds = calloc((size_t)a->n, sizeof(*fds));
	want = malloc((size_t)a->bytes);
	got = malloc((size_t)a->bytes);
	if (!fds || !want || !got) {
		fprintf(stderr, "flows: out of memory\n");
		return 1;
	}
	for (i = 0; i < a->n; i++) {
		long deadline = now_ms() + a->timeout_ms;
		int fd, r;

		fds[i] = -1;
		if (row >= TIMEOUTS_IN_A_ROW) {
			t.untried++;
			continue;
		}
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    0);
		if (fd < 0) {
			fprintf(stderr, "flows: socket: %s\n", strerror(errno));
			return 1;
		}
		r = connect_one(fd, &a->sa, deadline);
		if (r == 0) {
			deadline = now_ms() + a->timeout_ms;
			fill_pattern(want, (size_t)a->bytes, i);
			r = echo_check(fd, want, got, (size_t)a->bytes,
				       deadline);
			if (r == 0) {
				t.ok++;
				fds[i] = fd;
				row = 0;
				continue;
			}
			if (r == -ETIMEDOUT) {
				t.timeout++;
				row++;
			} else {
				t.broken++;
			}
		} else if (r == -ETIMEDOUT) {
			t.timeout++;
			row++;
		} else {
			count_refused(&t, -r);
			row = 0;
		}
		close(fd);
	}
	print_opened(&t, now_ms() - start);
	signal_ready(a->ready_fd);
	if (a->hold_secs) {
		hold(a->hold_secs);
		for (i = 0; i < a->n; i++) {
			if (fds[i] < 0)
				continue;
			fill_pattern(want, (size_t)a->bytes, i + 1);
			if (echo_check(fds[i], want, got, (size_t)a->bytes,
				       now_ms() + a->timeout_ms) == 0)
				held++;
		}
		printf("held ok=%ld of %ld\n", held, t.ok);
		fflush(stdout);
	}
	for (i = 0; i < a->n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	free(want);
	free(got);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: flows serve ADDR PORT\n"
			"       flows open ADDR PORT N [--bytes B] "
			"[--timeout MS] [--hold SECS] [--ready-fd FD]\n");
}

static int parse_open(int argc, char **argv, struct open_args *a)
{
	int i;

	if (argc < 5 || parse_addr(argv[2], argv[3], &a->sa) < 0 ||
	    parse_long(argv[4], 1, FLOWS_MAX, &a->n) < 0)
		return -EINVAL;
	a->bytes = 64;
	a->timeout_ms = 3000;
	a->hold_secs = 0;
	a->ready_fd = -1;
	for (i = 5; i + 1 < argc; i += 2) {
		int r = -EINVAL;

		if (!strcmp(argv[i], "--bytes"))
			r = parse_long(argv[i + 1], 1, BYTES_MAX, &a->bytes);
		else if (!strcmp(argv[i], "--timeout"))
			r = parse_long(argv[i + 1], 1, 60000, &a->timeout_ms);
		else if (!strcmp(argv[i], "--hold"))
			r = parse_long(argv[i + 1], 1, 600, &a->hold_secs);
		else if (!strcmp(argv[i], "--ready-fd"))
			r = parse_long(argv[i + 1], 3, 1023, &a->ready_fd);
		if (r < 0) {
			fprintf(stderr, "flows: bad option %s \"%s\"\n",
				argv[i], argv[i + 1]);
			return r;
		}
	}
	if (i != argc) {
		fprintf(stderr, "flows: option %s needs a value\n", argv[i]);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	struct open_args a;
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	/* blocked before anything is opened: a SIGUSR1 sent early is kept */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (argc == 4 && !strcmp(argv[1], "serve")) {
		if (parse_addr(argv[2], argv[3], &sa) < 0)
			return 1;
		return serve(&sa);
	}
	if (argc >= 5 && !strcmp(argv[1], "open")) {
		if (parse_open(argc, argv, &a) < 0) {
			usage();
			return 1;
		}
		return open_flows(&a);
	}
	usage();
	return 1;
}
