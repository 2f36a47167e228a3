/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcap.c - --pcap: every frame between the guest and the daemon, to a file
 *
 * The file is in the classic pcap format (pcap-savefile(5)): a 24-byte
 * header, then for each frame a 16-byte record header and the whole frame;
 * Ethernet link type, time stamps in microseconds, fields in host byte
 * order, which the magic number tells readers. tcpdump -r and Wireshark
 * read it, also while it grows.
 *
 * Stages:
 *  1. main() opens the file before the sandbox hides its directory, as the
 *     user who runs the daemon, mode 0600 (it holds the guest's traffic),
 *     and writes the file header: a bad path fails start-up.
 *  2. A writer process is forked: it copies what comes through a pipe into
 *     the file. A disk that stalls (NFS, dirty page throttling) stalls the
 *     writer, never the loop. It holds nothing but the pipe and the file,
 *     and runs under seccomp's strict mode (read, write and exit only),
 *     whatever the daemon's own options.
 *  3. For each frame, the loop puts one record into the pipe with one
 *     non-blocking writev(). A frame the pipe has no room for is left out
 *     and counted; a record the pipe took only in part keeps its tail,
 *     which goes first, before the next frame, so that the file never
 *     holds a broken record. The pipe holds 1 MiB where the system lets an
 *     unprivileged process have that much (fs.pipe-max-size).
 *  4. Records stop before the file would reach the limit: a warning says
 *     so, once, and the pipe is closed; the file stays a valid capture of
 *     the frames until then.
 *  5. At exit the pipe is closed: the writer writes what it has and exits,
 *     and the daemon waits (bounded) until it did.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include <glib.h>

#include "config.h"
#include "log.h"
#include "pcap.h"

/* pcap-savefile(5): version 2.4, microseconds, DLT_EN10MB */
#define PCAP_MAGIC 0xa1b2c3d4U
#define PCAP_LINKTYPE_ETHERNET 1
/* larger than any frame either way (64 KiB TSO frames and their headers);
 * tcpdump's own maximum, which every reader accepts */
#define PCAP_SNAPLEN 262144

/* room in the pipe for bursts while the writer is scheduled */
#define PIPE_WANTED (1024 * 1024)
/* how long exit waits for the writer to finish the file */
#define CLOSE_WAIT_MS 2000

struct pcap_file_hdr {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t thiszone;
	uint32_t sigfigs, snaplen, linktype;
};

struct pcap_rec_hdr {
	uint32_t ts_sec, ts_usec, caplen, len;
};

struct pcap {
	int fd;	     /* the pipe to the writer, -1 once stopped */
	int done_fd; /* reads end of file when the writer has exited */
	pid_t writer;
	uint64_t size, limit; /* bytes handed to the writer; the cap */
	uint64_t dropped;
	uint8_t *rest; /* tail of a record the pipe took in part */
	size_t rest_len, rest_off;
	char *path;   /* for the messages */
	bool created; /* by us: a failed start removes it */
};

/* Only read(), write() and exit() from here on: no stdio, no malloc, no
 * strerror() (which may open locale files), and exit through the raw
 * exit system call, since strict mode kills exit_group. */
static void writer_say(const char *why)
{
	char line[160] = "slirp4netns: warning: --pcap: ";
	size_t n = strlen(line);

	n += g_strlcpy(line + n, why, sizeof(line) - n - 1);
	n = n < sizeof(line) - 1 ? n : sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

static const char *write_error(int err)
{
	switch (err) {
	case ENOSPC:
		return "no space left on the device; capture stopped";
	case EDQUOT:
		return "disk quota exceeded; capture stopped";
	case EFBIG:
		return "file too large for RLIMIT_FSIZE; capture stopped";
	case EIO:
		return "I/O error; capture stopped";
	default:
		return "cannot write the file; capture stopped";
	}
}

static void __attribute__((noreturn)) writer_exit(int status)
{
	syscall(SYS_exit, status);
	for (;;)
		pause();
}

/* The writer: fd 0 is the pipe, fd 1 the file, fd 3 tells the daemon we
 * are gone (by being closed at exit). */
static void __attribute__((noreturn)) writer_main(void)
{
	uint8_t buf[65536];

	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf)), off = 0;

		if (n == 0)
			writer_exit(0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			writer_exit(1);
		}
		while (off < n) {
			ssize_t w = write(STDOUT_FILENO, buf + off, n - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				writer_say(write_error(w < 0 ? errno : EIO));
				writer_exit(1);
			}
			off += w;
		}
	}
}

