/* SPDX-License-Identifier: GPL-2.0-or-later */
/* resources.c - running out of file descriptors and memory
 *
 * Descriptors: libslirp opens a socket per flow until none is left, and
 * then its accept() on a forwarded port fails, which it retries on every
 * wake-up: the loop would spin while a host client waits. So the guest's
 * flows stop FD_HEADROOM short of the limit, which keeps forwarded ports
 * and the API working. Two measures tell, and both must leave room:
 *  - the count of open descriptors, kept as we go: those open once
 *    start-up was over (res_count_open()), the sockets that libslirp,
 *    the TCP path and the forwards' listeners opened and did not close
 *    yet (res_socket_opened() and res_socket_closed()), and the reserve.
 *    It costs no system call, and holes in the table (flows closed below
 *    others still open) do not fool it;
 *  - the lowest free descriptor: the kernel hands out the lowest, so
 *    every one below it is taken, whoever opened it. Far from the limit,
 *    one look lasts for half the distance: every socket opened counts
 *    down fd_credit, and the next look comes when it is used up. Near the
 *    limit, every SYN looks. It sees the descriptors nobody reports (the
 *    API's clients, remote forwards' connections) as long as there are
 *    no holes below them.
 * Alone, the lowest free descriptor overestimates the room once flows
 * closed low in the table: a guest whose SYNs linger could then take
 * every descriptor. A few descriptors are held back besides (the
 * reserve), so that an API client can still be accepted, or a forward
 * opened, when the guest's flows or the host took every other one.
 *
 * Memory: libslirp allocates with g_malloc(), which aborts the process
 * when memory runs out. Nearly all of it is per flow: two socket buffers
 * of up to 192 KiB each. Where a mapping can fail at all (an RLIMIT_AS or
 * RLIMIT_DATA, the strict overcommit policy), a trial mapping of several
 * times that must succeed, which also leaves the flows already open room
 * for their packets. Elsewhere memory runs out as the OOM killer, which
 * no check here can see coming.
 *
 * So a SYN usually costs nothing here, and at most four system calls,
 * next to the ten libslirp makes for its socket.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib.h>

#include "log.h"
#include "resources.h"

#define FD_HEADROOM 16
/* a forwarded client may use the headroom (it is there for forwards), but
 * leaves a few descriptors for the API and the loop */
#define FWD_HEADROOM 4
#define FLOW_ROOM (4 * 1024 * 1024)

/* The reserve: one eventfd, kept to the end, and dups of it that are
 * given up on demand. A dup costs the kernel no more than a table slot,
 * and fcntl() is allowed by the seccomp filter where eventfd() is not. */
#define RESERVE_SIZE 5

/* at most one "out of file descriptors" (or memory) line per interval */
#define REFUSED_WARN_INTERVAL_US (5 * G_USEC_PER_SEC)

/* guest connections refused for one reason, for warn_refused() */
struct refusals {
	uint64_t count;	    /* since the last warning */
	int64_t warn_after; /* no warning before this time */
};

struct res {
	rlim_t nofile;	  /* RLIMIT_NOFILE, 0: unlimited or unknown */
	rlim_t fd_credit; /* sockets before the next look at the fds */
	/* the count of open descriptors: nbase + nsockets + nreserve */
	rlim_t nbase;	  /* neither sockets reported nor the reserve */
	rlim_t nsockets;  /* reported open, not yet closed */
	bool mem_limited; /* a mapping can fail, see res_room_for_flow() */
	int reserve[RESERVE_SIZE];
	int nreserve;
	bool reserve_low; /* res_reserve_fill() is due */
	/* the refusals of a batch, see res_batch_end() */
	uint64_t sockets_opened; /* by libslirp, ever */
	uint64_t opened_before;	 /* ... when the batch began */
	uint64_t syns_seen;	 /* stats.from_guest_syns already checked */
	uint64_t nofd_seen, nomem_seen; /* stats.from_guest_refused_* */
	struct refusals nofds, nomem;
};

/* Every guest flow costs one host socket: with the usual soft limit of
 * 1024, the guest's connections start failing after about a thousand. */
void res_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn("cannot raise RLIMIT_NOFILE: %s", strerror(errno));
}

static bool limited(int resource)
{
	struct rlimit rl;

	return getrlimit(resource, &rl) < 0 || rl.rlim_cur != RLIM_INFINITY;
}

/* Can an anonymous mapping of FLOW_ROOM fail? (Asked once, at start-up:
 * the sandbox may hide /proc later.) */
static bool mappings_can_fail(void)
{
	char mode = '2';
	int fd;

	if (limited(RLIMIT_AS) || limited(RLIMIT_DATA))
		return true;
	fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &mode, 1) != 1)
			mode = '2';
		close(fd);
	}
	/* 0: only a request larger than RAM and swap fails; 1: none */
	return mode != '0' && mode != '1';
}

struct res *res_new(void)
{
	struct res *r = g_new0(struct res, 1);
	struct rlimit rl;

	/* main() raised the soft limit before; it stays */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		r->nofile = rl.rlim_cur;
	r->mem_limited = mappings_can_fail();
	(void)res_reserve_fill(r);
	res_count_open(r);
	return r;
}

void res_free(struct res *r)
{
	if (!r)
		return;
	while (r->nreserve > 0)
		close(r->reserve[--r->nreserve]);
	g_free(r);
}

