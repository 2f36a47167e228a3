/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-hints.c - unit tests for the hints on start-up failures (hints.c)
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hints.h"
#include "tests/taptest.h"

static char subuid[] = "/tmp/s4n-test-subuid-XXXXXX";
static char passwd[] = "/tmp/s4n-test-passwd-XXXXXX";

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_strings(void)
{
	ok(strstr(hint_tun_open(ENOENT), "modprobe tun") != NULL,
	   "no /dev/net/tun: load the tun module");
	ok(strstr(hint_tun_open(ENODEV), "modprobe tun") != NULL,
	   "no driver behind it: the same");
	ok(strstr(hint_tun_open(EACCES), "0666") != NULL,
	   "not accessible: its mode");
	is_str(hint_tun_open(EMFILE), "", "nothing to say about EMFILE");
	ok(strstr(hint_tap_attach(EBUSY, true), "another process") != NULL,
	   "a busy TAP name: another process has it");
	ok(strstr(hint_tap_attach(EINVAL, true), "not a TAP device") != NULL,
	   "an interface of that name that is not a TAP");
	is_str(hint_tap_attach(EINVAL, false), "",
	       "EINVAL on a new name: nothing to say");
	ok(strstr(hint_join(EPERM, false), "subordinate ids") != NULL,
	   "not ours, no subordinate ids: says so");
	ok(strstr(hint_join(EPERM, true), "not yours") != NULL &&
	       !strstr(hint_join(EPERM, true), "subordinate"),
	   "not ours, with subordinate ids: only that it is not ours");
	is_str(hint_join(EINVAL, false), "", "EINVAL: nothing to say");
	ok(hint_tun_open(ENOENT)[0] == ' ' && hint_tun_open(ENOENT)[1] == '(',
	   "a hint begins with \" (\"");
	ok(!strchr(hint_join(EPERM, false), '\n'), "a hint is no new line");
}

static void test_subids(void)
{
	put(passwd, "root:x:0:0::/root:/bin/sh\n"
		    "alice:x:1000:1000::/home/alice:/bin/sh\n"
		    "bob:x:1001:1001::/home/bob:/bin/sh\n"
		    "carol:x:1002:1002::/home/carol:/bin/sh\n");
	put(subuid, "alice:100000:65536\n"
		    "1001:165536:65536\n"
		    "carol:231072:0\n");
	ok(hint_has_subids(subuid, passwd, 1000), "by name");
	ok(hint_has_subids(subuid, passwd, 1001), "by number");
	ok(!hint_has_subids(subuid, passwd, 1002), "a range of 0 is none");
	ok(!hint_has_subids(subuid, passwd, 1003), "no line, none");
	ok(hint_has_subids(subuid, passwd, 0), "root always has some");
	ok(!hint_has_subids("/nonexistent/subuid", passwd, 1000),
	   "no file, none");
	put(subuid, "alicex:100000:65536\nalic:1:2\n");
	ok(!hint_has_subids(subuid, passwd, 1000), "a longer or shorter name "
						   "is another user");
}

int main(void)
{
	int a = mkstemp(subuid), b = mkstemp(passwd);

	if (a < 0 || b < 0) {
		printf("1..0 # SKIP mkstemp failed\n");
		return 77;
	}
	close(a);
	close(b);
	test_strings();
	test_subids();
	unlink(subuid);
	unlink(passwd);
	return done_testing();
}
