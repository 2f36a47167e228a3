/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirp4netns.c - the main loop and the libslirp glue
 *
 * One GMainLoop. libslirp, the TAP fd and the loop's own exits (signals,
 * --exit-fd, the target process) are its sources; the API adds its own.
 *
 * libslirp asks for its sockets' events on every iteration
 * (slirp_pollfds_fill(), see libslirp.h) and reads the answers back
 * (slirp_pollfds_poll()). Handing those fds to poll() each time costs the
 * kernel O(connections) per wake-up, which is what makes slirp4netns slow
 * with many flows open. Instead this file keeps an epoll set that mirrors
 * what libslirp asks for: an fd's registration changes only when its
 * events do. An fd that libslirp stops asking for is dropped from the set
 * lazily, the first time it reports an event nobody wants. glib's own fds
 * (the TAP, the API's sockets) are in the same set, and glib's poll() is
 * replaced by one epoll_wait() on it (gpoll()).
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
 * idle daemon gives back what it does not need (release_idle()).
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib.h>
#include <glib-unix.h>
#include <slirp/libslirp.h>

#include "heap.h"
#include "log.h"
#include "slirp4netns.h"
#include "tap.h"
#include "util.h"

/* epoll events collected per dispatch; more wait for the next one */
#define EP_BATCH 256
/* ... of which gpoll() reads this many first, on the stack */
#define EP_FIRST 8

/* memory is given back to the kernel (malloc_trim) a while after this
 * many of libslirp's sockets closed */
#define TRIM_AFTER_CLOSES 1024
#define TRIM_DELAY_MS 1000

/* see spin(): from this many sockets on, and for at most this long */
#define SPIN_MIN_SOCKETS 256
#define SPIN_MAX_US 200

/* after this long without frames or events, give idle memory back */
#define IDLE_RELEASE_US (2 * G_USEC_PER_SEC)

/* at most one "out of file descriptors" (or memory) line per interval */
#define REFUSED_WARN_INTERVAL_US (5 * G_USEC_PER_SEC)

/* guest connections refused for one reason, for warn_refused() */
struct refusals {
	uint64_t count;	    /* since the last warning */
	int64_t warn_after; /* no warning before this time */
};

/* an fd of glib's in the epoll set, see gpoll() */
struct gfd {
	int fd;
	uint32_t events;
};

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

/* The mirror is indexed by fd and kept small, because libslirp calls
 * back into it once per socket on every fill and poll: with 10,000 flows
 * open those calls are most of a wake-up's cost, and two bytes and a bit
 * per fd stay in the CPU's caches. Events are stored as epoll bits, which
 * all fit in a byte (EPOLLIN..EPOLLHUP). */
struct s4n_core {
	int epfd;
	uint8_t *want;	      /* events registered; 0: not in the set */
	uint8_t *rev;	      /* SLIRP_POLL_* seen in this dispatch */
	unsigned long *asked; /* the last fill asked for this fd */
	size_t nent;	      /* entries in each of the three */
	bool dirty;	      /* libslirp's wishes may have changed */
	bool frames_only;     /* ... through frames alone (see spin()) */
	unsigned int nasked;  /* sockets the last fill asked for */
	unsigned int nasking; /* ... counted by the fill running */
	int64_t fill_us;      /* how long the last fill took */
	int64_t deadline_us;  /* call slirp_pollfds_poll() by then */
	int ready[EP_BATCH];
	int nready;
	/* events for libslirp's sockets from the last gpoll(); EP_BATCH
	 * entries in a mapping of their own: pages only as far as used */
	struct epoll_event *stash;
	int nstash;
	struct gfd *gfds; /* glib's fds in the epoll set */
	unsigned int ngfds;
	bool rebuild_failed; /* warned about it */
	struct s4n_timer *timers;
	struct slirp_source *src;
	/* running out of file descriptors (see check_refused()) */
	uint64_t sockets_opened; /* by libslirp, ever */
	uint64_t syns_seen;	 /* stats.from_guest_syns already checked */
	uint64_t nofd_seen, nomem_seen; /* stats.from_guest_refused_* */
	struct refusals nofds, nomem;
	rlim_t nofile;	/* RLIMIT_NOFILE, for the warning */
	bool fdres_low; /* util_fdres_fill() is due */
	unsigned int closed_since_trim;
	guint trim_src;
	int64_t busy_us; /* last dispatch with frames or events */
	bool released;	 /* idle memory given back since then */
	int sigfd;
	int pidfd;
	int bess_fd; /* listening socket, -1 unless bess */
	struct util_sockfile bess_file;
	guint poll_timer; /* target watch without pidfd */
};

static void quit(struct s4n_ctx *ctx, int status)
{
	ctx->exit_status = status;
	g_main_loop_quit(ctx->loop);
}

/* --- epoll mirror of libslirp's fds ------------------------------------ */

static uint32_t slirp_to_epoll(int events)
{
	uint32_t ev = 0;

	if (events & SLIRP_POLL_IN)
		ev |= EPOLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= EPOLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= EPOLLPRI;
	return ev; /* EPOLLERR and EPOLLHUP are always reported */
}

static int epoll_to_slirp(uint32_t ev)
{
	int events = 0;

	if (ev & EPOLLIN)
		events |= SLIRP_POLL_IN;
	if (ev & EPOLLOUT)
		events |= SLIRP_POLL_OUT;
	if (ev & EPOLLPRI)
		events |= SLIRP_POLL_PRI;
	if (ev & EPOLLERR)
		events |= SLIRP_POLL_ERR;
	if (ev & EPOLLHUP)
		events |= SLIRP_POLL_HUP;
	return events;
}

#define LONG_BITS (8 * sizeof(unsigned long))

static bool asked_test(const struct s4n_core *c, int fd)
{
	return c->asked[fd / LONG_BITS] & (1UL << (fd % LONG_BITS));
}

/* make room in the mirror for @fd */
static void mirror_grow(struct s4n_core *c, int fd)
{
	/* whole words of the bitmap */
	size_t n = (MAX(c->nent * 2, (size_t)fd + 64) + LONG_BITS - 1) &
		   ~(LONG_BITS - 1);
	size_t old_words = c->nent / LONG_BITS, words = n / LONG_BITS;

	c->want = g_realloc(c->want, n);
	c->rev = g_realloc(c->rev, n);
	c->asked = g_renew(unsigned long, c->asked, words);
	memset(c->want + c->nent, 0, n - c->nent);
	memset(c->rev + c->nent, 0, n - c->nent);
	memset(c->asked + old_words, 0, (words - old_words) * sizeof(long));
	c->nent = n;
}

static void mirror_drop(struct s4n_core *c, int fd)
{
	if (fd < 0 || (size_t)fd >= c->nent)
		return;
	if (c->want[fd])
		(void)epoll_ctl(c->epfd, EPOLL_CTL_DEL, fd, NULL);
	c->want[fd] = 0;
}

/* add_poll_cb()'s rare case: @fd's registration changes */
static __attribute__((noinline)) void register_fd(struct s4n_core *c, int fd,
						  uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.u64 = (uint32_t)fd};
	int op;

	if ((size_t)fd >= c->nent)
		mirror_grow(c, fd);
	c->asked[fd / LONG_BITS] |= 1UL << (fd % LONG_BITS);
	op = c->want[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(c->epfd, op, fd, &ev) < 0) {
		/* our mirror was wrong (an fd closed and reused behind our
		 * back): the other operation is the right one */
		op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
		if (epoll_ctl(c->epfd, op, fd, &ev) < 0) {
			log_debug("epoll_ctl fd %d: %s", fd, g_strerror(errno));
			c->want[fd] = 0;
			return;
		}
	}
	c->want[fd] = (uint8_t)events;
}

