/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.c - command line parsing and validation
 *
 * One getopt_long() table, one switch; each value goes through a small pure
 * parser from addr.c, and conflicts are checked after the loop. Every error
 * is one line that names the option and the value as given.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "options.h"
#include "rfwd.h"

/* network+100 must fit in the host part: /25 is the longest prefix */
#define MAX_PREFIX4 25
/* prefix::100 likewise */
#define MAX_PREFIX6 119

enum {
	OPT_CIDR = 0x100,
	OPT_CIDR6,
	OPT_IPV6_RANDOM,
	OPT_DISABLE_HOST_LOOPBACK,
	OPT_NETNS_TYPE,
	OPT_USERNS_PATH,
	OPT_ENABLE_SANDBOX,
	OPT_ENABLE_SECCOMP,
	OPT_OUTBOUND_ADDR,
	OPT_OUTBOUND_ADDR6,
	OPT_DISABLE_DNS,
	OPT_MACADDRESS,
	OPT_TARGET_TYPE,
	OPT_DEBUG,
	OPT_QUIET,
	OPT_PCAP,
	OPT_GUESTFWD,
	OPT_DISABLE_TCP_FAST_PATH,
};

static const struct option long_options[] = {
    {"configure", no_argument, NULL, 'c'},
    {"exit-fd", required_argument, NULL, 'e'},
    {"ready-fd", required_argument, NULL, 'r'},
    {"mtu", required_argument, NULL, 'm'},
    {"enable-ipv6", no_argument, NULL, '6'},
    {"api-socket", required_argument, NULL, 'a'},
    {"cidr", required_argument, NULL, OPT_CIDR},
    {"cidr6", required_argument, NULL, OPT_CIDR6},
    {"ipv6-random", no_argument, NULL, OPT_IPV6_RANDOM},
    {"disable-host-loopback", no_argument, NULL, OPT_DISABLE_HOST_LOOPBACK},
    {"netns-type", required_argument, NULL, OPT_NETNS_TYPE},
    {"userns-path", required_argument, NULL, OPT_USERNS_PATH},
    {"enable-sandbox", no_argument, NULL, OPT_ENABLE_SANDBOX},
    {"enable-seccomp", no_argument, NULL, OPT_ENABLE_SECCOMP},
    {"outbound-addr", required_argument, NULL, OPT_OUTBOUND_ADDR},
    {"outbound-addr6", required_argument, NULL, OPT_OUTBOUND_ADDR6},
    {"disable-dns", no_argument, NULL, OPT_DISABLE_DNS},
    {"macaddress", required_argument, NULL, OPT_MACADDRESS},
    {"target-type", required_argument, NULL, OPT_TARGET_TYPE},
    {"debug", no_argument, NULL, OPT_DEBUG},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"pcap", required_argument, NULL, OPT_PCAP},
    {"guestfwd", required_argument, NULL, OPT_GUESTFWD},
    {"disable-tcp-fast-path", no_argument, NULL, OPT_DISABLE_TCP_FAST_PATH},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

