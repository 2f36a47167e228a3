/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-options.c - unit tests for option parsing and validation
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <unistd.h>

#include "options.h"
#include "tests/taptest.h"

static struct s4n_opts o;
static enum opts_action action;
static char err[512];

/* parse a NULL-terminated argument list after "slirp4netns" */
static int parse(const char *first, ...)
{
	char *argv[32] = {(char *)"slirp4netns"};
	const char *a = first;
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	while (a && argc < 31) {
		argv[argc++] = (char *)a;
		a = va_arg(ap, const char *);
	}
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return opts_parse(argc, argv, &o, &action, err, sizeof(err));
}

static const char *ntop4(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
}

static const char *ntop6(const struct in6_addr *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, buf, sizeof(buf));
}

/* an error must be one line naming @word */
#define bad(word, ...)                                                         \
	do {                                                                   \
		int rc_ = parse(__VA_ARGS__);                                  \
		ok(rc_ < 0 && strstr(err, word) && !strchr(err, '\n'),         \
		   "refused, naming %s: %s", word, err);                       \
	} while (0)

static void test_defaults(void)
{
	ok(parse("1234", NULL) == 0 && action == OPTS_RUN, "PID alone");
	ok(o.target_pid == 1234 && !strcmp(o.tapname, "tap0"),
	   "PID parsed, tap0 default");
	ok(o.mtu == 1500 && o.prefix_len == 24 && o.exit_fd == -1 &&
	       o.ready_fd == -1 && !o.configure && !o.enable_ipv6,
	   "defaults");
	is_str(ntop4(o.vnetwork), "10.0.2.0", "network");
	is_str(ntop4(o.vnetmask), "255.255.255.0", "netmask");
	is_str(ntop4(o.vhost), "10.0.2.2", "gateway = network+2");
	is_str(ntop4(o.vdns), "10.0.2.3", "DNS = network+3");
	is_str(ntop4(o.vdhcp_start), "10.0.2.15", "DHCP start = network+15");
	is_str(ntop4(o.vdhcp_end), "10.0.2.30", "DHCP end = network+30");
	is_str(ntop4(o.vguest), "10.0.2.100", "guest = network+100");
	is_str(ntop6(&o.vhost6), "fd00::2", "IPv6 gateway");
	is_str(ntop6(&o.vdns6), "fd00::3", "IPv6 DNS");
	is_str(ntop6(&o.vguest6), "fd00::100", "IPv6 guest");
}

static void test_values(void)
{
	ok(parse("-c", "-e", "3", "-r", "4", "-m", "65520", "-6", "-a",
		 "/tmp/s", "1", "eth7", NULL) == 0,
	   "short options");
	ok(o.configure && o.exit_fd == 3 && o.ready_fd == 4 && o.mtu == 65520 &&
	       o.enable_ipv6 && !strcmp(o.api_socket, "/tmp/s") &&
	       !strcmp(o.tapname, "eth7"),
	   "short options set");
	ok(parse("--configure", "--exit-fd=3", "--ready-fd=4", "--mtu=9000",
		 "--enable-ipv6", "--api-socket=/x", "--cidr=10.8.0.0/16",
		 "--cidr6=fd42::/48", "--disable-host-loopback",
		 "--netns-type=path", "--userns-path=/u", "--enable-sandbox",
		 "--enable-seccomp", "--outbound-addr=192.0.2.9",
		 "--outbound-addr6=fd01::9", "--disable-dns",
		 "--macaddress=02:11:22:33:44:55", "/run/netns/x", NULL) == 0,
	   "long options");
	ok(o.netns_type == S4N_NETNS_PATH &&
	       !strcmp(o.target, "/run/netns/x") && o.disable_host_loopback &&
	       o.enable_sandbox && o.enable_seccomp && o.disable_dns &&
	       o.has_macaddress && o.macaddress[5] == 0x55 && o.mtu == 9000 &&
	       !strcmp(o.userns_path, "/u"),
	   "long options set");
	is_str(ntop4(o.vguest), "10.8.0.100", "--cidr moves the guest");
	is_str(ntop4(o.vhost), "10.8.0.2", "--cidr moves the gateway");
	is_str(ntop4(o.vnetmask), "255.255.0.0", "--cidr netmask");
	is_str(ntop6(&o.vguest6), "fd42::100", "--cidr6 moves the guest");
	ok(o.has_outbound_addr && o.has_outbound_addr6, "outbound literals");
	ok(parse("--outbound-addr=lo", "1", NULL) == 0 &&
	       !o.has_outbound_addr && !strcmp(o.outbound_addr_arg, "lo"),
	   "outbound interface name left for opts_check_env");
	ok(opts_check_env(&o, err, sizeof(err)) == 0 && o.has_outbound_addr &&
	       o.outbound_addr.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	   "outbound interface lo resolves to 127.0.0.1");
	ok(parse("-6", "--ipv6-random", "1", NULL) == 0 &&
	       o.vprefix6.s6_addr[0] == 0xfd && o.prefix6_len == 64,
	   "--ipv6-random gives a ULA /64");
	ok(parse("--netns-type=tapfd", "5", NULL) == 0 && o.target_tapfd == 5,
	   "tapfd target");
	ok(parse("--target-type=bess", "/tmp/bess.sock", NULL) == 0 &&
	       o.target_type == S4N_TARGET_BESS,
	   "bess target");
	ok(parse("--help", NULL) == 0 && action == OPTS_HELP, "--help");
	ok(parse("-v", NULL) == 0 && action == OPTS_VERSION, "-v");
	ok(parse("-m", "68", "1", NULL) == 0 && o.mtu == 68, "MTU 68");
	ok(parse("-m", "65521", "1", NULL) == 0 && o.mtu == 65521, "MTU 65521");
}

