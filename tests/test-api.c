/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-api.c - unit tests of the API core: framing, parsing, dispatch
 *
 * No sockets and no libslirp: forwards go to a fake that keeps a table of
 * bound host addresses and can be told to fail.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "api.h"
#include "tests/fakefwd.h"
#include "config.h"
#include "tests/taptest.h"

/* ---- fake forward ops (tests/fakefwd.h) ---- */

static const struct api_fwd_ops fake_ops = {.add = fakefwd_add,
					    .remove = fakefwd_remove};

/* ---- fixtures ---- */

static struct s4n_opts opts;
static struct s4n_stats stats;
static struct fakefwd fk;
static struct api_core *core;
static char *last;

static void setup(bool ipv6)
{
	memset(&opts, 0, sizeof(opts));
	opts.mtu = 1500;
	opts.enable_ipv6 = ipv6;
	opts.configure = true;
	inet_pton(AF_INET, "10.0.2.0", &opts.vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &opts.vnetmask);
	opts.prefix_len = 24;
	inet_pton(AF_INET, "10.0.2.2", &opts.vhost);
	inet_pton(AF_INET, "10.0.2.3", &opts.vdns);
	inet_pton(AF_INET, "10.0.2.15", &opts.vdhcp_start);
	inet_pton(AF_INET, "10.0.2.30", &opts.vdhcp_end);
	inet_pton(AF_INET, "10.0.2.100", &opts.vguest);
	inet_pton(AF_INET6, "fd00::", &opts.vprefix6);
	opts.prefix6_len = 64;
	inet_pton(AF_INET6, "fd00::2", &opts.vhost6);
	inet_pton(AF_INET6, "fd00::3", &opts.vdns6);
	inet_pton(AF_INET6, "fd00::100", &opts.vguest6);
	memset(&stats, 0, sizeof(stats));
	stats.start_time_us = g_get_monotonic_time();
	fakefwd_reset(&fk);
	api_core_free(core);
	core = api_core_new(&opts, &stats, &fake_ops, &fk);
}

/* rq() - one request; the reply stays valid until the next call */
static const char *rqn(const char *r, size_t len)
{
	free(last);
	last = api_core_handle(core, r, len);
	return last;
}

static const char *rq(const char *r)
{
	return rqn(r, strlen(r));
}

static const char *guest_of(const char *key)
{
	return g_hash_table_lookup(fk.bound, key);
}

#define ADD(args) "{\"execute\":\"add_hostfwd\",\"arguments\":{" args "}}"
#define ERR(desc) "{\"error\":{\"desc\":\"" desc "\"}}"
#define BADADD(f) ERR("bad request: add_hostfwd: bad arguments." f)
#define BADID ERR("bad request: remove_hostfwd: bad arguments.id")

/* ---- tests ---- */

static void test_envelope_errors(void)
{
	static const char *const bad_json[] = {
	    "",
	    "garbage",
	    "{",
	    "{\"execute\":",
	    "{\"execute\":\"x\"}}",
	    "{\"execute\":\"list_hostfwd\"} {}",
	    "\"list_hostfwd\"",
	    "{\"execute\":\"list_\\u0000hostfwd\"}",
	    "{\"execute\":\"list_hostfwd\",\"x\":99999999999999999999}",
	    "{'execute':'list_hostfwd'}",
	    "{\"execute\":\"\xff\xfe\"}",
	};
	static const char *const no_execute[] = {
	    "{}",
	    "[]",
	    "[1,2]",
	    "{\"execute\":42}",
	    "{\"execute\":null}",
	    "{\"execute\":[\"list_hostfwd\"]}",
	    "{\"Execute\":\"get_info\"}",
	    "{\"execute\":{\"list_hostfwd\":1}}",
	};
	static const char nul[] = "{\"execute\":\"list_hostfwd\"}\0x";
	g_autofree char *deep = NULL;
	size_t i;

	setup(false);
	for (i = 0; i < G_N_ELEMENTS(bad_json); i++)
		is_str(rq(bad_json[i]), ERR("bad request: cannot parse JSON"),
		       "cannot parse JSON: %zu", i);
	is_str(rqn(nul, sizeof(nul) - 1), ERR("bad request: cannot parse JSON"),
	       "NUL byte in request");
	deep = g_strnfill(2000, '[');
	is_str(rq(deep), ERR("bad request: cannot parse JSON"),
	       "2000 nested arrays");
	for (i = 0; i < G_N_ELEMENTS(no_execute); i++)
		is_str(rq(no_execute[i]), ERR("bad request: no execute found"),
		       "no execute found: %s", no_execute[i]);
	is_str(rq("{\"execute\":\"foo\"}"), ERR("bad request: unknown execute"),
	       "unknown execute");
	is_str(rq("{\"execute\":\"\"}"), ERR("bad request: unknown execute"),
	       "empty execute");
	is_str(rq("{\"execute\":\"LIST_HOSTFWD\"}"),
	       ERR("bad request: unknown execute"),
	       "execute is case-sensitive");
	ok(stats.api_requests ==
	       G_N_ELEMENTS(bad_json) + G_N_ELEMENTS(no_execute) + 5,
	   "every request counted (%llu)",
	   (unsigned long long)stats.api_requests);
}

