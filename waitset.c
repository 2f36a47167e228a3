/* SPDX-License-Identifier: GPL-2.0-or-later */
/* waitset.c - one epoll set for libslirp's sockets, glib's fds and others'
 *
 * libslirp asks for its sockets' events on every iteration
 * (slirp_pollfds_fill(), see libslirp.h) and reads the answers back
 * (slirp_pollfds_poll()). Handing those fds to poll() each time costs the
 * kernel O(connections) per wake-up, which is what makes slirp4netns slow
 * with many flows open. Instead this file keeps an epoll set that mirrors
 * what libslirp asks for: an fd's registration changes only when its
 * events do. An fd that libslirp stops asking for is dropped from the set
 * lazily, the first time it reports an event nobody wants.
 *
 * glib polls its own fds (the TAP, the API's sockets, its eventfd, the
 * epoll fd) with poll(2) on every iteration, and the epoll set then needed
 * an epoll_wait() of its own: two system calls per wake-up, and a poll()
 * that looks at every fd. waitset_poll() takes poll()'s place: glib's fds
 * sit in the epoll set too, marked GLIB_TAG, and one epoll_wait() answers
 * for both. Events for libslirp's sockets and for owned fds (OWN_TAG) are
 * kept in the stash for waitset_collect(), and shown to glib as the epoll
 * fd being readable.
 *
 * glib takes its fds out of its list before it closes them; the next call
 * takes them out of the set, unless the number belongs to one of
 * libslirp's sockets by then. Closing an fd takes it out of the set as
 * well, unless another descriptor still refers to the same file: such a
 * left-over entry would report events for a number nobody polls on every
 * call, so the set is built anew when one shows up (rebuild()).
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib.h>
#include <slirp/libslirp.h>

#include "log.h"
#include "util.h"
#include "waitset.h"

/* of WAITSET_BATCH, waitset_poll() reads this many first, on the stack */
#define EP_FIRST 8

/* the event's data: the fd in the low 32 bits, and who owns it above */
#define GLIB_TAG (1ULL << 32)
#define OWN_TAG (2ULL << 32)
#define TAGS (GLIB_TAG | OWN_TAG)

#define LONG_BITS (8 * sizeof(unsigned long))

/* an fd of glib's in the epoll set */
struct gfd {
	int fd;
	uint32_t events;
};

/* an fd another module added, with its handler */
struct owned {
	waitset_fn fn; /* NULL: not owned */
	void *cookie;
	uint32_t events;
	unsigned int collected; /* the last waitset_collect() that called fn */
};

/* The mirror is indexed by fd and kept small, because libslirp calls
 * back into it once per socket on every fill and poll: with 10,000 flows
 * open those calls are most of a wake-up's cost, and two bytes and a bit
 * per fd stay in the CPU's caches. Events are stored as epoll bits, which
 * all fit in a byte (EPOLLIN..EPOLLHUP). */
struct waitset {
	int epfd;
	uint8_t *want;	      /* events registered; 0: not in the set */
	uint8_t *rev;	      /* SLIRP_POLL_* seen in this dispatch */
	unsigned long *asked; /* the last fill asked for this fd */
	size_t nent;	      /* entries in each of the three */
	unsigned int nasking; /* fds asked for by the fill running */
	int ready[WAITSET_BATCH];
	int nready;
	/* events from the last poll not for glib; WAITSET_BATCH entries in
	 * a mapping of their own: pages only as far as used */
	struct epoll_event *stash;
	int nstash;
	struct gfd *gfds; /* glib's fds in the epoll set */
	unsigned int ngfds;
	struct owned *own; /* indexed by fd; NULL until the first add */
	size_t nown;
	unsigned int collects; /* waitset_collect() calls */
	bool rebuild_failed;   /* warned about it */
};

#define STASH_BYTES (WAITSET_BATCH * sizeof(struct epoll_event))

static struct waitset *glib_set; /* a GPollFunc has no user data */

/* --- the mirror of libslirp's wishes ------------------------------------ */

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

static bool asked_test(const struct waitset *ws, int fd)
{
	return ws->asked[fd / LONG_BITS] & (1UL << (fd % LONG_BITS));
}

static bool is_owned(const struct waitset *ws, int fd)
{
	return fd >= 0 && (size_t)fd < ws->nown && ws->own[fd].fn;
}