/* In the forked child: keep the pipe, the file and stderr, nothing else,
 * and confine ourselves before reading anything. */
static void __attribute__((noreturn)) writer_start(int in, int out, int done)
{
	int fd;

	/* Ctrl-C reaches the whole process group: the writer ends with the
	 * daemon's pipe, after the last frame, not before. RLIMIT_FSIZE
	 * makes write() fail with EFBIG instead of killing us. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	/* out of the way first, should any of them be 0, 1 or 3 */
	in = fcntl(in, F_DUPFD, 10);
	out = fcntl(out, F_DUPFD, 10);
	done = fcntl(done, F_DUPFD, 10);
	if (in < 0 || out < 0 || done < 0 || dup2(in, STDIN_FILENO) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(done, 3) < 0)
		writer_exit(1);
	/* without close_range() (Linux < 5.9), close the likely ones */
	if (syscall(SYS_close_range, 4U, ~0U, 0U) < 0)
		for (fd = 4; fd < 1024; fd++)
			(void)close(fd);
	(void)prctl(PR_SET_NAME, "pcap-writer", 0, 0, 0);
#ifndef S4N_SANITIZERS
	/* defence in depth: the writer only copies bytes, but it copies
	 * what a guest sent. (ASan's interceptors call sigaltstack(), which
	 * strict mode kills: not in that build.) */
	(void)prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0);
#endif
	writer_main();
}

static int write_header(int fd)
{
	const struct pcap_file_hdr h = {
	    .magic = PCAP_MAGIC,
	    .version_major = 2,
	    .version_minor = 4,
	    .snaplen = PCAP_SNAPLEN,
	    .linktype = PCAP_LINKTYPE_ETHERNET,
	};
	ssize_t n = write(fd, &h, sizeof(h));

	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(h) ? 0 : -EIO;
}

int pcap_open(const char *path, uint64_t limit, struct pcap **ret)
{
	const int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int file, p[2], d[2], rc;
	struct pcap *pc;
	bool created;
	pid_t pid;

	if (limit < sizeof(struct pcap_file_hdr))
		return -EINVAL;
	/* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of
	 * blocking start-up. O_EXCL first, to know whether a failed start
	 * must remove the file again. */
	file = open(path, flags | O_CREAT | O_EXCL, 0600);
	created = file >= 0;
	if (file < 0 && errno == EEXIST)
		file = open(path, flags | O_TRUNC);
	if (file < 0)
		return -errno;
	rc = fcntl(file, F_SETFL, 0) < 0 ? -errno : write_header(file);
	if (rc < 0)
		goto fail_file;
	if (pipe2(p, O_CLOEXEC) < 0) {
		rc = -errno;
		goto fail_file;
	}
	if (pipe2(d, O_CLOEXEC) < 0) {
		rc = -errno;
		goto fail_pipe;
	}
	if (fcntl(p[1], F_SETPIPE_SZ, PIPE_WANTED) < 0)
		log_debug("--pcap: pipe of %d bytes: %s", PIPE_WANTED,
			  g_strerror(errno));
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(d[0]);
		close(d[1]);
		goto fail_pipe;
	}
	if (pid == 0)
		writer_start(p[0], file, d[1]);
	close(p[0]);
	close(d[1]);
	close(file);
	(void)fcntl(p[1], F_SETFL, O_NONBLOCK);

	pc = g_new0(struct pcap, 1);
	pc->fd = p[1];
	pc->done_fd = d[0];
	pc->writer = pid;
	pc->size = sizeof(struct pcap_file_hdr);
	pc->limit = limit;
	pc->path = g_strdup(path);
	pc->created = created;
	*ret = pc;
	return 0;

fail_pipe:
	close(p[0]);
	close(p[1]);
fail_file:
	close(file);
	if (created)
		(void)unlink(path);
	return rc;
}

static void stop(struct pcap *pc)
{
	close(pc->fd);
	pc->fd = -1;
	g_clear_pointer(&pc->rest, g_free);
	pc->rest_len = 0;
}

