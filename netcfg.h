/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netcfg.h - configure lo and the TAP device through rtnetlink
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_NETCFG_H
#define S4N_NETCFG_H

#include "slirp4netns.h"

/**
 * netcfg_configure() - bring lo up; bring @opts->tapname up with the MTU,
 * the MAC of --macaddress, the address @opts->vguest/prefix_len and a
 * default route via @opts->vhost; with IPv6, @opts->vguest6/prefix6_len
 * (no DAD) and a default route via @opts->vhost6.
 * Called by the namespace child, inside the target's network namespace.
 * @ret_step:	on failure, a short name of the step that failed
 *
 * Return: 0, or -errno.
 */
int netcfg_configure(const struct s4n_opts *opts, const char **ret_step);

/**
 * netcfg_set_txqueuelen() - set the transmit queue length of device @name
 * through rtnetlink (the ioctl is refused in a user namespace). Called by
 * the namespace child for a TAP device it created.
 *
 * Return: 0, or -errno.
 */
int netcfg_set_txqueuelen(const char *name, uint32_t qlen);

#endif /* S4N_NETCFG_H */