/* make room in the mirror for @fd */
static void mirror_grow(struct waitset *ws, int fd)
{
	/* whole words of the bitmap */
	size_t n = (MAX(ws->nent * 2, (size_t)fd + 64) + LONG_BITS - 1) &
		   ~(LONG_BITS - 1);
	size_t old_words = ws->nent / LONG_BITS, words = n / LONG_BITS;

	ws->want = g_realloc(ws->want, n);
	ws->rev = g_realloc(ws->rev, n);
	ws->asked = g_renew(unsigned long, ws->asked, words);
	memset(ws->want + ws->nent, 0, n - ws->nent);
	memset(ws->rev + ws->nent, 0, n - ws->nent);
	memset(ws->asked + old_words, 0, (words - old_words) * sizeof(long));
	ws->nent = n;
}

static void mirror_drop(struct waitset *ws, int fd)
{
	if (fd < 0 || (size_t)fd >= ws->nent)
		return;
	if (ws->want[fd])
		(void)epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL);
	ws->want[fd] = 0;
}

/* waitset_add_poll_cb()'s rare case: @fd's registration changes */
static __attribute__((noinline)) void register_fd(struct waitset *ws, int fd,
						  uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.u64 = (uint32_t)fd};
	int op;

	if ((size_t)fd >= ws->nent)
		mirror_grow(ws, fd);
	ws->asked[fd / LONG_BITS] |= 1UL << (fd % LONG_BITS);
	op = ws->want[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(ws->epfd, op, fd, &ev) < 0) {
		/* our mirror was wrong (an fd closed and reused behind our
		 * back): the other operation is the right one */
		op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
		if (epoll_ctl(ws->epfd, op, fd, &ev) < 0) {
			log_debug("epoll_ctl fd %d: %s", fd, g_strerror(errno));
			ws->want[fd] = 0;
			return;
		}
	}
	ws->want[fd] = (uint8_t)events;
}

void waitset_fill_begin(struct waitset *ws)
{
	if (ws->asked)
		memset(ws->asked, 0, ws->nent / 8);
	ws->nasking = 0;
}

/* With 10,000 flows this runs 10,000 times per wake-up: the common case
 * (nothing changed) is kept to a few instructions, without a call. */
int waitset_add_poll_cb(int fd, int events, void *opaque)
{
	struct waitset *ws = opaque;
	uint32_t ev = slirp_to_epoll(events);

	ws->nasking++;
	if ((size_t)fd < ws->nent && ws->want[fd] == ev) {
		ws->asked[fd / LONG_BITS] |= 1UL << (fd % LONG_BITS);
		return fd;
	}
	register_fd(ws, fd, ev);
	return fd;
}

unsigned int waitset_fill_end(struct waitset *ws)
{
	return ws->nasking;
}

int waitset_revents_cb(int idx, void *opaque)
{
	return ((const struct waitset *)opaque)->rev[idx];
}

/* An owned fd's event: its handler may add, change or remove owned fds,
 * so the table is looked at anew for each event. One poll can read an fd
 * twice: the level-triggered fds of its first epoll_wait() go back to the
 * end of the kernel's ready list, where the second one may find them
 * again. libslirp's revents and glib's are the same either way; a handler
 * is called once. */
static void deliver_owned(struct waitset *ws, int fd, uint32_t events)
{
	struct owned *o;

	if (!is_owned(ws, fd))
		return; /* removed since the poll */
	o = &ws->own[fd];
	if (o->collected == ws->collects)
		return;
	o->collected = ws->collects;
	o->fn(o->cookie, fd, events);
}

unsigned int waitset_collect(struct waitset *ws)
{
	int i;

	ws->nready = 0;
	ws->collects++;
	for (i = 0; i < ws->nstash; i++) {
		uint64_t d = ws->stash[i].data.u64;
		int fd = (int)(uint32_t)d;

		if (d & OWN_TAG) {
			deliver_owned(ws, fd, ws->stash[i].events);
			continue;
		}
		if (!asked_test(ws, fd)) {
			mirror_drop(ws, fd);
			continue;
		}
		ws->rev[fd] = (uint8_t)epoll_to_slirp(ws->stash[i].events);
		ws->ready[ws->nready++] = fd;
	}
	ws->nstash = 0;
	return (unsigned int)ws->nready;
}

void waitset_clear(struct waitset *ws)
{
	int i;

	for (i = 0; i < ws->nready; i++)
		ws->rev[ws->ready[i]] = 0;
	ws->nready = 0;
}

/* Closing took (or takes) any earlier socket of that number out of the
 * epoll set, so only the mirror needs to forget it. */
