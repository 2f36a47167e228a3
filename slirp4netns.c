/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirp4netns.c - the main loop and the libslirp glue
 *
 * One GMainLoop. libslirp, the TAP fd and the loop's own exits (signals,
 * --exit-fd, the target process) are its sources; the API adds its own.
 *
 * libslirp asks for its sockets' events on every iteration
 * (slirp_pollfds_fill(), see libslirp.h) and reads the answers back
 * (slirp_pollfds_poll()); both go through the wait set (waitset.c), an
 * epoll set that mirrors libslirp's wishes and also answers glib's poll.
 *
 * What remains O(connections) is libslirp's own walk over its sockets in
 * both calls, some 7 to 10 ns per socket. So the walk in
 * slirp_pollfds_poll() is skipped when epoll reported nothing, and with
 * thousands of sockets the loop looks for an event before a fill that the
 * event's own fill would make redundant (spin()).
 *
 * Memory: libslirp's socket buffers come from the heap while there are
 * few, and get mappings of their own beyond (heap.c); the heap is trimmed
 * after bursts of closed flows, and two seconds after traffic stops an
 * idle daemon gives back what it does not need (release.c).
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <slirp/libslirp.h>

#include "bridge.h"
#include "heap.h"
#include "log.h"
#include "release.h"
#include "resources.h"
#include "slirp4netns.h"
#include "slirplog.h"
#include "tap.h"
#include "tcp.h"
#include "tcpfwd.h"
#include "util.h"
#include "waitset.h"

/* see spin(): from this many sockets on, and for at most this long */
#define SPIN_MIN_SOCKETS 256
#define SPIN_MAX_US 200

/* a timer created by libslirp through timer_new_opaque() */
struct s4n_timer {
	SlirpTimerId id;
	void *cb_opaque;
	int64_t expire_ms; /* -1: not armed */
	struct s4n_timer *next;
};

/* an fd that ends the daemon or brings a bess peer: rare events */
struct ctl_fd {
	gpointer tag;
	GUnixFDSourceFunc fn;
	int fd;
};

/* One source for everything the loop waits on but the API: glib's cost
 * per iteration grows with the number of sources, and the frame path
 * runs an iteration per wake-up. */
struct slirp_source {
	GSource base;
	struct s4n_ctx *ctx;
	gpointer tap_tag;
	gpointer ep_tag;
	struct ctl_fd ctl[4]; /* signalfd, exit-fd, pidfd, bess */
	int nctl;
};

/* The loop's state beside libslirp's: what it waits on, its timers and
 * its memory and descriptor bookkeeping. */
struct s4n_core {
	struct waitset *ws;
	struct tcp_ctx *tcp; /* ctx->tcp, for due_us() */
	bool dirty;	     /* libslirp's wishes may have changed */
	bool frames_only;    /* ... through frames alone (see spin()) */
	unsigned int nasked; /* sockets the last fill asked for */
	int64_t fill_us;     /* how long the last fill took */
	int64_t deadline_us; /* call slirp_pollfds_poll() by then */
	struct s4n_timer *timers;
	struct slirp_source *src;
	struct release release; /* when memory goes back */
	int sigfd;
	int pidfd;
	int bess_fd; /* listening socket, -1 unless bess */
	struct util_sockfile bess_file;
	guint poll_timer; /* target watch without pidfd, or of a netns path */
	int nsdir;	  /* --netns-type=path: its directory, O_PATH */
	char *nsname;	  /* ... the name in it */
	dev_t nsdev;	  /* ... and the namespace it named at start */
	ino_t nsino;
};

static void quit(struct s4n_ctx *ctx, int status)
{
	ctx->exit_status = status;
	g_main_loop_quit(ctx->loop);
}

/* ask libslirp again which fds and when it wants to be called */
static void refill(struct s4n_ctx *ctx)
{
	struct s4n_core *c = ctx->core;
	uint32_t timeout = UINT32_MAX;
	int64_t start = g_get_monotonic_time();

	waitset_fill_begin(c->ws);
	slirp_pollfds_fill(ctx->slirp, &timeout, waitset_add_poll_cb, c->ws);
	c->nasked = waitset_fill_end(c->ws);
	heap_sockets(c->nasked);
	/* only spin() needs the fill's length, and only with many sockets */
	c->fill_us =
	    c->nasked >= SPIN_MIN_SOCKETS ? g_get_monotonic_time() - start : 0;
	c->dirty = false;
	/* libslirp answers at most 1000 ms even when none of its TCP or
	 * expiry timers runs: that cap is not a timer, and honouring it
	 * would wake an idle daemon every second for nothing. */
	if (timeout >= 1000)
		c->deadline_us = INT64_MAX;
	else
		c->deadline_us = start + timeout * 1000LL;
}