static void test_too_large(void)
{
	static const char head[] = "{\"execute\":\"list_hostfwd\",\"pad\":\"";
	char buf[API_MAX_REQUEST + 2];
	size_t n;

	setup(false);
	/* exactly API_MAX_REQUEST bytes of valid JSON */
	n = API_MAX_REQUEST;
	memcpy(buf, head, sizeof(head) - 1);
	memset(buf + sizeof(head) - 1, 'a', n - (sizeof(head) - 1) - 2);
	memcpy(buf + n - 2, "\"}", 2);
	is_str(rqn(buf, n), "{\"return\":{\"entries\":[]}}",
	       "request of %d bytes is served", API_MAX_REQUEST);
	buf[n - 2] = 'a';
	memcpy(buf + n - 1, "\"}", 2);
	is_str(rqn(buf, n + 1), ERR("bad request: too large message"),
	       "request of %d bytes is too large", API_MAX_REQUEST + 1);
	memset(buf, ' ', sizeof(buf));
	is_str(rqn(buf, sizeof(buf)), ERR("bad request: too large message"),
	       "too large even if only spaces");
}

static void test_add_errors(void)
{
	static const struct {
		const char *req, *want;
	} cases[] = {
	    {"{\"execute\":\"add_hostfwd\"}", BADADD("proto")},
	    {"{\"execute\":\"add_hostfwd\",\"arguments\":[1]}",
	     BADADD("proto")},
	    {"{\"execute\":\"add_hostfwd\",\"arguments\":\"tcp\"}",
	     BADADD("proto")},
	    {ADD(""), BADADD("proto")},
	    {ADD("\"proto\":\"sctp\",\"host_port\":1,\"guest_port\":1"),
	     BADADD("proto")},
	    {ADD("\"proto\":\"TCP\",\"host_port\":1,\"guest_port\":1"),
	     BADADD("proto")},
	    {ADD("\"proto\":6,\"host_port\":1,\"guest_port\":1"),
	     BADADD("proto")},
	    {ADD("\"proto\":{\"a\":[1,{\"b\":null}]}"), BADADD("proto")},
	    {ADD("\"proto\":\"tcp6\",\"host_port\":1,\"guest_port\":1"),
	     BADADD("proto")}, /* no -6 */
	    {ADD("\"proto\":\"udp6\",\"host_port\":1,\"guest_port\":1"),
	     BADADD("proto")},
	    {ADD("\"proto\":\"tcp\",\"host_addr\":5,\"host_port\":1,"
		 "\"guest_port\":1"),
	     BADADD("host_addr")},
	    {ADD("\"proto\":\"tcp\",\"host_addr\":\"1.2.3\","
		 "\"host_port\":1,\"guest_port\":1"),
	     BADADD("host_addr")},
	    {ADD("\"proto\":\"tcp\",\"host_addr\":\"localhost\","
		 "\"host_port\":1,\"guest_port\":1"),
	     BADADD("host_addr")},
	    {ADD("\"proto\":\"tcp\",\"host_addr\":\" 127.0.0.1\","
		 "\"host_port\":1,\"guest_port\":1"),
	     BADADD("host_addr")},
	    {ADD("\"proto\":\"tcp\",\"host_addr\":\"::1\","
		 "\"host_port\":1,\"guest_port\":1"),
	     BADADD("host_addr")}, /* no -6 */
	    {ADD("\"proto\":\"tcp\",\"host_addr\":[],"
		 "\"host_port\":1,\"guest_port\":1"),
	     BADADD("host_addr")},
	    {ADD("\"proto\":\"tcp\",\"guest_port\":1"), BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":\"8080\","
		 "\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":0,\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":-1,\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":65536,"
		 "\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":70000,"
		 "\"guest_port\":1"),
	     BADADD("host_port")}, /* slirp4netns wrapped it */
	    {ADD("\"proto\":\"tcp\",\"host_port\":8080.0,"
		 "\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1e3,\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":9223372036854775807,"
		 "\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":true,"
		 "\"guest_port\":1"),
	     BADADD("host_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1,"
		 "\"guest_addr\":\"10.0.2.256\",\"guest_port\":1"),
	     BADADD("guest_addr")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1,"
		 "\"guest_addr\":{},\"guest_port\":1"),
	     BADADD("guest_addr")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1,"
		 "\"guest_addr\":\"fd00::100\",\"guest_port\":1"),
	     BADADD("guest_addr")}, /* no -6 */
	    {ADD("\"proto\":\"tcp\",\"host_port\":1"), BADADD("guest_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1,\"guest_port\":0"),
	     BADADD("guest_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1,"
		 "\"guest_port\":65536"),
	     BADADD("guest_port")},
	    {ADD("\"proto\":\"tcp\",\"host_port\":1,"
		 "\"guest_port\":null"),
	     BADADD("guest_port")},
	    /* the first bad field is named */
	    {ADD("\"proto\":\"x\",\"host_addr\":1,\"host_port\":0"),
	     BADADD("proto")},
	    {ADD("\"proto\":\"udp\",\"host_addr\":1,\"host_port\":0"),
	     BADADD("host_addr")},
	};
	size_t i;

	setup(false);
	for (i = 0; i < G_N_ELEMENTS(cases); i++)
		is_str(rq(cases[i].req), cases[i].want, "add_hostfwd error %zu",
		       i);
	ok(fk.adds == 0 && api_core_forwards(core) == 0,
	   "no forward opened by a bad request");
}

