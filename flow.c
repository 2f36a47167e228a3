/* SPDX-License-Identifier: GPL-2.0-or-later */
/* flow.c - a table of fixed-size flow entries found by their address tuple
 *
 * The guest picks the tuples, so the hash is keyed with a random seed
 * (a guest that could aim every flow at one chain would make each frame
 * walk all of them). Entries live in one array with hash chains through
 * it: no allocation per flow, one per doubling. A new flow takes the
 * lowest free index, so after a burst the flows left gather at the bottom
 * and the array can shrink again.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "flow.h"

/* the first allocation, and the smallest the array shrinks to */
#define FLOW_MIN_CAP 16

void flow_init(struct flow_table *t, size_t esize, uint32_t limit,
	       uint64_t seed)
{
	memset(t, 0, sizeof(*t));
	t->esize = esize;
	t->limit = limit;
	t->seed = seed | 1;
}

void flow_key_make(struct flow_key *k, bool v6, const uint8_t *gaddr,
		   const uint8_t *haddr, uint16_t gport, uint16_t hport)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0,    0,
					   0, 0, 0, 0, 0xff, 0xff};

	memset(k, 0, sizeof(*k));
	if (v6) {
		memcpy(k->gaddr, gaddr, 16);
		memcpy(k->haddr, haddr, 16);
	} else {
		memcpy(k->gaddr, mapped, 12);
		memcpy(k->gaddr + 12, gaddr, 4);
		memcpy(k->haddr, mapped, 12);
		memcpy(k->haddr + 12, haddr, 4);
	}
	k->gport = gport;
	k->hport = hport;
	k->v6 = v6;
}

/* a multiply-xorshift mix of the key's words with the seed */
static uint32_t hash(const struct flow_table *t, const struct flow_key *k)
{
	uint64_t w[sizeof(*k) / 8], h = t->seed;
	size_t i;

	memcpy(w, k, sizeof(w));
	for (i = 0; i < G_N_ELEMENTS(w); i++) {
		h ^= w[i];
		h *= 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	h ^= h >> 32;
	return (uint32_t)h;
}

static struct flow_hdr *hdr(const struct flow_table *t, int32_t idx)
{
	return flow_at(t, idx);
}

int32_t flow_find(const struct flow_table *t, const struct flow_key *k)
{
	int32_t i;

	if (!t->cap)
		return -1;
	for (i = t->bucket[hash(t, k) & (t->cap - 1)]; i >= 0;
	     i = hdr(t, i)->next)
		if (!memcmp(&hdr(t, i)->key, k, sizeof(*k)))
			return i;
	return -1;
}

static void link_entry(struct flow_table *t, int32_t idx)
{
	struct flow_hdr *h = hdr(t, idx);
	uint32_t b = hash(t, &h->key) & (t->cap - 1);

	h->next = t->bucket[b];
	t->bucket[b] = idx;
}

/* move to @cap entries (all used ones below it) and rebuild the chains */
static int resize(struct flow_table *t, uint32_t cap)
{
	uint8_t *ent = realloc(t->ent, (size_t)cap * t->esize);
	int32_t *bucket;
	uint32_t i;

	if (!ent)
		return -ENOMEM;
	t->ent = ent;
	bucket = realloc(t->bucket, (size_t)cap * sizeof(*bucket));
	if (!bucket)
		return -ENOMEM; /* the larger array stays: still consistent */
	t->bucket = bucket;
	if (cap > t->cap)
		memset(t->ent + (size_t)t->cap * t->esize, 0,
		       (size_t)(cap - t->cap) * t->esize);
	t->cap = cap;
	for (i = 0; i < cap; i++)
		t->bucket[i] = -1;
	for (i = 0; i < t->hi; i++)
		if (hdr(t, (int32_t)i)->used)
			link_entry(t, (int32_t)i);
	return 0;
}

int32_t flow_add(struct flow_table *t, const struct flow_key *k)
{
	struct flow_hdr *h;
	uint32_t i;
	int rc;

	if (t->count >= t->limit)
		return -ENOSPC;
	if (t->count == t->cap) {
		rc = resize(t, t->cap ? t->cap * 2 : FLOW_MIN_CAP);
		if (rc < 0)
			return rc;
	}
	for (i = t->lowfree; i < t->cap && hdr(t, (int32_t)i)->used; i++)
		;
	t->lowfree = i + 1;
	h = hdr(t, (int32_t)i);
	memset(h, 0, t->esize);
	h->key = *k;
	h->used = 1;
	link_entry(t, (int32_t)i);
	t->count++;
	if (i >= t->hi)
		t->hi = i + 1;
	return (int32_t)i;
}

void flow_del(struct flow_table *t, int32_t idx)
{
	struct flow_hdr *h = hdr(t, idx);
	int32_t *p = &t->bucket[hash(t, &h->key) & (t->cap - 1)];

	while (*p >= 0 && *p != idx)
		p = &hdr(t, *p)->next;
	if (*p == idx)
		*p = h->next;
	h->used = 0;
	t->count--;
	if ((uint32_t)idx < t->lowfree)
		t->lowfree = (uint32_t)idx;
	while (t->hi && !hdr(t, (int32_t)t->hi - 1)->used)
		t->hi--;
	if (!t->count) {
		flow_free(t);
		return;
	}
	/* halve once three quarters are free above the last flow: a
	 * quarter of slack keeps a steady count from resizing each time */
	if (t->cap > FLOW_MIN_CAP && t->hi <= t->cap / 4)
		(void)resize(t, t->cap / 2);
}

void flow_free(struct flow_table *t)
{
	free(t->ent);
	free(t->bucket);
	t->ent = NULL;
	t->bucket = NULL;
	t->cap = t->count = t->hi = t->lowfree = 0;
}
