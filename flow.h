/* SPDX-License-Identifier: GPL-2.0-or-later */
/* flow.h - a table of fixed-size flow entries found by their address tuple
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#ifndef S4N_FLOW_H
#define S4N_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * struct flow_key - a flow's tuple as the guest sees it. IPv4 addresses
 * are stored IPv4-mapped (::ffff:a.b.c.d), so one comparison serves both.
 */
struct flow_key {
	uint8_t gaddr[16]; /* the guest's address */
	uint8_t haddr[16]; /* the address the guest talks to */
	uint16_t gport;	   /* host byte order */
	uint16_t hport;
	uint8_t v6;
	uint8_t pad[3]; /* zero: keys are hashed and compared as bytes */
};

/*
 * struct flow_hdr - the head of every entry: the caller's struct starts
 * with it, and the table only reads and writes these fields.
 */
struct flow_hdr {
	struct flow_key key;
	int32_t next; /* hash chain, -1 at its end */
	uint8_t used;
	uint8_t pad[3];
};

/*
 * struct flow_table - entries in one array that grows by doubling on
 * demand (nothing is allocated before the first flow) and is freed when
 * the last flow goes, or halved when its upper half is free. An entry
 * keeps its index for its life: indices, not pointers, are what others
 * hold (an epoll tag, a pending list), as the array may move.
 */
struct flow_table {
	uint8_t *ent;	  /* cap entries of esize bytes */
	int32_t *bucket;  /* cap heads of hash chains (cap: a power of 2) */
	uint32_t cap;	  /* 0 until the first flow */
	uint32_t count;	  /* entries in use */
	uint32_t hi;	  /* no entry at or above this index is used */
	uint32_t lowfree; /* no entry below this index is free */
	uint32_t limit;	  /* at most this many entries */
	size_t esize;	  /* size of the caller's struct */
	uint64_t seed;	  /* keyed hash: a guest cannot aim at one chain */
};

/**
 * flow_init() - an empty table of entries of @esize bytes (at least a
 * struct flow_hdr), at most @limit of them. Allocates nothing.
 */
void flow_init(struct flow_table *t, size_t esize, uint32_t limit,
	       uint64_t seed);

/**
 * flow_key_make() - fill @k from raw addresses (4 or 16 bytes each, as
 * @v6 says) and ports in host byte order.
 */
void flow_key_make(struct flow_key *k, bool v6, const uint8_t *gaddr,
		   const uint8_t *haddr, uint16_t gport, uint16_t hport);

/**
 * flow_find() - the entry for @k.
 *
 * Return: its index, or -1.
 */
int32_t flow_find(const struct flow_table *t, const struct flow_key *k);

/**
 * flow_add() - a new zeroed entry for @k (which must not be in the table).
 * May move every entry: pointers from flow_at() are stale after it.
 *
 * Return: its index, or -ENOSPC at the limit, -ENOMEM.
 */
int32_t flow_add(struct flow_table *t, const struct flow_key *k);

/**
 * flow_del() - free entry @idx. May move or free the array.
 */
void flow_del(struct flow_table *t, int32_t idx);

/* flow_at() - the entry at @idx (valid until the next flow_add()/del()) */
static inline void *flow_at(const struct flow_table *t, int32_t idx)
{
	return t->ent + (size_t)idx * t->esize;
}

/* flow_free() - free everything (entries are not looked at) */
void flow_free(struct flow_table *t);

#endif /* S4N_FLOW_H */
