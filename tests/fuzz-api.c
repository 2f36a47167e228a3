/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz-api.c - fuzz target: a client's bytes through framing and the core
 *
 * The input is everything one API client sends. It is split into requests
 * by api_frame_next(), as the socket side does, once in one read and once
 * in reads of 7 bytes, each with and without -6, and every request goes to
 * api_core_handle() with fake forward ops. Besides crashes and sanitizer
 * reports, it aborts when a frame points outside the buffer or a reply is
 * not one JSON object holding "return" or "error".desc.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <jansson.h>

#include "api.h"
#include "tests/fakefwd.h"

const char fuzz_corpus_name[] = "api";

/* Fake ops (tests/fakefwd.h): two ports fail on purpose so that the
 * error paths are reachable */
static struct fakefwd fk;

/* remote forwards: the real table and checks, no sockets */
static struct rfwd_table *gtable;
static const struct s4n_opts *gopts;

static int64_t fake_guest_add(void *opaque, const struct rfwd_spec *s,
			      const char **ret_why)
{
	struct rfwd_entry *e;

	(void)opaque;
	*ret_why = rfwd_check(gopts, gtable, s);
	if (*ret_why)
		return -1;
	e = rfwd_table_add(gtable, s, NULL);
	if (!e) {
		*ret_why = "too many";
		return -1;
	}
	return e->id;
}

static int fake_guest_remove(void *opaque, int64_t id)
{
	(void)opaque;
	return rfwd_table_remove(gtable, id);
}

static const struct rfwd_table *fake_guest_table(void *opaque)
{
	(void)opaque;
	return gtable;
}

static const struct api_fwd_ops fake_ops = {
    fakefwd_add,       fakefwd_remove,	 fake_guest_add,
    fake_guest_remove, fake_guest_table,
};

static void check_reply(const char *r)
{
	json_t *root, *v;
	const char *desc;

	if (!r || strchr(r, '\n'))
		abort();
	root = json_loads(r, 0, NULL);
	if (!json_is_object(root) || json_object_size(root) != 1)
		abort();
	v = json_object_get(root, "error");
	if (v) {
		if (json_unpack(v, "{s:s}", "desc", &desc) < 0 || !*desc)
			abort();
	} else if (!json_is_object(json_object_get(root, "return"))) {
		abort();
	}
	json_decref(root);
}

static void init_opts(struct s4n_opts *o, bool ipv6)
{
	memset(o, 0, sizeof(*o));
	o->mtu = 1500;
	o->enable_ipv6 = ipv6;
	o->prefix_len = 24;
	o->prefix6_len = 64;
	inet_pton(AF_INET, "10.0.2.0", &o->vnetwork);
	inet_pton(AF_INET, "255.255.255.0", &o->vnetmask);
	inet_pton(AF_INET, "10.0.2.15", &o->vdhcp_start);
	inet_pton(AF_INET, "10.0.2.30", &o->vdhcp_end);
	inet_pton(AF_INET, "10.0.2.2", &o->vhost);
	inet_pton(AF_INET, "10.0.2.3", &o->vdns);
	inet_pton(AF_INET, "10.0.2.100", &o->vguest);
	inet_pton(AF_INET6, "fd00::", &o->vprefix6);
	inet_pton(AF_INET6, "fd00::2", &o->vhost6);
	inet_pton(AF_INET6, "fd00::3", &o->vdns6);
	inet_pton(AF_INET6, "fd00::100", &o->vguest6);
}

/* run() - one client connection, its input read @chunk bytes at a time */
static void run(const uint8_t *data, size_t size, size_t chunk, bool ipv6)
{
	static char buf[API_MAX_REQUEST + 1];
	struct s4n_opts opts;
	struct s4n_stats stats = {0};
	struct api_core *core;
	size_t pos = 0, len = 0;
	bool first = true, done = false;

	init_opts(&opts, ipv6);
	fakefwd_reset(&fk);
	fk.fail_port = 13;
	fk.fail_port_err = -EACCES;
	fk.fail_v6_port = 14;
	fk.fail_v6 = -EAFNOSUPPORT;
	gtable = rfwd_table_new();
	gopts = &opts;
	core = api_core_new(&opts, &stats, &fake_ops, &fk);
	while (!done) {
		size_t n = MIN(MIN(chunk, size - pos), sizeof(buf) - len);
		bool eof = pos + n == size;
		struct api_frame f;

		memcpy(buf + len, data + pos, n);
		pos += n;
		len += n;
		for (;;) {
			enum api_frame_kind k;
			char *r;

			k = api_frame_next(buf, len, eof, first, &f);
			if (f.off + f.len > len || f.used > len ||
			    (f.len && f.used < f.off + f.len))
				abort();
			if (k == API_FRAME_END)
				done = true;
			if (k != API_FRAME_LINE && k != API_FRAME_LAST) {
				memmove(buf, buf + f.used, len - f.used);
				len -= f.used;
				break;
			}
			r = api_core_handle(core, buf + f.off, f.len);
			check_reply(r);
			free(r);
			first = false;
			memmove(buf, buf + f.used, len - f.used);
			len -= f.used;
			if (k == API_FRAME_LAST) {
				done = true;
				break;
			}
		}
		/* a full buffer, or the end of input, always ends a request */
		if (!done && (len == sizeof(buf) || eof))
			abort();
	}
	if (api_core_forwards(core) > g_hash_table_size(fk.bound))
		abort();
	/* the core joined two families, or removed what it never added */
	if (fakefwd_wrong(&fk))
		abort();
	api_core_free(core);
	fakefwd_free(&fk);
	rfwd_table_free(gtable);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, SIZE_MAX, false);
	run(data, size, SIZE_MAX, true);
	run(data, size, 7, false);
	run(data, size, 7, true);
	return 0;
}