static void test_add_errors_v6(void)
{
	setup(true);
	is_str(rq(ADD("\"proto\":\"tcp4\",\"host_addr\":\"::\","
		      "\"host_port\":1,\"guest_port\":1")),
	       BADADD("host_addr"), "tcp4 with an IPv6 host_addr");
	is_str(rq(ADD("\"proto\":\"tcp6\",\"host_addr\":\"127.0.0.1\","
		      "\"host_port\":1,\"guest_port\":1")),
	       BADADD("host_addr"), "tcp6 with an IPv4 host_addr");
	is_str(rq(ADD("\"proto\":\"udp4\",\"host_port\":1,"
		      "\"guest_addr\":\"fd00::100\",\"guest_port\":1")),
	       BADADD("guest_addr"), "udp4 with an IPv6 guest_addr");
	is_str(rq(ADD("\"proto\":\"udp6\",\"host_port\":1,"
		      "\"guest_addr\":\"10.0.2.100\",\"guest_port\":1")),
	       BADADD("guest_addr"), "udp6 with an IPv4 guest_addr");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
		      "\"host_port\":1,\"guest_addr\":\"fd00::100\","
		      "\"guest_port\":1")),
	       BADADD("guest_addr"), "host and guest of two families");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":\"::\","
		      "\"host_port\":1,\"guest_addr\":\"10.0.2.100\","
		      "\"guest_port\":1")),
	       BADADD("guest_addr"), ":: with an IPv4 guest");
	ok(fk.adds == 0, "no forward opened");
}

