/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcpfwd.h - TCP port forwards (add_hostfwd) on the TCP path
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_TCPFWD_H
#define S4N_TCPFWD_H

#include "api.h"
#include "slirp4netns.h"

struct tcpfwd;

/**
 * tcpfwd_add() - listen on @f->host for a TCP forward to @f->guest. The
 * listeners' table is made on the first call. Called by the API's forward
 * operations (apiserver.c) unless --disable-tcp-fast-path.
 * @ret:	the table, NULL until the first forward
 *
 * Return: 0, or -errno of socket(), bind() or listen().
 */
int tcpfwd_add(struct tcpfwd **ret, struct s4n_ctx *ctx,
	       const struct api_fwd *f);

/**
 * tcpfwd_remove() - close the listener on @f->host; connections it
 * accepted live on. Called by the API's forward operations.
 *
 * Return: 0, or -ENOENT.
 */
int tcpfwd_remove(struct tcpfwd *fw, const struct api_fwd *f);

/* tcpfwd_free() - close every listener. Called by s4n_ctx_fini(), before
 * tcp_free(). NULL is a no-op. */
void tcpfwd_free(struct tcpfwd *fw);

#endif /* S4N_TCPFWD_H */
