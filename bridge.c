/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge.c - remote forwards in the daemon: listeners and the data relay
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * With the TCP path (tcp.c), a forward is an entry in the table and
 * nothing more: the path asks us (redirect()) for each SYN from the
 * guest, and a SYN to a forward's address and port becomes a flow whose
 * socket connects to the forward's target, TCP of either family or a
 * UNIX stream socket, with the path's zero-copy data movement and its
 * window. That works for an IPv6 guest_addr too, which libslirp's
 * forward calls cannot take. The forwards' addresses other than the
 * gateway answer ARP and NDP from here (neigh()): libslirp answers for
 * its own addresses only. Removing a forward resets its flows.
 *
 * Without the TCP path (--disable-tcp-fast-path), IPv4 forwards go
 * through libslirp, as follows, and an IPv6 guest_addr is refused.
 *
 * libslirp terminates the guest's TCP connection to guest_addr:guest_port
 * and, for a forward registered with slirp_add_unix(), connects a new UNIX
 * stream socket to a path for each of them. That path is a listener of
 * our own, one per forward, in a private 0700 directory: we accept the
 * connection, connect to the real target (a host TCP address of either
 * family, or the user's UNIX socket) and copy the bytes both ways. So the
 * target may be TCP, libslirp never blocks on a slow server (its connect()
 * is a blocking one), and the host-side connection is ours: neither
 * --outbound-addr nor --disable-host-loopback applies to it.
 *
 * A target that refuses (or a UNIX socket that is gone) must reset the
 * guest's connection. libslirp answered the guest's SYN already; it sends
 * a reset when its socket reads ECONNRESET, which a UNIX socket reads when
 * the listener is closed with the connection still unaccepted (unix(7)
 * keeps no such promise, Linux's af_unix.c does). So we connect to the
 * target before accept(): if the answer is an immediate refusal, the
 * listener is replaced by a fresh one (a new path, given to libslirp), and
 * every connection still queued on the old one is reset. A connection to a
 * remote target that fails later is closed: the guest reads its end.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <slirp/libslirp.h>

#include "bridge.h"
#include "log.h"
#include "tap.h"
#include "tcp.h"
#include "util.h"

/* Bytes in flight per direction and connection: a socket buffer's worth */
#define BUF_SIZE (128 * 1024)
/* Connections accepted per wake-up of a listener, so that one busy
 * forward cannot starve the loop */
#define ACCEPT_BATCH 16
/* Queued connections of a listener (listen(2)): libslirp's connect() to
 * us blocks when the queue is full, so keep it long */
#define BACKLOG 4096
/* Longest frame libslirp hands us: IP's limit plus Ethernet */
#define BRIDGE_FRAME_MAX (65535 + 14)

struct bridge {
	struct s4n_ctx *ctx;
	struct rfwd_table *table;
	char *dir;	      /* private directory of the listeners' sockets */
	bool dir_given;	      /* the sandbox's: not ours to remove */
	struct rfwd_nat *nat; /* forwards on the gateway; NULL until one */
	uint8_t *out;	      /* a rewritten frame to the guest */
	unsigned int nconns;  /* connections open, over all forwards */
	bool sandboxed;	      /* in --enable-sandbox's mount namespace */
	bool hooked;	      /* redirect() and neigh() are in place */
};

struct fwd;

/*
 * struct half - one direction of a connection: bytes read from fd[i],
 * waiting in @buf to be written to fd[1 - i].
 */
struct half {
	char *buf;
	size_t off, len;
	bool eof;  /* fd[i] reached its end: shut fd[1 - i] down once empty */
	bool shut; /* ... and so we did */
};

struct conn {
	struct fwd *f;
	int fd[2]; /* 0: libslirp's socket, accepted; 1: the target */
	guint src[2];
	GIOCondition cond[2];
	bool connecting; /* fd[1]'s connect() still in progress */
	struct half h[2];
};

struct fwd {
	struct bridge *b;
	int64_t id;
	struct rfwd_spec spec;
	int lfd;
	guint lsrc;
	unsigned int gen; /* part of the path; 0 (the path never changes) */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	GList *conns;
};

static gboolean listen_cb(gint fd, GIOCondition cond, gpointer data);
static gboolean conn_cb(gint fd, GIOCondition cond, gpointer data);

/* --- the private directory --------------------------------------------- */

/*
 * pick_base() - where the directory goes: $XDG_RUNTIME_DIR (Podman and
 * RootlessKit set it; under /run, which --enable-sandbox keeps), /run for
 * root, else the temporary directory.
 */
static const char *pick_base(void)
{
	const char *x = getenv("XDG_RUNTIME_DIR");

	if (x && x[0] == '/' && access(x, W_OK | X_OK) == 0)
		return x;
	if (access("/run", W_OK | X_OK) == 0)
		return "/run";
	x = getenv("TMPDIR");
	return x && x[0] == '/' ? x : "/tmp";
}

static struct bridge *get_bridge(struct s4n_ctx *ctx)
{
	if (!ctx->bridge) {
		ctx->bridge = g_new0(struct bridge, 1);
		ctx->bridge->ctx = ctx;
		ctx->bridge->table = rfwd_table_new();
	}
	return ctx->bridge;
}

/* bridge_prepare() - create the private directory of the sockets.
 * Return: the directory, or NULL after logging. */
static const char *bridge_prepare(struct s4n_ctx *ctx)
{
	struct bridge *b = get_bridge(ctx);
	g_autofree char *dir = NULL;

	if (b->dir)
		return b->dir;
	dir = g_strdup_printf("%s/slirp4netns-fwd.XXXXXX", pick_base());
	/* sun_path must hold "DIR/ID.GEN" */
	if (strlen(dir) + 24 >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		log_error("remote forwards: directory name too long: \"%s\"",
			  dir);
		return NULL;
	}
	if (!g_mkdtemp_full(dir, 0700)) {
		log_error("remote forwards: cannot create \"%s\": %s", dir,
			  strerror(errno));
		return NULL;
	}
	b->dir = g_steal_pointer(&dir);
	return b->dir;
}

/* --- listeners ----------------------------------------------------------- */

static int listen_unix(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(sun.sun_path, path); /* length checked by bridge_prepare() */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, BACKLOG) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

/*
 * fwd_listen() - bind listener number f->gen and point libslirp's forward
 * at it. libslirp keeps one path per guest address and port, so the old
 * entry goes first.
 *
 * Return: 0, or -errno.
 */
/* slirp_addr() - the address of @f's forward in libslirp */
static struct in_addr slirp_addr(const struct fwd *f)
{
	struct in_addr ga = f->spec.guest.in.sin_addr;

	return ga.s_addr == f->b->ctx->opts->vhost.s_addr
		   ? rfwd_hidden4(f->b->ctx->opts)
		   : ga;
}

static int fwd_listen(struct fwd *f)
{
	struct in_addr ga = slirp_addr(f);
	int port = rfwd_guest_port(&f->spec), fd;

	snprintf(f->path, sizeof(f->path), "%s/%lld.%u", f->b->dir,
		 (long long)f->id, f->gen);
	fd = listen_unix(f->path);
	if (fd < 0)
		return fd;
	if (f->lfd >= 0)
		(void)slirp_remove_guestfwd(f->b->ctx->slirp, ga, port);
	if (slirp_add_unix(f->b->ctx->slirp, f->path, &ga, port) < 0) {
		close(fd);
		(void)unlink(f->path);
		return -EADDRINUSE;
	}
	f->lfd = fd;
	f->lsrc = g_unix_fd_add(fd, G_IO_IN, listen_cb, f);
	return 0;
}

static void fwd_unlisten(struct fwd *f)
{
	if (f->lfd < 0)
		return;
	g_source_remove(f->lsrc);
	close(f->lfd); /* resets the connections still queued */
	f->lfd = -1;
	(void)unlink(f->path);
}

/*
 * fwd_reset_queued() - the target refused: reset every connection queued
 * on the listener by closing it, and listen anew at the same path, which
 * libslirp keeps (replacing its entry instead would leak the path string
 * libslirp 4.7 copied, at each refusal a guest provokes). Where the file
 * cannot be removed (seccomp without the sandbox), keep the listener: the
 * caller closes the connection instead.
 *
 * Return: true if the queue was reset.
 */
static bool fwd_reset_queued(struct fwd *f)
{
	int fd;

	if (unlink(f->path) < 0)
		return false;
	g_source_remove(f->lsrc);
	close(f->lfd); /* resets what it queued */
	fd = listen_unix(f->path);
	if (fd < 0) {
		log_warn("remote forward %lld: cannot listen again: %s",
			 (long long)f->id, strerror(-fd));
		f->lfd = -1;
		return true;
	}
	f->lfd = fd;
	f->lsrc = g_unix_fd_add(fd, G_IO_IN, listen_cb, f);
	return true;
}

/* --- connections ----------------------------------------------------------- */

static void conn_free(struct conn *c)
{
	for (int i = 0; i < 2; i++) {
		if (c->src[i])
			g_source_remove(c->src[i]);
		close(c->fd[i]);
		g_free(c->h[i].buf);
	}
	c->f->conns = g_list_remove(c->f->conns, c);
	if (--c->f->b->nconns == 0)
		tap_set_after_input(c->f->b->ctx->tap, NULL, NULL);
	g_free(c);
}

static void conn_watch(struct conn *c, int i, GIOCondition cond)
{
	if (c->src[i] && c->cond[i] == cond)
		return;
	if (c->src[i])
		g_source_remove(c->src[i]);
	c->src[i] = cond ? g_unix_fd_add(c->fd[i], cond, conn_cb, c) : 0;
	c->cond[i] = cond;
}

/* conn_update() - what each fd waits for: input while its half has room
 * and no end, output while the other half has bytes for it */
static void conn_update(struct conn *c)
{
	for (int i = 0; i < 2; i++) {
		const struct half *in = &c->h[i], *out = &c->h[1 - i];
		GIOCondition cond = 0;

		if (i == 1 && c->connecting) {
			conn_watch(c, i, G_IO_OUT);
			continue;
		}
		if (!in->eof && in->len < BUF_SIZE &&
		    !(i == 0 && c->connecting))
			cond |= G_IO_IN;
		if (out->len)
			cond |= G_IO_OUT;
		conn_watch(c, i, cond);
	}
}

/*
 * pump() - read fd[i] into its half, write the other half out to fd[i].
 *
 * Return: 0, or -1 when the connection is over.
 */
static int pump(struct conn *c, int i)
{
	struct half *in = &c->h[i], *out = &c->h[1 - i];
	ssize_t n;

	if (!in->eof && in->len < BUF_SIZE) {
		if (!in->buf)
			in->buf = g_malloc(BUF_SIZE);
		if (in->off && in->off + in->len == BUF_SIZE) {
			memmove(in->buf, in->buf + in->off, in->len);
			in->off = 0;
		}
		n = read(c->fd[i], in->buf + in->off + in->len,
			 BUF_SIZE - in->off - in->len);
		if (n > 0)
			in->len += (size_t)n;
		else if (n == 0)
			in->eof = true;
		else if (errno != EAGAIN && errno != EINTR)
			return -1;
	}
	if (out->len) {
		n = write(c->fd[i], out->buf + out->off, out->len);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (n > 0) {
			out->off += (size_t)n;
			out->len -= (size_t)n;
			if (!out->len)
				out->off = 0;
		}
	}
	if (out->eof && !out->len && !out->shut) {
		(void)shutdown(c->fd[i], SHUT_WR);
		out->shut = true;
	}
	return c->h[0].shut && c->h[1].shut ? -1 : 0;
}

static gboolean conn_cb(gint fd, GIOCondition cond, gpointer data)
{
	struct conn *c = data;
	int i = fd == c->fd[1], err = 0;
	socklen_t len = sizeof(err);
	guint self = c->src[i];

	if (i == 1 && c->connecting) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
		    err) {
			log_debug("remote forward %lld: target: %s",
				  (long long)c->f->id, strerror(err));
			conn_free(c);
			return G_SOURCE_REMOVE;
		}
		c->connecting = false;
	}
	(void)cond;
	if (pump(c, i) < 0 || (!c->connecting && pump(c, 1 - i) < 0)) {
		conn_free(c);
		return G_SOURCE_REMOVE;
	}
	/* conn_update() replaces this very source when its condition
	 * changes: then it is gone already */
	conn_update(c);
	return c->src[i] == self ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/*
 * target_connect() - a non-blocking connection to the forward's target.
 * @ret_pending:	true when the answer is not known yet
 *
 * Return: the fd, or -errno when the target refused at once.
 */
/* target_addr() - the socket address of @s's target */
static void target_addr(const struct rfwd_spec *s, struct sockaddr_storage *ret,
			socklen_t *ret_len)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)ret;

	memset(ret, 0, sizeof(*ret));
	if (s->path[0]) {
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, s->path, sizeof(sun->sun_path));
		*ret_len = sizeof(*sun);
	} else {
		*ret_len = s->host.sa.sa_family == AF_INET6
			       ? sizeof(s->host.in6)
			       : sizeof(s->host.in);
		memcpy(ret, &s->host, *ret_len);
	}
}

