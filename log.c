/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.c - error, warning, info and debug messages on stderr
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static bool debug_on;
static bool quiet_on;

static void vlog(const char *level, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	/* One write per line, so that the lines of the namespace child and of
	 * the parent never interleave. */
	n = snprintf(line, sizeof(line), "slirp4netns: %s", level);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	n = (int)strnlen(line, sizeof(line) - 2);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

/* Errors and warnings carry their level, so that a log collected by Podman
 * or RootlessKit can be searched for them; information does not. */
void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet_on)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug_on)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
	_exit(1);
}

void log_set_debug(bool on)
{
	debug_on = on;
}

void log_set_quiet(bool on)
{
	quiet_on = on;
}

bool log_quiet(void)
{
	return quiet_on;
}

bool log_debug_enabled(void)
{
	return debug_on;
}