static const char usage[] =
    "Usage: slirp4netns [OPTION]... PID|PATH|FD [TAPNAME]\n"
    "   or: slirp4netns [OPTION]... -- COMMAND [ARG]...\n"
    "User-mode networking for unprivileged network namespaces: connects\n"
    "the namespace of PID (or the one at PATH, or an open TAP FD) to the\n"
    "host's network through a TAP device (default TAPNAME: tap0).\n"
    "With -- COMMAND: run COMMAND in a new user and network namespace,\n"
    "configured as with --configure, and exit with its status.\n"
    "\n"
    "  -c, --configure           configure lo and the TAP device (address\n"
    "                            network+100, default route via network+2)\n"
    "  -e, --exit-fd=FD          exit when FD becomes readable or is closed\n"
    "  -r, --ready-fd=FD         write \"1\" to FD and close it once ready\n"
    "  -m, --mtu=MTU             MTU (default 1500, max 65521)\n"
    "  -6, --enable-ipv6         enable IPv6 (experimental)\n"
    "  -a, --api-socket=PATH     serve the JSON API on UNIX socket PATH\n"
    "      --cidr=CIDR           IPv4 network (default 10.0.2.0/24)\n"
    "      --cidr6=CIDR          IPv6 network (default fd00::/64)\n"
    "      --ipv6-random         use a random unique local /64 for IPv6\n"
    "      --disable-host-loopback\n"
    "                            refuse connections to the host's 127.0.0.1\n"
    "                            through the gateway address\n"
    "      --netns-type=TYPE     target type: pid, path or tapfd (default "
    "pid),\n"
    "                            or create: a new network namespace, pinned\n"
    "                            at PATH (a bind mount) until exit\n"
    "      --userns-path=PATH    user namespace to join for the target\n"
    "      --enable-sandbox      run in a new mount namespace holding only "
    "/etc\n"
    "                            and /run; as root, drop all capabilities but\n"
    "                            CAP_NET_BIND_SERVICE\n"
    "      --enable-seccomp      allow only the system calls the daemon needs\n"
    "                            (experimental)\n"
    "      --outbound-addr=IPv4|INTERFACE\n"
    "                            source address of outgoing IPv4 connections\n"
    "      --outbound-addr6=IPv6|INTERFACE\n"
    "                            source address of outgoing IPv6 connections\n"
    "      --disable-dns         do not forward DNS from network+3 to the "
    "host\n"
    "      --macaddress=MAC      MAC address of the TAP device (needs -c)\n"
    "      --target-type=TYPE    netns (default), or bess: the target is a\n"
    "                            UNIX seqpacket socket path (User Mode Linux)\n"
    "      --debug               print debug messages (dropped frames, guest\n"
    "                            errors) on stderr\n"
    "      --quiet               print no start-up summary and no information\n"
    "                            messages: only warnings and errors\n"
    "      --pcap=FILE           write every frame to and from the\n"
    "                            namespace to FILE (pcap; stops at 1 GiB)\n"
    "      --guestfwd=[GUEST_ADDR:]GUEST_PORT-HOST_ADDR:HOST_PORT\n"
    "      --guestfwd=[GUEST_ADDR:]GUEST_PORT-unix:PATH\n"
    "                            remote forward: the guest's connections to\n"
    "                            GUEST_ADDR (default: the gateway) go to a\n"
    "                            host service (repeatable; IPv6 in [])\n"
    "      --disable-tcp-fast-path\n"
    "                            hand all TCP to libslirp, as slirp4netns\n"
    "                            1.2 does (slower, and no window scaling)\n"
    "  -h, --help                show this help and exit\n"
    "  -v, --version             show version information and exit\n"
    "\n"
    "Environment: SLIRP4NETNS_DEBUG (when set, as --debug),\n"
    "SLIRP4NETNS_NO_GSO (when set, no GSO frames to the namespace).\n"
    "Manual: slirp4netns(1), \"man slirp4netns\": the API socket, the\n"
    "sandbox, examples, files and troubleshooting.\n";

const char *opts_usage(void)
{
	return usage;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void set_defaults(struct s4n_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->tapname = "tap0";
	o->exit_fd = -1;
	o->ready_fd = -1;
	o->target_tapfd = -1;
	o->mtu = S4N_MTU_DEFAULT;
	inet_pton(AF_INET, "10.0.2.0", &o->vnetwork);
	o->prefix_len = 24;
	inet_pton(AF_INET6, "fd00::", &o->vprefix6);
	o->prefix6_len = 64;
}

/* the addresses at fixed offsets in the networks, as slirp4netns(1) has */
static void derive_addresses(struct s4n_opts *o)
{
	o->vnetmask = addr_mask4(o->prefix_len);
	o->vhost = addr_add4(o->vnetwork, S4N_OFF_HOST);
	o->vdns = addr_add4(o->vnetwork, S4N_OFF_DNS);
	o->vdhcp_start = addr_add4(o->vnetwork, S4N_OFF_DHCP_START);
	o->vdhcp_end = addr_add4(o->vnetwork, S4N_OFF_DHCP_END);
	o->vguest = addr_add4(o->vnetwork, S4N_OFF_GUEST);
	o->vhost6 = addr_add6(&o->vprefix6, S4N_OFF_HOST);
	o->vdns6 = addr_add6(&o->vprefix6, S4N_OFF_DNS);
	o->vguest6 = addr_add6(&o->vprefix6, S4N_OFF_GUEST6);
}

static int parse_fd(const char *opt, const char *arg, int *ret, char *err,
		    size_t errlen)
{
	unsigned long v;

	if (addr_parse_uint(arg, 0, INT_MAX, &v) < 0)
		return fail(err, errlen, "%s \"%s\": not a file descriptor",
			    opt, arg);
	*ret = (int)v;
	return 0;
}

/* Linux interface names: 1-15 bytes, no '/', ':' or white space */
static bool valid_ifname(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] <= ' ' || s[i] == 0x7f)
			return false;
	return true;
}

