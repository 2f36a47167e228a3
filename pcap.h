/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcap.h - --pcap: every frame between the guest and the daemon, to a file
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_PCAP_H
#define S4N_PCAP_H

#include <stddef.h>
#include <stdint.h>

/* The file stops growing before this size (the manual states it) */
#define PCAP_LIMIT_DEFAULT (1024ULL * 1024 * 1024)

struct pcap;

/**
 * pcap_open() - create or truncate @path, write the pcap file header, and
 * start the writer process that copies frames into the file, so that a
 * slow disk delays it and never the loop. Called once by main() before the
 * sandbox, with the file's name as the user gave it.
 * @limit:	size in bytes the file must stay under (header included)
 * @ret:	the capture, on success
 *
 * Return: 0, or -errno (nothing left open or running).
 */
int pcap_open(const char *path, uint64_t limit, struct pcap **ret);

/**
 * pcap_frame() - add one Ethernet frame to the capture, without blocking:
 * a frame the writer cannot take now is left out and counted. Called by
 * tap.c for every frame read from the guest and every frame to it.
 * @pc:	the capture, or NULL (nothing is done)
 */
void pcap_frame(struct pcap *pc, const void *frame, size_t len);

/* pcap_dropped() - frames left out because the writer was behind */
uint64_t pcap_dropped(const struct pcap *pc);

/**
 * pcap_close() - hand the writer what is still pending (waiting at most a
 * second for it), close the pipe so that it finishes the file and exits,
 * and free @pc. Called by main() at exit and on a failed start.
 */
void pcap_close(struct pcap *pc);

/**
 * pcap_discard() - pcap_close(), and remove the file if pcap_open()
 * created it. Called by main() when start-up fails after pcap_open().
 */
void pcap_discard(struct pcap *pc);

#endif /* S4N_PCAP_H */
