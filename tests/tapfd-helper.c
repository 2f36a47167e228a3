/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tapfd-helper.c - hand a TAP fd to a command, as a --netns-type=tapfd
 * caller does
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Usage: tapfd-helper [--tun|--vnet-hdr] PID TAPNAME -- CMD ARGS...
 *
 * A forked child joins the user namespace of PID (when it differs from
 * ours) and its network namespace, opens TAPNAME with IFF_TAP|IFF_NO_PI
 * (--tun: IFF_TUN, --vnet-hdr: with IFF_VNET_HDR, to test refusals) and
 * passes the fd back. The helper then runs CMD in its own namespaces with every
 * argument "{fd}" replaced by the fd number; the fd is inherited.
 * This is written apart from nstap.c on purpose: the tests of tapfd mode
 * must not depend on the code they would otherwise be checking.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/if_tun.h>

#include "fdpass.h"

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "tapfd-helper: %s: %s\n", what, strerror(errno));
	_exit(1);
}

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr, "usage: tapfd-helper [--tun|--vnet-hdr] PID TAPNAME -- "
			"CMD ARGS...\n");
	exit(2);
}

static void __attribute__((noreturn))
child(const char *pid, const char *name, short flags, int sock)
{
	char path[64];
	struct stat self, other;
	struct ifreq ifr;
	int userns, netns, fd;

	snprintf(path, sizeof(path), "/proc/%s/ns/user", pid);
	userns = open(path, O_RDONLY | O_CLOEXEC);
	if (userns < 0)
		fail(path);
	snprintf(path, sizeof(path), "/proc/%s/ns/net", pid);
	netns = open(path, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		fail(path);
	if (stat("/proc/self/ns/user", &self) < 0 || fstat(userns, &other) < 0)
		fail("stat user namespace");
	if ((self.st_dev != other.st_dev || self.st_ino != other.st_ino) &&
	    setns(userns, CLONE_NEWUSER) < 0)
		fail("setns user");
	if (setns(netns, CLONE_NEWNET) < 0)
		fail("setns net");

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail("/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = flags;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		fail("TUNSETIFF");
	errno = -fdpass_send(sock, fd);
	if (errno)
		fail("fdpass_send");
	_exit(0);
}

static int get_tap(const char *pid, const char *name, short flags)
{
	int sv[2], fd, rc, status;
	pid_t p;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		fail("socketpair");
	p = fork();
	if (p < 0)
		fail("fork");
	if (p == 0) {
		close(sv[0]);
		child(pid, name, flags, sv[1]);
	}
	close(sv[1]);
	rc = fdpass_recv(sv[0], &fd);
	close(sv[0]);
	if (waitpid(p, &status, 0) < 0)
		fail("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		exit(1);
	if (rc < 0) {
		errno = -rc;
		fail("fdpass_recv");
	}
	return fd;
}

int main(int argc, char **argv)
{
	short flags = IFF_TAP | IFF_NO_PI;
	char fdstr[16];
	int i = 1, fd;

	if (argc > 1 && strcmp(argv[1], "--tun") == 0) {
		flags = IFF_TUN | IFF_NO_PI;
		i++;
	} else if (argc > 1 && strcmp(argv[1], "--vnet-hdr") == 0) {
		flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
		i++;
	}
	if (argc - i < 4 || strcmp(argv[i + 2], "--") != 0)
		usage();

	fd = get_tap(argv[i], argv[i + 1], flags);
	/* The command inherits the fd, as from a real caller. */
	if (fcntl(fd, F_SETFD, 0) < 0)
		fail("fcntl");
	snprintf(fdstr, sizeof(fdstr), "%d", fd);
	for (int j = i + 3; j < argc; j++)
		if (strcmp(argv[j], "{fd}") == 0)
			argv[j] = fdstr;
	execvp(argv[i + 3], argv + i + 3);
	fail(argv[i + 3]);
}
