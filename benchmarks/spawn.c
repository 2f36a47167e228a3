/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spawn.c - start a daemon and time it until it is ready (benchmarks only)
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage: spawn [-r FD | -w] [-k] [-l LOG] [-T MS] -- COMMAND [ARG]...
 *
 *   -r FD   ready when a byte arrives on a pipe whose write end the child
 *           holds as FD (slirp4netns --ready-fd=FD; FD 1 for "echo")
 *   -w      ready when the child exits with status 0 (pasta forks to the
 *           background once the namespace is configured)
 *   -k      keep the child running once ready (only with -r)
 *   -l LOG  the child's stderr (and stdout, unless FD is 1) go to LOG
 *   -T MS   give up after MS milliseconds (default 10000)
 *
 * Prints "PID MICROSECONDS" on stdout once ready. Without -k the child is
 * then sent SIGTERM and reaped (SIGKILL after two seconds). Exit status 0
 * when ready in time, 1 otherwise (the child is then killed).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"

struct spawn_opts {
	int ready_fd;	/* -r FD, or -1 */
	bool wait_exit; /* -w */
	bool keep;	/* -k */
	const char *log;
	long timeout_ms;
	char **argv;
};

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void usage(void)
{
	fprintf(stderr, "usage: spawn [-r FD | -w] [-k] [-l LOG] [-T MS] "
			"-- COMMAND [ARG]...\n");
	exit(2);
}

static void parse_args(int argc, char **argv, struct spawn_opts *o)
{
	long v;
	int c;

	o->ready_fd = -1;
	o->timeout_ms = 10000;
	while ((c = getopt(argc, argv, "+r:wkl:T:")) != -1) {
		switch (c) {
		case 'r':
			if (parse_long(optarg, 1, 255, &v) < 0)
				usage();
			o->ready_fd = (int)v;
			break;
		case 'w':
			o->wait_exit = true;
			break;
		case 'k':
			o->keep = true;
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'T':
			if (parse_long(optarg, 1, 3600000, &v) < 0)
				usage();
			o->timeout_ms = v;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || (o->ready_fd < 0) == !o->wait_exit ||
	    (o->keep && o->wait_exit))
		usage();
	o->argv = argv + optind;
}

/* In the child: set up fds, then exec. Never returns. */
static void child_exec(const struct spawn_opts *o, int pipe_w)
{
	int fd;

	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(o->log ? o->log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND,
		  0644);
	if (fd >= 0) {
		if (o->ready_fd != 1)
			dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (pipe_w >= 0) {
		if (pipe_w == o->ready_fd)
			fcntl(pipe_w, F_SETFD, 0);
		else if (dup2(pipe_w, o->ready_fd) < 0)
			_exit(127);
	}
	signal(SIGPIPE, SIG_DFL);
	execvp(o->argv[0], o->argv);
	fprintf(stderr, "spawn: exec '%s': %s\n", o->argv[0], strerror(errno));
	_exit(127);
}

/* Wait for a byte on @fd until @deadline. Return: 0, or -1. */
static int wait_byte(int fd, long deadline)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	char c;

	for (;;) {
		long left = (deadline - now_us()) / 1000;

		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)(left > INT_MAX ? INT_MAX : left)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!pfd.revents)
			continue;
		return read(fd, &c, 1) == 1 ? 0 : -1;
	}
}

/* Reap @pid, waiting until @deadline. Return: its status, or -1. */
static int reap_until(pid_t pid, long deadline)
{
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_us() >= deadline)
			return -1;
		usleep(1000);
	}
}

static void stop_child(pid_t pid)
{
	kill(pid, SIGTERM);
	if (reap_until(pid, now_us() + 2000000L) == -1) {
		kill(pid, SIGKILL);
		reap_until(pid, now_us() + 2000000L);
	}
}

int main(int argc, char **argv)
{
	struct spawn_opts o = {0};
	int p[2] = {-1, -1};
	long t0, deadline;
	int ok = -1;
	pid_t pid;

	parse_args(argc, argv, &o);
	if (o.ready_fd >= 0 && pipe2(p, O_CLOEXEC) < 0) {
		perror("spawn: pipe2");
		return 1;
	}
	t0 = now_us();
	deadline = t0 + o.timeout_ms * 1000L;
	pid = fork();
	if (pid < 0) {
		perror("spawn: fork");
		return 1;
	}
	if (pid == 0)
		child_exec(&o, p[1]);
	if (o.ready_fd >= 0) {
		close(p[1]);
		ok = wait_byte(p[0], deadline);
	} else {
		int st = reap_until(pid, deadline);

		ok = (st != -1 && WIFEXITED(st) && !WEXITSTATUS(st)) ? 0 : -1;
		if (st != -1)
			pid = 0;
	}
	if (ok == 0)
		printf("%d %ld\n", (int)pid, now_us() - t0);
	else
		fprintf(stderr, "spawn: '%s' was not ready\n", o.argv[0]);
	fflush(stdout);
	if (pid > 0 && (ok < 0 || !o.keep))
		stop_child(pid);
	return ok == 0 ? 0 : 1;
}
