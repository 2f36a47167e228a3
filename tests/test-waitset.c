/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-waitset.c - unit tests for waitset.c with pipes and eventfds
 *
 * The set is driven as the main loop drives it: a fill tells what
 * libslirp wants, waitset_poll() answers glib's poll, waitset_collect()
 * turns the events into libslirp's revents and runs owned fds' handlers.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>
#include <slirp/libslirp.h>

#include "waitset.h"
#include "tests/taptest.h"

/* descriptors for the large test, if the limit allows */
#define MANY 3000

static void kick(int efd)
{
	uint64_t one = 1;

	(void)!write(efd, &one, sizeof(one));
}

static void drain(int efd)
{
	uint64_t v;

	(void)!read(efd, &v, sizeof(v));
}

static int new_efd(void)
{
	return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

/* one fill asking for @n fds, each for @events */
static unsigned int fill(struct waitset *ws, const int *fds, int n, int events)
{
	int i;

	waitset_fill_begin(ws);
	for (i = 0; i < n; i++)
		(void)waitset_add_poll_cb(fds[i], events, ws);
	return waitset_fill_end(ws);
}

/* poll as glib would with only the set's own fd listed;
 * Return: whether the set's fd was shown readable */
static bool poll_set(struct waitset *ws)
{
	GPollFD p = {.fd = waitset_fd(ws), .events = G_IO_IN};

	return waitset_poll(ws, &p, 1, 0) == 1 && p.revents == G_IO_IN;
}

/* events waiting in the kernel's set, bypassing the wait set */
static int pending(struct waitset *ws)
{
	struct epoll_event ev[16];

	return epoll_wait(waitset_fd(ws), ev, 16, 0);
}

static void test_asked(void)
{
	struct waitset *ws = waitset_new();
	int p[2], efd = new_efd();
	int fds[2];

	ok(ws != NULL, "a set is created");
	ok(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe");
	fds[0] = p[0];
	fds[1] = efd;
	ok(fill(ws, fds, 2, SLIRP_POLL_IN) == 2, "the fill counts two fds");
	ok(!poll_set(ws) && waitset_collect(ws) == 0,
	   "nothing readable: no event");

	(void)!write(p[1], "x", 1);
	ok(poll_set(ws), "a readable pipe makes the set's fd readable");
	ok(waitset_collect(ws) == 1, "one of libslirp's fds has an event");
	ok(waitset_revents_cb(p[0], ws) == SLIRP_POLL_IN,
	   "the pipe reports SLIRP_POLL_IN");
	ok(waitset_revents_cb(efd, ws) == 0, "the eventfd reports nothing");
	waitset_clear(ws);
	ok(waitset_revents_cb(p[0], ws) == 0, "clear forgets the event");

	/* libslirp now wants to write to the eventfd only */
	fds[0] = efd;
	(void)fill(ws, fds, 1, SLIRP_POLL_OUT);
	ok(poll_set(ws) && waitset_collect(ws) == 1,
	   "a changed wish is registered: one event");
	ok(waitset_revents_cb(efd, ws) == SLIRP_POLL_OUT,
	   "the eventfd reports SLIRP_POLL_OUT, as asked");
	ok(waitset_revents_cb(p[0], ws) == 0,
	   "the pipe, no longer asked for, reports nothing");
	waitset_clear(ws);
	/* the pipe's event dropped it from the set: only the eventfd left */
	ok(pending(ws) == 1, "an fd no longer asked for left the set");

	close(p[1]);
	(void)fill(ws, &p[0], 1, SLIRP_POLL_IN);
	ok(poll_set(ws) && waitset_collect(ws) >= 1 &&
	       (waitset_revents_cb(p[0], ws) & SLIRP_POLL_HUP),
	   "a closed writer is reported as SLIRP_POLL_HUP");
	waitset_clear(ws);
	close(p[0]);
	close(efd);
	waitset_free(ws);
}

static void test_glib(void)
{
	struct waitset *ws = waitset_new();
	int efd = new_efd(), p[2];
	GPollFD g[3];

	ok(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0, "pipe");
	g[0] = (GPollFD){.fd = efd, .events = G_IO_IN};
	g[1] = (GPollFD){.fd = p[1], .events = G_IO_OUT};
	g[2] = (GPollFD){.fd = p[0], .events = G_IO_IN};
	ok(waitset_poll(ws, g, 3, 0) == 1 && g[1].revents == G_IO_OUT &&
	       !g[0].revents && !g[2].revents,
	   "glib's fds: only the writable pipe end is ready");
	kick(efd);
	ok(waitset_poll(ws, g, 3, 0) == 2 && g[0].revents == G_IO_IN,
	   "a kicked eventfd is readable for glib");
	drain(efd);
	ok(waitset_poll(ws, g, 2, 0) == 1 && !g[0].revents,
	   "glib's list shrinks: the drained eventfd is quiet");
	(void)!write(p[1], "x", 1);
	ok(waitset_poll(ws, g, 2, 0) == 1 && !poll_set(ws),
	   "an fd glib dropped reports nothing");
	ok(waitset_poll(ws, g, 3, 0) == 2 && g[2].revents == G_IO_IN,
	   "... and is back when glib lists it again");
	close(p[0]);
	close(p[1]);
	close(efd);
	waitset_free(ws);
}

/* glib closed an fd whose file lives on in a dup: its stale entry would
 * report forever, so the set is built anew, keeping everything else */
static void test_rebuild(void)
{
	struct waitset *ws = waitset_new();
	int gfd = new_efd(), keep, sfd = new_efd();
	GPollFD g = {.fd = gfd, .events = G_IO_IN};

	(void)fill(ws, &sfd, 1, SLIRP_POLL_IN);
	ok(waitset_poll(ws, &g, 1, 0) == 0, "glib's eventfd registered");
	keep = dup(gfd);
	close(gfd);
	kick(keep);
	ok(pending(ws) == 1, "the closed fd's file still reports");
	g = (GPollFD){.fd = waitset_fd(ws), .events = G_IO_IN};
	ok(waitset_poll(ws, &g, 1, 0) == 0,
	   "glib is not woken by an fd it closed");
	ok(pending(ws) == 0, "after the rebuild the stale entry is gone");
	kick(sfd);
	ok(poll_set(ws) && waitset_collect(ws) == 1 &&
	       waitset_revents_cb(sfd, ws) == SLIRP_POLL_IN,
	   "libslirp's fd survived the rebuild");
	waitset_clear(ws);
	close(keep);
	close(sfd);
	waitset_free(ws);
}

struct calls {
	int n, fd;
	uint32_t events;
	struct waitset *ws;
	int del_fd; /* a handler removes this fd, if >= 0 */
};

static void on_owned(void *cookie, int fd, uint32_t events)
{
	struct calls *c = cookie;

	c->n++;
	c->fd = fd;
	c->events = events;
	drain(fd);
	if (c->del_fd >= 0)
		waitset_del(c->ws, c->del_fd);
}

static void test_owned(void)
{
	struct waitset *ws = waitset_new();
	int efd = new_efd(), efd2 = new_efd(), sfd = new_efd();
	struct calls c = {.ws = ws, .del_fd = -1},
		     c2 = {.ws = ws, .del_fd = -1};

	ok(waitset_add(ws, efd, EPOLLIN, on_owned, &c) == 0, "add an owned fd");
	ok(waitset_add(ws, efd, EPOLLIN, on_owned, &c) == -EEXIST,
	   "adding it twice is refused");
	ok(waitset_mod(ws, sfd, EPOLLIN) == -ENOENT,
	   "changing an fd not owned is refused");
	(void)fill(ws, &sfd, 1, SLIRP_POLL_IN);
	kick(efd);
	kick(sfd);
	ok(poll_set(ws), "an owned fd's event wakes the loop");
	ok(waitset_collect(ws) == 1, "only libslirp's fd counts for libslirp");
	ok(c.n == 1 && c.fd == efd && c.events == EPOLLIN,
	   "the handler ran once with its cookie, fd and EPOLLIN");
	ok(waitset_revents_cb(efd, ws) == 0,
	   "the owned fd is not shown to libslirp");
	waitset_clear(ws);
	drain(sfd);

	ok(waitset_mod(ws, efd, EPOLLOUT) == 0, "change to EPOLLOUT");
	ok(poll_set(ws) && waitset_collect(ws) == 0 && c.n == 2 &&
	       c.events == EPOLLOUT,
	   "the handler gets EPOLLOUT");
	ok(waitset_mod(ws, efd, 0) == 0 && !poll_set(ws),
	   "no events asked: quiet");

	/* a handler removes another owned fd whose event is already read */
	ok(waitset_mod(ws, efd, EPOLLIN) == 0 &&
	       waitset_add(ws, efd2, EPOLLIN, on_owned, &c2) == 0,
	   "two owned fds");
	c.del_fd = efd2;
	c2.del_fd = efd;
	kick(efd);
	kick(efd2);
	(void)poll_set(ws);
	(void)waitset_collect(ws);
	ok(c.n + c2.n == 3, "after one handler removed the other, it is "
			    "not called");
	waitset_del(ws, efd);
	waitset_del(ws, efd2);
	kick(efd);
	ok(!poll_set(ws), "removed fds are out of the set");

	/* an owned fd is kept across a rebuild */
	ok(waitset_add(ws, efd, EPOLLIN, on_owned, &c) == 0, "add again");
	c.del_fd = -1;
	{
		int gfd = new_efd(), keep;
		GPollFD g = {.fd = gfd, .events = G_IO_IN};

		(void)waitset_poll(ws, &g, 1, 0);
		keep = dup(gfd);
		close(gfd);
		kick(keep);
		(void)poll_set(ws); /* rebuilds; efd's event in the stash */
		(void)waitset_collect(ws);
		kick(efd);
		c.n = 0;
		ok(poll_set(ws) && waitset_collect(ws) == 0 && c.n == 1,
		   "an owned fd survives a rebuild");
		close(keep);
	}
	close(efd);
	close(efd2);
	close(sfd);
	waitset_free(ws);
}

static void count_call(void *cookie, int fd, uint32_t events)
{
	(void)fd;
	(void)events;
	(*(int *)cookie)++;
}

/* more ready fds than the first read takes: that read's fds come again
 * in the second, and their handlers still run once */
static void test_owned_once(void)
{
	struct waitset *ws = waitset_new();
	int fds[20], calls[20] = {0}, i;
	bool once = true;

	for (i = 0; i < 20; i++) {
		fds[i] = new_efd();
		(void)waitset_add(ws, fds[i], EPOLLIN, count_call, &calls[i]);
		kick(fds[i]);
	}
	ok(poll_set(ws), "20 owned fds ready");
	(void)waitset_collect(ws);
	for (i = 0; i < 20; i++)
		once &= calls[i] == 1;
	ok(once, "each handler ran once");
	for (i = 0; i < 20; i++) {
		waitset_del(ws, fds[i]);
		close(fds[i]);
	}
	waitset_free(ws);
}

/* an fd number libslirp closed comes back for another socket */
static void test_forget(void)
{
	struct waitset *ws = waitset_new();
	int efd = new_efd(), num;

	(void)fill(ws, &efd, 1, SLIRP_POLL_IN);
	num = efd;
	waitset_forget(ws, efd);
	close(efd);
	efd = new_efd();
	ok(efd == num, "the number is reused");
	(void)fill(ws, &efd, 1, SLIRP_POLL_IN);
	kick(efd);
	ok(poll_set(ws) && waitset_collect(ws) == 1 &&
	       waitset_revents_cb(efd, ws) == SLIRP_POLL_IN,
	   "the new socket of the same number is registered");
	waitset_clear(ws);
	close(efd);
	waitset_free(ws);
}

static int raise_limit(int want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 64;
	if (rl.rlim_cur < (rlim_t)want + 64 && rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = MIN(rl.rlim_max, (rlim_t)want + 64);
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (int)MIN((rlim_t)want, rl.rlim_cur - 64);
}

/* thousands of fds, every seventh with an event: each event is delivered
 * exactly once, over as many polls as the batch size needs (a poll may
 * read a level-triggered fd twice: collect's count can be larger) */
static void test_many(void)
{
	struct waitset *ws = waitset_new();
	int n = raise_limit(MANY), i, polls = 0, kicked = 0, seen = 0;
	int *fds = g_new(int, n);
	int *hits = g_new0(int, n);
	bool wrong = false;

	for (i = 0; i < n; i++)
		fds[i] = new_efd();
	ok(fds[n - 1] >= 0, "%d eventfds", n);
	ok(fill(ws, fds, n, SLIRP_POLL_IN) == (unsigned int)n,
	   "one fill asks for all of them");
	for (i = 0; i < n; i += 7, kicked++)
		kick(fds[i]);
	while (poll_set(ws) && polls < 100) {
		unsigned int k = waitset_collect(ws);
		int j;

		polls++;
		seen += (int)k;
		for (j = 0; j < n; j++) {
			if (!waitset_revents_cb(fds[j], ws))
				continue;
			hits[j]++;
			wrong |= j % 7 != 0 || waitset_revents_cb(fds[j], ws) !=
						   SLIRP_POLL_IN;
			drain(fds[j]);
		}
		waitset_clear(ws);
		(void)fill(ws, fds, n, SLIRP_POLL_IN);
	}
	for (i = 0; i < n; i++)
		wrong |= hits[i] != (i % 7 == 0);
	ok(seen >= kicked && !wrong, "%d events delivered once each", kicked);
	ok(polls == (kicked + WAITSET_BATCH - 1) / WAITSET_BATCH,
	   "in %d polls of up to %d events", polls, WAITSET_BATCH);
	for (i = 0; i < n; i++)
		close(fds[i]);
	g_free(fds);
	g_free(hits);
	waitset_free(ws);
}

int main(void)
{
	test_asked();
	test_glib();
	test_rebuild();
	test_owned();
	test_owned_once();
	test_forget();
	test_many();
	return done_testing();
}
