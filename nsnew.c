/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsnew.c - --netns-type=create: a network namespace of our own, pinned
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * slirp-forwarder's way: instead of joining a namespace, create one, keep
 * it at a path the user names (as "ip netns add" does, a bind mount of the
 * namespace file), so that "nsenter --net=PATH" reaches a ready network,
 * and remove it again when we exit. The stages:
 *  1. the parent checks PATH: not a namespace mount already, a regular file
 *     or missing, writable (or its directory, to create it);
 *  2. a forked child unshares the network namespace (CAP_SYS_ADMIN over
 *     our user namespace: root, or "unshare --user --map-root-user
 *     --mount"), creates PATH if missing and bind-mounts
 *     /proc/self/ns/net on it, opens and configures the TAP device and
 *     passes its fd back;
 *  3. the child then waits on a pipe whose other end only the daemon
 *     holds. When it reads the end (the daemon exited, however), it
 *     unmounts PATH, removes it if it created it, and exits; the daemon
 *     waits for that on its normal exit paths.
 * The keeper stays in the mount namespace the pin lives in: the daemon
 * leaves it for --enable-sandbox, and seccomp forbids umount2().
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include "compat.h"
#include "fdpass.h"
#include "log.h"
#include "netcfg.h"
#include "nsnew.h"
#include "util.h"

/* the TAP's queue towards us, as nstap.c sets it for a device it creates */
#define NSNEW_TXQUEUELEN 4096

/*
 * check_path() - stage 1.
 * @ret_create:	PATH is missing: the child creates it
 *
 * Return: 0, or -1 after logging.
 */
static int check_path(const char *path, bool *ret_create)
{
	char dir[PATH_MAX];
	struct statfs sfs;
	struct stat st;

	if (strlen(path) >= sizeof(dir)) {
		log_error("--netns-type=create \"%s\": path too long", path);
		return -1;
	}
	*ret_create = false;
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT) {
			log_error("--netns-type=create \"%s\": %s", path,
				  strerror(errno));
			return -1;
		}
		strcpy(dir, path);
		if (access(dirname(dir), W_OK | X_OK) < 0) {
			log_error("--netns-type=create \"%s\": cannot create "
				  "it: %s",
				  path, strerror(errno));
			return -1;
		}
		*ret_create = true;
		return 0;
	}
	if (statfs(path, &sfs) == 0 && sfs.f_type == NSFS_MAGIC) {
		log_error("--netns-type=create \"%s\": already a namespace "
			  "mount",
			  path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		log_error("--netns-type=create \"%s\": not a regular file",
			  path);
		return -1;
	}
	if (access(path, W_OK) < 0) {
		log_error("--netns-type=create \"%s\": not writable: %s", path,
			  strerror(errno));
		return -1;
	}
	return 0;
}

/* open_tap() - the TAP device in our new namespace, with virtio-net
 * headers as nstap.c opens it (tap.c takes TSO frames through them).
 * Return: the fd, or -errno with *@ret_step set. */
static int open_tap(const struct s4n_opts *opts, const char **ret_step)
{
	struct ifreq ifr;
	int fd;

	*ret_step = "cannot open /dev/net/tun";
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	strncpy(ifr.ifr_name, opts->tapname, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = errno;

		*ret_step = "cannot open TAP device";
		close(fd);
		return -err;
	}
	/* a burst of FINs fits the queue (see nstap.c) */
	(void)netcfg_set_txqueuelen(opts->tapname, NSNEW_TXQUEUELEN);
	return fd;
}

static void unpin(const char *path, bool created)
{
	(void)umount2(path, MNT_DETACH);
	if (created)
		(void)unlink(path);
}

/* pin() - PATH, created if @create, becomes a bind mount of our netns */
static int pin(const char *path, bool create)
{
	int fd;

	if (create) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
		if (fd < 0)
			return -errno;
		close(fd);
	}
	if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0) {
		int err = errno;

		if (create)
			(void)unlink(path);
		return -err;
	}
	return 0;
}

