/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nsnew.h - --netns-type=create: a network namespace of our own, pinned
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_NSNEW_H
#define S4N_NSNEW_H

#include <sys/types.h>

#include "slirp4netns.h"

/*
 * struct nsnew_pin - the process that holds the pin: it unmounts and
 * removes it when @lifeline closes (our exit, even a crash), and closes
 * @done once it did.
 */
struct nsnew_pin {
	int lifeline; /* write end; -1: no pin */
	int done;     /* read end */
};

#define NSNEW_PIN_INIT                                                         \
	{                                                                      \
		.lifeline = -1, .done = -1                                     \
	}

/**
 * nsnew_open() - create a network namespace, pin it at @opts->target (a
 * bind mount of the namespace file; the file is created if missing), open
 * and (with --configure) configure the TAP device in it. Called by main()
 * for --netns-type=create, in place of nstap_open().
 *
 * The path is checked first: an existing namespace mount, a file that is
 * not a regular one, or a path we may not write is an error before
 * anything is created. A forked child creates the namespace, pins it,
 * passes the TAP fd and then stays, blocked, as the pin's keeper.
 *
 * Return: 0, *@ret_fd and *@pin, or -1 once one line saying why was
 * printed (by the child or here); nothing is left behind then.
 */
int nsnew_open(const struct s4n_opts *opts, struct nsnew_pin *pin, int *ret_fd);

/**
 * nsnew_release() - unpin: tell the keeper to unmount and remove what it
 * created, and wait until it did. Called by main() on every exit path
 * once nsnew_open() succeeded. No-op without a pin.
 */
void nsnew_release(struct nsnew_pin *pin);

#endif /* S4N_NSNEW_H */