/* SlirpAddPollCb: called by slirp_pollfds_fill() for each fd it wants.
 * With 10,000 flows this runs 10,000 times per wake-up: the common case
 * (nothing changed) is kept to a few instructions, without a call. */
static int add_poll_cb(int fd, int events, void *opaque)
{
	struct s4n_core *c = opaque;
	uint32_t ev = slirp_to_epoll(events);

	c->nasking++;
	if ((size_t)fd < c->nent && c->want[fd] == ev) {
		c->asked[fd / LONG_BITS] |= 1UL << (fd % LONG_BITS);
		return fd;
	}
	register_fd(c, fd, ev);
	return fd;
}

/* SlirpGetREventsCb: called by slirp_pollfds_poll() with add_poll_cb()'s
 * return value; @opaque is the core's rev array */
static int get_revents_cb(int idx, void *opaque)
{
	return ((const uint8_t *)opaque)[idx];
}

/* ask libslirp again which fds and when it wants to be called */
static void refill(struct s4n_ctx *ctx)
{
	struct s4n_core *c = ctx->core;
	uint32_t timeout = UINT32_MAX;
	int64_t start = g_get_monotonic_time();

	if (c->asked)
		memset(c->asked, 0, c->nent / 8);
	c->nasking = 0;
	slirp_pollfds_fill(ctx->slirp, &timeout, add_poll_cb, c);
	c->nasked = c->nasking;
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

/* read the epoll set's events into the mirror; drop unwanted fds */
static void collect_events(struct s4n_core *c)
{
	int i;

	c->nready = 0;
	for (i = 0; i < c->nstash; i++) {
		int fd = (int)c->stash[i].data.u64;

		if (!asked_test(c, fd)) {
			mirror_drop(c, fd);
			continue;
		}
		c->rev[fd] = (uint8_t)epoll_to_slirp(c->stash[i].events);
		c->ready[c->nready++] = fd;
	}
	c->nstash = 0;
}

static void clear_events(struct s4n_core *c)
{
	int i;

	for (i = 0; i < c->nready; i++)
		c->rev[c->ready[i]] = 0;
	c->nready = 0;
}

/* --- glib's poll, through the epoll set --------------------------------- */

/*
 * glib polls its fds (the TAP, the API's sockets, its own eventfd, the
 * epoll set's fd) with poll(2) on every iteration, and the epoll set then
 * needed an epoll_wait() of its own: two system calls per wake-up, and a
 * poll() that looks at every fd. gpoll() takes poll()'s place: glib's fds
 * sit in the epoll set too, marked GLIB_TAG, and one epoll_wait() answers
 * for both. Events for libslirp's sockets are kept for collect_events(),
 * and shown to glib as the epoll fd being readable.
 *
 * glib takes its fds out of its list before it closes them; the next call
 * takes them out of the set, unless the number belongs to one of
 * libslirp's sockets by then. Closing an fd takes it out of the set as
 * well, unless another descriptor still refers to the same file: such a
 * left-over entry would report events for a number nobody polls on every
 * call, so the set is built anew when one shows up (rebuild_set()).
 */
#define GLIB_TAG (1ULL << 32)

static struct s4n_core *gpoll_core; /* a GPollFunc has no user data */

static uint32_t gio_to_epoll(gushort ev)
{
	return (ev & G_IO_IN ? EPOLLIN : 0) | (ev & G_IO_OUT ? EPOLLOUT : 0) |
	       (ev & G_IO_PRI ? EPOLLPRI : 0);
}

static gushort epoll_to_gio(uint32_t ev)
{
	return (ev & EPOLLIN ? G_IO_IN : 0) | (ev & EPOLLOUT ? G_IO_OUT : 0) |
	       (ev & EPOLLPRI ? G_IO_PRI : 0) | (ev & EPOLLERR ? G_IO_ERR : 0) |
	       (ev & EPOLLHUP ? G_IO_HUP : 0);
}

static bool gfds_same(const struct s4n_core *c, const GPollFD *ufds, guint n)
{
	guint i;

	if (n != c->ngfds)
		return false;
	for (i = 0; i < n; i++)
		if (ufds[i].fd != c->gfds[i].fd ||
		    gio_to_epoll(ufds[i].events) != c->gfds[i].events)
			return false;
	return true;
}

/* all events asked for @fd in @list (glib may list an fd twice) */
static uint32_t gfds_events(const struct gfd *list, guint n, int fd,
			    bool *ret_listed)
{
	uint32_t ev = 0;
	guint i;

	*ret_listed = false;
	for (i = 0; i < n; i++) {
		if (list[i].fd == fd) {
			ev |= list[i].events;
			*ret_listed = true;
		}
	}
	return ev;
}

static void gfd_set(struct s4n_core *c, int op, int fd, uint32_t events)
{
	struct epoll_event ev = {.events = events,
				 .data.u64 = GLIB_TAG | (uint32_t)fd};
	int alt = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

	if (epoll_ctl(c->epfd, op, fd, &ev) < 0 &&
	    epoll_ctl(c->epfd, alt, fd, &ev) < 0)
		log_debug("epoll_ctl glib fd %d: %s", fd, g_strerror(errno));
}

/* bring the epoll set in line with glib's new list */
static void gfds_sync(struct s4n_core *c, const GPollFD *ufds, guint n)
{
	struct gfd *next = g_new(struct gfd, n);
	guint i;
	bool listed, had;

	for (i = 0; i < n; i++) {
		next[i].fd = ufds[i].fd;
		next[i].events = gio_to_epoll(ufds[i].events);
	}
	for (i = 0; i < c->ngfds; i++) {
		int fd = c->gfds[i].fd;

		(void)gfds_events(next, n, fd, &listed);
		if (listed || fd == c->epfd)
			continue;
		if ((size_t)fd < c->nent && c->want[fd])
			continue; /* libslirp's now */
		(void)epoll_ctl(c->epfd, EPOLL_CTL_DEL, fd, NULL);
	}
	for (i = 0; i < n; i++) {
		int fd = next[i].fd;
		uint32_t want = gfds_events(next, n, fd, &listed);
		uint32_t old = gfds_events(c->gfds, c->ngfds, fd, &had);

		if (fd < 0 || fd == c->epfd || (had && old == want))
			continue;
		gfd_set(c, had ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, want);
	}
	g_free(c->gfds);
	c->gfds = next;
	c->ngfds = n;
}

/* a new epoll set in the old one's place, from the mirror and glib's list */
static void rebuild_set(struct s4n_core *c)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);
	guint i;

	log_debug("an fd glib closed is still in the epoll set: rebuilding");
	if (fd < 0 || dup3(fd, c->epfd, O_CLOEXEC) < 0) {
		if (!c->rebuild_failed)
			log_warn("cannot rebuild the epoll set: %s",
				 g_strerror(errno));
		c->rebuild_failed = true;
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	for (i = 0; i < c->nent; i++) {
		struct epoll_event ev = {.events = c->want[i], .data.u64 = i};

		if (c->want[i] &&
		    epoll_ctl(c->epfd, EPOLL_CTL_ADD, (int)i, &ev) < 0)
			c->want[i] = 0;
	}
	for (i = 0; i < c->ngfds; i++) {
		int gfd = c->gfds[i].fd;
		bool listed;

		if (gfd >= 0 && gfd != c->epfd)
			gfd_set(c, EPOLL_CTL_ADD, gfd,
				gfds_events(c->gfds, c->ngfds, gfd, &listed));
	}
}

