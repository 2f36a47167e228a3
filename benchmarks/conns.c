/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conns.c - open N idle TCP connections and hold them (benchmarks only)
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage: conns ADDR PORT N PIDFILE
 *
 * Opens N connections to an echo server (rr serve), one after the other,
 * and proves each one end to end with a 1-byte round trip. When all N
 * succeeded, a background child keeps them open and idle (until SIGTERM,
 * at most ten minutes), its pid goes to PIDFILE, and "N" is printed.
 * Otherwise prints how many succeeded, closes them all and exits 1.
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
#include <unistd.h>

#include "bench-util.h"

#define CONNS_MAX 100000
#define CONNS_HOLD_SECS 600
#define CONNS_TIMEOUT_MS 3000

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

/* Connect and prove the path with one echoed byte. Return: fd or -errno */
static int open_one(const struct sockaddr_in *sa)
{
	struct timeval tv = {.tv_sec = CONNS_TIMEOUT_MS / 1000};
	char c = 'c';
	int fd, err;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 ||
	    send(fd, &c, 1, MSG_NOSIGNAL) != 1 || recv(fd, &c, 1, 0) != 1) {
		err = errno ? -errno : -EPIPE;
		close(fd);
		return err;
	}
	return fd;
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
	long n, port, i;
	int fd, err;
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
	for (i = 0; i < n; i++) {
		fd = open_one(&sa);
		if (fd < 0) {
			fprintf(stderr, "conns: connection %ld: %s\n", i + 1,
				strerror(-fd));
			printf("%ld\n", i);
			return 1;
		}
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
	printf("%ld\n", n);
	return 0;
}
