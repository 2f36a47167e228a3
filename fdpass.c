/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdpass.c - pass one fd over a UNIX socket (SCM_RIGHTS)
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "fdpass.h"

/* Control buffer for exactly one fd, aligned as struct cmsghdr needs. */
union fd_cmsg {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/**
 * fdpass_send() - send @fd with one byte of data over @sock.
 * @sock:	connected AF_UNIX socket
 * @fd:		fd to pass; the caller keeps its own copy
 *
 * Return: 0, or -errno.
 */
int fdpass_send(int sock, int fd)
{
	union fd_cmsg cmsg;
	char byte = 0;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = cmsg.buf,
	    .msg_controllen = sizeof(cmsg.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	memset(&cmsg, 0, sizeof(cmsg));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));

	do {
		/* MSG_NOSIGNAL: a parent that went away is an error, not a
		 * SIGPIPE. */
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != 1)
		return -EIO;
	return 0;
}

/* Close every fd a control message carried: used when it is not the one
 * well-formed fd we expect, so that nothing leaks into this process. */
static void close_passed_fds(struct msghdr *msg)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		size_t i, nfds;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfds; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int),
			       sizeof(int));
			close(fd);
		}
	}
}

/**
 * fdpass_recv() - receive one fd sent by fdpass_send(), close-on-exec.
 * @sock:	connected AF_UNIX socket
 * @ret_fd:	the received fd, written only on success
 *
 * Return: 0 and *@ret_fd, -EPIPE if the peer closed without sending,
 * -EBADMSG if the message did not carry exactly one fd, or -errno.
 */
int fdpass_recv(int sock, int *ret_fd)
{
	union fd_cmsg cmsg;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = cmsg.buf,
	    .msg_controllen = sizeof(cmsg.buf),
	};
	struct cmsghdr *c;
	ssize_t n;
	int fd;

	memset(&cmsg, 0, sizeof(cmsg));
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;

	/* Check level, type and length before reading the fd: anything else
	 * (no fd, several fds, a truncated buffer) is refused. */
	c = CMSG_FIRSTHDR(&msg);
	if ((msg.msg_flags & MSG_CTRUNC) || !c || c->cmsg_level != SOL_SOCKET ||
	    c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)) || CMSG_NXTHDR(&msg, c)) {
		close_passed_fds(&msg);
		return -EBADMSG;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	*ret_fd = fd;
	return 0;
}