/* --- libslirp timers ---------------------------------------------------- */

static int64_t now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

static int64_t next_timer_us(const struct s4n_core *c)
{
	const struct s4n_timer *t;
	int64_t next = INT64_MAX;

	for (t = c->timers; t; t = t->next)
		if (t->expire_ms >= 0 && t->expire_ms * 1000 < next)
			next = t->expire_ms * 1000;
	return next;
}

/* Return: whether a timer fired */
static bool run_timers(struct s4n_ctx *ctx)
{
	struct s4n_timer *t;
	bool fired, any = false;

	/* a handler may re-arm or free timers: rescan after each one */
	do {
		int64_t now = now_ms();

		fired = false;
		for (t = ctx->core->timers; t; t = t->next) {
			if (t->expire_ms < 0 || t->expire_ms > now)
				continue;
			t->expire_ms = -1;
			slirp_handle_timer(ctx->slirp, t->id, t->cb_opaque);
			fired = any = true;
			break;
		}
	} while (fired);
	return any;
}

/* --- the libslirp source ---------------------------------------------- */

static int64_t due_us(const struct s4n_core *c)
{
	int64_t due = MIN(c->deadline_us, next_timer_us(c));

	return c->tcp ? MIN(due, tcp_due_us(c->tcp)) : due;
}

/*
 * Only frames came in since the last fill, and libslirp holds thousands of
 * sockets. A frame can change what libslirp waits for (a connection now
 * up, data its host socket could not take), so the loop must not sleep
 * before a fill; but when an event comes in first, the fill after its
 * dispatch covers this one too, and with 10,000 sockets a fill is a walk
 * of some 100 us over all of them. A request from the guest typically
 * has its answer from the host within tens of microseconds: look for an
 * event, without sleeping, for as long as the fill would take. The worst
 * case costs the fill's time twice; a round trip saves one fill of three.
 *
 * Return: true if an event came in (dispatch it; the fill waits).
 */
static bool spin(struct s4n_ctx *ctx)
{
	struct s4n_core *c = ctx->core;
	struct pollfd pfd[2] = {
	    {.fd = waitset_fd(c->ws), .events = POLLIN},
	    {.fd = tap_fd(ctx->tap), .events = POLLIN},
	};
	int64_t end = g_get_monotonic_time() + MIN(c->fill_us, SPIN_MAX_US);

	c->frames_only = false;
	do {
		if (poll(pfd, pfd[1].fd >= 0 ? 2 : 1, 0) > 0)
			return true;
	} while (g_get_monotonic_time() < end);
	return false;
}

/* Traffic stopped a while ago: the frame path's and the wait set's
 * buffers give their pages back, then the stack and the heap (release.c) */
static void release_buffers(struct s4n_ctx *ctx)
{
	tap_idle(ctx->tap);
	if (ctx->tcp)
		tcp_idle(ctx->tcp);
	waitset_idle(ctx->core->ws);
	release_idle(&ctx->core->release);
}

static gboolean src_prepare(GSource *base, gint *timeout)
{
	struct s4n_ctx *ctx = ((struct slirp_source *)base)->ctx;
	int64_t due, now;

	if (ctx->core->dirty) {
		if (ctx->core->frames_only && spin(ctx)) {
			*timeout = 0;
			return TRUE;
		}
		refill(ctx);
	}
	now = g_source_get_time(base);
	if (release_due_us(&ctx->core->release) <= now)
		release_buffers(ctx);
	due = MIN(due_us(ctx->core), release_due_us(&ctx->core->release));
	if (due == INT64_MAX) {
		*timeout = -1;
		return FALSE;
	}
	if (due <= now) {
		*timeout = 0;
		return TRUE;
	}
	*timeout = (gint)MIN((due - now + 999) / 1000, (int64_t)INT_MAX);
	return FALSE;
}

static gboolean src_check(GSource *base)
{
	struct slirp_source *s = (struct slirp_source *)base;
	int i;

	if (s->tap_tag && g_source_query_unix_fd(base, s->tap_tag))
		return TRUE;
	if (g_source_query_unix_fd(base, s->ep_tag))
		return TRUE;
	for (i = 0; i < s->nctl; i++)
		if (g_source_query_unix_fd(base, s->ctl[i].tag))
			return TRUE;
	return due_us(s->ctx->core) <= g_source_get_time(base);
}