static void test_errors(void)
{
	bad("--mtu", "-m", "65522", "1", NULL);
	bad("--mtu", "--mtu=abc", "1", NULL);
	bad("--mtu", "--mtu=", "1", NULL);
	bad("--mtu", "-m", "-5", "1", NULL);
	bad("--cidr", "--cidr=10.0.2.0", "1", NULL);
	bad("--cidr", "--cidr=10.0.2.0/26", "1", NULL);
	bad("--cidr", "--cidr=300.0.2.0/24", "1", NULL);
	bad("--cidr6", "-6", "--cidr6=fd00::/120", "1", NULL);
	bad("--cidr6", "-6", "--cidr6=nonsense", "1", NULL);
	bad("--cidr6", "--cidr6=fd00::/64", "1", NULL);
	bad("--ipv6-random", "--ipv6-random", "1", NULL);
	bad("--macaddress", "-c", "--macaddress=zz:00:00:00:00:00", "1", NULL);
	bad("--macaddress", "-c", "--macaddress=01:00:00:00:00:00", "1", NULL);
	bad("--macaddress", "--macaddress=02:00:00:00:00:01", "1", NULL);
	bad("--netns-type", "--netns-type=foo", "1", NULL);
	bad("--target-type", "--target-type=vde", "1", NULL);
	bad("missing target", NULL);
	bad("too many arguments", "1", "tap0", "extra", NULL);
	bad("PID", "abc", NULL);
	bad("PID", "0", NULL);
	bad("FD", "--netns-type=tapfd", "x", NULL);
	bad("TAPNAME", "1", "a/b", NULL);
	bad("TAPNAME", "1", "averyveryverylongname", NULL);
	bad("--exit-fd", "-e", "x", "1", NULL);
	bad("--ready-fd", "--ready-fd=-1", "1", NULL);
	bad("--configure", "--target-type=bess", "-c", "/tmp/b", NULL);
	bad("--netns-type", "--target-type=bess", "--netns-type=pid", "/tmp/b",
	    NULL);
	bad("--userns-path", "--target-type=bess", "--userns-path=/u", "/tmp/b",
	    NULL);
	bad("too many arguments", "--target-type=bess", "/tmp/b", "tap0", NULL);
	bad("--configure", "--netns-type=tapfd", "-c", "5", NULL);
	bad("--outbound-addr", "--outbound-addr=fd00::1", "1", NULL);
	bad("--outbound-addr6", "--outbound-addr6=a/b", "1", NULL);
	bad("unknown option", "--frobnicate", "1", NULL);
	bad("needs a value", "1", "--mtu", NULL);
	ok(parse("--outbound-addr=nosuchif0", "1", NULL) == 0 &&
	       opts_check_env(&o, err, sizeof(err)) < 0 &&
	       strstr(err, "nosuchif0"),
	   "unknown outbound interface refused: %s", err);
	ok(parse("--outbound-addr=192.0.2.77", "1", NULL) == 0 &&
	       opts_check_env(&o, err, sizeof(err)) < 0 &&
	       strstr(err, "192.0.2.77") && strstr(err, "assign"),
	   "outbound address the host does not have refused: %s", err);
	ok(parse("-r", "1000", "1", NULL) == 0 &&
	       opts_check_env(&o, err, sizeof(err)) < 0 &&
	       strstr(err, "--ready-fd=1000"),
	   "closed ready-fd refused: %s", err);
}

