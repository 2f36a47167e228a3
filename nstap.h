/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nstap.h - open the TAP device inside the target's namespaces
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_NSTAP_H
#define S4N_NSTAP_H

#include "slirp4netns.h"

/**
 * nstap_open() - get the TAP fd for @opts->target. Called once by main().
 *
 * For S4N_NETNS_PID and S4N_NETNS_PATH a forked child joins the user
 * namespace (the target's when it differs from ours, or @opts->userns_path)
 * and the network namespace, opens @opts->tapname with IFF_TAP|IFF_NO_PI
 * (attaching to an existing device), configures it when @opts->configure,
 * and passes the fd back over a socketpair. The parent never enters the
 * namespace. For S4N_NETNS_TAPFD, @opts->target_tapfd is checked and used.
 *
 * The returned fd is non-blocking and close-on-exec.
 *
 * Return: 0 and *@ret_fd, or -1 once one line saying why was printed (by
 * the child or by this function).
 */
int nstap_open(const struct s4n_opts *opts, int *ret_fd);

#endif /* S4N_NSTAP_H */