static void dispatch_ctl(struct slirp_source *s)
{
	int i;

	for (i = 0; i < s->nctl; i++) {
		GIOCondition cond =
		    g_source_query_unix_fd(&s->base, s->ctl[i].tag);

		if (cond)
			s->ctl[i].fn(s->ctl[i].fd, cond, s->ctx);
	}
}

static void tap_gone(struct s4n_ctx *ctx, int err)
{
	struct slirp_source *s = ctx->core->src;

	if (ctx->opts->target_type == S4N_TARGET_BESS) {
		log_info("bess peer disconnected");
		g_source_remove_unix_fd(&s->base, s->tap_tag);
		s->tap_tag = NULL;
		tap_set_fd(ctx->tap, -1);
		return;
	}
	log_info("TAP device gone (%s), exiting", g_strerror(-err));
	quit(ctx, 0);
}

static gboolean src_dispatch(GSource *base, GSourceFunc cb, gpointer data)
{
	struct slirp_source *s = (struct slirp_source *)base;
	struct s4n_ctx *ctx = s->ctx;
	struct s4n_core *c = ctx->core;
	bool walked = false, fired, frames = false;

	(void)cb;
	(void)data;
	dispatch_ctl(s);
	if (s->tap_tag && g_source_query_unix_fd(base, s->tap_tag)) {
		int rc;

		frames = true;
		res_batch_begin(ctx->res);
		rc = tap_read_batch(ctx->tap, ctx->slirp);
		res_batch_end(ctx->res, &ctx->stats);
		if (rc < 0)
			tap_gone(ctx, rc);
	}
	/* waitset_poll() kept events for libslirp's sockets and owned fds */
	if (g_source_query_unix_fd(base, s->ep_tag))
		walked = waitset_collect(c->ws) > 0;
	if (ctx->tcp) {
		tcp_timers(ctx->tcp, g_get_monotonic_time());
		tcp_flush(ctx->tcp);
	}
	/* Also when only frames came in: libslirp sends what waited for
	 * the guest's ARP reply from here (if_start()). */
	/* Without events, libslirp's walk over every socket would find
	 * nothing: "select_error" skips it and still runs its timers and
	 * its output queue. */
	if (walked || frames) {
		release_busy(&c->release, g_source_get_time(base));
	}
	slirp_pollfds_poll(ctx->slirp, !walked, waitset_revents_cb, c->ws);
	waitset_clear(c->ws);
	fired = run_timers(ctx);
	c->dirty = true;
	c->frames_only = !walked && !fired && c->nasked >= SPIN_MIN_SOCKETS;
	/* libslirp closed sockets: take back what the API gave up */
	res_refill(ctx->res);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs slirp_source_funcs = {
    .prepare = src_prepare,
    .check = src_check,
    .dispatch = src_dispatch,
};

/* --- SlirpCb ------------------------------------------------------------ */

static ssize_t send_packet_cb(const void *buf, size_t len, void *opaque)
{
	struct s4n_ctx *ctx = opaque;

	return tap_send(ctx->tap, bridge_frame_out(ctx, buf, len), len);
}

static void guest_error_cb(const char *msg, void *opaque)
{
	struct s4n_ctx *ctx = opaque;

	/* a guest can trigger this at will: count it, log only for debug */
	ctx->stats.guest_errors++;
	log_debug("guest error: %s", msg);
}

static int64_t clock_get_ns_cb(void *opaque)
{
	(void)opaque;
	return g_get_monotonic_time() * 1000;
}

static void *timer_new_opaque_cb(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct s4n_ctx *ctx = opaque;
	struct s4n_timer *t = g_new0(struct s4n_timer, 1);

	t->id = id;
	t->cb_opaque = cb_opaque;
	t->expire_ms = -1;
	t->next = ctx->core->timers;
	ctx->core->timers = t;
	return t;
}

static void timer_free_cb(void *timer, void *opaque)
{
	struct s4n_ctx *ctx = opaque;
	struct s4n_timer **p;

	for (p = &ctx->core->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = ((struct s4n_timer *)timer)->next;
			g_free(timer);
			return;
		}
	}
}

static void timer_mod_cb(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct s4n_timer *)timer)->expire_ms = MAX(expire_ms, 0);
}

static void register_poll_fd_cb(int fd, void *opaque)
{
	struct s4n_ctx *ctx = opaque;

	waitset_forget(ctx->core->ws, fd);
	heap_socket_opened(fd);
	res_socket_opened(ctx->res);
}