/* guest_addr must be an address a guest of the network can hold */
static void test_guest_addr_meaningless(void)
{
	static const char *const bad[] = {
	    "10.0.2.2",	  "10.0.2.3",  "10.0.2.0",
	    "10.0.2.255", "127.0.0.1", "0.0.0.0",
	    "224.0.0.1",  "10.0.3.1",  "255.255.255.255",
	    "fd00::2",	  "fd00::3",   "fd00::",
	    "::1",	  "::",	       "ff02::1",
	    "fe80::1",	  "fd01::100", "::ffff:10.0.2.100",
	};
	size_t i;

	setup(true);
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *r = g_strdup_printf(
		    "{\"execute\":\"add_hostfwd\",\"arguments\":{"
		    "\"proto\":\"tcp\",\"host_port\":1,"
		    "\"guest_addr\":\"%s\",\"guest_port\":1}}",
		    bad[i]);

		is_str(rq(r), BADADD("guest_addr"), "guest_addr %s refused",
		       bad[i]);
	}
	ok(fk.adds == 0, "no forward opened");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":1,"
		      "\"guest_addr\":\"10.0.2.254\",\"guest_port\":1")),
	       "{\"return\":{\"id\":1}}", "the last host address is taken");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":2,"
		      "\"guest_addr\":\"fd00::1:2\",\"guest_port\":1")),
	       "{\"return\":{\"id\":2}}", "an address in the IPv6 prefix");
}

static void test_add_list_remove(void)
{
	setup(false);
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
		      "\"host_port\":8080,\"guest_addr\":\"10.0.2.100\","
		      "\"guest_port\":80")),
	       "{\"return\":{\"id\":1}}", "add_hostfwd returns id 1");
	is_str(guest_of("tcp 0.0.0.0 8080"), "10.0.2.100 80",
	       "forward opened 0.0.0.0:8080 -> 10.0.2.100:80");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
		      "\"host_port\":8080,\"guest_port\":81")),
	       ERR("add_hostfwd: cannot bind 0.0.0.0:8080/tcp: "
		   "Address already in use"),
	       "port in use: error names the port");
	/* Podman: empty strings mean the defaults */
	is_str(rq(ADD("\"proto\":\"udp\",\"host_addr\":\"\","
		      "\"host_port\":8080,\"guest_addr\":\"\","
		      "\"guest_port\":53")),
	       "{\"return\":{\"id\":2}}", "empty addresses: id 2");
	is_str(guest_of("udp 0.0.0.0 8080"), "10.0.2.100 53",
	       "udp 0.0.0.0:8080 -> 10.0.2.100:53");
	is_str(rq(ADD("\"proto\":\"tcp4\",\"host_addr\":\"127.0.0.1\","
		      "\"host_port\":2222,\"guest_addr\":\"10.0.2.50\","
		      "\"guest_port\":22")),
	       "{\"return\":{\"id\":3}}", "tcp4 with explicit addresses");
	is_str(guest_of("tcp 127.0.0.1 2222"), "10.0.2.50 22",
	       "tcp4 127.0.0.1:2222 -> 10.0.2.50:22");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":null,"
		      "\"host_port\":9,\"guest_port\":9")),
	       "{\"return\":{\"id\":4}}", "null address is the default");
	is_str(rq("{\"execute\":\"list_hostfwd\"}"),
	       "{\"return\":{\"entries\":["
	       "{\"id\":1,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":8080,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":80},"
	       "{\"id\":2,\"proto\":\"udp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":8080,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":53},"
	       "{\"id\":3,\"proto\":\"tcp4\",\"host_addr\":\"127.0.0.1\","
	       "\"host_port\":2222,\"guest_addr\":\"10.0.2.50\","
	       "\"guest_port\":22},"
	       "{\"id\":4,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":9,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":9}]}}",
	       "list_hostfwd lists all four, in id order");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":1}}"),
	       "{\"return\":{}}", "remove_hostfwd id 1");
	ok(!guest_of("tcp 0.0.0.0 8080") && fk.removes == 1,
	   "forward 1 closed");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":1}}"),
	       ERR("bad request: remove_hostfwd: bad arguments.id: "
		   "no forward with id 1"),
	       "removing it again: unknown id");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":8080,"
		      "\"guest_port\":80")),
	       "{\"return\":{\"id\":5}}", "ids are never reused");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":3},"
		  "\"extra\":[1,2]}"),
	       "{\"return\":{}}", "unknown top-level members are ignored");
	is_str(rq("{\"execute\":\"list_hostfwd\",\"arguments\":{\"x\":1}}"),
	       "{\"return\":{\"entries\":["
	       "{\"id\":2,\"proto\":\"udp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":8080,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":53},"
	       "{\"id\":4,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":9,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":9},"
	       "{\"id\":5,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":8080,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":80}]}}",
	       "list after removals");
	is_str(rq("{\"execute\":\"remove_hostfwd\"}"), BADID,
	       "remove: no args");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{}}"), BADID,
	       "remove: no id");
	is_str(
	    rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":\"2\"}}"),
	    BADID, "remove: id as a string");
	is_str(
	    rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":2.0}}"),
	    BADID, "remove: id as a real");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":[2]}"), BADID,
	       "remove: arguments as an array");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":-1}}"),
	       ERR("bad request: remove_hostfwd: bad arguments.id: "
		   "no forward with id -1"),
	       "remove: negative id");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":"
		  "{\"id\":9223372036854775807}}"),
	       ERR("bad request: remove_hostfwd: bad arguments.id: "
		   "no forward with id 9223372036854775807"),
	       "remove: huge id");
	ok(api_core_forwards(core) == 3 && fk.remove_misses == 0,
	   "3 forwards left, table and fake agree");
}

