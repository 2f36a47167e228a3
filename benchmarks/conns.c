/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conns.c - open N idle TCP connections and hold them (benchmarks only)
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage: conns ADDR PORT N PIDFILE
 *
 * Opens N connections to an echo server (rr serve), one after the other
 * (each connect() returns before the next starts), then proves every one
 * end to end with a 1-byte round trip, a batch of them at a time. When all
 * N succeeded, a background child keeps them open and idle (until SIGTERM,
 * at most ten minutes), its pid goes to PIDFILE, and "N MS" is printed: MS
 * is how long the N connect() calls took, in milliseconds, the round trips
 * not included. Otherwise prints "K MS" for the K connections that were
 * opened and proven, closes them all and exits 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

#define CONNS_MAX 100000
#define CONNS_HOLD_SECS 600
#define CONNS_TIMEOUT_MS 10000
#define CONNS_BATCH 256 /* round trips in flight while proving */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Enough descriptors for N connections plus stdio. Return: 0 or -errno */
static int raise_nofile(long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur >= (rlim_t)n + 16)
		return 0;
	rl.rlim_cur = (rlim_t)n + 16;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur; /* works as root only */
	return setrlimit(RLIMIT_NOFILE, &rl) < 0 ? -errno : 0;
}

/* Connect, bounded by the send timeout. Return: fd or -errno */
static int open_one(const struct sockaddr_in *sa)
{
	struct timeval tv = {.tv_sec = CONNS_TIMEOUT_MS / 1000};
	int fd, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* One byte out on each of @fds, then each echo back; a batch at a time.
 * Return: how many leading connections were proven. */
static long prove(const int *fds, long n)
{
	long i, j, end;
	char c;

	for (i = 0; i < n; i = end) {
		end = i + CONNS_BATCH < n ? i + CONNS_BATCH : n;
		for (j = i; j < end; j++) {
			c = 'c';
			if (send(fds[j], &c, 1, MSG_NOSIGNAL) != 1)
				break;
		}
		if (j < end) {
			fprintf(stderr, "conns: send %ld: %s\n", j + 1,
				strerror(errno));
			end = j;
		}
		for (j = i; j < end; j++)
			if (recv(fds[j], &c, 1, 0) != 1)
				break;
		if (j < end) {
			fprintf(stderr, "conns: round trip %ld: %s\n", j + 1,
				errno ? strerror(errno) : "closed");
			return j;
		}
		if (end < i + CONNS_BATCH && end < n)
			return end;
	}
	return n;
}

static int write_pidfile(const char *path, pid_t pid)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", (int)pid) < 0) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	long n, port, i, ok;
	double t0, ms;
	int *fds, err;
	pid_t pid;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 ||
	    parse_long(argv[2], 1, 65535, &port) < 0 ||
	    parse_long(argv[3], 1, CONNS_MAX, &n) < 0) {
		fprintf(stderr, "usage: conns ADDR PORT N PIDFILE\n");
		return 2;
	}
	sa.sin_port = htons((uint16_t)port);
	err = raise_nofile(n);
	if (err < 0) {
		fprintf(stderr, "conns: RLIMIT_NOFILE: %s\n", strerror(-err));
		return 1;
	}
	fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return 1;
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		fds[i] = open_one(&sa);
		if (fds[i] < 0) {
			fprintf(stderr, "conns: connection %ld: %s\n", i + 1,
				strerror(-fds[i]));
			break;
		}
	}
	ms = now_ms() - t0;
	ok = prove(fds, i);
	if (ok < n) {
		printf("%ld %.0f\n", ok, ms);
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		/* The parent's exit closes no connection: we share them. */
		setsid();
		detach_stdio();
		alarm(CONNS_HOLD_SECS);
		for (;;)
			pause();
	}
	if (write_pidfile(argv[4], pid) < 0) {
		kill(pid, SIGKILL);
		return 1;
	}
	printf("%ld %.0f\n", n, ms);
	return 0;
}