static int parse_outbound(struct s4n_opts *o, bool v6, const char *arg,
			  char *err, size_t errlen)
{
	const char *opt = v6 ? "--outbound-addr6" : "--outbound-addr";

	if (v6) {
		o->outbound_addr6_arg = arg;
		memset(&o->outbound_addr6, 0, sizeof(o->outbound_addr6));
		o->outbound_addr6.sin6_family = AF_INET6;
		o->has_outbound_addr6 =
		    inet_pton(AF_INET6, arg, &o->outbound_addr6.sin6_addr) == 1;
		if (o->has_outbound_addr6)
			return 0;
	} else {
		o->outbound_addr_arg = arg;
		memset(&o->outbound_addr, 0, sizeof(o->outbound_addr));
		o->outbound_addr.sin_family = AF_INET;
		o->has_outbound_addr =
		    inet_pton(AF_INET, arg, &o->outbound_addr.sin_addr) == 1;
		if (o->has_outbound_addr)
			return 0;
	}
	if (!valid_ifname(arg))
		return fail(err, errlen,
			    "%s \"%s\": not an IPv%c address or interface name",
			    opt, arg, v6 ? '6' : '4');
	return 0; /* an interface: opts_check_env() resolves it */
}

static int parse_one(struct s4n_opts *o, int c, const char *arg,
		     bool *cidr6_set, char *err, size_t errlen)
{
	unsigned long v;
	int rc;

	switch (c) {
	case 'c':
		o->configure = true;
		break;
	case 'e':
		return parse_fd("--exit-fd", arg, &o->exit_fd, err, errlen);
	case 'r':
		return parse_fd("--ready-fd", arg, &o->ready_fd, err, errlen);
	case 'm':
		rc = addr_parse_uint(arg, S4N_MTU_MIN, S4N_MTU_MAX, &v);
		if (rc == -EINVAL)
			return fail(err, errlen, "--mtu \"%s\": not a number",
				    arg);
		if (rc < 0)
			return fail(err, errlen,
				    "--mtu \"%s\": out of range (%d to %d)",
				    arg, S4N_MTU_MIN, S4N_MTU_MAX);
		o->mtu = (unsigned int)v;
		break;
	case '6':
		o->enable_ipv6 = true;
		break;
	case 'a':
		if (!*arg)
			return fail(err, errlen, "--api-socket: empty path");
		o->api_socket = arg;
		break;
	case OPT_CIDR:
		rc = addr_parse_cidr4(arg, MAX_PREFIX4, &o->vnetwork,
				      &o->prefix_len);
		if (rc == -EINVAL)
			return fail(err, errlen,
				    "--cidr \"%s\": not an IPv4 CIDR such as "
				    "10.0.2.0/24",
				    arg);
		if (rc < 0)
			return fail(err, errlen,
				    "--cidr \"%s\": prefix must be /1 to /%d "
				    "to hold network+%d",
				    arg, MAX_PREFIX4, S4N_OFF_GUEST);
		break;
	case OPT_CIDR6:
		rc = addr_parse_cidr6(arg, MAX_PREFIX6, &o->vprefix6,
				      &o->prefix6_len);
		if (rc == -EINVAL)
			return fail(err, errlen,
				    "--cidr6 \"%s\": not an IPv6 CIDR such as "
				    "fd00::/64",
				    arg);
		if (rc < 0)
			return fail(err, errlen,
				    "--cidr6 \"%s\": prefix must be /1 to /%d",
				    arg, MAX_PREFIX6);
		*cidr6_set = true;
		break;
	case OPT_IPV6_RANDOM:
		o->ipv6_random = true;
		break;
	case OPT_DISABLE_HOST_LOOPBACK:
		o->disable_host_loopback = true;
		break;
	case OPT_NETNS_TYPE:
		if (!strcmp(arg, "pid"))
			o->netns_type = S4N_NETNS_PID;
		else if (!strcmp(arg, "path"))
			o->netns_type = S4N_NETNS_PATH;
		else if (!strcmp(arg, "tapfd"))
			o->netns_type = S4N_NETNS_TAPFD;
		else if (!strcmp(arg, "create"))
			o->netns_type = S4N_NETNS_CREATE;
		else
			return fail(err, errlen,
				    "--netns-type \"%s\": must be pid, path, "
				    "tapfd or create",
				    arg);
		o->netns_type_set = true;
		break;
	case OPT_USERNS_PATH:
		if (!*arg)
			return fail(err, errlen, "--userns-path: empty path");
		o->userns_path = arg;
		break;
	case OPT_ENABLE_SANDBOX:
		o->enable_sandbox = true;
		break;
	case OPT_ENABLE_SECCOMP:
		o->enable_seccomp = true;
		break;
	case OPT_OUTBOUND_ADDR:
		return parse_outbound(o, false, arg, err, errlen);
	case OPT_OUTBOUND_ADDR6:
		return parse_outbound(o, true, arg, err, errlen);
	case OPT_DISABLE_TCP_FAST_PATH:
		o->disable_tcp_fast_path = true;
		break;
	case OPT_DISABLE_DNS:
		o->disable_dns = true;
		break;
	case OPT_MACADDRESS:
		rc = addr_parse_mac(arg, o->macaddress);
		if (rc == -EADDRNOTAVAIL)
			return fail(err, errlen,
				    "--macaddress \"%s\": not a unicast "
				    "address",
				    arg);
		if (rc < 0)
			return fail(err, errlen,
				    "--macaddress \"%s\": not a MAC address "
				    "such as 02:00:00:00:00:01",
				    arg);
		o->has_macaddress = true;
		break;
	case OPT_TARGET_TYPE:
		if (!strcmp(arg, "netns"))
			o->target_type = S4N_TARGET_NETNS;
		else if (!strcmp(arg, "bess"))
			o->target_type = S4N_TARGET_BESS;
		else
			return fail(err, errlen,
				    "--target-type \"%s\": must be netns or "
				    "bess",
				    arg);
		break;
	case OPT_DEBUG:
		o->debug = true;
		break;
	case OPT_QUIET:
		o->quiet = true;
		break;
	case OPT_PCAP:
		if (!*arg)
			return fail(err, errlen, "--pcap: empty path");
		o->pcap = arg;
		break;
	case OPT_GUESTFWD:
		if (o->n_guestfwd == S4N_MAX_GUESTFWD_ARGS)
			return fail(err, errlen,
				    "--guestfwd \"%s\": more than %d; add "
				    "more through the API",
				    arg, S4N_MAX_GUESTFWD_ARGS);
		o->guestfwd[o->n_guestfwd++] = arg;
		break;
	default:
		/* opts_parse() answers 'h', 'v', ':' and '?' itself */
		break;
	}
	return 0;
}

