/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge.h - remote forwards in the daemon: listeners and the data relay
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_BRIDGE_H
#define S4N_BRIDGE_H

#include <stdint.h>

#include "rfwd.h"
#include "slirp4netns.h"

/**
 * bridge_start() - open the --guestfwd forwards (checked by opts_parse()).
 * Called by main() once libslirp exists: before the sandbox without one,
 * after sandbox_enter() with one.
 * @dir:	where the forwards' sockets go (SANDBOX_FWD_DIR), or NULL for
 *		a private directory created here (at once under seccomp,
 *		which forbids mkdir() later; else on first use)
 *
 * Return: 0, or -1 after logging one line.
 */
int bridge_start(struct s4n_ctx *ctx, const char *dir);

/**
 * bridge_add() - open a remote forward: on the TCP path an entry that the
 * path asks for each guest SYN (tcp_set_redirect()); without it (IPv4
 * only), a listener in libslirp whose connections the daemon relays to
 * the target. Called by main() for each --guestfwd and by the API's
 * add_guestfwd.
 * @ret_why:	on failure, what went wrong (static string, or strerror)
 *
 * Return: the new forward's id, or -1.
 */
int64_t bridge_add(struct s4n_ctx *ctx, const struct rfwd_spec *s,
		   const char **ret_why);

/**
 * bridge_remove() - close forward @id: its listener and its connections
 * (on the TCP path, its flows are reset).
 *
 * Return: 0, or -ENOENT.
 */
int bridge_remove(struct s4n_ctx *ctx, int64_t id);

/**
 * bridge_frame_out() - a frame libslirp sends to the guest, with the
 * gateway's address put back where rfwd_nat_in() took it away. Called by
 * the send_packet callback for every frame.
 *
 * Return: @frame, or a rewritten copy valid until the next call.
 */
const void *bridge_frame_out(struct s4n_ctx *ctx, const void *frame,
			     size_t len);

/* bridge_table() - the forwards, for list_guestfwd; NULL when none yet */
const struct rfwd_table *bridge_table(const struct s4n_ctx *ctx);

/**
 * bridge_free() - close every forward and remove the socket files and the
 * directory (where the sandbox and seccomp still allow it). Called by
 * s4n_ctx_fini(). No-op when no forward was ever opened.
 */
void bridge_free(struct s4n_ctx *ctx);

#endif /* S4N_BRIDGE_H */