void waitset_forget(struct waitset *ws, int fd)
{
	if (fd >= 0 && (size_t)fd < ws->nent)
		ws->want[fd] = 0;
}

/* --- glib's fds ---------------------------------------------------------- */

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

static bool gfds_same(const struct waitset *ws, const GPollFD *ufds, guint n)
{
	guint i;

	if (n != ws->ngfds)
		return false;
	for (i = 0; i < n; i++)
		if (ufds[i].fd != ws->gfds[i].fd ||
		    gio_to_epoll(ufds[i].events) != ws->gfds[i].events)
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

/* add or change @fd's registration with @data, trying the other of the
 * two operations if the set did not hold what we thought */
static int set_fd(struct waitset *ws, int op, int fd, uint32_t events,
		  uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};
	int alt = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;

	if (epoll_ctl(ws->epfd, op, fd, &ev) < 0 &&
	    epoll_ctl(ws->epfd, alt, fd, &ev) < 0)
		return -errno;
	return 0;
}

static void gfd_set(struct waitset *ws, int op, int fd, uint32_t events)
{
	int rc = set_fd(ws, op, fd, events, GLIB_TAG | (uint32_t)fd);

	if (rc < 0)
		log_debug("epoll_ctl glib fd %d: %s", fd, g_strerror(-rc));
}

/* bring the epoll set in line with glib's new list */
static void gfds_sync(struct waitset *ws, const GPollFD *ufds, guint n)
{
	struct gfd *next = g_new(struct gfd, n);
	guint i;
	bool listed, had;

	for (i = 0; i < n; i++) {
		next[i].fd = ufds[i].fd;
		next[i].events = gio_to_epoll(ufds[i].events);
	}
	for (i = 0; i < ws->ngfds; i++) {
		int fd = ws->gfds[i].fd;

		(void)gfds_events(next, n, fd, &listed);
		if (listed || fd == ws->epfd || is_owned(ws, fd))
			continue;
		if ((size_t)fd < ws->nent && ws->want[fd])
			continue; /* libslirp's now */
		(void)epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL);
	}
	for (i = 0; i < n; i++) {
		int fd = next[i].fd;
		uint32_t want = gfds_events(next, n, fd, &listed);
		uint32_t old = gfds_events(ws->gfds, ws->ngfds, fd, &had);

		if (fd < 0 || fd == ws->epfd || (had && old == want))
			continue;
		gfd_set(ws, had ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, want);
	}
	g_free(ws->gfds);
	ws->gfds = next;
	ws->ngfds = n;
}

/* a new epoll set in the old one's place, from the mirror, glib's list
 * and the owned fds */
static void rebuild(struct waitset *ws)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);
	size_t i;

	log_debug("an fd glib closed is still in the epoll set: rebuilding");
	if (fd < 0 || dup3(fd, ws->epfd, O_CLOEXEC) < 0) {
		if (!ws->rebuild_failed)
			log_warn("cannot rebuild the epoll set: %s",
				 g_strerror(errno));
		ws->rebuild_failed = true;
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	for (i = 0; i < ws->nent; i++) {
		struct epoll_event ev = {.events = ws->want[i], .data.u64 = i};

		if (ws->want[i] &&
		    epoll_ctl(ws->epfd, EPOLL_CTL_ADD, (int)i, &ev) < 0)
			ws->want[i] = 0;
	}
	for (i = 0; i < ws->nown; i++)
		if (ws->own[i].fn)
			(void)set_fd(ws, EPOLL_CTL_ADD, (int)i,
				     ws->own[i].events, OWN_TAG | i);
	for (i = 0; i < ws->ngfds; i++) {
		int gfd = ws->gfds[i].fd;
		bool listed;

		if (gfd >= 0 && gfd != ws->epfd)
			gfd_set(ws, EPOLL_CTL_ADD, gfd,
				gfds_events(ws->gfds, ws->ngfds, gfd, &listed));
	}
}

/* hand @k events to glib's @ufds or to the stash (which @evs may be part
 * of, from ws->nstash on); Return: false if one was for an fd glib closed */
