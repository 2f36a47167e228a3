/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - one place for the daemon's messages
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_LOG_H
#define S4N_LOG_H

#include <stdbool.h>

/* Messages go to stderr, one line each, prefixed with "slirp4netns: " */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* die() - log_error() and _exit(1). Only for main.c's start-up path and the
 * namespace child. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* log_set_debug() - enable debug messages (SLIRP4NETNS_DEBUG=1) */
void log_set_debug(bool on);
bool log_debug_enabled(void);

#endif /* S4N_LOG_H */
