/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdpass.h - pass one fd over a UNIX socket (SCM_RIGHTS)
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_FDPASS_H
#define S4N_FDPASS_H

/**
 * fdpass_send() - send @fd with one byte of data over @sock.
 * Called by the namespace child.
 *
 * Return: 0, or -errno.
 */
int fdpass_send(int sock, int fd);

/**
 * fdpass_recv() - receive one fd sent by fdpass_send(), close-on-exec.
 * Called by the parent.
 *
 * Return: 0 and *@ret_fd, -EPIPE if the peer closed without sending,
 * -EBADMSG if the message did not carry exactly one fd, or -errno.
 */
int fdpass_recv(int sock, int *ret_fd);

#endif /* S4N_FDPASS_H */