/* hand @k events to glib's @ufds or to the stash (which @evs may be part
 * of, from c->nstash on); Return: false if one was for an fd glib closed */
static bool sort_events(struct s4n_core *c, GPollFD *ufds, guint n,
			const struct epoll_event *evs, int k)
{
	bool fresh = true;
	int i;
	guint j;

	for (i = 0; i < k; i++) {
		uint64_t d = evs[i].data.u64;
		bool seen = false;

		if (!(d & GLIB_TAG)) {
			c->stash[c->nstash++] = evs[i];
			continue;
		}
		for (j = 0; j < n; j++) {
			if (ufds[j].fd != (int)(uint32_t)d)
				continue;
			ufds[j].revents |=
			    epoll_to_gio(evs[i].events) &
			    (ufds[j].events | G_IO_ERR | G_IO_HUP);
			seen = true;
		}
		fresh = fresh && seen;
	}
	return fresh;
}

/* a GPollFunc: poll(2)'s contract, answered from the epoll set. A few
 * events are read on the stack first, so that an idle daemon, which only
 * sees glib's, never touches the stash's pages. */
static gint gpoll(GPollFD *ufds, guint n, gint timeout)
{
	struct s4n_core *c = gpoll_core;
	struct epoll_event first[EP_FIRST];
	int k, ready = 0;
	bool fresh;
	guint j;

	if (!gfds_same(c, ufds, n))
		gfds_sync(c, ufds, n);
	for (j = 0; j < n; j++)
		ufds[j].revents = 0;
	k = epoll_wait(c->epfd, first, EP_FIRST, timeout);
	if (k < 0)
		return -1;
	c->nstash = 0;
	fresh = sort_events(c, ufds, n, first, k);
	if (k == EP_FIRST) {
		k = epoll_wait(c->epfd, c->stash + c->nstash,
			       EP_BATCH - c->nstash, 0);
		if (k > 0)
			fresh =
			    sort_events(c, ufds, n, c->stash + c->nstash, k) &&
			    fresh;
	}
	if (!fresh)
		rebuild_set(c);
	for (j = 0; j < n; j++) {
		if (ufds[j].fd == c->epfd && c->nstash)
			ufds[j].revents = G_IO_IN;
		if (ufds[j].revents)
			ready++;
	}
	return ready;
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
	return MIN(c->deadline_us, next_timer_us(c));
}