static void unregister_poll_fd_cb(int fd, void *opaque)
{
	struct s4n_ctx *ctx = opaque;
	struct s4n_core *c = ctx->core;

	waitset_forget(c->ws, fd);
	heap_socket_closed(fd);
	res_socket_closed(ctx->res);
	release_socket_closed(&c->release);
}

static void notify_cb(void *opaque)
{
	struct s4n_ctx *ctx = opaque;

	ctx->core->dirty = true;
}

static const SlirpCb slirp_callbacks = {
    .send_packet = send_packet_cb,
    .guest_error = guest_error_cb,
    .clock_get_ns = clock_get_ns_cb,
    .timer_free = timer_free_cb,
    .timer_mod = timer_mod_cb,
    .register_poll_fd = register_poll_fd_cb,
    .unregister_poll_fd = unregister_poll_fd_cb,
    .notify = notify_cb,
    .timer_new_opaque = timer_new_opaque_cb,
};

void s4n_slirp_changed(struct s4n_ctx *ctx)
{
	ctx->core->dirty = true;
}

/* the addresses guard.c keeps guest ARP/NDP and destinations off */
static void set_guard(struct s4n_ctx *ctx)
{
	const struct s4n_opts *o = ctx->opts;
	struct guard_net n = {
	    .net = o->vnetwork,
	    .mask = o->vnetmask,
	    .host = o->vhost,
	    .dns = o->vdns,
	    .host6 = o->vhost6,
	    .dns6 = o->vdns6,
	    .no_host_loopback = o->disable_host_loopback,
	};

	tap_set_net(ctx->tap, &n);
}

static Slirp *create_slirp(struct s4n_ctx *ctx)
{
	const struct s4n_opts *o = ctx->opts;
	SlirpConfig cfg = {
	    .version = 4,
	    .in_enabled = true,
	    .vnetwork = o->vnetwork,
	    .vnetmask = o->vnetmask,
	    .vhost = o->vhost,
	    .in6_enabled = o->enable_ipv6,
	    .vprefix_addr6 = o->vprefix6,
	    .vprefix_len = (uint8_t)o->prefix6_len,
	    .vhost6 = o->vhost6,
	    .vdhcp_start = o->vdhcp_start,
	    .vnameserver = o->vdns,
	    .vnameserver6 = o->vdns6,
	    .if_mtu = tap_slirp_mtu(ctx->tap),
	    .if_mru = tap_slirp_mtu(ctx->tap),
	    .disable_host_loopback = o->disable_host_loopback,
	    .disable_dns = o->disable_dns,
	};
	/* libslirp keeps these pointers: they point into the options,
	 * which outlive it */
	if (o->has_outbound_addr)
		cfg.outbound_addr = (struct sockaddr_in *)&o->outbound_addr;
	if (o->has_outbound_addr6)
		cfg.outbound_addr6 = (struct sockaddr_in6 *)&o->outbound_addr6;
	return slirp_new(&cfg, &slirp_callbacks, ctx);
}

/* --- exit conditions and the bess listener ------------------------------ */

static gboolean on_signal(gint fd, GIOCondition cond, gpointer data)
{
	struct s4n_ctx *ctx = data;
	struct signalfd_siginfo si;

	(void)cond;
	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		log_debug("signal %u, exiting", si.ssi_signo);
	quit(ctx, 0);
	return G_SOURCE_CONTINUE;
}

static gboolean on_exit_fd(gint fd, GIOCondition cond, gpointer data)
{
	(void)fd;
	(void)cond;
	log_debug("exit-fd is readable or closed, exiting");
	quit(data, 0);
	return G_SOURCE_CONTINUE;
}

static gboolean on_target_exit(gint fd, GIOCondition cond, gpointer data)
{
	struct s4n_ctx *ctx = data;

	(void)fd;
	(void)cond;
	log_info("target process %d exited, exiting",
		 (int)ctx->opts->target_pid);
	quit(ctx, 0);
	return G_SOURCE_CONTINUE;
}

static gboolean on_target_poll(gpointer data)
{
	struct s4n_ctx *ctx = data;

	if (kill(ctx->opts->target_pid, 0) < 0 && errno == ESRCH)
		on_target_exit(-1, 0, ctx);
	return G_SOURCE_CONTINUE;
}