static int check_conflicts(const struct s4n_opts *o, bool cidr6_set, char *err,
			   size_t errlen)
{
	if (o->has_macaddress && !o->configure)
		return fail(err, errlen, "--macaddress requires --configure");
	if ((cidr6_set || o->ipv6_random) && !o->enable_ipv6)
		return fail(err, errlen, "%s requires --enable-ipv6",
			    cidr6_set ? "--cidr6" : "--ipv6-random");
	if (cidr6_set && o->ipv6_random)
		return fail(err, errlen,
			    "--cidr6 and --ipv6-random cannot be combined");
	if (o->target_type == S4N_TARGET_BESS) {
		if (o->configure)
			return fail(err, errlen,
				    "--target-type=bess conflicts "
				    "with --configure");
		if (o->netns_type_set)
			return fail(err, errlen,
				    "--target-type=bess conflicts "
				    "with --netns-type");
		if (o->userns_path)
			return fail(err, errlen,
				    "--target-type=bess conflicts "
				    "with --userns-path");
	}
	if (o->netns_type == S4N_NETNS_CREATE && o->userns_path)
		/* the namespace belongs to the user namespace we run in */
		return fail(err, errlen,
			    "--netns-type=create conflicts with --userns-path");
	if (o->netns_type == S4N_NETNS_TAPFD) {
		/* we never enter the namespace the fd belongs to */
		if (o->configure)
			return fail(err, errlen,
				    "--netns-type=tapfd conflicts "
				    "with --configure");
		if (o->userns_path)
			return fail(err, errlen,
				    "--netns-type=tapfd conflicts "
				    "with --userns-path");
	}
	return 0;
}

