/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bess.h - the listening socket of --target-type=bess
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_BESS_H
#define S4N_BESS_H

/**
 * bess_listen() - create a UNIX SOCK_SEQPACKET socket listening at @path,
 * on which a BESS peer (User Mode Linux's vector "bess" transport)
 * connects and sends one Ethernet frame per message. A stale socket file
 * at @path is replaced. Called by main().
 *
 * Return: the non-blocking fd, or -errno (-ENAMETOOLONG, -EEXIST for a
 * path that exists and is not a socket, or bind's error).
 */
int bess_listen(const char *path);

#endif /* S4N_BESS_H */
