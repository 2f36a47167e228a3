/* SPDX-License-Identifier: GPL-2.0-or-later */
/* waitset.h - one epoll set for everything the main loop waits on
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * Three kinds of descriptors share the set, each with its own tag in the
 * event's data, so one epoll_wait() answers for all of them:
 *
 * - libslirp's sockets, mirrored from what slirp_pollfds_fill() asks for:
 *   slirp4netns.c passes waitset_add_poll_cb() and waitset_revents_cb()
 *   to libslirp (see SlirpAddPollCb and SlirpGetREventsCb in libslirp.h),
 *   between waitset_fill_begin()/waitset_fill_end(), and calls
 *   waitset_collect() and waitset_clear() around slirp_pollfds_poll().
 * - glib's own fds (the TAP, the API's sockets, its wake-up eventfd):
 *   waitset_use_for_glib() makes waitset_poll() glib's poll function.
 * - fds another module owns (the TCP fast path's host sockets, say):
 *   waitset_add(), waitset_mod(), waitset_del(), each fd with its own
 *   handler and cookie. Handlers run from waitset_collect(), that is from
 *   the main loop's dispatch, never from inside glib's poll. The owner
 *   calls waitset_del() before it closes the fd. An event that was read
 *   before a waitset_del() is not delivered; after a del and an add of
 *   the same number, one late event may reach the new handler, which,
 *   like any non-blocking reader, treats EAGAIN as "nothing yet".
 *
 * Not thread-safe; everything runs in the main loop's thread.
 */
#ifndef S4N_WAITSET_H
#define S4N_WAITSET_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

/* epoll events collected per poll; more wait for the next one */
#define WAITSET_BATCH 256

struct waitset;

/*
 * waitset_fn - handler of an fd added with waitset_add()
 * @cookie:	the pointer given to waitset_add()
 * @fd:		the fd
 * @events:	EPOLLIN, EPOLLOUT, EPOLLPRI, EPOLLERR, EPOLLHUP, as reported
 */
typedef void (*waitset_fn)(void *cookie, int fd, uint32_t events);

/**
 * waitset_new() - create an empty set. Called by s4n_ctx_init(); unit tests.
 *
 * Return: the set, or NULL with errno set if epoll_create1() failed.
 */
struct waitset *waitset_new(void);

/**
 * waitset_free() - close the set and free it; stops being glib's poll
 * function if it was. NULL is a no-op. Called by s4n_ctx_fini().
 */
void waitset_free(struct waitset *ws);

/**
 * waitset_fd() - the epoll fd: readable when any event is pending. The
 * main loop's source watches it; spin() polls it.
 *
 * Return: the fd.
 */
int waitset_fd(const struct waitset *ws);

/* ---- libslirp's sockets --------------------------------------------- */

/**
 * waitset_fill_begin() - libslirp is about to tell, through
 * waitset_add_poll_cb(), every fd it wants: called before
 * slirp_pollfds_fill().
 */
void waitset_fill_begin(struct waitset *ws);

/**
 * waitset_add_poll_cb() - a SlirpAddPollCb for slirp_pollfds_fill(), with
 * the set as @opaque: @fd is wanted for SLIRP_POLL_* @events. Its
 * registration changes only when its events do.
 *
 * Return: @fd, the index libslirp hands back to waitset_revents_cb().
 */
int waitset_add_poll_cb(int fd, int events, void *opaque);

/**
 * waitset_fill_end() - the fill is over. An fd libslirp did not ask for
 * this time leaves the set the first time it reports an event.
 *
 * Return: how many fds libslirp asked for.
 */
unsigned int waitset_fill_end(struct waitset *ws);

/**
 * waitset_collect() - turn the events the last waitset_poll() read into
 * libslirp's revents, and run the handlers of owned fds. Called by the
 * dispatch when waitset_fd() was readable, before slirp_pollfds_poll().
 *
 * Return: the number of events for libslirp's fds (one fd can count twice,
 * see deliver_owned()); 0 if none.
 */
unsigned int waitset_collect(struct waitset *ws);

/**
 * waitset_revents_cb() - a SlirpGetREventsCb for slirp_pollfds_poll(), with
 * the set as @opaque.
 *
 * Return: the SLIRP_POLL_* events collected for @idx (an fd).
 */
int waitset_revents_cb(int idx, void *opaque);

/**
 * waitset_clear() - forget the collected events: called after
 * slirp_pollfds_poll().
 */
void waitset_clear(struct waitset *ws);

/**
 * waitset_forget() - libslirp opened @fd or is about to close it
 * (register_poll_fd, unregister_poll_fd): the number may come back for
 * another socket, whose events must be registered anew.
 */
void waitset_forget(struct waitset *ws, int fd);

/* ---- glib's fds -------------------------------------------------------- */

/**
 * waitset_poll() - a GPollFunc's contract for @ws: poll(2)'s, answered
 * from the epoll set. Events for libslirp's and owned fds are kept for
 * waitset_collect() and shown to glib as waitset_fd() being readable.
 *
 * Return: the number of @ufds with revents, or -1 with errno set.
 */
gint waitset_poll(struct waitset *ws, GPollFD *ufds, guint n, gint timeout);

/**
 * waitset_use_for_glib() - make waitset_poll() the default main context's
 * poll function (glib's GPollFunc has no user data: one set at a time).
 */
void waitset_use_for_glib(struct waitset *ws);

/**
 * waitset_idle() - give the pages of the event buffer back to the kernel:
 * called by the idle release; the next burst faults them in again.
 */
void waitset_idle(struct waitset *ws);

/* ---- fds of other modules ------------------------------------------- */

/**
 * waitset_add() - wait for @events (EPOLLIN, EPOLLOUT, EPOLLPRI; EPOLLERR
 * and EPOLLHUP always) on @fd, level-triggered, and call @fn(@cookie, @fd,
 * events) from waitset_collect() when they come. The allocation for owned
 * fds is made on first use.
 *
 * Return: 0, -EEXIST if @fd is already owned, or -errno of epoll_ctl().
 */
int waitset_add(struct waitset *ws, int fd, uint32_t events, waitset_fn fn,
		void *cookie);

/**
 * waitset_mod() - change the events waited for on an owned @fd; 0 waits
 * for EPOLLERR and EPOLLHUP only.
 *
 * Return: 0, -ENOENT if @fd is not owned, or -errno of epoll_ctl().
 */
int waitset_mod(struct waitset *ws, int fd, uint32_t events);

/**
 * waitset_del() - stop waiting on an owned @fd; call it before closing
 * @fd. Not owned: a no-op.
 */
void waitset_del(struct waitset *ws, int fd);

#endif /* S4N_WAITSET_H */