static int target_connect(const struct fwd *f, bool *ret_pending)
{
	struct sockaddr_storage ss;
	const struct sockaddr *sa = (const struct sockaddr *)&ss;
	socklen_t salen;
	struct pollfd p;
	int fd, err = 0;
	socklen_t len = sizeof(err);

	target_addr(&f->spec, &ss, &salen);
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	*ret_pending = false;
	if (connect(fd, sa, salen) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		err = errno;
		close(fd);
		return -err;
	}
	/* a target on this host answers before connect() returns */
	p = (struct pollfd){.fd = fd, .events = POLLOUT};
	if (poll(&p, 1, 0) == 1) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
		    !err)
			return fd;
		close(fd);
		return -(err ? err : ECONNREFUSED);
	}
	*ret_pending = true;
	return fd;
}

static bool still_queued(int lfd)
{
	struct pollfd p = {.fd = lfd, .events = POLLIN};

	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

/*
 * bridge_drain() - move what libslirp wrote to our UNIX sockets on to the
 * targets, after each frame from the guest. libslirp 4.7 writes a guest's
 * data to its socket at once while nothing waits in its buffer, and else
 * only when the socket polls writable; and after such a later write it
 * sends the guest no window update: the guest waits for a timer, some
 * 200 ms, every few hundred KiB (2 MB/s). A UNIX socket takes only about
 * 200 KiB, less than a batch of frames brings: draining it between frames
 * keeps libslirp on its direct path.
 */
static void bridge_drain(void *opaque)
{
	struct bridge *b = opaque;
	GList *fl, *next;

	for (guint i = 0; i < rfwd_table_len(b->table); i++) {
		struct fwd *f = rfwd_table_at(b->table, i)->data;

		for (fl = f->conns; fl; fl = next) {
			struct conn *c = fl->data;

			next = fl->next;
			if (c->connecting)
				continue;
			if (pump(c, 0) < 0 || pump(c, 1) < 0) {
				conn_free(c);
				continue;
			}
			conn_update(c);
		}
	}
}

static void conn_new(struct fwd *f, int cfd, int tfd, bool pending)
{
	struct conn *c = g_new0(struct conn, 1);

	c->f = f;
	c->fd[0] = cfd;
	c->fd[1] = tfd;
	c->connecting = pending;
	f->conns = g_list_prepend(f->conns, c);
	if (f->b->nconns++ == 0)
		tap_set_after_input(f->b->ctx->tap, bridge_drain, f->b);
	conn_update(c);
}

static gboolean listen_cb(gint fd, GIOCondition cond, gpointer data)
{
	struct fwd *f = data;

	(void)cond;
	for (int n = 0; n < ACCEPT_BATCH && (n == 0 || still_queued(fd)); n++) {
		bool pending = false;
		int tfd = target_connect(f, &pending), cfd;

		if (tfd < 0) {
			log_debug("remote forward %lld: target: %s",
				  (long long)f->id, strerror(-tfd));
			if (fwd_reset_queued(f))
				return G_SOURCE_REMOVE; /* source removed */
		}
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (tfd >= 0)
				close(tfd);
			break;
		}
		if (tfd < 0) {
			close(cfd); /* the guest reads the end */
			continue;
		}
		conn_new(f, cfd, tfd, pending);
	}
	return G_SOURCE_CONTINUE;
}

