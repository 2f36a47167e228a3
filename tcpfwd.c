/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcpfwd.c - TCP port forwards (add_hostfwd) on the TCP path
 *
 * The daemon owns a forward's listening socket. Each client accepted
 * becomes a flow of the TCP path (tcp_open_from_host()): a SYN to the
 * guest from the client's address, as libslirp's forwards show it (a
 * loopback or unspecified client appears as the gateway address, any
 * other with its own address and port), and then data moves as on the
 * path. UDP forwards stay with libslirp, and so does everything with
 * --disable-tcp-fast-path.
 *
 * A client is refused (closed at once) when the descriptor or memory
 * checks say no; when accept() itself finds no descriptor, one of the
 * reserve is given up to accept and close the client, and the listener
 * pauses a moment, so that the loop never spins on it.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>

#include <glib.h>

#include "log.h"
#include "resources.h"
#include "tcp.h"
#include "tcpfwd.h"
#include "waitset.h"

/* accept() calls per wake-up of one listener: the rest waits for the next
 * round, so that one busy forward does not hold the loop */
#define ACCEPT_BATCH 32
/* a listener that met EMFILE and the like waits this long */
#define ACCEPT_PAUSE_MS 100
/* clients queued by the kernel until accepted (libslirp asks for 1) */
#define LISTEN_BACKLOG SOMAXCONN

struct listener {
	struct tcpfwd *fw;
	int fd;
	guint pause_src; /* paused after EMFILE: the timer that resumes */
	struct api_fwd f;
};

struct tcpfwd {
	struct s4n_ctx *ctx;
	GPtrArray *ls; /* struct listener * */
};

/* the address the guest sees for a client: libslirp's rule (tcp_connect()
 * in its socket.c family): loopback and unspecified become the gateway */
static void client_addr(const struct s4n_opts *o,
			const struct sockaddr_storage *ss, uint8_t ret[16],
			uint16_t *ret_port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;
		uint32_t a = ntohl(sin->sin_addr.s_addr);

		if (a == INADDR_ANY || (a >> 24) == IN_LOOPBACKNET)
			memcpy(ret, &o->vhost, 4);
		else
			memcpy(ret, &sin->sin_addr, 4);
		*ret_port = ntohs(sin->sin_port);
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		/* accept4() wrote the address; clang-analyzer does not know
		 * it (NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)) */
		if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr) ||
		    IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			memcpy(ret, &o->vhost6, 16);
		else
			memcpy(ret, &sin6->sin6_addr, 16);
		*ret_port = ntohs(sin6->sin6_port);
	}
}

/* hand the accepted @fd to the TCP path; Return: 0, or -errno (the caller
 * closes @fd) */
static int open_flow(struct listener *l, int fd,
		     const struct sockaddr_storage *ss)
{
	struct s4n_ctx *ctx = l->fw->ctx;
	/* accept4() wrote *ss, see client_addr()
	 * (NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)) */
	bool v6 = ss->ss_family == AF_INET6;
	const void *gaddr = v6 ? (const void *)&l->f.guest.in6.sin6_addr
			       : (const void *)&l->f.guest.in.sin_addr;
	uint16_t gport =
	    ntohs(v6 ? l->f.guest.in6.sin6_port : l->f.guest.in.sin_port);
	uint8_t caddr[16];
	uint16_t cport;
	int rc;

	if (ss->ss_family != l->f.host.sa.sa_family)
		return -EAFNOSUPPORT;
	rc = ctx->res ? res_room_for_fwd(ctx->res) : 0;
	if (rc < 0)
		return rc;
	client_addr(ctx->opts, ss, caddr, &cport);
	return tcp_open_from_host(ctx->tcp, fd, v6, caddr, cport, gaddr, gport);
}

static gboolean resume_cb(gpointer data)
{
	struct listener *l = data;

	l->pause_src = 0;
	(void)waitset_mod(tcp_waitset(l->fw->ctx->tcp), l->fd, EPOLLIN);
	return G_SOURCE_REMOVE;
}

/* no descriptor for the next client: refuse it with one of the reserve,
 * and let the listener rest */