/* keep_only() - close every fd from 3 on but @a and @b: the keeper must not
 * hold the --ready-fd or --exit-fd pipes, nor anything else, open */
static void keep_only(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if (lo > 3)
		(void)close_range(3, (unsigned int)lo - 1, 0);
	if (hi > lo + 1)
		(void)close_range((unsigned int)lo + 1, (unsigned int)hi - 1,
				  0);
	(void)close_range((unsigned int)hi + 1, ~0U, 0);
}

/* The child: stages 2 and 3. Its failures are one line and exit 1, with
 * nothing left behind. */
static void __attribute__((noreturn))
child_main(const struct s4n_opts *opts, bool create, int sock, int lifeline,
	   int done)
{
	const char *step = NULL;
	char c;
	int fd = -1, rc;

	(void)done; /* closed by our exit: the daemon waits for it */
	if (unshare(CLONE_NEWNET) < 0)
		die("--netns-type=create: cannot create a network namespace: "
		    "%s%s",
		    strerror(errno),
		    errno == EPERM ? " (run as root, or inside unshare "
				     "--user --map-root-user --mount)"
				   : "");
	rc = pin(opts->target, create);
	if (rc < 0)
		die("--netns-type=create \"%s\": cannot pin the namespace: %s",
		    opts->target, strerror(-rc));
	rc = fd = open_tap(opts, &step);
	if (rc >= 0)
		rc = 0;
	if (rc == 0 && opts->configure && (rc = netcfg_configure(opts, &step)))
		step = "cannot configure TAP device";
	if (rc == 0 && (rc = fdpass_send(sock, fd)) < 0)
		step = "cannot pass the TAP fd to the parent";
	if (rc < 0) {
		unpin(opts->target, create);
		die("%s \"%s\": %s", step, opts->tapname, strerror(-rc));
	}
	close(fd);
	close(sock);
	keep_only(lifeline, done);
	/* a hang-up of the terminal must not leave the pin behind */
	signal(SIGHUP, SIG_IGN);
	/* the daemon exits, or gives up the pin: read() sees the end */
	while (read(lifeline, &c, 1) < 0 && errno == EINTR)
		;
	unpin(opts->target, create);
	_exit(0);
}

int nsnew_open(const struct s4n_opts *opts, struct nsnew_pin *pin_ret,
	       int *ret_fd)
{
	int sv[2], life[2], done[2], fd = -1, rc, status;
	bool create;
	pid_t pid;

	if (check_path(opts->target, &create) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    pipe2(life, O_CLOEXEC) < 0 || pipe2(done, O_CLOEXEC) < 0) {
		log_error("--netns-type=create: cannot create a socketpair or "
			  "pipe: %s",
			  strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		log_error("--netns-type=create: cannot fork: %s",
			  strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		close(life[1]);
		close(done[0]);
		child_main(opts, create, sv[1], life[0], done[1]);
	}
	close(sv[1]);
	close(life[0]);
	close(done[1]);
	rc = fdpass_recv(sv[0], &fd);
	close(sv[0]);
	if (rc < 0) {
		/* the child said why and left nothing behind */
		close(life[1]);
		close(done[0]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		log_error("cannot make the TAP fd non-blocking: %s",
			  strerror(errno));
		close(fd);
		pin_ret->lifeline = life[1];
		pin_ret->done = done[0];
		nsnew_release(pin_ret);
		return -1;
	}
	pin_ret->lifeline = life[1];
	pin_ret->done = done[0];
	*ret_fd = fd;
	return 0;
}

void nsnew_release(struct nsnew_pin *pin)
{
	char c;

	if (!pin || pin->lifeline < 0)
		return;
	close(pin->lifeline);
	pin->lifeline = -1;
	/* the keeper's exit closes the other end */
	while (read(pin->done, &c, 1) < 0 && errno == EINTR)
		;
	close(pin->done);
	pin->done = -1;
}
