/* SPDX-License-Identifier: GPL-2.0-or-later */
/* api.c - the API's pure core: one request's bytes in, one reply out
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * The core parses one request, keeps the forward table and builds the
 * reply; it reaches libslirp only through struct api_fwd_ops, and touches
 * no socket, so that test-api and fuzz-api drive it directly. The socket
 * side is apiserver.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <glib.h>
#include <jansson.h>

#include "config.h"
#include "api.h"
#include "log.h"

/*
 * struct fwd_entry - one add_hostfwd: fwd[0] is the IPv4 listener or the
 * only one, fwd[1] the IPv6 listener of a dual-stack forward.
 */
struct fwd_entry {
	json_int_t id;
	const char *proto;
	unsigned int n;
	struct api_fwd fwd[2];
};

struct api_core {
	const struct s4n_opts *opts;
	struct s4n_stats *stats;
	const struct api_fwd_ops *ops;
	void *opaque;
	GPtrArray *table;   /* struct fwd_entry *, ascending ids */
	json_int_t next_id; /* ids are never reused */
};

static const struct {
	const char *name;
	bool udp;
	int family; /* AF_UNSPEC: either, or both */
} protos[] = {
    {"tcp", false, AF_UNSPEC}, {"udp", true, AF_UNSPEC},
    {"tcp4", false, AF_INET},  {"udp4", true, AF_INET},
    {"tcp6", false, AF_INET6}, {"udp6", true, AF_INET6},
};

/*
 * reply() - the one place that builds a reply: {"return": @value} or, when
 * @desc is set, {"error": {"desc": @desc}}. Takes @value's reference.
 * Compact, as slirp4netns writes it.
 */
static char *reply(json_t *value, const char *desc)
{
	json_t *root;
	char *s = NULL;

	/* A NULL value without @desc is a failed json_pack(): say so rather
	 * than answer a partial success. */
	if (!desc && !value)
		desc = "internal error";
	if (desc) {
		json_decref(value);
		root = json_pack("{s:{s:s}}", "error", "desc", desc);
	} else {
		root = json_pack("{s:o}", "return", value);
	}
	if (root)
		s = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return s;
}

static char *reply_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *reply_error(const char *fmt, ...)
{
	g_autofree char *desc = NULL;
	va_list ap;

	va_start(ap, fmt);
	desc = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return reply(NULL, desc);
}

socklen_t api_sockaddr_len(const union api_sockaddr *a)
{
	return a->sa.sa_family == AF_INET6 ? sizeof(a->in6) : sizeof(a->in);
}

static bool sa_is_any(const union api_sockaddr *a)
{
	if (a->sa.sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&a->in6.sin6_addr);
	return a->in.sin_addr.s_addr == htonl(INADDR_ANY);
}

static void sa_set(union api_sockaddr *a, int family, const void *addr,
		   uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->sa.sa_family = family;
	if (family == AF_INET6) {
		memcpy(&a->in6.sin6_addr, addr, sizeof(struct in6_addr));
		a->in6.sin6_port = htons(port);
	} else {
		memcpy(&a->in.sin_addr, addr, sizeof(struct in_addr));
		a->in.sin_port = htons(port);
	}
}

static uint16_t sa_port(const union api_sockaddr *a)
{
	return ntohs(a->sa.sa_family == AF_INET6 ? a->in6.sin6_port
						 : a->in.sin_port);
}

/* sa_ntop() - the address alone, in @buf of INET6_ADDRSTRLEN bytes */
static const char *sa_ntop(const union api_sockaddr *a, char *buf)
{
	const void *p = a->sa.sa_family == AF_INET6
			    ? (const void *)&a->in6.sin6_addr
			    : (const void *)&a->in.sin_addr;

	if (!inet_ntop(a->sa.sa_family, p, buf, INET6_ADDRSTRLEN))
		strcpy(buf, "?");
	return buf;
}

/*
 * struct fwd_args - add_hostfwd's arguments once checked. An address family
 * of AF_UNSPEC means "not given": absent, null or "".
 */
struct fwd_args {
	const char *proto;
	bool udp;
	int pfam, hfam, gfam;
	union api_sockaddr host, guest; /* ports unset */
	uint16_t hport, gport;
};