/* --- forwards on the gateway ------------------------------------------- */

static bool on_gateway(const struct bridge *b, const struct rfwd_spec *s)
{
	return s->guest.sa.sa_family == AF_INET &&
	       s->guest.in.sin_addr.s_addr == b->ctx->opts->vhost.s_addr;
}

static void nat_add(struct bridge *b, const struct fwd *f)
{
	if (!on_gateway(b, &f->spec))
		return;
	if (!b->nat) {
		b->nat = g_new0(struct rfwd_nat, 1);
		b->nat->gw = b->ctx->opts->vhost;
		b->nat->hidden = rfwd_hidden4(b->ctx->opts);
		tap_set_nat(b->ctx->tap, b->nat);
	}
	b->nat->ports[b->nat->n++] = f->spec.guest.in.sin_port;
}

static void nat_del(struct bridge *b, const struct fwd *f)
{
	unsigned int i;

	if (!b->nat || !on_gateway(b, &f->spec))
		return;
	for (i = 0; i < b->nat->n; i++) {
		if (b->nat->ports[i] == f->spec.guest.in.sin_port) {
			b->nat->ports[i] = b->nat->ports[--b->nat->n];
			break;
		}
	}
}

const void *bridge_frame_out(struct s4n_ctx *ctx, const void *frame, size_t len)
{
	struct bridge *b = ctx->bridge;

	if (!b || !b->nat || !b->nat->n)
		return frame;
	if (!b->out)
		b->out = g_malloc(BRIDGE_FRAME_MAX);
	if (rfwd_nat_out(b->nat, frame, len, b->out, BRIDGE_FRAME_MAX))
		return b->out;
	return frame;
}