static void test_dual_stack(void)
{
	setup(true);
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
		      "\"host_port\":8080,\"guest_addr\":\"\","
		      "\"guest_port\":80")),
	       "{\"return\":{\"id\":1}}", "-6: tcp on 0.0.0.0");
	is_str(guest_of("tcp 0.0.0.0 8080"), "10.0.2.100 80",
	       "IPv4 half: 0.0.0.0:8080 -> 10.0.2.100:80");
	is_str(guest_of("tcp :: 8080"), "fd00::100 80",
	       "IPv6 half: [::]:8080 -> [fd00::100]:80");
	is_str(rq(ADD("\"proto\":\"udp\",\"host_addr\":\"::\","
		      "\"host_port\":5353,\"guest_port\":53")),
	       "{\"return\":{\"id\":2}}", "-6: udp on ::");
	ok(guest_of("udp 0.0.0.0 5353") && guest_of("udp :: 5353"),
	   "udp on :: forwards both families");
	is_str(rq(ADD("\"proto\":\"tcp6\",\"host_addr\":\"::1\","
		      "\"host_port\":8443,\"guest_port\":443")),
	       "{\"return\":{\"id\":3}}", "tcp6 on ::1");
	is_str(guest_of("tcp ::1 8443"), "fd00::100 443",
	       "tcp6 [::1]:8443 -> [fd00::100]:443");
	ok(!guest_of("tcp 0.0.0.0 8443"), "tcp6 opens no IPv4 listener");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
		      "\"host_port\":8081,\"guest_port\":80")),
	       "{\"return\":{\"id\":4}}", "tcp on 127.0.0.1 with -6");
	ok(g_hash_table_size(fk.bound) == 6, "a specific address: one family");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":8082,"
		      "\"guest_addr\":\"10.0.2.100\",\"guest_port\":80")),
	       "{\"return\":{\"id\":5}}", "tcp with an IPv4 guest_addr");
	ok(guest_of("tcp 0.0.0.0 8082") && !guest_of("tcp :: 8082"),
	   "an IPv4 guest_addr: IPv4 only (RootlessKit)");
	is_str(rq(ADD("\"proto\":\"udp\",\"host_port\":8083,"
		      "\"guest_addr\":\"fd00::5\",\"guest_port\":80")),
	       "{\"return\":{\"id\":6}}", "udp with an IPv6 guest_addr");
	is_str(guest_of("udp :: 8083"), "fd00::5 80",
	       "an IPv6 guest_addr: IPv6 only, on ::");
	is_str(rq("{\"execute\":\"list_hostfwd\"}"),
	       "{\"return\":{\"entries\":["
	       "{\"id\":1,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":8080,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":80,\"host_addr6\":\"::\","
	       "\"guest_addr6\":\"fd00::100\"},"
	       "{\"id\":2,\"proto\":\"udp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":5353,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":53,\"host_addr6\":\"::\","
	       "\"guest_addr6\":\"fd00::100\"},"
	       "{\"id\":3,\"proto\":\"tcp6\",\"host_addr\":\"::1\","
	       "\"host_port\":8443,\"guest_addr\":\"fd00::100\","
	       "\"guest_port\":443,\"host_addr6\":\"::1\","
	       "\"guest_addr6\":\"fd00::100\"},"
	       "{\"id\":4,\"proto\":\"tcp\",\"host_addr\":\"127.0.0.1\","
	       "\"host_port\":8081,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":80},"
	       "{\"id\":5,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\","
	       "\"host_port\":8082,\"guest_addr\":\"10.0.2.100\","
	       "\"guest_port\":80},"
	       "{\"id\":6,\"proto\":\"udp\",\"host_addr\":\"::\","
	       "\"host_port\":8083,\"guest_addr\":\"fd00::5\","
	       "\"guest_port\":80,\"host_addr6\":\"::\","
	       "\"guest_addr6\":\"fd00::5\"}]}}",
	       "list: host_addr6/guest_addr6 on entries that forward IPv6");
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":1}}"),
	       "{\"return\":{}}", "remove the dual-stack forward");
	ok(!guest_of("tcp 0.0.0.0 8080") && !guest_of("tcp :: 8080"),
	   "both halves closed");

	/* the IPv6 port is taken: nothing stays open, the error says which */
	g_hash_table_insert(fk.bound, g_strdup("tcp :: 9000"), g_strdup("x"));
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":9000,"
		      "\"guest_port\":80")),
	       ERR("add_hostfwd: cannot bind [::]:9000/tcp: "
		   "Address already in use"),
	       "dual-stack: IPv6 port in use");
	ok(!guest_of("tcp 0.0.0.0 9000"), "IPv4 half closed again");

	/* a host without IPv6 at all keeps the IPv4 half */
	fk.fail_v6 = -EAFNOSUPPORT;
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":9001,"
		      "\"guest_port\":80")),
	       "{\"return\":{\"id\":7}}", "no IPv6 on the host: still added");
	ok(guest_of("tcp 0.0.0.0 9001") && !guest_of("tcp :: 9001"),
	   "IPv4 half only");
	is_str(rq(ADD("\"proto\":\"tcp6\",\"host_port\":9002,"
		      "\"guest_port\":80")),
	       ERR("add_hostfwd: cannot bind [::]:9002/tcp: "
		   "Address family not supported by protocol"),
	       "explicit tcp6 on a host without IPv6: error");
	fk.fail_v6 = 0;
	is_str(rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":7}}"),
	       "{\"return\":{}}", "remove the IPv4-only half");
	ok(fk.remove_misses == 0, "no remove of a listener never opened");
}

