/* SPDX-License-Identifier: GPL-2.0-or-later */
/* apiserver.c - the API's socket side: listener, clients, forwards
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Accepts clients on --api-socket, splits their input into requests with
 * api_frame_next(), hands each to the core (api.c) and writes the replies,
 * never blocking the loop: each client costs at most one input buffer, its
 * pending replies and a timer. The core's forward operations end here, in
 * libslirp.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <slirp/libslirp.h>

#include "api.h"
#include "apiserver.h"
#include "bridge.h"
#include "heap.h"
#include "log.h"
#include "resources.h"
#include "tcpfwd.h"
#include "unixsock.h"
#include "util.h"

#define API_MAX_CLIENTS 128	/* more are accepted and closed at once */
#define API_TIMEOUT_MS 10000	/* to send a request and read its reply */
#define API_OUT_HIGH 65536	/* stop handling requests above this */
#define API_ACCEPT_BATCH 16	/* accept() calls per wake-up */
#define API_ACCEPT_PAUSE_MS 100 /* after EMFILE and the like */

struct api_client {
	struct api_server *api;
	int fd;
	guint io_src; /* fd watch, for io_cond */
	GIOCondition io_cond;
	guint timer_src;
	bool eof;      /* the client shut down its side */
	bool closing;  /* last reply queued: close once written */
	bool answered; /* a request was handled already */
	GString *out;  /* replies not yet written, from out_off */
	size_t out_off;
	size_t in_len;
	char in[API_MAX_REQUEST + 1];
};

struct api_server {
	struct s4n_ctx *ctx;
	struct api_core *core;
	int listen_fd;
	guint listen_src;
	guint pause_src;
	GList *clients;
	unsigned int nclients;
	struct util_sockfile file;
};

static int slirp_fwd_flags(const struct api_fwd *f)
{
	int flags = f->udp ? SLIRP_HOSTFWD_UDP : 0;

	/* A dual-stack forward is two sockets: the IPv6 one must leave IPv4
	 * to its twin whatever net.ipv6.bindv6only says. */
	if (f->host.sa.sa_family == AF_INET6)
		flags |= SLIRP_HOSTFWD_V6ONLY;
	return flags;
}

static int slirp_fwd_add(void *opaque, const struct api_fwd *f)
{
	struct s4n_ctx *ctx = opaque;
	int tries = 2;

	do {
		errno = 0;
		if (!f->udp && ctx->tcp) {
			/* on the TCP path: the listener is ours (tcpfwd.c) */
			int rc = tcpfwd_add(&ctx->tcpfwd, ctx, f);

			if (rc == 0)
				return 0;
			errno = -rc;
		} else if (slirp_add_hostxfwd(ctx->slirp, &f->host.sa,
					      api_sockaddr_len(&f->host),
					      &f->guest.sa,
					      api_sockaddr_len(&f->guest),
					      slirp_fwd_flags(f)) == 0) {
			heap_forwards(1);
			s4n_slirp_changed(ctx);
			return 0;
		}
		/* the guest's flows took every descriptor: a forward
		 * may have one of the reserve */
	} while ((errno == EMFILE || errno == ENFILE) && --tries &&
		 res_reserve_take(ctx->res));
	return errno ? -errno : -EIO;
}

static int slirp_fwd_remove(void *opaque, const struct api_fwd *f)
{
	struct s4n_ctx *ctx = opaque;

	if (!f->udp && ctx->tcp)
		return tcpfwd_remove(ctx->tcpfwd, f);
	if (slirp_remove_hostxfwd(ctx->slirp, &f->host.sa,
				  api_sockaddr_len(&f->host),
				  slirp_fwd_flags(f)) < 0)
		return -ENOENT;
	heap_forwards(-1);
	s4n_slirp_changed(ctx);
	return 0;
}

static int64_t guestfwd_add(void *opaque, const struct rfwd_spec *s,
			    const char **ret_why)
{
	return bridge_add(opaque, s, ret_why);
}

static int guestfwd_remove(void *opaque, int64_t id)
{
	return bridge_remove(opaque, id);
}

static const struct rfwd_table *guestfwd_table(void *opaque)
{
	return bridge_table(opaque);
}

static const struct api_fwd_ops slirp_fwd_ops = {
    .add = slirp_fwd_add,
    .remove = slirp_fwd_remove,
    .guest_add = guestfwd_add,
    .guest_remove = guestfwd_remove,
    .guest_table = guestfwd_table,
};

