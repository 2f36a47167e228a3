/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.h - command line parsing and validation
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_OPTIONS_H
#define S4N_OPTIONS_H

#include <stddef.h>

#include "slirp4netns.h"

enum opts_action {
	OPTS_RUN,
	OPTS_HELP,
	OPTS_VERSION,
};

/**
 * opts_parse() - parse and check the command line into @ret, with the
 * virtual network's addresses derived. Pure: touches no fd or namespace,
 * so unit tests call it directly. Called once by main().
 * @err:	on failure, one line naming the option and its value
 *
 * Return: 0 and *@ret_action, or -EINVAL.
 */
int opts_parse(int argc, char *const argv[], struct s4n_opts *ret,
	       enum opts_action *ret_action, char *err, size_t errlen);

/**
 * opts_check_env() - the checks that need the running system: --exit-fd
 * and --ready-fd are open, --outbound-addr(6) interface names resolve to an
 * address. Called by main() right after opts_parse().
 *
 * Return: 0, or -EINVAL with one line in @err.
 */
int opts_check_env(struct s4n_opts *opts, char *err, size_t errlen);

/* opts_usage() - the --help text; every long option appears literally */
const char *opts_usage(void);

#endif /* S4N_OPTIONS_H */