/* --- on the TCP path ------------------------------------------------------ */

/* a tcp_redirect_fn: the target of the forward at @daddr:@dport */
static bool redirect(void *opaque, bool v6, const uint8_t *daddr,
		     uint16_t dport, struct sockaddr_storage *ret,
		     socklen_t *ret_len)
{
	const struct bridge *b = opaque;
	const struct rfwd_entry *e =
	    rfwd_table_match(b->table, v6, daddr, dport);

	if (!e)
		return false;
	target_addr(&e->spec, ret, ret_len);
	return true;
}

/* tap_set_neigh()'s callback: ARP and NDP for the forwards' addresses,
 * from libslirp's own MAC address (52:55 and the gateway's IPv4) */
static bool neigh(void *opaque, const uint8_t *f, size_t len)
{
	const struct bridge *b = opaque;
	uint8_t out[RFWD_NEIGH_MAX], mac[6] = {0x52, 0x55};
	size_t n;

	memcpy(mac + 2, &b->ctx->opts->vhost, 4);
	n = rfwd_neigh_reply(b->table, b->ctx->opts, mac, f, len, out);
	if (!n)
		return false;
	(void)tap_send(b->ctx->tap, out, n);
	return true;
}

static void hook(struct bridge *b)
{
	if (b->hooked)
		return;
	tcp_set_redirect(b->ctx->tcp, redirect, b);
	tap_set_neigh(b->ctx->tap, neigh, b);
	b->hooked = true;
}

