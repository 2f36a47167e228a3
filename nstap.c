/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nstap.c - open the TAP device inside the target's namespaces
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * For a PID or a netns path target:
 *  1. the parent opens the namespace files (so that a bad target is
 *     reported before anything is forked) and decides whether a user
 *     namespace must be joined;
 *  2. a forked child joins the user namespace, then the network namespace,
 *     opens the TAP, configures it with --configure, passes the fd back
 *     over a socketpair and exits; any failure there is one line and exit 1;
 *  3. the parent receives the fd and reaps the child.
 * The child exists because setns(CLONE_NEWUSER) needs a single-threaded
 * process and changes credentials for good (setns(2)), while the daemon
 * itself must stay in the host's namespaces to reach the network.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/if_tun.h>
#include <linux/nsfs.h>

#include "fdpass.h"
#include "hints.h"
#include "log.h"
#include "netcfg.h"
#include "nstap.h"
#include "util.h"

/* The namespaces the child joins, and their names for messages. */
struct nstarget {
	int userns; /* -1: stay in our user namespace */
	int netns;
	const char *userns_name;
	const char *netns_name;
	char userns_buf[64]; /* "/proc/PID/ns/user" */
	char netns_buf[64];
	bool has_subids; /* for the hint on a failed join (hints.c) */
};

static int set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* --netns-type=tapfd: the caller opened the TAP; check that it is one we
 * can use as it is. Whether it was opened with IFF_NO_PI cannot be seen:
 * TUNGETIFF reports IFF_NOFILTER in the same bit (linux/if_tun.h). */
static int use_tapfd(int fd, int *ret_fd)
{
	struct ifreq ifr;
	int rc;

	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		log_error("TAP fd %d: not an open file descriptor", fd);
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
		log_error("TAP fd %d: not a TAP device", fd);
		return -1;
	}
	if (!(ifr.ifr_flags & IFF_TAP)) {
		log_error(
		    "TAP fd %d: \"%.*s\" is a TUN device, not a TAP device", fd,
		    IFNAMSIZ, ifr.ifr_name);
		return -1;
	}
	/* IFF_VNET_HDR is fine: tap.c reads the header and offloads */
	rc = set_nonblock_cloexec(fd);
	if (rc < 0) {
		log_error("TAP fd %d: cannot make it non-blocking: %s", fd,
			  strerror(-rc));
		return -1;
	}
	*ret_fd = fd;
	return 0;
}

/* Open @path, a namespace file of type @nstype, for setns(). */
static int open_ns(const char *path, int nstype, int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	int type;

	/* O_NONBLOCK: a FIFO given by mistake must not block us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	/* NS_GET_NSTYPE fails with ENOTTY on anything but an nsfs file. */
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0 && errno != ENOTTY)
		return -errno;
	if (type != nstype)
		return -EMEDIUMTYPE;
	*ret_fd = fd;
	fd = -1;
	return 0;
}

static int open_target_pid(pid_t pid, struct nstarget *t)
{
	int rc;

	if (kill(pid, 0) < 0 && errno == ESRCH) {
		log_error("cannot open network namespace of PID %d: %s",
			  (int)pid, strerror(ESRCH));
		return -1;
	}
	snprintf(t->netns_buf, sizeof(t->netns_buf), "/proc/%d/ns/net",
		 (int)pid);
	snprintf(t->userns_buf, sizeof(t->userns_buf), "/proc/%d/ns/user",
		 (int)pid);
	t->netns_name = t->netns_buf;
	t->userns_name = t->userns_buf;

	rc = open_ns(t->netns_name, CLONE_NEWNET, &t->netns);
	if (rc < 0) {
		/* The process exited since kill(), or /proc is not ours. */
		log_error("cannot open network namespace of PID %d: %s",
			  (int)pid, strerror(rc == -ENOENT ? ESRCH : -rc));
		return -1;
	}
	rc = open_ns(t->userns_name, CLONE_NEWUSER, &t->userns);
	if (rc < 0) {
		log_error("cannot open user namespace of PID %d: %s", (int)pid,
			  strerror(rc == -ENOENT ? ESRCH : -rc));
		return -1;
	}
	return 0;
}

