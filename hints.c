/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hints.c - what to do about the start-up failures users meet most
 *
 * A clause in parentheses, appended to the one error line: Podman and
 * RootlessKit show that line as it is, and a line that says what to do
 * saves a search. TROUBLESHOOTING in slirp4netns(1) tells more.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hints.h"

const char *hint_tun_open(int err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		/* no device node, or no driver behind it */
		return " (the kernel has no TUN/TAP device: load the tun "
		       "module, \"modprobe tun\")";
	case EACCES:
	case EPERM:
		return " (/dev/net/tun must be readable and writable by "
		       "everyone: mode 0666)";
	default:
		return "";
	}
}

const char *hint_tap_attach(int err, bool existed)
{
	if (err == EBUSY)
		return " (another process has this TAP device open, such as "
		       "another slirp4netns for the same namespace: stop "
		       "it, or give another TAPNAME)";
	if (err == EINVAL && existed)
		return " (an interface of this name exists and is not a "
		       "TAP device: give another TAPNAME)";
	if (err == EPERM)
		return " (no CAP_NET_ADMIN over the namespace: run "
		       "slirp4netns as the user who created it)";
	return "";
}

const char *hint_join(int err, bool has_subids)
{
	if (err != EPERM)
		return "";
	if (!has_subids)
		return " (the namespace is not yours, and you have no "
		       "subordinate ids in /etc/subuid and /etc/subgid: "
		       "rootless Podman and RootlessKit need them, see "
		       "TROUBLESHOOTING in slirp4netns(1))";
	return " (the namespace is not yours: run slirp4netns as the user "
	       "who created it, or inside it, as \"podman unshare\" does)";
}

/* "NAME:START:COUNT" with NAME the user's name or uid, COUNT > 0 */
static bool line_matches(const char *line, const char *name, uid_t uid)
{
	const char *colon = strchr(line, ':');
	char num[16];
	size_t n;

	if (!colon)
		return false;
	n = (size_t)(colon - line);
	snprintf(num, sizeof(num), "%u", (unsigned int)uid);
	if (!((name && strlen(name) == n && !strncmp(line, name, n)) ||
	      (strlen(num) == n && !strncmp(line, num, n))))
		return false;
	colon = strchr(colon + 1, ':');
	return colon && strtoul(colon + 1, NULL, 10) > 0;
}

/* the name of @uid in the passwd file @path, or "" */
static void user_name(const char *path, uid_t uid, char *name, size_t len)
{
	char line[512], *save = NULL, *n, *u;
	FILE *f = fopen(path, "re");

	name[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		n = strtok_r(line, ":", &save);
		(void)strtok_r(NULL, ":", &save);
		u = strtok_r(NULL, ":", &save);
		if (n && u && strtoul(u, NULL, 10) == uid) {
			snprintf(name, len, "%s", n);
			break;
		}
	}
	fclose(f);
}

bool hint_has_subids(const char *subuid, const char *passwd, uid_t uid)
{
	char line[256], name[64];
	bool found = false;
	FILE *f;

	if (uid == 0)
		return true;
	user_name(passwd, uid, name, sizeof(name));
	f = fopen(subuid, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = line_matches(line, name[0] ? name : NULL, uid);
	fclose(f);
	return found;
}
