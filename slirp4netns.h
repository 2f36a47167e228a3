/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirp4netns.h - options and runtime context shared by every file
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_SLIRP4NETNS_H
#define S4N_SLIRP4NETNS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

#include <glib.h>
#include <slirp/libslirp.h>

#include "reasm.h"

#define S4N_MTU_DEFAULT 1500
#define S4N_MTU_MIN 68
#define S4N_MTU_MAX 65521

/* Host offsets inside the IPv4 network, as in slirp4netns(1) */
#define S4N_OFF_HOST 2
#define S4N_OFF_DNS 3
#define S4N_OFF_DHCP_START 15
#define S4N_OFF_DHCP_END 30
#define S4N_OFF_GUEST 100
/* prefix::100, the IPv6 address --configure gives the guest */
#define S4N_OFF_GUEST6 0x100

/* --guestfwd options on one command line; more through the API */
#define S4N_MAX_GUESTFWD_ARGS 32

enum s4n_netns_type {
	S4N_NETNS_PID,
	S4N_NETNS_PATH,
	S4N_NETNS_TAPFD,
	S4N_NETNS_CREATE, /* a new one, pinned at the target path (nsnew.c) */
};

enum s4n_target_type {
	S4N_TARGET_NETNS,
	S4N_TARGET_BESS,
};

/*
 * struct s4n_opts - the parsed command line, filled by opts_parse() and
 * main(), read-only once the daemon has started.
 */
struct s4n_opts {
	/* Positional arguments */
	const char *target;  /* PID, netns path, TAP fd or bess socket path */
	pid_t target_pid;    /* S4N_NETNS_PID */
	int target_tapfd;    /* S4N_NETNS_TAPFD */
	const char *tapname; /* "tap0" unless given */

	enum s4n_netns_type netns_type;
	bool netns_type_set; /* --netns-type given (conflicts with bess) */
	enum s4n_target_type target_type;
	const char *userns_path;

	bool configure;
	bool enable_ipv6;
	bool ipv6_random;
	bool disable_host_loopback;
	bool disable_dns;
	bool enable_sandbox;
	bool enable_seccomp;
	bool disable_tcp_fast_path; /* all TCP to libslirp, as before */
	int exit_fd;		    /* -1: not given */
	int ready_fd;		    /* -1: not given */
	unsigned int mtu;
	const char *api_socket; /* NULL: no API */

	/* IPv4 virtual network, network byte order */
	struct in_addr vnetwork, vnetmask;
	unsigned int prefix_len;
	struct in_addr vhost, vdns, vdhcp_start, vdhcp_end, vguest;

	/* IPv6 virtual network */
	struct in6_addr vprefix6;
	unsigned int prefix6_len;
	struct in6_addr vhost6, vdns6, vguest6;

	/* --outbound-addr(6): the argument as given, and the address it names
	 * once main() resolved an interface name */
	const char *outbound_addr_arg;
	const char *outbound_addr6_arg;
	bool has_outbound_addr, has_outbound_addr6;
	struct sockaddr_in outbound_addr;
	struct sockaddr_in6 outbound_addr6;

	bool has_macaddress;
	uint8_t macaddress[6];

	bool debug;	  /* --debug (SLIRP4NETNS_DEBUG works as well) */
	bool quiet;	  /* --quiet: no summary, no information messages */
	const char *pcap; /* --pcap=FILE, NULL: no capture */
	/* "-- COMMAND [ARG]...": NULL-terminated, NULL without "--" */
	char *const *command;
	/* --guestfwd, as given; checked by opts_parse(), opened by main() */
	const char *guestfwd[S4N_MAX_GUESTFWD_ARGS];
	unsigned int n_guestfwd;
};

/*
 * struct s4n_stats - counters reported by the get_stats API command.
 * "from_guest" is TAP -> libslirp, "to_guest" is libslirp -> TAP.
 */
struct s4n_stats {
	uint64_t from_guest_frames, from_guest_bytes;
	uint64_t to_guest_frames, to_guest_bytes;
	uint64_t from_guest_syns;	   /* TCP connection requests */
	uint64_t from_guest_refused_nofd;  /* ... refused: descriptors */
	uint64_t from_guest_refused_nomem; /* ... refused: memory */
	uint64_t from_guest_dropped;	   /* read errors, truncated frames */
	uint64_t from_guest_bad_dest;	   /* never-valid destinations */
	uint64_t from_guest_bad_neigh;	   /* ARP/NDP for our own addresses */
	struct reasm_stats reasm;	   /* fragments (reasm.c) */
	uint64_t to_guest_dropped;	   /* TAP full or gone */
	uint64_t guest_errors;		   /* libslirp's guest_error callback */
	/* the TCP path (tcp.c): flows open now and ever, payload bytes */
	uint64_t tcp_flows, tcp_flows_opened;
	uint64_t tcp_from_guest_bytes, tcp_to_guest_bytes;
	uint64_t api_connections;
	uint64_t api_requests;
	int64_t start_time_us; /* g_get_monotonic_time() at start */
};

struct s4n_core;   /* slirp4netns.c: loop state, epoll mirror of libslirp */
struct s4n_tap;	   /* tap.c: the frame path */
struct api_server; /* apiserver.c */
struct res;	   /* resources.c: descriptors and memory */
struct bridge;	   /* bridge.c: remote forwards, NULL until used */
struct tcp_ctx;	   /* tcp.c: the TCP path, NULL when disabled */
struct tcpfwd;	   /* tcpfwd.c: TCP forwards' listeners, NULL until used */

/*
 * struct s4n_ctx - runtime state of the daemon, passed to every handler.
 */
struct s4n_ctx {
	const struct s4n_opts *opts;
	Slirp *slirp;
	GMainLoop *loop;
	struct s4n_tap *tap;
	struct tcp_ctx *tcp;
	struct tcpfwd *tcpfwd;
	struct s4n_core *core;
	struct api_server *api;
	struct res *res;
	struct bridge *bridge;
	struct s4n_stats stats;
	int exit_status;
};

/**
 * s4n_ctx_init() - create the libslirp instance and the main loop sources
 * for an open TAP fd. Called once by main() before the sandbox.
 * @ctx:	context, zeroed, with ->opts set
 * @tapfd:	TAP fd; with --target-type=bess, the listening socket whose
 *		peer carries the frames. Ownership passes to @ctx.
 *
 * Return: 0 on success, -1 after logging the reason.
 */
int s4n_ctx_init(struct s4n_ctx *ctx, int tapfd);

/**
 * s4n_run() - run the main loop until an exit condition. Called by main().
 *
 * Return: exit status for the process.
 */
int s4n_run(struct s4n_ctx *ctx);

/**
 * s4n_slirp_changed() - tell the loop that libslirp's sockets changed outside
 * of a loop callback (a forward was added or removed through the API), so
 * that the next iteration asks libslirp for its fds again.
 */
void s4n_slirp_changed(struct s4n_ctx *ctx);

/**
 * s4n_ctx_fini() - free what s4n_ctx_init() created. Called by main().
 */
void s4n_ctx_fini(struct s4n_ctx *ctx);

#endif /* S4N_SLIRP4NETNS_H */