bool res_reserve_fill(struct res *r)
{
	while (r->nreserve < RESERVE_SIZE) {
		int fd;

		if (r->nreserve == 0)
			fd = eventfd(0, EFD_CLOEXEC);
		else
			fd = fcntl(r->reserve[0], F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return false;
		r->reserve[r->nreserve++] = fd;
	}
	return true;
}

bool res_reserve_take(struct res *r)
{
	if (r->nreserve <= 1)
		return false;
	close(r->reserve[--r->nreserve]);
	r->reserve_low = true;
	return true;
}

/* the lowest free descriptor, or -errno; the reserve's first one (kept to
 * the end) is duplicated, so that any open descriptor serves */
static int lowest_free(const struct res *r)
{
	int fd;

	if (r->nreserve == 0)
		return -EBADF;
	fd = fcntl(r->reserve[0], F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	return fd;
}

/* descriptors open now: /proc/self/fd less the one that reads it, or,
 * without /proc (the sandbox), the lowest free one */
static rlim_t count_open(const struct res *r)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	rlim_t n = 0;
	int fd;

	if (!d) {
		fd = lowest_free(r);
		return fd > 0 ? (rlim_t)fd : 0;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n ? n - 1 : 0;
}

void res_count_open(struct res *r)
{
	rlim_t n = count_open(r), known = r->nsockets + (rlim_t)r->nreserve;

	r->nbase = n > known ? n - known : 0;
}

/* a trial mapping, where one can fail: see the top of the file */
static int room_for_memory(const struct res *r)
{
	void *p;

	if (!r->mem_limited)
		return 0;
	p = mmap(NULL, FLOW_ROOM, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	munmap(p, FLOW_ROOM);
	return 0;
}

/* the count of open descriptors, see the top of the file */
static rlim_t nopen(const struct res *r)
{
	return r->nbase + r->nsockets + (rlim_t)r->nreserve;
}

int res_room_for_flow(struct res *r)
{
	int fd;

	if (!r->nofile)
		return room_for_memory(r);
	if (nopen(r) + FD_HEADROOM >= r->nofile)
		return -EMFILE;
	if (!r->fd_credit) {
		fd = lowest_free(r);
		if (fd == -EMFILE || fd == -ENFILE)
			return -EMFILE;
		if (fd >= 0) {
			if ((rlim_t)fd + FD_HEADROOM >= r->nofile)
				return -EMFILE;
			r->fd_credit =
			    (r->nofile - (rlim_t)fd - FD_HEADROOM) / 2;
		}
	}
	return room_for_memory(r);
}

int res_room_for_fwd(struct res *r)
{
	int fd;

	if (r->nofile) {
		fd = lowest_free(r);
		if (fd == -EMFILE || fd == -ENFILE ||
		    (fd >= 0 && (rlim_t)fd + FWD_HEADROOM >= r->nofile))
			return -EMFILE;
	}
	return room_for_memory(r);
}

void res_socket_opened(struct res *r)
{
	r->sockets_opened++;
	r->nsockets++;
	if (r->fd_credit)
		r->fd_credit--;
}

void res_socket_closed(struct res *r)
{
	if (r->nsockets)
		r->nsockets--;
	r->reserve_low = true;
}

void res_batch_begin(struct res *r)
{
	r->opened_before = r->sockets_opened;
}

/* one warning per interval at most, with the refusals between */
static void warn_refused(struct refusals *f, uint64_t n, const char *why)
{
	int64_t now = g_get_monotonic_time();

	f->count += n;
	if (now < f->warn_after)
		return;
	if (f->count > 1)
		log_warn("%s: %" PRIu64 " new connections from the guest "
			 "refused since the last warning",
			 why, f->count);
	else
		log_warn("%s: new connections from the guest are refused", why);
	f->warn_after = now + REFUSED_WARN_INTERVAL_US;
	f->count = 0;
}

/* A TCP SYN from the guest for which libslirp opened no socket is a
 * retransmission, or libslirp could not open one. It has answered the
 * guest with an ICMP unreachable then (the connection fails at once);
 * what is left to us is to say why when the reason is the fd limit. A
 * trial dup() tells, and is only made when the counts differ. */
static void check_refused(struct res *r, const struct s4n_stats *st)
{
	uint64_t syns = st->from_guest_syns - r->syns_seen;
	uint64_t nofd = st->from_guest_refused_nofd - r->nofd_seen;
	uint64_t nomem = st->from_guest_refused_nomem - r->nomem_seen;
	char why[128];
	int fd;

	r->syns_seen = st->from_guest_syns;
	r->nofd_seen = st->from_guest_refused_nofd;
	r->nomem_seen = st->from_guest_refused_nomem;
	/* the frame path refused these itself (res_room_for_flow()) */
	if (nofd) {
		snprintf(why, sizeof(why),
			 "out of file descriptors (limit %llu)",
			 (unsigned long long)r->nofile);
		warn_refused(&r->nofds, nofd, why);
	}
	if (nomem)
		warn_refused(&r->nomem, nomem, "out of memory for new flows");
	syns -= MIN(nofd + nomem, syns);
	if (!syns || r->sockets_opened - r->opened_before >= syns)
		return;
	/* libslirp failed on its own: the system's limit, say */
	fd = lowest_free(r);
	if (fd != -EMFILE && fd != -ENFILE)
		return;
	snprintf(why, sizeof(why), "out of file descriptors (%s)",
		 g_strerror(-fd));
	warn_refused(&r->nofds, 1, why);
}

void res_batch_end(struct res *r, const struct s4n_stats *st)
{
	check_refused(r, st);
}

void res_refill(struct res *r)
{
	if (r->reserve_low)
		r->reserve_low = !res_reserve_fill(r);
}