/* Start-up and frames run deeper in the stack than an idle loop: give
 * back the pages below the one in use. Nothing lives there: below the
 * stack pointer is dead, and the stack's guard gap keeps other mappings
 * far below. This function's own frame and the madvise() call take far
 * less than the 1 KiB kept below its frame address; the calls still to
 * come fault in what they use. */
static __attribute__((noinline)) void release_stack(void)
{
	uintptr_t page = (uintptr_t)getpagesize();
	uintptr_t in_use = (uintptr_t)__builtin_frame_address(0) - 1024;
	uintptr_t top = in_use & ~(page - 1);
	size_t len = 128 * 1024;

	(void)madvise((void *)(top - len), len, MADV_DONTNEED);
}

/* Traffic stopped a while ago: give the kernel back what an idle daemon
 * does not need (each of hundreds of idle daemons on a host counts): the
 * frame buffer's pages, the stack's depths and the heap's free pages.
 * Frames fault them in again. One wake-up after each burst. */
static void release_idle(struct s4n_ctx *ctx)
{
	tap_idle(ctx->tap);
	(void)madvise(ctx->core->stash, EP_BATCH * sizeof(*ctx->core->stash),
		      MADV_DONTNEED);
	release_stack();
	malloc_trim(0);
	ctx->core->released = true;
}