/*
 * A --netns-type=path namespace outlives its processes while the daemon
 * holds the TAP fd (a TUN file keeps a reference to its namespace), so it
 * never goes away by itself and the daemon would run on for good (issue
 * 15). What ends it is the file that named it: Podman unmounts and
 * removes its netns file, and /proc/PID/ns/net vanishes with PID. Once a
 * second, the name is looked up again, through a directory fd opened at
 * start (the sandbox hides the path itself). The namespace is gone when
 * the name is, or when it names another inode of the same file system (a
 * new namespace under the old name). A name that shows another file
 * system is not an end: between Podman's unmount and its unlink it is the
 * empty file under the mount, and a look taken while a mount is made can
 * see either side (under rootless Podman 4.3, daemons exited a second
 * after start, with their container running).
 */
#define NETNS_POLL_SECONDS 1

static gboolean on_netns_poll(gpointer data)
{
	struct s4n_ctx *ctx = data;
	struct s4n_core *c = ctx->core;
	struct stat st;

	if (fstatat(c->nsdir, c->nsname, &st, 0) == 0) {
		if (st.st_dev != c->nsdev || st.st_ino == c->nsino)
			return G_SOURCE_CONTINUE;
	} else if (errno != ENOENT && errno != ENOTDIR && errno != ESRCH) {
		return G_SOURCE_CONTINUE;
	}
	log_info("network namespace %s is gone, exiting", ctx->opts->target);
	quit(ctx, 0);
	return G_SOURCE_CONTINUE;
}

/* a warning only: the daemon works on, it just would not notice */
static void watch_netns_path(struct s4n_ctx *ctx)
{
	struct s4n_core *c = ctx->core;
	g_autofree char *dir = g_path_get_dirname(ctx->opts->target);
	struct stat st;

	c->nsname = g_path_get_basename(ctx->opts->target);
	c->nsdir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->nsdir < 0 || fstatat(c->nsdir, c->nsname, &st, 0) < 0) {
		log_warn("cannot watch the network namespace %s (%s): its "
			 "end will go unnoticed",
			 ctx->opts->target, g_strerror(errno));
		return;
	}
	c->nsdev = st.st_dev;
	c->nsino = st.st_ino;
	c->poll_timer =
	    g_timeout_add_seconds(NETNS_POLL_SECONDS, on_netns_poll, ctx);
}

static gboolean on_bess_accept(gint fd, GIOCondition cond, gpointer data)
{
	struct s4n_ctx *ctx = data;
	struct slirp_source *s = ctx->core->src;
	int peer;

	(void)cond;
	peer = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (peer < 0)
		return G_SOURCE_CONTINUE;
	if (tap_fd(ctx->tap) >= 0) {
		/* one peer at a time, as User Mode Linux connects once */
		log_warn("bess: refusing a second peer");
		close(peer);
		return G_SOURCE_CONTINUE;
	}
	log_info("bess peer connected");
	tap_set_fd(ctx->tap, peer);
	s->tap_tag = g_source_add_unix_fd(&s->base, peer, G_IO_IN);
	return G_SOURCE_CONTINUE;
}