/*
 * in_view() - with --enable-sandbox, can the daemon reach the UNIX socket
 * @path? Its mount namespace holds what --guestfwd named at start-up
 * (and /etc): a path outside would give every guest connection a reset.
 *
 * Return: NULL, or why not (a static string).
 */
static const char *in_view(const struct bridge *b, const char *path)
{
	struct stat st;

	if (!b->sandboxed || stat(path, &st) == 0)
		return NULL;
	if (errno == ENOENT || errno == ENOTDIR)
		return "host_socket is outside what --enable-sandbox keeps in "
		       "view (the sockets that --guestfwd names at start-up, "
		       "and /etc)";
	return "host_socket cannot be reached inside --enable-sandbox";
}

/* --- the table --------------------------------------------------------- */

int64_t bridge_add(struct s4n_ctx *ctx, const struct rfwd_spec *s,
		   const char **ret_why)
{
	struct bridge *b = get_bridge(ctx);
	struct rfwd_entry *e;
	struct fwd *f;
	int rc;

	*ret_why = rfwd_check(ctx->opts, b->table, s);
	if (*ret_why)
		return -1;
	if (s->guest.sa.sa_family != AF_INET && !ctx->tcp) {
		*ret_why = "an IPv6 guest_addr needs the TCP path "
			   "(not with --disable-tcp-fast-path)";
		return -1;
	}
	if (rfwd_table_len(b->table) >= RFWD_MAX) {
		*ret_why = "too many remote forwards";
		return -1;
	}
	if (s->path[0] && (*ret_why = in_view(b, s->path)))
		return -1;
	if (ctx->tcp) {
		e = rfwd_table_add(b->table, s, NULL);
		hook(b);
		return e->id;
	}
	if (!b->dir && !bridge_prepare(ctx)) {
		*ret_why = "cannot create the directory of the forwards' "
			   "sockets";
		return -1;
	}
	f = g_new0(struct fwd, 1);
	f->b = b;
	f->spec = *s;
	f->lfd = -1;
	e = rfwd_table_add(b->table, s, f);
	f->id = e->id;
	rc = fwd_listen(f);
	if (rc < 0) {
		(void)rfwd_table_remove(b->table, f->id);
		g_free(f);
		*ret_why = rc == -EADDRINUSE ? "guest_addr and guest_port "
					       "are taken in libslirp"
					     : strerror(-rc);
		return -1;
	}
	nat_add(b, f);
	s4n_slirp_changed(ctx);
	return e->id;
}