static int64_t release_due_us(const struct s4n_core *c)
{
	return c->released ? INT64_MAX : c->busy_us + IDLE_RELEASE_US;
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
	    {.fd = c->epfd, .events = POLLIN},
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
	if (release_due_us(ctx->core) <= now)
		release_idle(ctx);
	due = MIN(due_us(ctx->core), release_due_us(ctx->core));
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

/* one warning per interval at most, with the refusals between */
static void warn_refused(struct refusals *r, uint64_t n, const char *why)
{
	int64_t now = g_get_monotonic_time();

	r->count += n;
	if (now < r->warn_after)
		return;
	if (r->count > 1)
		log_warn("%s: %" PRIu64 " new connections from the guest "
			 "refused since the last warning",
			 why, r->count);
	else
		log_warn("%s: new connections from the guest are refused", why);
	r->warn_after = now + REFUSED_WARN_INTERVAL_US;
	r->count = 0;
}

/* A TCP SYN from the guest for which libslirp opened no socket is a
 * retransmission, or libslirp could not open one. It has answered the
 * guest with an ICMP unreachable then (the connection fails at once);
 * what is left to us is to say why when the reason is the fd limit. A
 * trial dup() tells, and is only made when the counts differ. */
static void check_refused(struct s4n_ctx *ctx, uint64_t opened_before)
{
	struct s4n_core *c = ctx->core;
	const struct s4n_stats *st = &ctx->stats;
	uint64_t syns = st->from_guest_syns - c->syns_seen;
	uint64_t nofd = st->from_guest_refused_nofd - c->nofd_seen;
	uint64_t nomem = st->from_guest_refused_nomem - c->nomem_seen;
	char why[128];
	int fd;

	c->syns_seen = st->from_guest_syns;
	c->nofd_seen = st->from_guest_refused_nofd;
	c->nomem_seen = st->from_guest_refused_nomem;
	/* tap.c answered these itself (room_for_flow()) */
	if (nofd) {
		snprintf(why, sizeof(why),
			 "out of file descriptors (limit %llu)",
			 (unsigned long long)c->nofile);
		warn_refused(&c->nofds, nofd, why);
	}
	if (nomem)
		warn_refused(&c->nomem, nomem, "out of memory for new flows");
	syns -= MIN(nofd + nomem, syns);
	if (!syns || c->sockets_opened - opened_before >= syns)
		return;
	/* libslirp failed on its own: the system's limit, say */
	fd = fcntl(c->epfd, F_DUPFD_CLOEXEC, 0);
	if (fd >= 0) {
		close(fd);
		return;
	}
	if (errno != EMFILE && errno != ENFILE)
		return;
	snprintf(why, sizeof(why), "out of file descriptors (%s)",
		 g_strerror(errno));
	warn_refused(&c->nofds, 1, why);
}

static gboolean src_dispatch(GSource *base, GSourceFunc cb, gpointer data)
{
	struct slirp_source *s = (struct slirp_source *)base;
	struct s4n_ctx *ctx = s->ctx;
	struct s4n_core *c = ctx->core;
	bool walked, fired, frames = false;

	(void)cb;
	(void)data;
	dispatch_ctl(s);
	if (s->tap_tag && g_source_query_unix_fd(base, s->tap_tag)) {
		frames = true;
		uint64_t opened = c->sockets_opened;
		int rc = tap_read_batch(ctx->tap, ctx->slirp);

		check_refused(ctx, opened);
		if (rc < 0)
			tap_gone(ctx, rc);
	}
	/* gpoll() kept events for libslirp's sockets */
	if (g_source_query_unix_fd(base, s->ep_tag))
		collect_events(c);
	/* Also when only frames came in: libslirp sends what waited for
	 * the guest's ARP reply from here (if_start()). */
	/* Without events, libslirp's walk over every socket would find
	 * nothing: "select_error" skips it and still runs its timers and
	 * its output queue. */
	walked = c->nready > 0;
	if (walked || frames) {
		c->busy_us = g_source_get_time(base);
		c->released = false;
	}
	slirp_pollfds_poll(ctx->slirp, !walked, get_revents_cb, c->rev);
	clear_events(c);
	fired = run_timers(ctx);
	c->dirty = true;
	c->frames_only = !walked && !fired && c->nasked >= SPIN_MIN_SOCKETS;
	/* libslirp closed sockets: take back what the API gave up */
	if (c->fdres_low)
		c->fdres_low = !util_fdres_fill();
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

	return tap_send(ctx->tap, buf, len);
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

/* libslirp created @fd, or is about to close it: closing took (or takes)
 * any earlier socket of that number out of the epoll set, so only the
 * mirror needs to forget it, as the number may come back for another
 * socket */
static void forget_poll_fd(struct s4n_core *c, int fd)
{
	if (fd >= 0 && (size_t)fd < c->nent)
		c->want[fd] = 0;
}

static void register_poll_fd_cb(int fd, void *opaque)
{
	struct s4n_ctx *ctx = opaque;

	forget_poll_fd(ctx->core, fd);
	ctx->core->sockets_opened++;
	heap_socket_opened(fd);
	tap_socket_opened(ctx->tap);
}

/* After a burst of flows, glibc keeps the freed sockets' heap pages;
 * their buffers had mappings of their own and are gone already. */
static gboolean trim_cb(gpointer data)
{
	struct s4n_core *c = data;

	c->trim_src = 0;
	c->closed_since_trim = 0;
	malloc_trim(0);
	return G_SOURCE_REMOVE;
}

static void unregister_poll_fd_cb(int fd, void *opaque)
{
	struct s4n_ctx *ctx = opaque;
	struct s4n_core *c = ctx->core;

	forget_poll_fd(c, fd);
	heap_socket_closed(fd);
	c->fdres_low = true;
	if (++c->closed_since_trim >= TRIM_AFTER_CLOSES && !c->trim_src)
		c->trim_src = g_timeout_add(TRIM_DELAY_MS, trim_cb, c);
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
	if (c->bess_fd >= 0)
		add_watch(c, c->bess_fd, G_IO_IN, on_bess_accept);
	return 0;
}

/* --- context ------------------------------------------------------------ */

static rlim_t get_nofile(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_NOFILE, &rl) < 0 ? 0 : rl.rlim_cur;
}

int s4n_ctx_init(struct s4n_ctx *ctx, int tapfd)
{
	struct s4n_core *c = g_new0(struct s4n_core, 1);
	struct slirp_source *s;
	bool bess = ctx->opts->target_type == S4N_TARGET_BESS;

	ctx->core = c;
	c->sigfd = c->pidfd = -1;
	c->bess_fd = bess ? tapfd : -1;
	if (bess)
		util_sockfile_open(&c->bess_file, ctx->opts->target);
	c->dirty = true;
	c->deadline_us = INT64_MAX;
	c->nofile = get_nofile();
	(void)util_fdres_fill();
	ctx->stats.start_time_us = g_get_monotonic_time();
	ctx->tap = tap_new(bess ? -1 : tapfd, ctx->opts->mtu, &ctx->stats);
	ctx->loop = g_main_loop_new(NULL, FALSE);

	c->stash = util_map(EP_BATCH * sizeof(*c->stash));
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c->epfd < 0) {
		log_error("epoll_create1: %s", g_strerror(errno));
		return -1;
	}
	heap_init();
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
	s->ep_tag = g_source_add_unix_fd(&s->base, c->epfd, G_IO_IN);
	if (!bess)
		s->tap_tag = g_source_add_unix_fd(&s->base, tapfd, G_IO_IN);
	g_source_attach(&s->base, NULL);
	gpoll_core = c;
	g_main_context_set_poll_func(NULL, gpoll);
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

	if (!c)
		return;
	if (c->poll_timer)
		g_source_remove(c->poll_timer);
	if (c->trim_src)
		g_source_remove(c->trim_src);
	if (c->src) {
		g_source_destroy(&c->src->base);
		g_source_unref(&c->src->base);
	}
	if (ctx->slirp)
		slirp_cleanup(ctx->slirp);
	while (c->timers)
		timer_free_cb(c->timers, ctx);
	tap_free(ctx->tap);
	if (c->bess_fd >= 0) {
		close(c->bess_fd);
		util_sockfile_remove(&c->bess_file);
	}
	if (gpoll_core == c) {
		g_main_context_set_poll_func(NULL, NULL);
		gpoll_core = NULL;
	}
	if (c->epfd >= 0)
		close(c->epfd);
	if (c->sigfd >= 0)
		close(c->sigfd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	util_fdres_free();
	g_free(c->gfds);
	util_unmap(c->stash, EP_BATCH * sizeof(*c->stash));
	g_free(c->want);
	g_free(c->rev);
	g_free(c->asked);
	g_free(c);
	if (ctx->loop)
		g_main_loop_unref(ctx->loop);
	ctx->core = NULL;
	ctx->tap = NULL;
	ctx->slirp = NULL;
	ctx->loop = NULL;
}