static bool sort_events(struct waitset *ws, GPollFD *ufds, guint n,
			const struct epoll_event *evs, int k)
{
	bool fresh = true;
	int i;
	guint j;

	for (i = 0; i < k; i++) {
		uint64_t d = evs[i].data.u64;
		bool seen = false;

		if (!(d & GLIB_TAG)) {
			ws->stash[ws->nstash++] = evs[i];
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

/* A few events are read on the stack first, so that an idle daemon, which
 * only sees glib's, never touches the stash's pages. */
gint waitset_poll(struct waitset *ws, GPollFD *ufds, guint n, gint timeout)
{
	struct epoll_event first[EP_FIRST];
	int k, ready = 0;
	bool fresh;
	guint j;

	if (!gfds_same(ws, ufds, n))
		gfds_sync(ws, ufds, n);
	for (j = 0; j < n; j++)
		ufds[j].revents = 0;
	k = epoll_wait(ws->epfd, first, EP_FIRST, timeout);
	if (k < 0)
		return -1;
	ws->nstash = 0;
	fresh = sort_events(ws, ufds, n, first, k);
	if (k == EP_FIRST) {
		k = epoll_wait(ws->epfd, ws->stash + ws->nstash,
			       WAITSET_BATCH - ws->nstash, 0);
		if (k > 0)
			fresh = sort_events(ws, ufds, n, ws->stash + ws->nstash,
					    k) &&
				fresh;
	}
	if (!fresh)
		rebuild(ws);
	for (j = 0; j < n; j++) {
		if (ufds[j].fd == ws->epfd && ws->nstash)
			ufds[j].revents = G_IO_IN;
		if (ufds[j].revents)
			ready++;
	}
	return ready;
}

static gint glib_poll(GPollFD *ufds, guint n, gint timeout)
{
	return waitset_poll(glib_set, ufds, n, timeout);
}

void waitset_use_for_glib(struct waitset *ws)
{
	glib_set = ws;
	g_main_context_set_poll_func(NULL, glib_poll);
}

/* --- owned fds ------------------------------------------------------------ */

int waitset_add(struct waitset *ws, int fd, uint32_t events, waitset_fn fn,
		void *cookie)
{
	int rc;

	if (fd < 0 || !fn)
		return -EINVAL;
	if (is_owned(ws, fd))
		return -EEXIST;
	if ((size_t)fd >= ws->nown) {
		size_t n = MAX(ws->nown * 2, (size_t)fd + 16);

		ws->own = g_renew(struct owned, ws->own, n);
		memset(ws->own + ws->nown, 0,
		       (n - ws->nown) * sizeof(*ws->own));
		ws->nown = n;
	}
	/* a socket of libslirp's that had this number is closed */
	waitset_forget(ws, fd);
	rc = set_fd(ws, EPOLL_CTL_ADD, fd, events, OWN_TAG | (uint32_t)fd);
	if (rc < 0)
		return rc;
	ws->own[fd] = (struct owned){.fn = fn,
				     .cookie = cookie,
				     .events = events,
				     .collected = ws->collects - 1};
	return 0;
}

int waitset_mod(struct waitset *ws, int fd, uint32_t events)
{
	int rc;

	if (!is_owned(ws, fd))
		return -ENOENT;
	rc = set_fd(ws, EPOLL_CTL_MOD, fd, events, OWN_TAG | (uint32_t)fd);
	if (rc < 0)
		return rc;
	ws->own[fd].events = events;
	return 0;
}

void waitset_del(struct waitset *ws, int fd)
{
	if (!is_owned(ws, fd))
		return;
	(void)epoll_ctl(ws->epfd, EPOLL_CTL_DEL, fd, NULL);
	ws->own[fd] = (struct owned){0};
}

/* --- the set ------------------------------------------------------------ */

struct waitset *waitset_new(void)
{
	int epfd = epoll_create1(EPOLL_CLOEXEC);
	struct waitset *ws;

	if (epfd < 0)
		return NULL;
	ws = g_new0(struct waitset, 1);
	ws->epfd = epfd;
	ws->stash = util_map(STASH_BYTES);
	return ws;
}

int waitset_fd(const struct waitset *ws)
{
	return ws->epfd;
}

void waitset_idle(struct waitset *ws)
{
	(void)madvise(ws->stash, STASH_BYTES, MADV_DONTNEED);
}

void waitset_free(struct waitset *ws)
{
	if (!ws)
		return;
	if (glib_set == ws) {
		g_main_context_set_poll_func(NULL, NULL);
		glib_set = NULL;
	}
	close(ws->epfd);
	util_unmap(ws->stash, STASH_BYTES);
	g_free(ws->gfds);
	g_free(ws->own);
	g_free(ws->want);
	g_free(ws->rev);
	g_free(ws->asked);
	g_free(ws);
}