/* get_addr() - optional address field, IPv4 or IPv6 */
static int get_addr(const json_t *args, const char *key,
		    union api_sockaddr *ret_addr, int *ret_fam)
{
	const json_t *v = json_object_get(args, key);
	const char *s;

	memset(ret_addr, 0, sizeof(*ret_addr));
	*ret_fam = AF_UNSPEC;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -EINVAL;
	s = json_string_value(v);
	if (!*s) /* Podman sends "guest_addr": "" */
		return 0;
	if (inet_pton(AF_INET, s, &ret_addr->in.sin_addr) == 1)
		*ret_fam = AF_INET;
	else if (inet_pton(AF_INET6, s, &ret_addr->in6.sin6_addr) == 1)
		*ret_fam = AF_INET6;
	else
		return -EINVAL;
	ret_addr->sa.sa_family = *ret_fam;
	return 0;
}

/* get_port() - required port field, an integer in 1..65535 */
static int get_port(const json_t *args, const char *key, uint16_t *ret_port)
{
	const json_t *v = json_object_get(args, key);
	json_int_t n;

	if (!json_is_integer(v))
		return -EINVAL;
	n = json_integer_value(v);
	if (n < 1 || n > 65535)
		return -EINVAL;
	*ret_port = (uint16_t)n;
	return 0;
}

/* do the first @bits bits of @a and @b agree? */
static bool prefix_match6(const struct in6_addr *a, const struct in6_addr *b,
			  unsigned int bits)
{
	unsigned int i;

	for (i = 0; i < 16 && bits; i++, bits -= MIN(bits, 8)) {
		uint8_t m = (uint8_t)(0xff00 >> MIN(bits, 8));

		if ((a->s6_addr[i] ^ b->s6_addr[i]) & m)
			return false;
	}
	return true;
}

/*
 * guest_addr_ok() - whether a forward to @a can reach a guest: an address
 * of the virtual network that is not its network, broadcast, gateway or
 * DNS address (those are libslirp's own, or nobody's), nor, for IPv6, the
 * prefix itself (the subnet-router anycast address, RFC 4291 2.6.1).
 */
static bool guest_addr_ok(const struct s4n_opts *o, int fam,
			  const union api_sockaddr *a)
{
	if (fam == AF_INET) {
		in_addr_t x = a->in.sin_addr.s_addr;

		return (x & o->vnetmask.s_addr) == o->vnetwork.s_addr &&
		       x != o->vnetwork.s_addr &&
		       x != (o->vnetwork.s_addr | ~o->vnetmask.s_addr) &&
		       x != o->vhost.s_addr && x != o->vdns.s_addr;
	}
	return prefix_match6(&a->in6.sin6_addr, &o->vprefix6, o->prefix6_len) &&
	       !IN6_ARE_ADDR_EQUAL(&a->in6.sin6_addr, &o->vprefix6) &&
	       !IN6_ARE_ADDR_EQUAL(&a->in6.sin6_addr, &o->vhost6) &&
	       !IN6_ARE_ADDR_EQUAL(&a->in6.sin6_addr, &o->vdns6);
}

/*
 * parse_fwd_args() - check add_hostfwd's fields one by one, in the order
 * slirp4netns checks them, so that the error names the first bad field.
 * Fields that json_unpack_ex() could check in one call are checked here
 * field by field because the error must say which one failed.
 *
 * Return: NULL, or the name of the bad field.
 */
static const char *parse_fwd_args(const struct s4n_opts *opts,
				  const json_t *args, struct fwd_args *a)
{
	const char *proto = json_string_value(json_object_get(args, "proto"));
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = 0; proto && i < G_N_ELEMENTS(protos); i++)
		if (!strcmp(proto, protos[i].name))
			break;
	if (!proto || i == G_N_ELEMENTS(protos))
		return "proto";
	a->proto = protos[i].name;
	a->udp = protos[i].udp;
	a->pfam = protos[i].family;
	/* libslirp joins addresses of one family, and a guest without -6 has
	 * no IPv6 address to join */
	if (a->pfam == AF_INET6 && !opts->enable_ipv6)
		return "proto";

	if (get_addr(args, "host_addr", &a->host, &a->hfam) < 0 ||
	    (a->pfam && a->hfam && a->hfam != a->pfam) ||
	    (a->hfam == AF_INET6 && !opts->enable_ipv6))
		return "host_addr";
	if (get_port(args, "host_port", &a->hport) < 0)
		return "host_port";
	if (get_addr(args, "guest_addr", &a->guest, &a->gfam) < 0 ||
	    (a->pfam && a->gfam && a->gfam != a->pfam) ||
	    (a->gfam == AF_INET6 && !opts->enable_ipv6) ||
	    (a->hfam && a->gfam && a->hfam != a->gfam) ||
	    (a->gfam && !guest_addr_ok(opts, a->gfam, &a->guest)))
		return "guest_addr";
	if (get_port(args, "guest_port", &a->gport) < 0)
		return "guest_port";
	return NULL;
}