static int parse_positional(struct s4n_opts *o, int argc, char *const argv[],
			    char *err, size_t errlen)
{
	int max = o->target_type == S4N_TARGET_BESS ? 1 : 2;
	unsigned long v;

	if (argc < 1)
		return fail(err, errlen, "missing target: %s (see --help)",
			    o->target_type == S4N_TARGET_BESS
				? "socket path"
				: "PID, PATH or FD");
	if (argc > max)
		return fail(err, errlen, "too many arguments: \"%s\"",
			    argv[max]);
	o->target = argv[0];
	if (argc == 2)
		o->tapname = argv[1];
	if (!valid_ifname(o->tapname))
		return fail(err, errlen,
			    "TAPNAME \"%s\": not a valid "
			    "interface name",
			    o->tapname);
	if (o->target_type == S4N_TARGET_BESS || !*o->target) {
		if (!*o->target)
			return fail(err, errlen, "empty target");
		return 0;
	}
	switch (o->netns_type) {
	case S4N_NETNS_PID:
		if (addr_parse_uint(o->target, 1, INT_MAX, &v) < 0)
			return fail(err, errlen,
				    "PID \"%s\": not a process "
				    "ID (use --netns-type=path for a path)",
				    o->target);
		o->target_pid = (pid_t)v;
		break;
	case S4N_NETNS_TAPFD:
		if (addr_parse_uint(o->target, 0, INT_MAX, &v) < 0)
			return fail(err, errlen,
				    "FD \"%s\": not a file "
				    "descriptor",
				    o->target);
		o->target_tapfd = (int)v;
		break;
	case S4N_NETNS_PATH:
	case S4N_NETNS_CREATE:
	default:
		break;
	}
	return 0;
}

static int random_prefix6(struct s4n_opts *o, char *err, size_t errlen)
{
	uint8_t rnd[7];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return fail(err, errlen, "--ipv6-random: getrandom: %s",
			    strerror(errno));
	o->vprefix6 = addr_ula_from_bytes(rnd);
	o->prefix6_len = 64;
	return 0;
}

/* check_guestfwds() - each --guestfwd against the network and the others,
 * once the network is known (--cidr may come after it) */
static int check_guestfwds(const struct s4n_opts *o, char *err, size_t errlen)
{
	g_autoptr(rfwd_table) t = rfwd_table_new();
	const char *why = NULL;
	struct rfwd_spec s;
	unsigned int i;

	for (i = 0; i < o->n_guestfwd; i++) {
		if (rfwd_parse(o->guestfwd[i], o, &s, &why) == 0)
			why = rfwd_check(o, t, &s);
		if (why)
			return fail(err, errlen, "--guestfwd \"%s\": %s",
				    o->guestfwd[i], why);
		(void)rfwd_table_add(t, &s, NULL);
	}
	return 0;
}

/*
 * command_start() - where COMMAND starts when the options end with "--"
 * ("slirp4netns [OPTION]... -- COMMAND [ARG]..."), else 0. A first pass
 * without argument permutation: Podman and RootlessKit never pass "--",
 * and a "--" after PID or PATH keeps the meaning it always had.
 */
static int command_start(int argc, char *const argv[])
{
	const char *last_arg = NULL;

	optind = 0;
	opterr = 0;
	while (getopt_long(argc, argv, "+:ce:r:m:6a:hv", long_options, NULL) !=
	       -1)
		last_arg = optarg;
	if (optind < 2 || optind > argc || strcmp(argv[optind - 1], "--") ||
	    last_arg == argv[optind - 1])
		return 0;
	return optind;
}

/* check_command() - "-- COMMAND" creates its namespaces: no target */
static int check_command(const struct s4n_opts *o, int npos, char *err,
			 size_t errlen)
{
	if (!o->command[0])
		return fail(err, errlen, "\"--\" without a COMMAND");
	if (npos)
		return fail(err, errlen,
			    "-- COMMAND takes no PID, PATH or FD (\"%s\")",
			    o->command[-1 - npos]);
	if (o->netns_type_set || o->userns_path ||
	    o->target_type != S4N_TARGET_NETNS)
		return fail(err, errlen, "-- COMMAND conflicts with %s",
			    o->netns_type_set ? "--netns-type"
			    : o->userns_path  ? "--userns-path"
					      : "--target-type");
	return 0;
}

int opts_parse(int argc, char *const argv[], struct s4n_opts *ret,
	       enum opts_action *ret_action, char *err, size_t errlen)
{
	struct s4n_opts o;
	bool cidr6_set = false;
	int c, rc, cmd = command_start(argc, argv);