static void test_usage(void)
{
	static const char *const words[] = {
	    "--configure",	"--exit-fd",
	    "--ready-fd",	"--mtu",
	    "--enable-ipv6",	"--api-socket",
	    "--cidr",		"--cidr6",
	    "--ipv6-random",	"--disable-host-loopback",
	    "--netns-type",	"--userns-path",
	    "--enable-sandbox", "--enable-seccomp",
	    "--outbound-addr",	"--outbound-addr6",
	    "--disable-dns",	"--macaddress",
	    "--target-type",	"--help",
	    "--version",	"--debug",
	    "--quiet",		"--pcap",
	    "--guestfwd",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		ok(strstr(opts_usage(), words[i]) != NULL, "--help lists %s",
		   words[i]);
}

static void test_logging(void)
{
	ok(parse("1", NULL) == 0 && !o.debug && !o.quiet,
	   "no --debug, no --quiet by default");
	ok(parse("--debug", "1", NULL) == 0 && o.debug && !o.quiet, "--debug");
	ok(parse("--quiet", "1", NULL) == 0 && o.quiet && !o.debug, "--quiet");
	ok(parse("--quiet", "--debug", "1", NULL) == 0 && o.quiet && o.debug,
	   "--quiet --debug: both (debug messages, no summary)");
	bad("--debug", "--debug=1", "1", NULL);
	ok(parse("--pcap=/tmp/x.pcap", "1", NULL) == 0 && o.pcap &&
	       !strcmp(o.pcap, "/tmp/x.pcap"),
	   "--pcap=FILE");
	ok(parse("1", NULL) == 0 && !o.pcap, "no capture by default");
	bad("--pcap", "--pcap=", "1", NULL);
}

/* "-- COMMAND" only right after the options; old command lines unchanged */
static void test_command(void)
{
	char *a1[] = {(char *)"slirp4netns", (char *)"-a", (char *)"/s",
		      (char *)"--",	     (char *)"sh", (char *)"-c",
		      (char *)"exit 3",	     NULL};
	char *a2[] = {(char *)"slirp4netns", (char *)"1234", (char *)"--",
		      (char *)"tap1", NULL};
	char *a3[] = {(char *)"slirp4netns", (char *)"-a", (char *)"--",
		      (char *)"1234", NULL};
	char *a4[] = {(char *)"slirp4netns", (char *)"-c", (char *)"--", NULL};

	ok(opts_parse(7, a1, &o, &action, err, sizeof(err)) == 0 && o.command &&
	       !strcmp(o.command[0], "sh") && !strcmp(o.command[2], "exit 3") &&
	       !o.command[3] && o.configure && !strcmp(o.api_socket, "/s"),
	   "-- COMMAND after the options: command mode, --configure");
	ok(opts_parse(4, a2, &o, &action, err, sizeof(err)) == 0 &&
	       !o.command && o.target_pid == 1234 && !strcmp(o.tapname, "tap1"),
	   "-- after the PID: PID and TAPNAME as before");
	ok(opts_parse(4, a3, &o, &action, err, sizeof(err)) == 0 &&
	       !o.command && !strcmp(o.api_socket, "--") &&
	       o.target_pid == 1234,
	   "-- as an option's value: not a command");
	ok(opts_parse(3, a4, &o, &action, err, sizeof(err)) == -EINVAL &&
	       strstr(err, "without a COMMAND"),
	   "-- alone: refused: %s", err);
}

int main(void)
{
	test_defaults();
	test_values();
	test_errors();
	test_usage();
	test_logging();
	test_command();
	return done_testing();
}