/*
 * plan_fwd() - turn checked arguments into one or two listeners. The family
 * comes from the protocol, else from whichever address is given. With
 * neither, and a wildcard host, "tcp" and "udp" listen on both families
 * with -6 (on 0.0.0.0 only without it, as slirp4netns did).
 */
static void plan_fwd(const struct s4n_opts *opts, const struct fwd_args *a,
		     struct fwd_entry *e)
{
	int fam = a->pfam;
	bool dual;

	if (!fam)
		fam = a->gfam;
	if (!fam && a->hfam && !sa_is_any(&a->host))
		fam = a->hfam;
	dual = !fam && opts->enable_ipv6;
	if (!fam)
		fam = AF_INET;

	e->proto = a->proto;
	e->n = 0;
	if (fam == AF_INET || dual) {
		struct api_fwd *f = &e->fwd[e->n++];
		struct in_addr any = {htonl(INADDR_ANY)};

		f->udp = a->udp;
		sa_set(&f->host, AF_INET,
		       a->hfam == AF_INET ? (const void *)&a->host.in.sin_addr
					  : (const void *)&any,
		       a->hport);
		sa_set(&f->guest, AF_INET,
		       a->gfam == AF_INET ? &a->guest.in.sin_addr
					  : &opts->vguest,
		       a->gport);
	}
	if (fam == AF_INET6 || dual) {
		struct api_fwd *f = &e->fwd[e->n++];

		f->udp = a->udp;
		sa_set(&f->host, AF_INET6,
		       a->hfam == AF_INET6
			   ? (const void *)&a->host.in6.sin6_addr
			   : (const void *)&in6addr_any,
		       a->hport);
		sa_set(&f->guest, AF_INET6,
		       a->gfam == AF_INET6 ? &a->guest.in6.sin6_addr
					   : &opts->vguest6,
		       a->gport);
	}
}

/* fwd_desc() - "0.0.0.0:8080/tcp" or "[::1]:8080/udp", for errors */
static char *fwd_desc(const struct api_fwd *f)
{
	char buf[INET6_ADDRSTRLEN];
	bool v6 = f->host.sa.sa_family == AF_INET6;

	return g_strdup_printf("%s%s%s:%u/%s", v6 ? "[" : "",
			       sa_ntop(&f->host, buf), v6 ? "]" : "",
			       sa_port(&f->host), f->udp ? "udp" : "tcp");
}

static void entry_close(struct api_core *core, const struct fwd_entry *e,
			unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		int rc = core->ops->remove(core->opaque, &e->fwd[i]);

		if (rc < 0) {
			g_autofree char *d = fwd_desc(&e->fwd[i]);

			log_debug("api: cannot remove forward %s: %s", d,
				  strerror(-rc));
		}
	}
}

/*
 * entry_open() - open every listener of @e, or none. When the host has no
 * IPv6 at all, an implicit dual-stack forward keeps its IPv4 half.
 */
static char *entry_open(struct api_core *core, struct fwd_entry *e, bool dual)
{
	unsigned int i;

	for (i = 0; i < e->n; i++) {
		int rc = core->ops->add(core->opaque, &e->fwd[i]);
		g_autofree char *d = NULL;

		if (rc == 0)
			continue;
		if (dual && i == 1 && rc == -EAFNOSUPPORT) {
			e->n = 1;
			break;
		}
		entry_close(core, e, i);
		d = fwd_desc(&e->fwd[i]);
		return reply_error("add_hostfwd: cannot bind %s: %s", d,
				   strerror(-rc));
	}
	return NULL;
}

