/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main.c - start-up: options, the TAP fd, API, confinement, ready, run
 *
 * The steps, in order:
 *  1. parse and check the options (nothing is created before this)
 *  2. raise RLIMIT_NOFILE: every guest flow costs a host socket
 *  3. get the TAP fd from a child that enters the target's namespaces
 *     (or take the fd handed in, or listen for a bess peer)
 *  4. create the API socket, so that clients can connect once ready
 *  5. create libslirp and the main loop's sources
 *  6. --enable-sandbox, then --enable-seccomp
 *  7. print the configuration, write "1" to --ready-fd
 *  8. run until a signal, --exit-fd, the target's exit or the TAP's end
 *
 * A failure at any step prints one line and exits 1 after undoing what
 * was created: no socket file and no child stay behind.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>
#include <seccomp.h>
#include <slirp/libslirp.h>

#include "config.h"
#include "commit.h"
#include "compat.h"
#ifdef S4N_SANITIZERS
#include <sanitizer/lsan_interface.h>
#endif
#include "apiserver.h"
#include "bridge.h"
#include "cmdrun.h"
#include "log.h"
#include "nsnew.h"
#include "nstap.h"
#include "options.h"
#include "pcap.h"
#include "resources.h"
#include "sandbox.h"
#include "seccompfilter.h"
#include "slirp4netns.h"
#include "tap.h"
#include "unixsock.h"
#include "util.h"

static void print_version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("slirp4netns version %s\n", PACKAGE_VERSION);
	if (S4N_COMMIT[0])
		printf("commit: %s\n", S4N_COMMIT);
	printf("libslirp: %s\n", slirp_version_string());
	printf("SLIRP_CONFIG_VERSION_MAX: %d\n", SLIRP_CONFIG_VERSION_MAX);
	printf("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
}

/*
 * GLib 2.74's slice allocator keeps a slab page and magazines for each
 * size of object it was asked for: some 20 KiB of an idle daemon's private
 * memory, times the hundreds of daemons on a host; malloc() serves these
 * few objects as well. GLib configures it in its constructor, which runs
 * after the executable's .preinit_array: the setting must come from there.
 * (From GLib 2.76 on, slices are malloc() anyway and this is a no-op.
 * musl's start-up code runs no .preinit_array: there GLib keeps its
 * slices, which costs memory and nothing else.)
 */
static void slice_config(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	G_GNUC_BEGIN_IGNORE_DEPRECATIONS
	g_slice_set_config(G_SLICE_CONFIG_ALWAYS_MALLOC, TRUE);
	G_GNUC_END_IGNORE_DEPRECATIONS
}

__attribute__((section(".preinit_array"), used)) static void (
	*const preinit_slice)(int, char **, char **) = slice_config;

/* SIGTERM and SIGINT are read from a signalfd by the loop; blocked from
 * the start so that none arriving during start-up is lost */
static void block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int get_tap_fd(const struct s4n_opts *opts, struct nsnew_pin *pin,
		      int *ret_fd)
{
	int fd;

	if (opts->target_type == S4N_TARGET_NETNS &&
	    opts->netns_type == S4N_NETNS_CREATE)
		return nsnew_open(opts, pin, ret_fd);
	if (opts->target_type == S4N_TARGET_NETNS)
		return nstap_open(opts, ret_fd);
	/* a BESS peer (User Mode Linux's vector "bess" transport) connects
	 * once and sends one Ethernet frame per message */
	fd = unixsock_listen(opts->target, SOCK_SEQPACKET, 1);
	if (fd < 0) {
		log_error("--target-type=bess \"%s\": %s", opts->target,
			  fd == -EEXIST	      ? "exists and is not a socket"
			  : fd == -EADDRINUSE ? "in use by a running process"
					      : strerror(-fd));
		return -1;
	}
	*ret_fd = fd;
	return 0;
}

/* the target process whose exit ends the daemon, or 0 */
static pid_t watched_pid(const struct s4n_opts *o)
{
	if (o->target_type == S4N_TARGET_NETNS &&
	    o->netns_type == S4N_NETNS_PID)
		return o->target_pid;
	return 0;
}

static void print_summary(const struct s4n_opts *o)
{
	char a[INET6_ADDRSTRLEN];

#define ADDR4(x) inet_ntop(AF_INET, &(x), a, sizeof(a))
	printf("slirp4netns %s: %s %s\n", PACKAGE_VERSION,
	       o->target_type == S4N_TARGET_BESS ? "bess socket" : o->tapname,
	       o->target);
	printf("* MTU:             %u\n", o->mtu);
	printf("* Network:         %s\n", ADDR4(o->vnetwork));
	printf("* Netmask:         %s\n", ADDR4(o->vnetmask));
	printf("* Gateway:         %s\n", ADDR4(o->vhost));
	printf("* DNS:             %s%s\n", ADDR4(o->vdns),
	       o->disable_dns ? " (disabled)" : "");
	printf("* DHCP begin:      %s\n", ADDR4(o->vdhcp_start));
	printf("* DHCP end:        %s\n", ADDR4(o->vdhcp_end));
	printf("* Recommended IP:  %s\n", ADDR4(o->vguest));
#undef ADDR4
	if (o->enable_ipv6) {
		printf("* IPv6 prefix:     %s/%u\n",
		       inet_ntop(AF_INET6, &o->vprefix6, a, sizeof(a)),
		       o->prefix6_len);
		printf("* IPv6 gateway:    %s\n",
		       inet_ntop(AF_INET6, &o->vhost6, a, sizeof(a)));
		printf("* IPv6 DNS:        %s\n",
		       inet_ntop(AF_INET6, &o->vdns6, a, sizeof(a)));
	}
	if (o->api_socket)
		printf("* API socket:      %s\n", o->api_socket);
	if (o->has_macaddress)
		printf("* MAC address:     %02x:%02x:%02x:%02x:%02x:%02x\n",
		       o->macaddress[0], o->macaddress[1], o->macaddress[2],
		       o->macaddress[3], o->macaddress[4], o->macaddress[5]);
	if (!o->disable_host_loopback)
		printf("* Host loopback:   127.0.0.1 on the host is reachable "
		       "as the gateway (--disable-host-loopback refuses it)\n");
	fflush(stdout);
}