static int open_signalfd(void)
{
	sigset_t set;

	/* main() blocked these before anything else, so none is lost */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void add_watch(struct s4n_core *c, int fd, GIOCondition cond,
		      GUnixFDSourceFunc fn)
{
	struct slirp_source *s = c->src;

	g_assert(s->nctl < (int)G_N_ELEMENTS(s->ctl));
	s->ctl[s->nctl].tag = g_source_add_unix_fd(&s->base, fd, cond);
	s->ctl[s->nctl].fn = fn;
	s->ctl[s->nctl].fd = fd;
	s->nctl++;
}

static int add_exit_sources(struct s4n_ctx *ctx)
{
	struct s4n_core *c = ctx->core;
	const struct s4n_opts *o = ctx->opts;

	c->sigfd = open_signalfd();
	if (c->sigfd < 0) {
		log_error("signalfd: %s", g_strerror(errno));
		return -1;
	}
	add_watch(c, c->sigfd, G_IO_IN, on_signal);
	if (o->exit_fd >= 0)
		add_watch(c, o->exit_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
			  on_exit_fd);
	if (o->target_type == S4N_TARGET_NETNS &&
	    o->netns_type == S4N_NETNS_PID) {
		c->pidfd = (int)syscall(SYS_pidfd_open, o->target_pid, 0);
		if (c->pidfd >= 0) {
			add_watch(c, c->pidfd, G_IO_IN, on_target_exit);
		} else if (errno == ENOSYS) {
			/* kernels before 5.3 (and valgrind): look once a
			 * second instead */
			c->poll_timer =
			    g_timeout_add_seconds(1, on_target_poll, ctx);
		} else {
			log_error("cannot watch PID %d: %s", (int)o->target_pid,
				  g_strerror(errno));
			return -1;
		}
	}
	if (o->target_type == S4N_TARGET_NETNS &&
	    o->netns_type == S4N_NETNS_PATH)
		watch_netns_path(ctx);
	if (c->bess_fd >= 0)
		add_watch(c, c->bess_fd, G_IO_IN, on_bess_accept);
	return 0;
}

/* --- context ------------------------------------------------------------ */

int s4n_ctx_init(struct s4n_ctx *ctx, int tapfd)
{
	struct s4n_core *c = g_new0(struct s4n_core, 1);
	struct slirp_source *s;
	bool bess = ctx->opts->target_type == S4N_TARGET_BESS;

	ctx->core = c;
	c->sigfd = c->pidfd = c->nsdir = -1;
	c->bess_fd = bess ? tapfd : -1;
	if (bess)
		util_sockfile_open(&c->bess_file, ctx->opts->target);
	c->dirty = true;
	c->deadline_us = INT64_MAX;
	ctx->res = res_new();
	ctx->stats.start_time_us = g_get_monotonic_time();
	ctx->tap =
	    tap_new(bess ? -1 : tapfd, ctx->opts->mtu, &ctx->stats, ctx->res);
	set_guard(ctx);
	slirplog_init(&ctx->stats);
	ctx->loop = g_main_loop_new(NULL, FALSE);

	c->ws = waitset_new();
	if (!c->ws) {
		log_error("epoll_create1: %s", g_strerror(errno));
		return -1;
	}
	heap_init();
	if (!ctx->opts->disable_tcp_fast_path) {
		ctx->tcp = tcp_new(ctx->opts, ctx->tap, &ctx->stats, c->ws);
		c->tcp = ctx->tcp;
		tap_set_tcp(ctx->tap, ctx->tcp);
	}
	ctx->slirp = create_slirp(ctx);
	if (!ctx->slirp) {
		log_error("cannot create the libslirp instance");
		return -1;
	}

	s = (struct slirp_source *)g_source_new(&slirp_source_funcs,
						sizeof(*s));
	s->ctx = ctx;
	c->src = s;
	/* Without this glib "blocks" the source while it dispatches:
	 * it takes our fds out of its poll set and puts them back, and
	 * each change wakes the loop once more through its eventfd. The
	 * dispatch never runs the loop itself, so it cannot recurse. */
	g_source_set_can_recurse(&s->base, TRUE);
	s->ep_tag = g_source_add_unix_fd(&s->base, waitset_fd(c->ws), G_IO_IN);
	if (!bess)
		s->tap_tag = g_source_add_unix_fd(&s->base, tapfd, G_IO_IN);
	g_source_attach(&s->base, NULL);
	waitset_use_for_glib(c->ws);
	return add_exit_sources(ctx);
}

int s4n_run(struct s4n_ctx *ctx)
{
	g_main_loop_run(ctx->loop);
	return ctx->exit_status;
}

void s4n_ctx_fini(struct s4n_ctx *ctx)
{
	struct s4n_core *c = ctx->core;

	bridge_free(ctx); /* before libslirp: it removes its forwards */
	if (!c)
		return;
	if (c->poll_timer)
		g_source_remove(c->poll_timer);
	if (c->src) {
		g_source_destroy(&c->src->base);
		g_source_unref(&c->src->base);
	}
	if (ctx->slirp)
		slirp_cleanup(ctx->slirp);
	/* not before: closing libslirp's sockets may arm the trim timer */
	release_fini(&c->release);
	while (c->timers)
		timer_free_cb(c->timers, ctx);
	tcpfwd_free(ctx->tcpfwd);
	ctx->tcpfwd = NULL;
	tcp_free(ctx->tcp);
	ctx->tcp = NULL;
	tap_free(ctx->tap);
	if (c->bess_fd >= 0) {
		close(c->bess_fd);
		util_sockfile_remove(&c->bess_file);
	}
	waitset_free(c->ws);
	if (c->sigfd >= 0)
		close(c->sigfd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->nsdir >= 0)
		close(c->nsdir);
	g_free(c->nsname);
	res_free(ctx->res);
	ctx->res = NULL;
	g_free(c);
	if (ctx->loop)
		g_main_loop_unref(ctx->loop);
	ctx->core = NULL;
	ctx->tap = NULL;
	ctx->slirp = NULL;
	ctx->loop = NULL;
}
