/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rfwd.h - remote forwards: the table, its checks and the option syntax
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * A remote forward (API add_guestfwd, option --guestfwd) listens on the
 * guest's side at guest_addr:guest_port; each connection the guest opens
 * there becomes a new connection from the daemon to a host TCP address or
 * UNIX stream socket. This file is pure (no sockets): the table, the
 * checks against the virtual network, and the option parser, for the API
 * core, main() and unit tests. bridge.c moves the data.
 */
#ifndef S4N_RFWD_H
#define S4N_RFWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <glib.h>

#include "slirp4netns.h"

/* Most remote forwards at once: each costs a listening socket */
#define RFWD_MAX 256

union rfwd_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/*
 * struct rfwd_spec - one remote forward. @guest has the guest-side address
 * and port (IPv4, or IPv6 with -6); the target is @host (any family) or,
 * when @path[0] is set, a UNIX stream socket.
 */
struct rfwd_spec {
	union rfwd_sockaddr guest;
	union rfwd_sockaddr host;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/* struct rfwd_entry - a forward in the table; @data is the daemon's */
struct rfwd_entry {
	int64_t id;
	struct rfwd_spec spec;
	void *data;
};

struct rfwd_table;

/* rfwd_table_new() - an empty table; ids start at 1 and are never reused.
 * Return: the table, never NULL. */
struct rfwd_table *rfwd_table_new(void);

/* rfwd_table_free() - free the table, not the entries' @data. NULL: no-op */
void rfwd_table_free(struct rfwd_table *t);
typedef struct rfwd_table rfwd_table;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(rfwd_table, rfwd_table_free)

/**
 * rfwd_check() - may @s be added next to the forwards in @t (which may be
 * NULL)? guest_addr must be in the virtual network, the gateway or a
 * free address: not the network or broadcast address, the DNS address,
 * the guest's own address or the DHCP range; no other forward may have
 * the same address and port. A UNIX path must be absolute.
 *
 * Return: NULL, or the reason (a static string) to put in an error.
 */
const char *rfwd_check(const struct s4n_opts *o, const struct rfwd_table *t,
		       const struct rfwd_spec *s);

/**
 * rfwd_table_add() - append a checked forward.
 *
 * Return: the new entry (owned by the table), NULL if the table is full.
 */
struct rfwd_entry *rfwd_table_add(struct rfwd_table *t,
				  const struct rfwd_spec *s, void *data);

/* rfwd_table_find() - Return: the entry with @id, or NULL */
struct rfwd_entry *rfwd_table_find(const struct rfwd_table *t, int64_t id);

/* rfwd_table_remove() - drop @id from the table; Return: 0 or -ENOENT */
int rfwd_table_remove(struct rfwd_table *t, int64_t id);

/* rfwd_table_len(), rfwd_table_at() - walk the table in ascending ids */
size_t rfwd_table_len(const struct rfwd_table *t);
struct rfwd_entry *rfwd_table_at(const struct rfwd_table *t, size_t i);

/**
 * rfwd_parse() - parse --guestfwd's value:
 *   [GUEST_ADDR:]GUEST_PORT-HOST_ADDR:HOST_PORT   (IPv6 in brackets)
 *   [GUEST_ADDR:]GUEST_PORT-unix:PATH
 * GUEST_ADDR defaults to the gateway. Syntax only; rfwd_check() does the
 * rest once the network is known.
 *
 * Return: 0, or -EINVAL with a reason (static string) in *@ret_why.
 */
int rfwd_parse(const char *arg, const struct s4n_opts *o, struct rfwd_spec *ret,
	       const char **ret_why);

/**
 * rfwd_table_match() - the forward at the guest's destination @daddr (4 or
 * 16 bytes, as @v6 says) and @dport (host byte order). Called by bridge.c
 * for each new SYN from the guest on the TCP path.
 *
 * Return: the entry, or NULL.
 */
struct rfwd_entry *rfwd_table_match(const struct rfwd_table *t, bool v6,
				    const uint8_t *daddr, uint16_t dport);

/* The longest answer rfwd_neigh_reply() writes: Ethernet, IPv6, a
 * neighbour advertisement with its link-layer address option */
#define RFWD_NEIGH_MAX (14 + 40 + 24 + 8)

/**
 * rfwd_neigh_reply() - answer the guest's ARP request or NDP neighbour
 * solicitation @f for the address of a forward in @t that is not the
 * gateway (libslirp answers for its own addresses, and for those of the
 * forwards it carries itself), as the host @mac.
 * @out:	RFWD_NEIGH_MAX bytes
 *
 * Return: the answer's length in @out, or 0 if @f asks for no forward.
 */
size_t rfwd_neigh_reply(const struct rfwd_table *t, const struct s4n_opts *o,
			const uint8_t *mac, const uint8_t *f, size_t len,
			uint8_t *out);

/* rfwd_guest_port(), rfwd_host_port() - ports in host byte order */
uint16_t rfwd_guest_port(const struct rfwd_spec *s);
uint16_t rfwd_host_port(const struct rfwd_spec *s);

/* rfwd_set_port() - set the port of @a, in host byte order */
void rfwd_set_port(union rfwd_sockaddr *a, uint16_t port);

/**
 * rfwd_hidden4() - the address that stands in for the gateway in
 * libslirp's forwards: libslirp refuses a guest forward on its own
 * address, so frames to gateway:port are rewritten to hidden:port and
 * back (rfwd_nat_*()). The last usable address of the network, which
 * rfwd_check() refuses as a guest_addr.
 *
 * Return: the address, network byte order.
 */
struct in_addr rfwd_hidden4(const struct s4n_opts *o);

/*
 * struct rfwd_nat - the ports of the forwards on the IPv4 gateway: a
 * guest's TCP frame to gw:port goes to libslirp as hidden:port, and
 * libslirp's frames from hidden:port go to the guest as gw:port.
 */
struct rfwd_nat {
	struct in_addr gw, hidden;
	unsigned int n;
	uint16_t ports[RFWD_MAX]; /* network byte order */
};

/**
 * rfwd_nat_in() - rewrite a guest's TCP frame to gw:port (a port in @n)
 * to hidden:port, fixing the checksums. Called by the frame path for each
 * frame from the guest, before libslirp sees it.
 *
 * Return: true if rewritten.
 */
bool rfwd_nat_in(const struct rfwd_nat *n, uint8_t *f, size_t len);

/**
 * rfwd_nat_out() - the reverse, for libslirp's frames to the guest: TCP
 * from hidden:port becomes gw:port. @f is libslirp's: the rewritten frame
 * goes to @out (@outlen bytes at least @len).
 *
 * Return: true if @out holds the rewritten frame, false if @f is not one.
 */
bool rfwd_nat_out(const struct rfwd_nat *n, const uint8_t *f, size_t len,
		  uint8_t *out, size_t outlen);

#endif /* S4N_RFWD_H */