/* --pcap: opened before the sandbox hides the file's directory */
static int open_pcap(const struct s4n_opts *opts, struct s4n_tap *tap,
		     struct pcap **ret_pc)
{
	int rc = pcap_open(opts->pcap, PCAP_LIMIT_DEFAULT, ret_pc);

	if (rc < 0) {
		log_error("--pcap \"%s\": %s", opts->pcap, strerror(-rc));
		return rc;
	}
	tap_set_pcap(tap, *ret_pc);
	return 0;
}

static int report_ready(int fd)
{
	int rc;

	if (fd < 0)
		return 0;
	rc = util_write_all(fd, "1", 1);
	close(fd);
	if (rc < 0)
		log_error("--ready-fd=%d: %s", fd, strerror(-rc));
	return rc;
}

int main(int argc, char *argv[])
{
	struct s4n_ctx ctx = {0};
	struct nsnew_pin pin = NSNEW_PIN_INIT;
	struct pcap *pcap = NULL;
	struct s4n_opts opts;
	enum opts_action action;
	char err[512];
	int tapfd = -1, api_fd = -1, status;

	/* stdout carries the start-up summary and --version: unbuffered, it
	 * needs no buffer of its own, whose page every idle daemon would keep */
	setvbuf(stdout, NULL, _IONBF, 0);
	log_set_debug(getenv("SLIRP4NETNS_DEBUG") != NULL);
	if (opts_parse(argc, argv, &opts, &action, err, sizeof(err)) < 0)
		die("%s", err);
	if (action == OPTS_HELP) {
		fputs(opts_usage(), stdout);
		return 0;
	}
	if (action == OPTS_VERSION) {
		print_version();
		return 0;
	}
	if (opts.debug)
		log_set_debug(true);
	log_set_quiet(opts.quiet);
	if (opts_check_env(&opts, err, sizeof(err)) < 0)
		die("%s", err);
	if (opts.command)
		(void)cmdrun_start(&opts); /* returns in the daemon only */
	/* remote forwards (bridge.c) open UNIX sockets after start-up */
	if (opts.enable_seccomp &&
	    filter_prepare(opts.enable_sandbox, watched_pid(&opts),
			   opts.api_socket || opts.n_guestfwd) < 0)
		return 1;
	block_signals();
	res_raise_nofile();

	if (get_tap_fd(&opts, &pin, &tapfd) < 0)
		return 1;
	if (opts.api_socket) {
		api_fd = api_socket_open(opts.api_socket);
		if (api_fd < 0) {
			close(tapfd);
			if (opts.target_type == S4N_TARGET_BESS)
				(void)unlink(opts.target);
			nsnew_release(&pin);
			return 1;
		}
	}
	ctx.opts = &opts;
	if (s4n_ctx_init(&ctx, tapfd) < 0)
		goto fail;
	if (opts.pcap && open_pcap(&opts, ctx.tap, &pcap) < 0)
		goto fail;
	if (api_fd >= 0) {
		ctx.api = api_server_start(&ctx, api_fd, opts.api_socket);
		api_fd = -1;
	}
	if (!opts.enable_sandbox && bridge_start(&ctx, NULL) < 0)
		goto fail;
#ifdef S4N_SANITIZERS
	/* LeakSanitizer's exit-time check needs /proc and ptrace, which the
	 * sandbox and the filter take away: check start-up now instead */
	if (opts.enable_sandbox || opts.enable_seccomp)
		__lsan_do_leak_check();
#endif
	res_count_open(ctx.res);
	if (opts.enable_sandbox && (opts.api_socket || opts.n_guestfwd))
		sandbox_want_fwd_dir();
	if (opts.enable_sandbox && (sandbox_enter(&opts) < 0 ||
				    bridge_start(&ctx, SANDBOX_FWD_DIR) < 0))
		goto fail;
	/* the sandbox dropped them already; capset() is killed once the
	 * filter is in */
	if (opts.enable_seccomp && !opts.enable_sandbox &&
	    sandbox_drop_caps("--enable-seccomp") < 0)
		goto fail;
	if (opts.enable_seccomp && filter_install() < 0)
		goto fail;
	/* Start-up (libseccomp's rule compiler most of all) leaves freed
	 * memory behind in the heap: give it back before idling. */
	malloc_trim(0);
	if (!opts.quiet)
		print_summary(&opts);
	if (report_ready(opts.ready_fd) < 0)
		goto fail;

	status = s4n_run(&ctx);
	api_server_stop(ctx.api);
	s4n_ctx_fini(&ctx);
	pcap_close(pcap);
	nsnew_release(&pin);
	return status;

fail:
	if (api_fd >= 0) {
		close(api_fd);
		(void)unlink(opts.api_socket);
	}
	api_server_stop(ctx.api);
	s4n_ctx_fini(&ctx);
	pcap_discard(pcap);
	nsnew_release(&pin);
	return 1;
}