/* a write error on the pipe: the writer is gone (it said why) */
static void writer_gone(struct pcap *pc, int err)
{
	if (err == EAGAIN) {
		pc->dropped++;
		return;
	}
	log_warn("--pcap \"%s\": the writer stopped (%s); capture stopped",
		 pc->path, g_strerror(err));
	stop(pc);
}

/* Return: 0 when no tail of an earlier record waits any more, -EAGAIN
 * while one does, or -errno */
static int flush_rest(struct pcap *pc)
{
	ssize_t n;

	if (!pc->rest)
		return 0;
	do
		n = write(pc->fd, pc->rest + pc->rest_off,
			  pc->rest_len - pc->rest_off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	pc->rest_off += (size_t)n;
	if (pc->rest_off < pc->rest_len)
		return -EAGAIN;
	g_clear_pointer(&pc->rest, g_free);
	pc->rest_len = 0;
	return 0;
}

/* keep what the pipe did not take of a record made of @iov */
static void keep_rest(struct pcap *pc, const struct iovec *iov, size_t taken)
{
	size_t total = iov[0].iov_len + iov[1].iov_len, i, pos = 0;

	pc->rest_len = total - taken;
	pc->rest_off = 0;
	pc->rest = g_malloc(pc->rest_len);
	for (i = 0; i < 2; i++) {
		const uint8_t *b = iov[i].iov_base;
		size_t l = iov[i].iov_len;

		if (taken >= l) {
			taken -= l;
			continue;
		}
		memcpy(pc->rest + pos, b + taken, l - taken);
		pos += l - taken;
		taken = 0;
	}
}

void pcap_frame(struct pcap *pc, const void *frame, size_t len)
{
	struct pcap_rec_hdr h;
	struct timespec ts;
	struct iovec iov[2];
	ssize_t n;
	int rc;

	if (!pc || pc->fd < 0)
		return;
	rc = flush_rest(pc);
	if (rc < 0) {
		writer_gone(pc, -rc);
		return;
	}
	if (pc->size + sizeof(h) + len > pc->limit) {
		log_warn("--pcap \"%s\": the file reached its limit of %" PRIu64
			 " bytes; capture stopped",
			 pc->path, pc->limit);
		stop(pc);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	h.ts_sec = (uint32_t)ts.tv_sec;
	h.ts_usec = (uint32_t)(ts.tv_nsec / 1000);
	h.caplen = h.len = (uint32_t)len;
	iov[0] = (struct iovec){&h, sizeof(h)};
	iov[1] = (struct iovec){(void *)frame, len};
	do
		n = writev(pc->fd, iov, 2);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		writer_gone(pc, errno);
		return;
	}
	pc->size += sizeof(h) + len;
	if ((size_t)n < sizeof(h) + len)
		keep_rest(pc, iov, (size_t)n);
}

uint64_t pcap_dropped(const struct pcap *pc)
{
	return pc ? pc->dropped : 0;
}

/* give the writer the tail of the last record, waiting a little for room */
static void flush_last(struct pcap *pc)
{
	struct pollfd p = {.fd = pc->fd, .events = POLLOUT};
	int tries;

	for (tries = 0; tries < 10 && flush_rest(pc) == -EAGAIN; tries++)
		(void)poll(&p, 1, CLOSE_WAIT_MS / 10);
}

void pcap_close(struct pcap *pc)
{
	struct pollfd p;

	if (!pc)
		return;
	if (pc->fd >= 0) {
		flush_last(pc);
		stop(pc);
	}
	if (pc->dropped)
		log_warn("--pcap \"%s\": %" PRIu64 " frames left out of the "
			 "capture (the writer fell behind)",
			 pc->path, pc->dropped);
	/* the writer's end of done_fd closes when it exits: wait for that
	 * (read() and poll() are allowed under --enable-seccomp, wait4()
	 * is not: the zombie goes to init when we exit) */
	p = (struct pollfd){.fd = pc->done_fd, .events = POLLIN};
	if (poll(&p, 1, CLOSE_WAIT_MS) > 0)
		(void)waitpid(pc->writer, NULL, WNOHANG);
	close(pc->done_fd);
	g_free(pc->path);
	g_free(pc);
}

void pcap_discard(struct pcap *pc)
{
	if (!pc)
		return;
	if (pc->created)
		(void)unlink(pc->path);
	pcap_close(pc);
}