static void test_info_stats(void)
{
	json_t *r, *v;
	const char *s;

	setup(true);
	opts.has_macaddress = true;
	memcpy(opts.macaddress, "\x02\x00\x00\xab\xcd\xef", 6);
	opts.outbound_addr_arg = "eth0";
	r = json_loads(rq("{\"execute\":\"get_info\"}"), 0, NULL);
	ok(json_unpack(r, "{s:{s:s}}", "return", "version", &s) == 0 &&
	       !strcmp(s, PACKAGE_VERSION),
	   "get_info: version");
	ok(json_unpack(r, "{s:{s:s}}", "return", "libslirp_version", &s) == 0 &&
	       !strcmp(s, slirp_version_string()),
	   "get_info: libslirp_version");
	v = json_object_get(json_object_get(r, "return"), "mtu");
	ok(json_integer_value(v) == 1500, "get_info: mtu");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "ipv4", "network", &s) ==
		   0 &&
	       !strcmp(s, "10.0.2.0/24"),
	   "get_info: ipv4.network");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "ipv4", "gateway", &s) ==
		   0 &&
	       !strcmp(s, "10.0.2.2"),
	   "get_info: ipv4.gateway");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "ipv4", "guest", &s) ==
		   0 &&
	       !strcmp(s, "10.0.2.100"),
	   "get_info: ipv4.guest");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "ipv6", "prefix", &s) ==
		   0 &&
	       !strcmp(s, "fd00::/64"),
	   "get_info: ipv6.prefix");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "ipv6", "dns", &s) == 0 &&
	       !strcmp(s, "fd00::3"),
	   "get_info: ipv6.dns");
	ok(json_is_true(json_object_get(
	       json_object_get(json_object_get(r, "return"), "options"),
	       "enable_ipv6")),
	   "get_info: options.enable_ipv6");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "options", "macaddress",
		       &s) == 0 &&
	       !strcmp(s, "02:00:00:ab:cd:ef"),
	   "get_info: options.macaddress");
	ok(json_unpack(r, "{s:{s:{s:s}}}", "return", "options", "outbound_addr",
		       &s) == 0 &&
	       !strcmp(s, "eth0"),
	   "get_info: options.outbound_addr");
	ok(json_is_null(json_object_get(
	       json_object_get(json_object_get(r, "return"), "options"),
	       "outbound_addr6")),
	   "get_info: unset option is null");
	json_decref(r);

	stats.from_guest_frames = 7;
	stats.to_guest_bytes = 1ULL << 40;
	stats.api_connections = 3;
	rq(ADD("\"proto\":\"tcp\",\"host_port\":1,\"guest_port\":1"));
	r = json_loads(rq("{\"execute\":\"get_stats\"}"), 0, NULL);
	{
		json_int_t fgf = -1, tgb = -1, fw = -1, conns = -1, reqs = -1,
			   up = -1;

		ok(json_unpack(r, "{s:{s:{s:I}, s:{s:I}, s:I, s:I, s:I, s:I}}",
			       "return", "from_guest", "frames", &fgf,
			       "to_guest", "bytes", &tgb, "forwards", &fw,
			       "api_connections", &conns, "api_requests", &reqs,
			       "uptime_ms", &up) == 0,
		   "get_stats: all fields present");
		ok(fgf == 7 && tgb == (json_int_t)(1ULL << 40),
		   "get_stats: frame and byte counters");
		ok(fw == 1, "get_stats: forwards");
		ok(conns == 3 && reqs == 3,
		   "get_stats: api connections and requests");
		ok(up >= 0, "get_stats: uptime_ms");
	}
	json_decref(r);

	/* struct s4n_stats says these are reported too */
	stats.from_guest_syns = 11;
	stats.from_guest_refused_nofd = 5;
	stats.from_guest_refused_nomem = 2;
	r = json_loads(rq("{\"execute\":\"get_stats\"}"), 0, NULL);
	{
		json_int_t syns = -1, nofd = -1, nomem = -1;

		ok(json_unpack(r, "{s:{s:{s:I, s:I, s:I}}}", "return",
			       "from_guest", "syns", &syns, "refused_nofd",
			       &nofd, "refused_nomem", &nomem) == 0 &&
		       syns == 11 && nofd == 5 && nomem == 2,
		   "get_stats: from_guest.syns, refused_nofd, refused_nomem");
	}
	json_decref(r);
}