static char *cmd_add_hostfwd(struct api_core *core, const json_t *args)
{
	g_autofree struct fwd_entry *e = g_new0(struct fwd_entry, 1);
	struct fwd_args a;
	const char *bad;
	json_int_t id;
	char *err;

	bad = parse_fwd_args(core->opts, args, &a);
	if (bad)
		return reply_error("bad request: add_hostfwd: bad arguments.%s",
				   bad);
	if (core->table->len >= API_MAX_FORWARDS)
		return reply_error("add_hostfwd: too many forwards (max %d)",
				   API_MAX_FORWARDS);
	plan_fwd(core->opts, &a, e);
	err = entry_open(core, e, e->n == 2);
	if (err)
		return err;
	e->id = core->next_id++;
	id = e->id;
	g_ptr_array_add(core->table, g_steal_pointer(&e));
	return reply(json_pack("{s:I}", "id", id), NULL);
}

static json_t *entry_json(const struct fwd_entry *e)
{
	const struct api_fwd *f = &e->fwd[0], *f6 = NULL;
	char h[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:i, s:s, s:i}", "id", e->id, "proto",
		      e->proto, "host_addr", sa_ntop(&f->host, h), "host_port",
		      (int)sa_port(&f->host), "guest_addr",
		      sa_ntop(&f->guest, g), "guest_port",
		      (int)sa_port(&f->guest));
	if (f->host.sa.sa_family == AF_INET6)
		f6 = f;
	else if (e->n == 2)
		f6 = &e->fwd[1];
	if (o && f6) {
		json_object_set_new(o, "host_addr6",
				    json_string(sa_ntop(&f6->host, h)));
		json_object_set_new(o, "guest_addr6",
				    json_string(sa_ntop(&f6->guest, g)));
	}
	return o;
}

static char *cmd_list_hostfwd(struct api_core *core, const json_t *args)
{
	json_t *entries = json_array();
	unsigned int i;

	(void)args;
	for (i = 0; entries && i < core->table->len; i++)
		json_array_append_new(entries,
				      entry_json(core->table->pdata[i]));
	return reply(json_pack("{s:o}", "entries", entries), NULL);
}