static int open_target_path(const char *path, struct nstarget *t)
{
	int rc;

	t->netns_name = path;
	rc = open_ns(path, CLONE_NEWNET, &t->netns);
	if (rc == -EMEDIUMTYPE) {
		log_error("target \"%s\": not a network namespace", path);
		return -1;
	}
	if (rc < 0) {
		log_error("cannot open network namespace \"%s\": %s", path,
			  strerror(-rc));
		return -1;
	}
	return 0;
}

/* Open the namespaces of the target; logs and returns -1 on failure. */
static int open_ns_target(const struct s4n_opts *opts, struct nstarget *t)
{
	int rc;

	if (opts->netns_type == S4N_NETNS_PID)
		rc = open_target_pid(opts->target_pid, t);
	else
		rc = open_target_path(opts->target, t);
	if (rc < 0)
		return -1;

	if (opts->userns_path) {
		util_closep(&t->userns);
		t->userns_name = opts->userns_path;
		rc = open_ns(opts->userns_path, CLONE_NEWUSER, &t->userns);
		if (rc == -EMEDIUMTYPE) {
			log_error("--userns-path \"%s\": not a user namespace",
				  opts->userns_path);
			return -1;
		}
		if (rc < 0) {
			log_error("cannot open user namespace \"%s\": %s",
				  opts->userns_path, strerror(-rc));
			return -1;
		}
	}
	if (t->userns < 0)
		return 0;

	rc = util_is_own_userns(t->userns);
	if (rc < 0) {
		log_error("cannot compare user namespace \"%s\" with ours: %s",
			  t->userns_name, strerror(-rc));
		return -1;
	}
	if (rc == 1)
		util_closep(&t->userns);
	return 0;
}

/* A TAP device's queue towards us holds txqueuelen frames, and a frame
 * that finds it full is dropped. The kernel's default (1000) is less than
 * a guest sends when it closes thousands of connections at once (a FIN
 * each): the rest waits for the guest's retransmissions, seconds later.
 * A device we create gets a longer queue; it costs the kernel a pointer
 * per slot. One the user created keeps the length it was given. */
#define TAP_TXQUEUELEN 4096

static void set_txqueuelen(const char *name)
{
	int rc = netcfg_set_txqueuelen(name, TAP_TXQUEUELEN);

	if (rc < 0)
		log_debug("cannot set the txqueuelen of %s: %s", name,
			  strerror(-rc));
}

/* The forked child: join, open, configure, send. Only simple calls here:
 * the parent may have had other threads when it forked. */
static void __attribute__((noreturn))
child_main(const struct s4n_opts *opts, const struct nstarget *t, int sock)
{
	struct ifreq ifr;
	bool created;
	const char *step = NULL;
	int fd, rc;

	if (t->userns >= 0 && setns(t->userns, CLONE_NEWUSER) < 0)
		die("cannot join user namespace \"%s\": %s%s", t->userns_name,
		    strerror(errno), hint_join(errno, t->has_subids));
	if (setns(t->netns, CLONE_NEWNET) < 0)
		die("cannot join network namespace \"%s\": %s%s", t->netns_name,
		    strerror(errno), hint_join(errno, t->has_subids));

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("cannot open /dev/net/tun: %s%s", strerror(errno),
		    hint_tun_open(errno));
	/* An existing device of that name (RootlessKit creates tap0 first)
	 * is attached to, not created again. */
	created = if_nametoindex(opts->tapname) == 0;
	memset(&ifr, 0, sizeof(ifr));
	/* virtio-net headers let the guest hand us TSO frames (tap.c) */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	strncpy(ifr.ifr_name, opts->tapname, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die("cannot open TAP device \"%s\": %s%s", opts->tapname,
		    strerror(errno), hint_tap_attach(errno, !created));
	if (created)
		set_txqueuelen(opts->tapname);

	if (opts->configure) {
		rc = netcfg_configure(opts, &step);
		if (rc < 0)
			die("cannot configure TAP device \"%s\": %s: %s",
			    opts->tapname, step, strerror(-rc));
	}

	rc = fdpass_send(sock, fd);
	if (rc < 0)
		die("cannot pass the TAP fd to the parent: %s", strerror(-rc));
	_exit(0);
}

/* Reap @pid. Return: its exit status, or -1 if it did not exit normally
 * (logged here, since the child could not say why). */
static int reap_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			log_error("cannot wait for the namespace child: %s",
				  strerror(errno));
			return -1;
		}
	}
	if (WIFSIGNALED(status)) {
		log_error("namespace child killed by signal %d (%s)",
			  WTERMSIG(status), strsignal(WTERMSIG(status)));
		return -1;
	}
	return WEXITSTATUS(status);
}