	set_defaults(&o);
	if (cmd) {
		o.command = argv + cmd;
		argc = cmd - 1; /* the options only, without "--" */
	}
	optind = 0; /* GNU: start over, so that tests may call us again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ce:r:m:6a:hv", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			*ret_action = OPTS_HELP;
			return 0;
		case 'v':
			*ret_action = OPTS_VERSION;
			return 0;
		case ':':
			return fail(err, errlen, "option \"%s\" needs a value",
				    argv[optind - 1]);
		case '?':
			return fail(err, errlen, "unknown option \"%s\"",
				    argv[optind - 1]);
		default:
			rc = parse_one(&o, c, optarg, &cidr6_set, err, errlen);
			if (rc < 0)
				return rc;
		}
	}
	if (o.command) {
		/* --configure semantics; the daemon's PID target comes later
		 * (cmdrun.c) */
		rc = check_command(&o, argc - optind, err, errlen);
		o.configure = true;
		o.target = "";
	} else {
		rc = parse_positional(&o, argc - optind, argv + optind, err,
				      errlen);
	}
	if (rc < 0)
		return rc;
	rc = check_conflicts(&o, cidr6_set, err, errlen);
	if (rc < 0)
		return rc;
	if (o.ipv6_random && random_prefix6(&o, err, errlen) < 0)
		return -EINVAL;
	derive_addresses(&o);
	if (check_guestfwds(&o, err, errlen) < 0)
		return -EINVAL;
	*ret = o;
	*ret_action = OPTS_RUN;
	return 0;
}

static int check_fd(const char *opt, int fd, char *err, size_t errlen)
{
	if (fd >= 0 && fcntl(fd, F_GETFD) < 0)
		return fail(err, errlen, "%s=%d: %s", opt, fd, strerror(errno));
	return 0;
}

static bool is_link_local(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_LINKLOCAL(
		   &((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* an address of family @family on interface @name; for IPv6 a global one
 * when there is one, since a link-local source cannot reach the host's
 * other networks */
static int ifaddr_lookup(const char *name, int family, void *ret_sa,
			 size_t salen)
{
	struct ifaddrs *list, *i;
	int rc = -ENOENT;

	if (getifaddrs(&list) < 0)
		return -errno;
	for (i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, name))
			continue;
		if (rc == 0 && is_link_local(i->ifa_addr))
			continue;
		memcpy(ret_sa, i->ifa_addr, salen);
		rc = 0;
		if (!is_link_local(i->ifa_addr))
			break;
	}
	freeifaddrs(list);
	return rc;
}

/* can a socket bind to @sa? An outbound address the host does not have
 * would make every connection of the guest fail */
static int check_bindable(const struct sockaddr *sa, socklen_t len)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (bind(fd, sa, len) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int opts_check_env(struct s4n_opts *o, char *err, size_t errlen)
{
	int rc;

	if (check_fd("--exit-fd", o->exit_fd, err, errlen) < 0 ||
	    check_fd("--ready-fd", o->ready_fd, err, errlen) < 0)
		return -EINVAL;
	if (o->outbound_addr_arg && !o->has_outbound_addr) {
		if (ifaddr_lookup(o->outbound_addr_arg, AF_INET,
				  &o->outbound_addr,
				  sizeof(o->outbound_addr)) < 0)
			return fail(err, errlen,
				    "--outbound-addr \"%s\": no "
				    "such interface with an IPv4 address",
				    o->outbound_addr_arg);
		o->outbound_addr.sin_port = 0;
		o->has_outbound_addr = true;
	}
	if (o->outbound_addr6_arg && !o->has_outbound_addr6) {
		if (ifaddr_lookup(o->outbound_addr6_arg, AF_INET6,
				  &o->outbound_addr6,
				  sizeof(o->outbound_addr6)) < 0)
			return fail(err, errlen,
				    "--outbound-addr6 \"%s\": no "
				    "such interface with an IPv6 address",
				    o->outbound_addr6_arg);
		o->outbound_addr6.sin6_port = 0;
		o->has_outbound_addr6 = true;
	}
	if (o->has_outbound_addr &&
	    (rc = check_bindable((struct sockaddr *)&o->outbound_addr,
				 sizeof(o->outbound_addr))) < 0)
		return fail(err, errlen, "--outbound-addr \"%s\": %s",
			    o->outbound_addr_arg, strerror(-rc));
	if (o->has_outbound_addr6 &&
	    (rc = check_bindable((struct sockaddr *)&o->outbound_addr6,
				 sizeof(o->outbound_addr6))) < 0)
		return fail(err, errlen, "--outbound-addr6 \"%s\": %s",
			    o->outbound_addr6_arg, strerror(-rc));
	return 0;
}