int bridge_start(struct s4n_ctx *ctx, const char *dir)
{
	const struct s4n_opts *o = ctx->opts;
	struct rfwd_spec s;
	const char *why;
	unsigned int i;

	if (dir) {
		get_bridge(ctx)->dir = g_strdup(dir);
		ctx->bridge->dir_given = true;
		ctx->bridge->sandboxed = true;
	} else if (o->enable_seccomp && (o->api_socket || o->n_guestfwd) &&
		   !ctx->tcp && !bridge_prepare(ctx)) {
		return -1; /* mkdir() is not allowed later */
	}
	for (i = 0; i < o->n_guestfwd; i++) {
		if (rfwd_parse(o->guestfwd[i], o, &s, &why) < 0 ||
		    bridge_add(ctx, &s, &why) < 0) {
			log_error("--guestfwd \"%s\": %s", o->guestfwd[i], why);
			return -1;
		}
	}
	return 0;
}

static void fwd_close(struct fwd *f)
{
	while (f->conns)
		conn_free(f->conns->data);
	/* libslirp 4.7 keeps the path string of the entry: 45 bytes or so
	 * per removal, which only the API (or our exit) asks for */
	(void)slirp_remove_guestfwd(f->b->ctx->slirp, slirp_addr(f),
				    rfwd_guest_port(&f->spec));
	fwd_unlisten(f);
	nat_del(f->b, f);
	g_free(f);
}

/* path_close() - a forward on the TCP path goes: its flows are reset */
static void path_close(struct bridge *b, const struct rfwd_spec *s)
{
	const union rfwd_sockaddr *g = &s->guest;

	if (g->sa.sa_family == AF_INET6)
		tcp_reset_to(b->ctx->tcp, true, g->in6.sin6_addr.s6_addr,
			     rfwd_guest_port(s));
	else
		tcp_reset_to(b->ctx->tcp, false,
			     (const uint8_t *)&g->in.sin_addr,
			     rfwd_guest_port(s));
}

int bridge_remove(struct s4n_ctx *ctx, int64_t id)
{
	struct bridge *b = ctx->bridge;
	struct rfwd_entry *e = b ? rfwd_table_find(b->table, id) : NULL;

	if (!e)
		return -ENOENT;
	if (e->data)
		fwd_close(e->data);
	else
		path_close(b, &e->spec);
	(void)rfwd_table_remove(b->table, id);
	s4n_slirp_changed(ctx);
	return 0;
}

const struct rfwd_table *bridge_table(const struct s4n_ctx *ctx)
{
	return ctx->bridge ? ctx->bridge->table : NULL;
}

void bridge_free(struct s4n_ctx *ctx)
{
	struct bridge *b = ctx->bridge;

	if (!b)
		return;
	while (rfwd_table_len(b->table))
		(void)bridge_remove(ctx, rfwd_table_at(b->table, 0)->id);
	if (b->dir && !b->dir_given)
		(void)rmdir(b->dir);
	if (b->nat)
		tap_set_nat(ctx->tap, NULL);
	if (b->hooked) {
		tcp_set_redirect(ctx->tcp, NULL, NULL);
		tap_set_neigh(ctx->tap, NULL, NULL);
	}
	g_free(b->nat);
	g_free(b->out);
	rfwd_table_free(b->table);
	g_free(b->dir);
	g_free(b);
	ctx->bridge = NULL;
}
