/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sandbox.h - --enable-sandbox: a private root holding only /etc and /run
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_SANDBOX_H
#define S4N_SANDBOX_H

#include <stdbool.h>

#include "slirp4netns.h"

/**
 * sandbox_enter() - confine the daemon to a fresh root that holds only /etc
 * and /run, as --enable-sandbox asks. Called by main() once, after the TAP
 * fd is open, the API socket listens and libslirp exists, and before ready
 * is reported and filter_install() runs.
 *
 * The process must still be single-threaded: joining a user namespace and
 * unsharing the mount namespace fail with EINVAL otherwise, and capabilities
 * are per thread. GLib's g_unix_signal_add() starts a worker thread, so add
 * signal sources after this call (or read signals from a signalfd).
 *
 * Unprivileged (euid != 0): joins the user namespace named by
 * --userns-path, else the one of the target PID, else the owner of the
 * netns path; with --netns-type=tapfd it creates a new one. As root: stays
 * in its user namespace. Both: new mount namespace, pivot_root, then every
 * capability but CAP_NET_BIND_SERVICE is dropped, bounding set included.
 *
 * Return: 0, or -1 after logging exactly one line.
 */
int sandbox_enter(const struct s4n_opts *opts);

/* The remote forwards' sockets in the sandbox: a small tmpfs of its own */
#define SANDBOX_FWD_DIR "/fwd"

/**
 * sandbox_want_fwd_dir() - give the new root a writable SANDBOX_FWD_DIR,
 * mode 0700, where bridge.c binds the listening sockets of remote
 * forwards. It lives and dies with the daemon's mount namespace: nothing
 * is left on the host. Called by main() before sandbox_enter() when remote
 * forwards may be used (--guestfwd or the API socket).
 */
void sandbox_want_fwd_dir(void);

/**
 * sandbox_drop_caps() - drop every capability but CAP_NET_BIND_SERVICE
 * (kept if held, for add_hostfwd below port 1024) from every set, the
 * bounding set too where we may, and set no_new_privs. Called by
 * sandbox_enter(), and by main() before filter_install() without the
 * sandbox: a root
 * daemon needs no CAP_NET_RAW or CAP_NET_ADMIN once started (issue 15).
 * @opt:	the option named in error messages
 *
 * Return: 0, or -1 after logging one line.
 */
int sandbox_drop_caps(const char *opt);

#endif /* S4N_SANDBOX_H */