/* find_entry() - index of @id in the table (ascending ids), or -1 */
static gssize find_entry(const struct api_core *core, json_int_t id)
{
	guint lo = 0, hi = core->table->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		const struct fwd_entry *e = core->table->pdata[mid];

		if (e->id == id)
			return mid;
		if (e->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static char *cmd_remove_hostfwd(struct api_core *core, const json_t *args)
{
	g_autofree struct fwd_entry *e = NULL;
	json_int_t id;
	gssize i;

	if (!args ||
	    json_unpack_ex((json_t *)args, NULL, 0, "{s:I}", "id", &id) < 0)
		return reply_error("bad request: remove_hostfwd: "
				   "bad arguments.id");
	i = find_entry(core, id);
	if (i < 0)
		return reply_error("bad request: remove_hostfwd: "
				   "bad arguments.id: no forward with id %lld",
				   (long long)id);
	e = g_ptr_array_steal_index(core->table, i);
	entry_close(core, e, e->n);
	return reply(json_object(), NULL);
}

/* --- remote forwards (rfwd.h) ---------------------------------------- */

static json_t *str_json(const char *s);

/* parse_guestfwd_args() - add_guestfwd's fields, checked in order; the
 * network checks are rfwd_check()'s. Return: NULL, or the bad field. */
static const char *parse_guestfwd_args(const struct s4n_opts *opts,
				       const json_t *args, struct rfwd_spec *s)
{
	const json_t *proto = json_object_get(args, "proto");
	const json_t *sock = json_object_get(args, "host_socket");
	union api_sockaddr a;
	uint16_t port;
	int fam;

	memset(s, 0, sizeof(*s));
	if (proto && !json_is_null(proto) &&
	    (!json_is_string(proto) || strcmp(json_string_value(proto), "tcp")))
		return "proto";
	if (get_addr(args, "guest_addr", &a, &fam) < 0)
		return "guest_addr";
	if (fam == AF_UNSPEC)
		sa_set(&a, AF_INET, &opts->vhost, 0);
	memcpy(&s->guest, &a, sizeof(s->guest));
	if (get_port(args, "guest_port", &port) < 0)
		return "guest_port";
	rfwd_set_port(&s->guest, port);
	if (sock && !json_is_null(sock)) {
		if (json_object_get(args, "host_addr") ||
		    json_object_get(args, "host_port"))
			return "host_socket";
		if (!json_is_string(sock) || !*json_string_value(sock) ||
		    strlen(json_string_value(sock)) >= sizeof(s->path))
			return "host_socket";
		strcpy(s->path, json_string_value(sock));
		return NULL;
	}
	if (get_addr(args, "host_addr", &a, &fam) < 0 || fam == AF_UNSPEC)
		return "host_addr";
	memcpy(&s->host, &a, sizeof(s->host));
	if (get_port(args, "host_port", &port) < 0)
		return "host_port";
	rfwd_set_port(&s->host, port);
	return NULL;
}

static char *cmd_add_guestfwd(struct api_core *core, const json_t *args)
{
	const char *bad, *why = NULL;
	struct rfwd_spec s;
	int64_t id;

	if (!core->ops->guest_add)
		return reply_error("add_guestfwd: not supported");
	bad = parse_guestfwd_args(core->opts, args, &s);
	if (bad)
		return reply_error("bad request: add_guestfwd: bad "
				   "arguments.%s",
				   bad);
	id = core->ops->guest_add(core->opaque, &s, &why);
	if (id < 0)
		return reply_error("add_guestfwd: %s", why ? why : "failed");
	return reply(json_pack("{s:I}", "id", (json_int_t)id), NULL);
}

static json_t *guestfwd_json(const struct rfwd_entry *e)
{
	const struct rfwd_spec *s = &e->spec;
	char g[INET6_ADDRSTRLEN], h[INET6_ADDRSTRLEN];
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)e->id, "proto",
		      "tcp", "guest_addr",
		      sa_ntop((const union api_sockaddr *)&s->guest, g),
		      "guest_port", (int)rfwd_guest_port(s));
	if (!o)
		return NULL;
	if (s->path[0])
		json_object_set_new(o, "host_socket", str_json(s->path));
	else
		json_object_set_new(
		    o, "host_addr",
		    json_string(
			sa_ntop((const union api_sockaddr *)&s->host, h)));
	if (!s->path[0])
		json_object_set_new(o, "host_port",
				    json_integer(rfwd_host_port(s)));
	return o;
}

static json_t *guestfwd_list(struct api_core *core)
{
	const struct rfwd_table *t = core->ops->guest_table
					 ? core->ops->guest_table(core->opaque)
					 : NULL;
	json_t *entries = json_array();
	size_t i;

	for (i = 0; entries && i < rfwd_table_len(t); i++)
		json_array_append_new(entries,
				      guestfwd_json(rfwd_table_at(t, i)));
	return entries;
}

static char *cmd_list_guestfwd(struct api_core *core, const json_t *args)
{
	(void)args;
	return reply(json_pack("{s:o}", "entries", guestfwd_list(core)), NULL);
}

static char *cmd_remove_guestfwd(struct api_core *core, const json_t *args)
{
	json_int_t id;

	if (!args ||
	    json_unpack_ex((json_t *)args, NULL, 0, "{s:I}", "id", &id) < 0)
		return reply_error("bad request: remove_guestfwd: "
				   "bad arguments.id");
	if (!core->ops->guest_remove ||
	    core->ops->guest_remove(core->opaque, id) < 0)
		return reply_error("bad request: remove_guestfwd: "
				   "bad arguments.id: no forward with id %lld",
				   (long long)id);
	return reply(json_object(), NULL);
}

/* addr_json() - an address of family @family at @addr, as a JSON string */
static json_t *addr_json(int family, const void *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, buf, sizeof(buf)))
		return json_null();
	return json_string(buf);
}

static json_t *net_json(int family, const void *addr, unsigned int len)
{
	char buf[INET6_ADDRSTRLEN];
	g_autofree char *s = NULL;

	if (!inet_ntop(family, addr, buf, sizeof(buf)))
		return json_null();
	s = g_strdup_printf("%s/%u", buf, len);
	return json_string(s);
}

/* str_json() - a string option as given, or null */
static json_t *str_json(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;

	return v ? v : json_null(); /* also for bytes that are not UTF-8 */
}

