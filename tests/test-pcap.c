/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-pcap.c - unit tests for the capture file (pcap.c): its format, the
 * size limit, frames left out while the writer is behind, and records
 * never broken
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pcap.h"
#include "tests/taptest.h"

#define FILE_HDR 24
#define REC_HDR 16

static char path[] = "/tmp/s4n-test-pcap-XXXXXX";
static char errpath[] = "/tmp/s4n-test-pcap-err-XXXXXX";
static int saved_stderr = -1;

/* catch what the code under test logs, from here to stderr_text() */
static void stderr_catch(void)
{
	int fd = open(errpath, O_WRONLY | O_TRUNC | O_CLOEXEC);

	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

static const char *stderr_text(void)
{
	static char text[4096];
	int fd;
	ssize_t n;

	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	fd = open(errpath, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
	text[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return text;
}

/* the whole file, and its length */
static uint8_t *slurp(size_t *ret_len)
{
	static uint8_t buf[64 << 20];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t len = 0;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(fd);
	*ret_len = len;
	return buf;
}

/* the n-th frame: its length and a pattern naming it */
static size_t frame_len(unsigned int n)
{
	return 60 + (n * 997) % 9000;
}

static void make_frame(unsigned int n, uint8_t *f)
{
	size_t i, len = frame_len(n);

	for (i = 0; i < len; i++)
		f[i] = (uint8_t)(n + i);
	memcpy(f, &n, sizeof(n));
}

/* Walk the records: each whole, each one of our frames, in order.
 * Return: the number of records, or -1 with a diagnostic. */
static int check_records(const uint8_t *b, size_t len)
{
	uint8_t want[9100];
	unsigned int last = 0;
	size_t pos = FILE_HDR;
	int count = 0;

	while (pos < len) {
		uint32_t caplen, origlen;
		unsigned int n;

		if (len - pos < REC_HDR) {
			printf("# a broken record header at %zu\n", pos);
			return -1;
		}
		memcpy(&caplen, b + pos + 8, 4);
		memcpy(&origlen, b + pos + 12, 4);
		if (caplen != origlen || len - pos - REC_HDR < caplen) {
			printf("# a broken record at %zu\n", pos);
			return -1;
		}
		memcpy(&n, b + pos + REC_HDR, sizeof(n));
		make_frame(n, want);
		if ((count && n <= last) || caplen != frame_len(n) ||
		    memcmp(b + pos + REC_HDR, want, caplen)) {
			printf("# record %d at %zu is not frame %u\n", count,
			       pos, n);
			return -1;
		}
		last = n;
		count++;
		pos += REC_HDR + caplen;
	}
	return count;
}

static void test_format(void)
{
	const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2};
	struct pcap *pc = NULL;
	uint32_t u32;
	uint16_t u16;
	struct stat st;
	uint8_t *b;
	size_t len;

	ok(pcap_open(path, PCAP_LIMIT_DEFAULT, &pc) == 0 && pc, "open");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
	   "the file is mode 0600");
	pcap_frame(pc, frame, sizeof(frame));
	pcap_frame(NULL, frame, sizeof(frame));
	pcap_close(pc);
	b = slurp(&len);
	ok(b && len == FILE_HDR + REC_HDR + sizeof(frame),
	   "header and one record (%zu bytes)", len);
	if (!b || len < FILE_HDR + REC_HDR)
		return;
	memcpy(&u32, b, 4);
	ok(u32 == 0xa1b2c3d4, "magic: microseconds, host byte order");
	memcpy(&u16, b + 4, 2);
	ok(u16 == 2, "version 2.");
	memcpy(&u16, b + 6, 2);
	ok(u16 == 4, "... 4");
	memcpy(&u32, b + 16, 4);
	ok(u32 >= 65536 + 64, "snaplen %u holds any frame", u32);
	memcpy(&u32, b + 20, 4);
	ok(u32 == 1, "link type Ethernet");
	memcpy(&u32, b + FILE_HDR + 8, 4);
	ok(u32 == sizeof(frame), "caplen");
	memcpy(&u32, b + FILE_HDR + 12, 4);
	ok(u32 == sizeof(frame), "len");
	ok(!memcmp(b + FILE_HDR + REC_HDR, frame, sizeof(frame)),
	   "the frame's bytes");
}

static void test_limit(void)
{
	uint8_t f[9100];
	struct pcap *pc = NULL;
	size_t len, limit = FILE_HDR, i;
	uint8_t *b;

	/* room for frames 0 to 4, and not quite for frame 5 */
	for (i = 0; i < 5; i++)
		limit += REC_HDR + frame_len(i);
	limit += REC_HDR + frame_len(5) - 1;
	ok(pcap_open(path, limit, &pc) == 0, "open with a limit of %zu", limit);
	stderr_catch();
	for (i = 0; i < 8; i++) {
		make_frame(i, f);
		pcap_frame(pc, f, frame_len(i));
	}
	pcap_close(pc);
	ok(strstr(stderr_text(),
		  "slirp4netns: warning: --pcap \"/tmp/s4n-test-pcap-") &&
	       strstr(stderr_text(), "\": the file reached its limit of ") &&
	       strchr(stderr_text(), '\n') == strrchr(stderr_text(), '\n'),
	   "one warning says the limit was reached");
	b = slurp(&len);
	ok(b && len <= limit, "the file stays under the limit (%zu bytes)",
	   len);
	ok(b && check_records(b, len) == 5,
	   "it holds the 5 whole records that fit, in order");
}

/* the writer process: the test's only child.  pcap_close() reaps its
 * writer only if it is already a zombie when its pipe closes, which it
 * often is not yet: an earlier test's writer may still be listed among our
 * children, so those are reaped first (they have all been told to exit). */
static pid_t writer_pid(void)
{
	char p[64], buf[64] = "";
	FILE *f;

	snprintf(p, sizeof(p), "/proc/self/task/%d/children", (int)getpid());
	f = fopen(p, "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return (pid_t)atoi(buf);
}

static void test_writer_behind(void)
{
	uint8_t f[9100];
	struct pcap *pc = NULL;
	unsigned int n, sent = 0;
	size_t len;
	uint8_t *b;
	pid_t w;
	int recs;

	while (waitpid(-1, NULL, 0) > 0)
		;
	ok(pcap_open(path, PCAP_LIMIT_DEFAULT, &pc) == 0, "open");
	w = writer_pid();
	ok(w > 0, "a writer process (%d)", (int)w);
	if (w <= 0)
		return;
	/* a stalled disk: the writer stops, the pipe fills up, and the
	 * frames that do not fit are left out without blocking us */
	stderr_catch();
	kill(w, SIGSTOP);
	for (n = 0; n < 4000; n++) {
		make_frame(n, f);
		pcap_frame(pc, f, frame_len(n));
	}
	sent = n;
	ok(pcap_dropped(pc) > 0 && pcap_dropped(pc) < sent,
	   "with the writer stopped, some frames are left out (%llu of %u)",
	   (unsigned long long)pcap_dropped(pc), sent);
	kill(w, SIGCONT);
	for (; n < sent + 50; n++) {
		make_frame(n, f);
		pcap_frame(pc, f, frame_len(n));
	}
	recs = (int)(n - pcap_dropped(pc));
	pcap_close(pc);
	ok(strstr(stderr_text(), "frames left out of the capture (the writer "
				 "fell behind)") != NULL,
	   "a warning at the end says how many were left out");
	b = slurp(&len);
	ok(b && check_records(b, len) == recs,
	   "every frame taken is in the file, whole and in order (%d)", recs);
}

int main(void)
{
	int fd = mkstemp(path), efd = mkstemp(errpath);

	if (efd >= 0)
		close(efd);
	if (fd < 0 || efd < 0) {
		printf("1..0 # SKIP mkstemp: %s\n", strerror(errno));
		return 77;
	}
	close(fd);
	/* pcap_open() makes the file itself, as it would for a user */
	unlink(path);
	test_format();
	unlink(path);
	test_limit();
	unlink(path);
	test_writer_behind();
	unlink(path);
	unlink(errpath);
	return done_testing();
}