static void client_free(struct api_client *c)
{
	struct api_server *api = c->api;

	if (c->io_src)
		g_source_remove(c->io_src);
	if (c->timer_src)
		g_source_remove(c->timer_src);
	close(c->fd);
	(void)res_reserve_fill(api->ctx->res);
	g_string_free(c->out, TRUE);
	api->clients = g_list_remove(api->clients, c);
	api->nclients--;
	g_free(c);
}

static gboolean client_timeout_cb(gpointer data)
{
	struct api_client *c = data;

	log_debug("api: client %d timed out", c->fd);
	c->timer_src = 0;
	client_free(c);
	return G_SOURCE_REMOVE;
}

static void client_timer_restart(struct api_client *c)
{
	if (c->timer_src)
		g_source_remove(c->timer_src);
	c->timer_src = g_timeout_add(API_TIMEOUT_MS, client_timeout_cb, c);
}

static gboolean client_io_cb(gint fd, GIOCondition cond, gpointer data);

/* client_watch() - wait for @cond on the client's fd, and only that */
static void client_watch(struct api_client *c, GIOCondition cond)
{
	if (c->io_src && c->io_cond == cond)
		return;
	if (c->io_src)
		g_source_remove(c->io_src);
	c->io_cond = cond;
	c->io_src = g_unix_fd_add(c->fd, cond, client_io_cb, c);
}

/* client_flush() - write what the socket takes. Return: 0 or -errno */
static int client_flush(struct api_client *c)
{
	while (c->out_off < c->out->len) {
		ssize_t n =
		    send(c->fd, c->out->str + c->out_off,
			 c->out->len - c->out_off, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		c->out_off += (size_t)n;
	}
	if (c->out->len > 0) {
		/* A reply went out whole: the client has another full timeout
		 * for its next request. */
		g_string_truncate(c->out, 0);
		c->out_off = 0;
		client_timer_restart(c);
	}
	return 0;
}

/* client_read() - one read into the input buffer. Return: 0 or -errno */
static int client_read(struct api_client *c)
{
	ssize_t n;

	if (c->eof || c->in_len == sizeof(c->in))
		return 0;
	n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len,
		 MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (n == 0)
		c->eof = true;
	c->in_len += (size_t)n;
	return 0;
}

/*
 * client_handle() - answer the requests buffered so far, until the pending
 * replies pass API_OUT_HIGH.
 *
 * Return: true if it stopped for that reason, with requests left.
 */
static bool client_handle(struct api_client *c)
{
	while (!c->closing) {
		struct api_frame f;
		char *r;

		if (c->out->len - c->out_off >= API_OUT_HIGH)
			return true;
		api_frame_next(c->in, c->in_len, c->eof, !c->answered, &f);
		if (f.kind == API_FRAME_END)
			c->closing = true;
		if (f.kind != API_FRAME_LINE && f.kind != API_FRAME_LAST) {
			memmove(c->in, c->in + f.used, c->in_len - f.used);
			c->in_len -= f.used;
			break;
		}
		c->answered = true;
		r = api_core_handle(c->api->core, c->in + f.off, f.len);
		if (r)
			g_string_append(c->out, r);
		else
			g_string_append(c->out, "{\"error\":{\"desc\":"
						"\"out of memory\"}}");
		g_string_append_c(c->out, '\n');
		free(r);
		memmove(c->in, c->in + f.used, c->in_len - f.used);
		c->in_len -= f.used;
		if (f.kind == API_FRAME_LAST)
			c->closing = true;
	}
	return false;
}

/*
 * client_step() - after any event: answer, write, then decide what to wait
 * for. Input is read only while no reply is pending, so a client that does
 * not read its replies stops being read, and is dropped by its timer.
 *
 * Return: false if the client was freed.
 */
static bool client_step(struct api_client *c)
{
	bool more;

	do {
		more = client_handle(c);
		if (client_flush(c) < 0) {
			client_free(c);
			return false;
		}
	} while (more && c->out->len == 0);
	if (c->out_off < c->out->len) {
		client_watch(c, G_IO_OUT);
	} else if (c->closing || c->in_len == sizeof(c->in) || c->eof) {
		/* the last reply is out; or nothing more can come, as
		 * api_frame_next() always takes a full buffer or an EOF */
		client_free(c);
		return false;
	} else {
		client_watch(c, G_IO_IN);
	}
	return true;
}

static gboolean client_io_cb(gint fd, GIOCondition cond, gpointer data)
{
	struct api_client *c = data;

	(void)fd;
	if ((cond & (G_IO_IN | G_IO_HUP | G_IO_ERR)) && c->io_cond == G_IO_IN &&
	    client_read(c) < 0) {
		client_free(c);
		return G_SOURCE_CONTINUE; /* already removed */
	}
	(void)client_step(c);
	return G_SOURCE_CONTINUE;
}

static void client_new(struct api_server *api, int fd)
{
	struct api_client *c = g_new0(struct api_client, 1);

	c->api = api;
	c->fd = fd;
	c->out = g_string_new(NULL);
	api->clients = g_list_prepend(api->clients, c);
	api->nclients++;
	api->ctx->stats.api_connections++;
	client_timer_restart(c);
	client_watch(c, G_IO_IN);
}

static gboolean listen_cb(gint fd, GIOCondition cond, gpointer data);

static gboolean accept_resume_cb(gpointer data)
{
	struct api_server *api = data;

	api->pause_src = 0;
	api->listen_src =
	    g_unix_fd_add(api->listen_fd, G_IO_IN, listen_cb, api);
	return G_SOURCE_REMOVE;
}

/* reject() - tell a client over the limit why, if its socket has room */
static void reject(int fd)
{
	static const char msg[] =
	    "{\"error\":{\"desc\":\"too many clients\"}}\n";

	(void)!send(fd, msg, sizeof(msg) - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
}

static gboolean listen_cb(gint fd, GIOCondition cond, gpointer data)
{
	struct api_server *api = data;
	int i;

	(void)cond;
	for (i = 0; i < API_ACCEPT_BATCH; i++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN)
				break;
			/* libslirp's flows took every descriptor: the
			 * reserve keeps the API answering */
			if ((errno == EMFILE || errno == ENFILE) &&
			    res_reserve_take(api->ctx->res))
				continue;
			/* Out of fds or memory: the listener would stay
			 * readable and spin the loop, so sleep a little. */
			log_debug("api: accept: %s", strerror(errno));
			api->listen_src = 0;
			api->pause_src = g_timeout_add(API_ACCEPT_PAUSE_MS,
						       accept_resume_cb, api);
			return G_SOURCE_REMOVE;
		}
		if (api->nclients >= API_MAX_CLIENTS)
			reject(cfd);
		else
			client_new(api, cfd);
	}
	return G_SOURCE_CONTINUE;
}

