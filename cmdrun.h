/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmdrun.h - "slirp4netns [OPTION]... -- COMMAND": a command in a network
 * of its own
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_CMDRUN_H
#define S4N_CMDRUN_H

#include "slirp4netns.h"

/**
 * cmdrun_start() - run @opts->command in a new user and network namespace
 * and connect it. Called by main() right after the options are checked,
 * when @opts->command is set, before anything else is created.
 *
 * Three processes: the caller stays as the supervisor, which never returns
 * (it forwards signals to the command and exits with its status); a child
 * runs the command once the network is ready; another child returns from
 * here as the daemon, with @opts changed to target the command's PID
 * (--netns-type=pid semantics, --configure), quiet, and its --ready-fd
 * pointing to the supervisor.
 *
 * Return: 0 in the daemon; in the supervisor, exits.
 */
int cmdrun_start(struct s4n_opts *opts);

#endif /* S4N_CMDRUN_H */