static json_t *info_options(const struct s4n_opts *o)
{
	static const char *const netns_types[] = {"pid", "path", "tapfd",
						  "create"};
	char mac[18] = "";

	if (o->has_macaddress)
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 o->macaddress[0], o->macaddress[1], o->macaddress[2],
			 o->macaddress[3], o->macaddress[4], o->macaddress[5]);
	return json_pack(
	    "{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:s?}",
	    "target_type", o->target_type == S4N_TARGET_BESS ? "bess" : "netns",
	    "netns_type",
	    (unsigned int)o->netns_type < G_N_ELEMENTS(netns_types)
		? netns_types[o->netns_type]
		: "?",
	    "configure", o->configure, "enable_ipv6", o->enable_ipv6,
	    "ipv6_random", o->ipv6_random, "disable_host_loopback",
	    o->disable_host_loopback, "disable_dns", o->disable_dns,
	    "enable_sandbox", o->enable_sandbox, "enable_seccomp",
	    o->enable_seccomp, "outbound_addr", str_json(o->outbound_addr_arg),
	    "outbound_addr6", str_json(o->outbound_addr6_arg), "macaddress",
	    o->has_macaddress ? mac : NULL);
}

static char *cmd_get_info(struct api_core *core, const json_t *args)
{
	const struct s4n_opts *o = core->opts;
	json_t *v4, *v6;

	(void)args;
	v4 = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "network",
		       net_json(AF_INET, &o->vnetwork, o->prefix_len),
		       "gateway", addr_json(AF_INET, &o->vhost), "dns",
		       addr_json(AF_INET, &o->vdns), "dhcp_start",
		       addr_json(AF_INET, &o->vdhcp_start), "dhcp_end",
		       addr_json(AF_INET, &o->vdhcp_end), "guest",
		       addr_json(AF_INET, &o->vguest));
	v6 = json_pack("{s:b, s:o, s:o, s:o, s:o}", "enabled", o->enable_ipv6,
		       "prefix",
		       net_json(AF_INET6, &o->vprefix6, o->prefix6_len),
		       "gateway", addr_json(AF_INET6, &o->vhost6), "dns",
		       addr_json(AF_INET6, &o->vdns6), "guest",
		       addr_json(AF_INET6, &o->vguest6));
	return reply(json_pack("{s:s, s:s, s:i, s:o, s:o, s:o, s:o}", "version",
			       PACKAGE_VERSION, "libslirp_version",
			       slirp_version_string(), "mtu", (int)o->mtu,
			       "ipv4", v4, "ipv6", v6, "options",
			       info_options(o), "guest_forwards",
			       guestfwd_list(core)),
		     NULL);
}

static char *cmd_get_stats(struct api_core *core, const json_t *args)
{
	const struct s4n_stats *s = core->stats;
	gint64 up = g_get_monotonic_time() - s->start_time_us;

	(void)args;
	return reply(
	    json_pack("{s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, "
		      "s:{s:I, s:I, s:I}, "
		      "s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}, s:I, s:I, "
		      "s:I, s:I, s:I}",
		      "from_guest", "frames", (json_int_t)s->from_guest_frames,
		      "bytes", (json_int_t)s->from_guest_bytes, "dropped",
		      (json_int_t)s->from_guest_dropped, "bad_destination",
		      (json_int_t)s->from_guest_bad_dest, "bad_neighbour",
		      (json_int_t)s->from_guest_bad_neigh, "syns",
		      (json_int_t)s->from_guest_syns, "refused_nofd",
		      (json_int_t)s->from_guest_refused_nofd, "refused_nomem",
		      (json_int_t)s->from_guest_refused_nomem, "fragments",
		      "received", (json_int_t)s->reasm.fragments, "reassembled",
		      (json_int_t)s->reasm.reassembled, "dropped",
		      (json_int_t)s->reasm.dropped, "to_guest", "frames",
		      (json_int_t)s->to_guest_frames, "bytes",
		      (json_int_t)s->to_guest_bytes, "dropped",
		      (json_int_t)s->to_guest_dropped, "tcp", "flows",
		      (json_int_t)s->tcp_flows, "opened",
		      (json_int_t)s->tcp_flows_opened, "from_guest_bytes",
		      (json_int_t)s->tcp_from_guest_bytes, "to_guest_bytes",
		      (json_int_t)s->tcp_to_guest_bytes, "guest_errors",
		      (json_int_t)s->guest_errors, "forwards",
		      (json_int_t)core->table->len, "api_connections",
		      (json_int_t)s->api_connections, "api_requests",
		      (json_int_t)s->api_requests, "uptime_ms",
		      (json_int_t)(up > 0 ? up / 1000 : 0)),
	    NULL);
}