static void test_max_forwards(void)
{
	char req[256];
	int i, fails = 0;

	setup(false);
	for (i = 0; i < API_MAX_FORWARDS; i++) {
		snprintf(req, sizeof(req),
			 ADD("\"proto\":\"%s\",\"host_addr\":\"127.0.%d.%d\","
			     "\"host_port\":%d,\"guest_port\":80"),
			 i & 1 ? "udp" : "tcp", (i >> 8) & 255, i & 255,
			 1 + i / 65536);
		if (strncmp(rq(req), "{\"return\"", 9))
			fails++;
	}
	ok(fails == 0 && api_core_forwards(core) == API_MAX_FORWARDS,
	   "%d forwards added", API_MAX_FORWARDS);
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":2,\"guest_port\":1")),
	       ERR("add_hostfwd: too many forwards (max 65536)"),
	       "one more is refused");
	rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":30000}}");
	is_str(rq(ADD("\"proto\":\"tcp\",\"host_port\":2,\"guest_port\":1")),
	       "{\"return\":{\"id\":65537}}", "room again after a removal");
	is_str(
	    rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":30000}}"),
	    ERR("bad request: remove_hostfwd: bad arguments.id: "
		"no forward with id 30000"),
	    "binary search: removed id is gone");
	is_str(
	    rq("{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":30001}}"),
	    "{\"return\":{}}", "binary search: neighbour found");
	ok(strlen(rq("{\"execute\":\"list_hostfwd\"}")) > 65535 * 90,
	   "list of 65535 forwards");
}

/* ---- framing ---- */

#define FRAME(s, eof, first) frame(s, sizeof(s) - 1, eof, first)

static struct api_frame fr;

static enum api_frame_kind frame(const char *s, size_t len, bool eof,
				 bool first)
{
	return api_frame_next(s, len, eof, first, &fr);
}