/* A SIGCHLD ignored by whoever started us (the disposition survives
 * execve(2)) makes the kernel reap our child itself, and waitpid() then
 * fails with ECHILD: use the default action while the child lives. */
static bool chld_default(struct sigaction *old)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	if (sigaction(SIGCHLD, NULL, old) < 0 || old->sa_handler != SIG_IGN)
		return false;
	return sigaction(SIGCHLD, &dfl, NULL) == 0;
}

static int open_in_child(const struct s4n_opts *opts, int *ret_fd)
{
	struct nstarget t = {.userns = -1, .netns = -1};
	_cleanup_close_ int fd = -1;
	struct sigaction oldchld;
	bool restore;
	int sv[2], rc, status;
	pid_t pid;

	if (strlen(opts->tapname) >= IFNAMSIZ) {
		log_error("TAP name \"%s\": longer than %d characters",
			  opts->tapname, IFNAMSIZ - 1);
		return -1;
	}
	if (open_ns_target(opts, &t) < 0)
		goto fail;
	/* asked before the fork: the child makes only simple calls */
	t.has_subids = hint_has_subids("/etc/subuid", "/etc/passwd", getuid());
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		log_error("cannot create socketpair: %s", strerror(errno));
		goto fail;
	}
	restore = chld_default(&oldchld);
	pid = fork();
	if (pid < 0) {
		log_error("cannot fork: %s", strerror(errno));
		if (restore)
			(void)sigaction(SIGCHLD, &oldchld, NULL);
		close(sv[0]);
		close(sv[1]);
		goto fail;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(opts, &t, sv[1]);
	}

	close(sv[1]);
	util_closep(&t.userns);
	util_closep(&t.netns);
	rc = fdpass_recv(sv[0], &fd);
	close(sv[0]);
	status = reap_child(pid);
	if (restore)
		(void)sigaction(SIGCHLD, &oldchld, NULL);
	if (status != 0)
		return -1; /* the child said why */
	if (rc < 0) {
		log_error(
		    "cannot receive the TAP fd from the namespace child: %s",
		    strerror(-rc));
		return -1;
	}
	rc = set_nonblock_cloexec(fd);
	if (rc < 0) {
		log_error("cannot make the TAP fd non-blocking: %s",
			  strerror(-rc));
		return -1;
	}
	*ret_fd = fd;
	fd = -1;
	return 0;

fail:
	util_closep(&t.userns);
	util_closep(&t.netns);
	return -1;
}

/**
 * nstap_open() - get the TAP fd for @opts->target. Called once by main().
 * @opts:	parsed options (netns_type, target, target_pid, target_tapfd,
 *		userns_path, tapname, configure and the addresses it sets)
 * @ret_fd:	the TAP fd, non-blocking and close-on-exec
 *
 * Return: 0 and *@ret_fd, or -1 once one line saying why was printed (by
 * the child or by this function).
 */
int nstap_open(const struct s4n_opts *opts, int *ret_fd)
{
	switch (opts->netns_type) {
	case S4N_NETNS_TAPFD:
		return use_tapfd(opts->target_tapfd, ret_fd);
	case S4N_NETNS_PID:
	case S4N_NETNS_PATH:
		return open_in_child(opts, ret_fd);
	case S4N_NETNS_CREATE: /* nsnew_open() */
	default:
		log_error("unknown --netns-type");
		return -1;
	}
}