struct api_server *api_server_start(struct s4n_ctx *ctx, int listen_fd,
				    const char *path)
{
	struct api_server *api = g_new0(struct api_server, 1);

	api->ctx = ctx;
	api->core = api_core_new(ctx->opts, &ctx->stats, &slirp_fwd_ops, ctx);
	api->listen_fd = listen_fd;
	util_sockfile_open(&api->file, path);
	api->listen_src = g_unix_fd_add(listen_fd, G_IO_IN, listen_cb, api);
	return api;
}

void api_server_stop(struct api_server *api)
{
	if (!api)
		return;
	while (api->clients)
		client_free(api->clients->data);
	if (api->listen_src)
		g_source_remove(api->listen_src);
	if (api->pause_src)
		g_source_remove(api->pause_src);
	close(api->listen_fd);
	/* only if it is still ours: another daemon may have replaced it */
	util_sockfile_remove(&api->file);
	api_core_free(api->core);
	g_free(api);
}

int api_socket_open(const char *path)
{
	int fd = unixsock_listen(path, SOCK_STREAM, SOMAXCONN);

	if (fd >= 0)
		return fd;
	if (fd == -EINVAL)
		log_error("--api-socket \"\": empty path");
	else if (fd == -ENAMETOOLONG)
		log_error("--api-socket \"%s\": path too long (max %zu bytes)",
			  path,
			  sizeof(((struct sockaddr_un *)NULL)->sun_path) - 1);
	else if (fd == -EADDRINUSE)
		log_error("--api-socket \"%s\": in use by a running process",
			  path);
	else if (fd == -EEXIST)
		log_error("--api-socket \"%s\": exists and is not a socket",
			  path);
	else
		log_error("--api-socket \"%s\": %s", path, strerror(-fd));
	return -1;
}
