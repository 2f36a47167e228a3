/* SPDX-License-Identifier: GPL-2.0-or-later */
/* heap.h - where glibc puts libslirp's socket buffers (see heap.c)
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_HEAP_H
#define S4N_HEAP_H

#include <stdbool.h>

/* heap_init() - set glibc's allocator up for few sockets. Called once by
 * s4n_ctx_init(), before libslirp allocates. */
void heap_init(void);

/* heap_sockets() - libslirp has about @sockets sockets: called with the
 * count of each slirp_pollfds_fill(), to choose where buffers go */
void heap_sockets(unsigned int sockets);

/* heap_forwards() - libslirp opened (@delta 1) or closed (-1) a port
 * forward's socket: it has no buffers, and is left out of the count, so
 * that forwards do not bring one connection to the mapping mode */
void heap_forwards(int delta);

/* heap_socket_opened() - libslirp opened @fd (register_poll_fd), after
 * allocating its buffers */
void heap_socket_opened(int fd);

/* heap_socket_closed() - libslirp closes @fd (unregister_poll_fd) and
 * frees its buffers */
void heap_socket_closed(int fd);

/* heap_before_flow() - a guest's SYN is about to reach libslirp, which
 * will allocate the new flow's buffers */
void heap_before_flow(void);

/* heap_mapping() - Return: true if new buffers get mappings of their own */
bool heap_mapping(void);

/* heap_plugs() - Return: free heap chunks held out of play */
unsigned int heap_plugs(void);

#endif