static void out_of_fds(struct listener *l)
{
	struct res *res = l->fw->ctx->res;

	if (res && res_reserve_take(res)) {
		int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	log_debug("tcp: forward: out of descriptors, clients refused");
	if (!l->pause_src) {
		(void)waitset_mod(tcp_waitset(l->fw->ctx->tcp), l->fd, 0);
		l->pause_src = g_timeout_add(ACCEPT_PAUSE_MS, resume_cb, l);
	}
}

/* a waitset_fn: clients wait on listener @fd */
static void on_listen(void *cookie, int fd, uint32_t events)
{
	struct listener *l = cookie;
	unsigned int i;

	(void)events;
	for (i = 0; i < ACCEPT_BATCH; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int cfd, rc;

		cfd = accept4(fd, (struct sockaddr *)&ss, &sl,
			      SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				out_of_fds(l);
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return; /* EAGAIN: all taken */
		}
		rc = open_flow(l, cfd, &ss);
		if (rc < 0) {
			log_debug("tcp: forward: client refused: %s",
				  g_strerror(-rc));
			close(cfd);
		}
	}
}

static void listener_free(gpointer data)
{
	struct listener *l = data;

	if (l->pause_src)
		g_source_remove(l->pause_src);
	waitset_del(tcp_waitset(l->fw->ctx->tcp), l->fd);
	close(l->fd);
	if (l->fw->ctx->res)
		res_socket_closed(l->fw->ctx->res);
	g_free(l);
}

/* a listening socket on @f->host; Return: fd, or -errno */
static int open_listener(const struct api_fwd *f)
{
	int fd, one = 1, rc = 0;

	fd = socket(f->host.sa.sa_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* a dual-stack forward is two listeners: the IPv6 one leaves IPv4
	 * to its twin whatever net.ipv6.bindv6only says (as
	 * SLIRP_HOSTFWD_V6ONLY does for libslirp's) */
	if (f->host.sa.sa_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		rc = -1;
	if (rc == 0 && bind(fd, &f->host.sa, api_sockaddr_len(&f->host)) < 0)
		rc = -1;
	if (rc == 0 && listen(fd, LISTEN_BACKLOG) < 0)
		rc = -1;
	if (rc < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int tcpfwd_add(struct tcpfwd **ret, struct s4n_ctx *ctx,
	       const struct api_fwd *f)
{
	struct tcpfwd *fw = *ret;
	struct listener *l;
	int fd, rc;

	fd = open_listener(f);
	if (fd < 0)
		return fd;
	if (!fw) {
		fw = g_new0(struct tcpfwd, 1);
		fw->ctx = ctx;
		fw->ls = g_ptr_array_new_with_free_func(listener_free);
		*ret = fw;
	}
	l = g_new0(struct listener, 1);
	l->fw = fw;
	l->fd = fd;
	l->f = *f;
	rc = waitset_add(tcp_waitset(ctx->tcp), fd, EPOLLIN, on_listen, l);
	if (rc < 0) {
		close(fd);
		g_free(l);
		return rc;
	}
	if (ctx->res)
		res_socket_opened(ctx->res);
	g_ptr_array_add(fw->ls, l);
	return 0;
}

static bool same_host(const struct api_fwd *a, const struct api_fwd *b)
{
	socklen_t len = api_sockaddr_len(&a->host);

	return a->host.sa.sa_family == b->host.sa.sa_family &&
	       !memcmp(&a->host, &b->host, len);
}

int tcpfwd_remove(struct tcpfwd *fw, const struct api_fwd *f)
{
	guint i;

	for (i = 0; fw && i < fw->ls->len; i++) {
		const struct listener *l = fw->ls->pdata[i];

		if (same_host(&l->f, f)) {
			g_ptr_array_remove_index(fw->ls, i);
			return 0;
		}
	}
	return -ENOENT;
}

void tcpfwd_free(struct tcpfwd *fw)
{
	if (!fw)
		return;
	g_ptr_array_free(fw->ls, TRUE);
	g_free(fw);
}
