/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h - one place for the daemon's messages
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_LOG_H
#define S4N_LOG_H

#include <stdbool.h>

/* Messages go to stderr, one line each, prefixed with "slirp4netns: ",
 * then "error: ", "warning: " or "debug: " (information has no level). */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* die() - log_error() and _exit(1). Only for main.c's start-up path and the
 * namespace child. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* log_set_debug() - enable debug messages (--debug, SLIRP4NETNS_DEBUG).
 * Called by main() before anything else logs. */
void log_set_debug(bool on);
bool log_debug_enabled(void);

/* log_set_quiet() - drop information messages and the start-up summary
 * (--quiet); errors and warnings still go out. Called by main(). */
void log_set_quiet(bool on);
bool log_quiet(void);

#endif /* S4N_LOG_H */