static const struct {
	const char *name;
	char *(*fn)(struct api_core *core, const json_t *args);
} commands[] = {
    {"add_hostfwd", cmd_add_hostfwd},
    {"list_hostfwd", cmd_list_hostfwd},
    {"remove_hostfwd", cmd_remove_hostfwd},
    {"get_info", cmd_get_info},
    {"get_stats", cmd_get_stats},
    {"add_guestfwd", cmd_add_guestfwd},
    {"list_guestfwd", cmd_list_guestfwd},
    {"remove_guestfwd", cmd_remove_guestfwd},
};

char *api_core_handle(struct api_core *core, const char *req, size_t len)
{
	json_t *root, *args = NULL;
	const char *execute;
	char *out = NULL;
	size_t i;

	core->stats->api_requests++;
	if (len > API_MAX_REQUEST)
		return reply_error("bad request: too large message");
	root = json_loadb(req, len, 0, NULL);
	if (!root)
		return reply_error("bad request: cannot parse JSON");
	if (json_unpack_ex(root, NULL, 0, "{s:s, s?o}", "execute", &execute,
			   "arguments", &args) < 0) {
		json_decref(root);
		return reply_error("bad request: no execute found");
	}
	if (!json_is_object(args))
		args = NULL;
	for (i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (!strcmp(execute, commands[i].name)) {
			out = commands[i].fn(core, args);
			break;
		}
	}
	if (i == G_N_ELEMENTS(commands))
		out = reply_error("bad request: unknown execute");
	json_decref(root);
	return out;
}

struct api_core *api_core_new(const struct s4n_opts *opts,
			      struct s4n_stats *stats,
			      const struct api_fwd_ops *ops, void *opaque)
{
	struct api_core *core = g_new0(struct api_core, 1);

	/* jansson seeds its hash function from /dev/urandom at the first
	 * JSON object, the first request; the sandbox hides /dev, and the
	 * core is created before it (api_server_start()). */
	json_object_seed(0);
	core->opts = opts;
	core->stats = stats;
	core->ops = ops;
	core->opaque = opaque;
	core->table = g_ptr_array_new_with_free_func(g_free);
	core->next_id = 1;
	return core;
}

void api_core_free(struct api_core *core)
{
	if (!core)
		return;
	g_ptr_array_unref(core->table);
	g_free(core);
}

size_t api_core_forwards(const struct api_core *core)
{
	return core->table->len;
}

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* complete_object() - @buf is exactly one JSON object, maybe with spaces */
static bool complete_object(const char *buf, size_t len)
{
	json_t *root;
	bool ok;

	while (len > 0 && is_json_space(buf[len - 1]))
		len--;
	if (len == 0 || buf[len - 1] != '}')
		return false; /* cheap test first: called on every read */
	root = json_loadb(buf, len, 0, NULL);
	ok = json_is_object(root);
	json_decref(root);
	return ok;
}

enum api_frame_kind api_frame_next(const char *buf, size_t len, bool eof,
				   bool first, struct api_frame *ret_frame)
{
	struct api_frame f = {0};
	const char *nl;

	while (f.off < len && is_json_space(buf[f.off]))
		f.off++;
	f.used = f.off;
	if (f.off == len) {
		f.kind = eof ? API_FRAME_END : API_FRAME_MORE;
		*ret_frame = f;
		return f.kind;
	}
	nl = memchr(buf + f.off, '\n', len - f.off);
	if (nl) {
		f.kind = API_FRAME_LINE;
		f.len = (size_t)(nl - buf) - f.off;
		f.used = f.off + f.len + 1;
	} else if (eof || len - f.off > API_MAX_REQUEST ||
		   (first && complete_object(buf + f.off, len - f.off))) {
		f.kind = API_FRAME_LAST;
		f.len = len - f.off;
		f.used = len;
	} else {
		f.kind = API_FRAME_MORE;
	}
	*ret_frame = f;
	return f.kind;
}