static void test_frame(void)
{
	char big[API_MAX_REQUEST + 1];

	ok(FRAME("", false, true) == API_FRAME_MORE && fr.used == 0,
	   "frame: empty: more");
	ok(FRAME("", true, true) == API_FRAME_END, "frame: empty at EOF: end");
	ok(FRAME(" \r\n\n\t", false, true) == API_FRAME_MORE && fr.used == 5,
	   "frame: blank lines are dropped");
	ok(FRAME("\n\n", true, false) == API_FRAME_END && fr.used == 2,
	   "frame: blank lines at EOF: end");
	ok(FRAME("{\"a\":1}\n{\"b\"", false, true) == API_FRAME_LINE &&
	       fr.off == 0 && fr.len == 7 && fr.used == 8,
	   "frame: a line");
	ok(FRAME("\n {\"a\":1}\r\nx", false, false) == API_FRAME_LINE &&
	       fr.off == 2 && fr.len == 8 && fr.used == 11,
	   "frame: leading blanks skipped, CR kept in the request");
	ok(FRAME("garbage\n", false, true) == API_FRAME_LINE && fr.len == 7,
	   "frame: a bad line is still a request");
	ok(FRAME("{\"a\":1}", false, true) == API_FRAME_LAST && fr.len == 7 &&
	       fr.used == 7,
	   "frame: first complete object without newline: last");
	ok(FRAME("{\"a\":1}  ", false, true) == API_FRAME_LAST && fr.len == 9,
	   "frame: ... with trailing spaces");
	ok(FRAME("{\"a\":1}", false, false) == API_FRAME_MORE,
	   "frame: later requests wait for their newline");
	ok(FRAME("{\"a\":1}", true, false) == API_FRAME_LAST,
	   "frame: ... or for the end of input");
	ok(FRAME("{\"a\":{\"b\":1}", false, true) == API_FRAME_MORE,
	   "frame: incomplete object: more");
	ok(FRAME("{\"a\":\"}\"", false, true) == API_FRAME_MORE,
	   "frame: brace inside a string: more");
	ok(FRAME("[1]", false, true) == API_FRAME_MORE,
	   "frame: only an object ends a request without newline");
	ok(FRAME("{} {}", false, true) == API_FRAME_MORE,
	   "frame: two objects on one line wait for the newline");
	ok(FRAME("{\"a\":1", true, true) == API_FRAME_LAST && fr.len == 6,
	   "frame: partial request at EOF is the last");
	memset(big, 'x', sizeof(big));
	ok(frame(big, API_MAX_REQUEST, false, true) == API_FRAME_MORE,
	   "frame: %d bytes without newline: more", API_MAX_REQUEST);
	ok(frame(big, sizeof(big), false, true) == API_FRAME_LAST &&
	       fr.len == sizeof(big),
	   "frame: %zu bytes without newline: last (too large)", sizeof(big));
	big[API_MAX_REQUEST] = '\n';
	ok(frame(big, sizeof(big), false, false) == API_FRAME_LINE &&
	       fr.len == API_MAX_REQUEST,
	   "frame: %d bytes and newline: a line", API_MAX_REQUEST);
}

/* a core whose ops have no remote forwards: clear errors, empty lists */
static void test_guestfwd_unsupported(void)
{
	setup(false);
	is_str(rq("{\"execute\":\"add_guestfwd\",\"arguments\":"
		  "{\"guest_port\":80,\"host_socket\":\"/x\"}}"),
	       "{\"error\":{\"desc\":\"add_guestfwd: not supported\"}}",
	       "add_guestfwd without remote forwards");
	is_str(rq("{\"execute\":\"list_guestfwd\"}"),
	       "{\"return\":{\"entries\":[]}}", "list_guestfwd: empty");
	is_str(rq("{\"execute\":\"remove_guestfwd\",\"arguments\":{\"id\":1}}"),
	       "{\"error\":{\"desc\":\"bad request: remove_guestfwd: bad "
	       "arguments.id: no forward with id 1\"}}",
	       "remove_guestfwd: no such id");
	is_str(rq("{\"execute\":\"remove_guestfwd\"}"),
	       "{\"error\":{\"desc\":\"bad request: remove_guestfwd: bad "
	       "arguments.id\"}}",
	       "remove_guestfwd: no id");
}

int main(void)
{
	test_frame();
	test_envelope_errors();
	test_too_large();
	test_add_errors();
	test_add_errors_v6();
	test_guest_addr_meaningless();
	test_add_list_remove();
	test_dual_stack();
	test_info_stats();
	test_max_forwards();
	test_guestfwd_unsupported();
	api_core_free(core);
	fakefwd_free(&fk);
	free(last);
	return done_testing();
}
