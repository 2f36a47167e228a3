/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hostile.c - a hostile guest: crafted frames through an AF_PACKET socket
 *
 * Run inside the guest's network namespace (as its root, which is what a
 * rootless container's root is), on the TAP device the daemon serves:
 *
 *   hostile IF frag-overlap          issue 15's two crashing fragments
 *   hostile IF frag-late SECONDS     first piece, silence, last piece
 *   hostile IF storm COUNT SEED      random fragments, IPv4 and IPv6:
 *                                    overlapping, out of order, copies,
 *                                    never finished, and whole sets
 *   hostile IF incomplete COUNT      first pieces of COUNT datagrams
 *   hostile IF frag-udp ADDR PORT SIZE  one UDP datagram of SIZE bytes,
 *                                    cut in 1024-byte pieces sent last
 *                                    first, middle ones twice: it must
 *                                    arrive whole
 *   hostile IF syn ADDR PORT         one TCP SYN to ADDR (v4 or v6)
 *   hostile IF udp ADDR PORT         one UDP datagram to ADDR
 *   hostile IF arp-claim IP [bogus]  an ARP reply claiming IP; "bogus":
 *                                    with a sender MAC not the frame's
 *   hostile IF na-claim IP6          an NDP advertisement claiming IP6
 *   hostile IF echo6 COUNT ADDR      ICMPv6 echo requests to ADDR
 *   hostile IF tcp-overlap ADDR PORT FILE  a TCP connection of its own to
 *                                    ADDR (v4 or v6) whose data segments
 *                                    overlap: one over data already
 *                                    acknowledged and past it, one wholly
 *                                    inside it, one over the tail of the
 *                                    one before, one after a gap, one over
 *                                    the next byte expected; then a FIN.
 *                                    The bytes meant go to FILE, for the
 *                                    caller to compare with what the
 *                                    server got. Exit status 1 if an ACK
 *                                    is missing or acknowledges too much.
 *
 * Every frame goes to the gateway's MAC (libslirp's 52:55:0a:00:02:02)
 * from the interface's own, with 10.0.2.100 or fd00::100 as the source
 * (tcp-overlap: 10.0.2.99 or fd00::199, which the guest's kernel does not
 * own, so that it does not reset a connection it knows nothing of).
 * Nothing here leaves the test's private namespaces: the daemon is the
 * only receiver. Exit status 0 once every frame was sent.
 *
 * Copyright (C) 2026 The slirp4netns authors
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>

static int sock;
static struct sockaddr_ll dest;
static uint8_t own_mac[6];
static const uint8_t gw_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
static uint8_t src4[4] = {10, 0, 2, 100};
static uint8_t src6[16] = {0xfd, [14] = 0x01};
static uint8_t frame[70000];
static unsigned long sent;

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sum(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)(p[n - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* frames the device dropped (its queue was full), or 0 */
static unsigned long tx_dropped(const char *ifname)
{
	struct ifaddrs *ifa, *i;
	unsigned long n = 0;

	if (getifaddrs(&ifa) < 0)
		return 0;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_PACKET &&
		    i->ifa_data && !strcmp(i->ifa_name, ifname))
			n = ((struct rtnl_link_stats *)i->ifa_data)->tx_dropped;
	freeifaddrs(ifa);
	return n;
}

static void send_frame(size_t len)
{
	/* a TAP device drops what its queue cannot hold, silently: give
	 * the daemon time to read a batch now and then */
	if (sent % 64 == 63)
		usleep(300);
	if (sendto(sock, frame, len, 0, (struct sockaddr *)&dest,
		   sizeof(dest)) < 0) {
		if (errno == ENOBUFS || errno == EAGAIN) {
			usleep(1000); /* the TAP queue is full: wait */
			send_frame(len);
			return;
		}
		perror("hostile: sendto");
		exit(1);
	}
	sent++;
}

static void eth(uint16_t type)
{
	memcpy(frame, gw_mac, 6);
	memcpy(frame + 6, own_mac, 6);
	put16(frame + 12, type);
}

/* IPv4 header at frame + 14; returns the header length (20) */
static size_t ip4(const uint8_t *dst, uint8_t proto, size_t l4len,
		  unsigned int id, unsigned int frag)
{
	uint8_t *ip = frame + 14;

	eth(ETH_P_IP);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (unsigned int)(20 + l4len));
	put16(ip + 4, id);
	put16(ip + 6, frag);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, src4, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, fold(sum(ip, 20, 0)));
	return 20;
}

static void ip6(const uint8_t *dst, uint8_t nh, size_t plen)
{
	uint8_t *ip = frame + 14;

	eth(ETH_P_IPV6);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, (unsigned int)plen);
	ip[6] = nh;
	ip[7] = 64;
	memcpy(ip + 8, src6, 16);
	memcpy(ip + 24, dst, 16);
}

/* transport checksum over the pseudo-header of the IP header at +14 */
static uint16_t l4sum(bool v6, uint8_t proto, const uint8_t *l4, size_t n)
{
	uint32_t s = v6 ? sum(frame + 14 + 8, 32, 0) : sum(frame + 26, 8, 0);

	return fold(sum(l4, n, s + proto + (uint32_t)n));
}

/* an IPv4 fragment of @n bytes of @p at byte offset @off */
static void frag4(const uint8_t *dst, uint8_t proto, unsigned int id,
		  size_t off, bool more, const uint8_t *p, size_t n)
{
	ip4(dst, proto, n, id, (unsigned int)(off / 8) | (more ? 0x2000 : 0));
	memcpy(frame + 34, p, n);
	send_frame(34 + n);
}

static void frag6(const uint8_t *dst, uint8_t proto, uint32_t id, size_t off,
		  bool more, const uint8_t *p, size_t n)
{
	uint8_t *fh = frame + 54;

	ip6(dst, 44, 8 + n);
	fh[0] = proto;
	fh[1] = 0;
	put16(fh + 2, (unsigned int)off | (more ? 1 : 0));
	put16(fh + 4, id >> 16);
	put16(fh + 6, id & 0xffff);
	memcpy(fh + 8, p, n);
	send_frame(62 + n);
}

static const uint8_t dns4[4] = {10, 0, 2, 3};
static const uint8_t gw4[4] = {10, 0, 2, 2};
static const uint8_t gw6[16] = {0xfd, [15] = 0x02};

static void frag_overlap(void)
{
	uint8_t a[8], b[100];

	memset(a, 'A', sizeof(a));
	memset(b, 'B', sizeof(b));
	frag4(dns4, 1, 7, 185 * 8, true, a, sizeof(a));
	frag4(dns4, 1, 7, 184 * 8, false, b, sizeof(b));
}

static void frag_late(unsigned int secs)
{
	uint8_t a[8], b[100];

	memset(a, 'A', sizeof(a));
	memset(b, 'B', sizeof(b));
	frag4(dns4, 1, 8, 0, true, a, sizeof(a));
	sleep(secs);
	frag4(dns4, 1, 8, 8, false, b, sizeof(b));
}

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static void storm(unsigned long count, unsigned int seed)
{
	static uint8_t payload[65536];
	unsigned long i;

	rnd_state = seed;
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)rnd();
	for (i = 0; i < count; i++) {
		bool v6 = rnd() & 1, more = rnd() % 4 != 0;
		/* few ids, so that pieces meet: overlaps and copies */
		unsigned int id = rnd() % 24;
		size_t off = (rnd() % 64) * 8 * (rnd() % 4 ? 1 : 128);
		size_t n = 8 * (1 + rnd() % 180) - (more ? 0 : rnd() % 8);
		uint8_t proto = (uint8_t)(rnd() % 3 == 0 ? 17 : 1);

		if (off > 65000)
			off = rnd() % 2 ? 65528 : 8190 * 8; /* near the end */
		if (v6)
			frag6(gw6, proto == 1 ? 58 : 17, id, off, more, payload,
			      n);
		else
			frag4(rnd() % 2 ? gw4 : dns4, proto, id, off, more,
			      payload, n);
		if (rnd() % 16 == 0) { /* a copy, or a changed copy */
			if (rnd() % 2)
				frame[14 + 40 + 8 + rnd() % 8] ^= 0x55;
			send_frame(v6 ? 62 + n : 34 + n);
		}
	}
}

static void incomplete(unsigned long count)
{
	static uint8_t payload[1400];
	unsigned long i;

	memset(payload, 'I', sizeof(payload));
	for (i = 0; i < count; i++)
		frag4(gw4, 17, (unsigned int)(i & 0xffff), 0, true, payload,
		      sizeof(payload));
}

static bool parse_addr(const char *s, uint8_t *ret, bool *ret_v6);

/* one UDP datagram of @size payload bytes (byte i is i % 251) to
 * @addr:@port, cut into 1024-byte pieces sent last first, the middle ones
 * twice */
static void frag_udp(const char *addr, unsigned int port, size_t size)
{
	static uint8_t udp[65536];
	size_t off, n, len = 8 + size;
	uint8_t dst[16];
	bool v6;

	if (!parse_addr(addr, dst, &v6) || len > 65000)
		exit(2);
	for (off = 0; off < size; off++)
		udp[8 + off] = (uint8_t)(off % 251);
	put16(udp, 40000);
	put16(udp + 2, port);
	put16(udp + 4, (unsigned int)len);
	put16(udp + 6, 0);
	/* the pseudo-header needs the addresses in place: build one */
	if (v6)
		ip6(dst, 17, len);
	else
		(void)ip4(dst, 17, len, 0, 0);
	put16(udp + 6, l4sum(v6, 17, udp, len));
	off = (len - 1) / 1024 * 1024;
	for (;;) {
		bool more = off + 1024 < len;

		n = more ? 1024 : len - off;
		if (v6)
			frag6(dst, 17, 0x4242, off, more, udp + off, n);
		else
			frag4(dst, 17, 0x4242, off, more, udp + off, n);
		if (more && off) /* a retransmitted copy changes nothing */
			send_frame(v6 ? 62 + n : 34 + n);
		if (!off)
			break;
		off -= 1024;
	}
}

static bool parse_addr(const char *s, uint8_t *ret, bool *ret_v6)
{
	if (inet_pton(AF_INET, s, ret) == 1) {
		*ret_v6 = false;
		return true;
	}
	*ret_v6 = true;
	return inet_pton(AF_INET6, s, ret) == 1;
}

static void l4_packet(bool tcp, const char *addr, unsigned int port)
{
	uint8_t dst[16];
	uint8_t proto = tcp ? 6 : 17;
	size_t n = tcp ? 20 : 8 + 5, l3;
	uint8_t *l4;
	bool v6;

	if (!parse_addr(addr, dst, &v6)) {
		fprintf(stderr, "hostile: bad address \"%s\"\n", addr);
		exit(2);
	}
	if (v6) {
		ip6(dst, proto, n);
		l3 = 40;
	} else {
		l3 = ip4(dst, proto, n, 1, 0x4000);
	}
	l4 = frame + 14 + l3;
	memset(l4, 0, n);
	put16(l4, 40000 + (unsigned int)(getpid() % 20000));
	put16(l4 + 2, port);
	if (tcp) {
		put16(l4 + 4, 0x1234);
		l4[12] = 5 << 4;
		l4[13] = 0x02; /* SYN */
		put16(l4 + 14, 65535);
		put16(l4 + 16, l4sum(v6, proto, l4, n));
	} else {
		put16(l4 + 4, (unsigned int)n);
		memcpy(l4 + 8, "probe", 5);
		put16(l4 + 6, l4sum(v6, proto, l4, n));
	}
	send_frame(14 + l3 + n);
}

static void arp_claim(const char *ip, bool bogus)
{
	uint8_t *a = frame + 14;

	eth(ETH_P_ARP);
	put16(a, 1);
	put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 2); /* reply */
	memcpy(a + 8, own_mac, 6);
	if (bogus)
		a[8 + 5] ^= 0x5a;
	if (inet_pton(AF_INET, ip, a + 14) != 1)
		exit(2);
	memcpy(a + 18, gw_mac, 6);
	memcpy(a + 24, gw4, 4);
	send_frame(14 + 28);
}

static void na_claim(const char *ip)
{
	uint8_t *icmp = frame + 54;

	ip6(gw6, 58, 32);
	memset(icmp, 0, 32);
	icmp[0] = 136;
	icmp[4] = 0x20; /* override */
	if (inet_pton(AF_INET6, ip, icmp + 8) != 1)
		exit(2);
	icmp[24] = 2; /* target link-layer address */
	icmp[25] = 1;
	memcpy(icmp + 26, own_mac, 6);
	frame[14 + 7] = 255;
	put16(icmp + 2, l4sum(true, 58, icmp, 32));
	send_frame(54 + 32);
}

static void echo6(unsigned long count, const char *addr)
{
	uint8_t dst[16], *icmp = frame + 54;
	unsigned long i;
	bool v6;

	if (!parse_addr(addr, dst, &v6) || !v6)
		exit(2);
	for (i = 0; i < count; i++) {
		ip6(dst, 58, 16);
		memset(icmp, 0, 16);
		icmp[0] = 128;
		put16(icmp + 4, 0x77);
		put16(icmp + 6, (unsigned int)i);
		put16(icmp + 2, l4sum(true, 58, icmp, 16));
		send_frame(54 + 16);
	}
}

/* --- tcp-overlap: a TCP connection of our own ---------------------------- */

#define OVL_LEN 3500
#define OVL_ISS 0xfffffc00u /* the sequence numbers wrap on the way */

struct ovl {
	bool v6;
	uint8_t dst[16];
	unsigned int sport, dport;
	uint32_t rcv_nxt; /* the peer's next byte, for our ACKs */
	uint8_t data[OVL_LEN];
};

/* one segment of ours: @n bytes of the data from offset @off (the SYN
 * and the FIN: no data, @off is the sequence number's offset) */
static void ovl_send(struct ovl *o, uint8_t flags, size_t off, size_t n)
{
	size_t hl = flags & 0x02 ? 24 : 20, l3;
	uint8_t *l4;

	if (o->v6) {
		ip6(o->dst, 6, hl + n);
		l3 = 40;
	} else {
		l3 = ip4(o->dst, 6, hl + n, (unsigned int)sent, 0x4000);
	}
	l4 = frame + 14 + l3;
	memset(l4, 0, hl);
	put16(l4, o->sport);
	put16(l4 + 2, o->dport);
	put32(l4 + 4, OVL_ISS + (flags & 0x02 ? 0 : 1) + (uint32_t)off);
	put32(l4 + 8, o->rcv_nxt);
	l4[12] = (uint8_t)(hl / 4 << 4);
	l4[13] = flags | (flags & 0x02 ? 0 : 0x10);
	put16(l4 + 14, 65535);
	if (flags & 0x02) {
		l4[20] = 2; /* MSS 1000 */
		l4[21] = 4;
		put16(l4 + 22, 1000);
	}
	memcpy(l4 + hl, o->data + (n ? off : 0), n);
	put16(l4 + 16, l4sum(o->v6, 6, l4, hl + n));
	send_frame(14 + l3 + hl + n);
}

/* the next segment of the peer to us, within @ms; Return: its flags, or
 * -1. Its ack and sequence numbers go to @ret_ack and o->rcv_nxt. */
static int ovl_recv(struct ovl *o, int ms, uint32_t *ret_ack)
{
	static uint8_t in[70000];
	struct pollfd p = {.fd = sock, .events = POLLIN};
	struct sockaddr_ll from;
	socklen_t fl;
	size_t l3 = o->v6 ? 40 : 20, hl;
	const uint8_t *ip = in + 14, *l4;
	ssize_t n;

	while (poll(&p, 1, ms) > 0) {
		fl = sizeof(from);
		n = recvfrom(sock, in, sizeof(in), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 0 || from.sll_pkttype == PACKET_OUTGOING ||
		    (size_t)n < 14 + l3 + 20)
			continue;
		if (o->v6 ? in[12] != 0x86 || in[13] != 0xdd || ip[6] != 6 ||
				memcmp(ip + 8, o->dst, 16) ||
				memcmp(ip + 24, src6, 16)
			  : in[12] != 0x08 || in[13] != 0 || ip[0] != 0x45 ||
				ip[9] != 6 || memcmp(ip + 12, o->dst, 4) ||
				memcmp(ip + 16, src4, 4))
			continue;
		l4 = ip + l3;
		if (((unsigned int)l4[0] << 8 | l4[1]) != o->dport ||
		    ((unsigned int)l4[2] << 8 | l4[3]) != o->sport)
			continue;
		hl = (size_t)(l4[12] >> 4) * 4;
		if ((size_t)n < 14 + l3 + hl)
			continue;
		/* the data's length from the IP header: a GSO frame's is
		 * the whole, and the frame may carry padding */
		if (o->v6)
			n = (ssize_t)(((size_t)ip[4] << 8 | ip[5]) - hl);
		else
			n = (ssize_t)(((size_t)ip[2] << 8 | ip[3]) - 20 - hl);
		o->rcv_nxt = get32(l4 + 4) + (uint32_t)n +
			     (l4[13] & 0x03 ? 1 : 0); /* SYN, FIN */
		*ret_ack = get32(l4 + 8);
		return l4[13];
	}
	return -1;
}

/* wait for an ACK of the data up to offset @want (the SYN-ACK for the
 * SYN, @want 0); an ACK past it is a failure */
static void ovl_expect(struct ovl *o, uint32_t want, const char *what)
{
	uint32_t ack, seq_want = OVL_ISS + 1 + want;
	int flags, i;

	for (i = 0; i < 50; i++) {
		flags = ovl_recv(o, 100, &ack);
		if (flags < 0)
			continue;
		if (flags & 0x04) {
			fprintf(stderr, "hostile: %s: reset\n", what);
			exit(1);
		}
		if (!(flags & 0x10))
			continue;
		if (ack == seq_want)
			return;
		if ((int32_t)(ack - seq_want) > 0) {
			fprintf(stderr,
				"hostile: %s: acknowledged %d bytes too many\n",
				what, (int)(ack - seq_want));
			exit(1);
		}
	}
	fprintf(stderr, "hostile: %s: no ACK of byte %u within 5 s\n", what,
		(unsigned int)want);
	exit(1);
}

static void tcp_overlap(const char *addr, unsigned int port, const char *file)
{
	static struct ovl o;
	const uint8_t src4_own[4] = {10, 0, 2, 99};
	uint32_t ack;
	int flags, i;
	FILE *f;

	if (!parse_addr(addr, o.dst, &o.v6)) {
		fprintf(stderr, "hostile: bad address \"%s\"\n", addr);
		exit(2);
	}
	memcpy(src4, src4_own, 4);
	src6[15] = 0x99;
	o.sport = 30000 + (unsigned int)(getpid() % 20000);
	o.dport = port;
	for (i = 0; i < OVL_LEN; i++)
		o.data[i] = (uint8_t)(i * 131 + (i >> 8));
	f = fopen(file, "w");
	if (!f || fwrite(o.data, 1, OVL_LEN, f) != OVL_LEN || fclose(f)) {
		perror("hostile: the file of the bytes meant");
		exit(1);
	}
	ovl_send(&o, 0x02, 0, 0); /* SYN */
	ovl_expect(&o, 0, "SYN");
	ovl_send(&o, 0, 0, 0);
	ovl_send(&o, 0x08, 0, 1000); /* PSH */
	ovl_expect(&o, 1000, "the first 1000 bytes");
	ovl_send(&o, 0x08, 500, 1000); /* over acknowledged data, and on */
	ovl_expect(&o, 1500, "500-1500 over 0-1000");
	ovl_send(&o, 0x08, 600, 300); /* wholly inside what was taken */
	ovl_expect(&o, 1500, "600-900, all old");
	ovl_send(&o, 0x08, 1500, 500); /* two in a row, the second over */
	ovl_send(&o, 0x08, 1800, 800); /* the tail of the first */
	ovl_expect(&o, 2600, "1800-2600 over 1500-2000");
	ovl_send(&o, 0x08, 3000, 500); /* after a gap: dropped */
	ovl_expect(&o, 2600, "3000-3500 after a gap");
	ovl_send(&o, 0x08, 2600, 400); /* the gap */
	ovl_expect(&o, 3000, "2600-3000");
	ovl_send(&o, 0x08, 2900, 600); /* over the next byte expected */
	ovl_expect(&o, 3500, "2900-3500 over 3000");
	ovl_send(&o, 0x01, OVL_LEN, 0); /* FIN */
	ovl_expect(&o, OVL_LEN + 1, "FIN");
	/* the server closes in turn: acknowledge its FIN */
	for (i = 0; i < 50; i++) {
		flags = ovl_recv(&o, 100, &ack);
		if (flags >= 0 && (flags & 0x01)) {
			ovl_send(&o, 0, OVL_LEN + 1, 0);
			return;
		}
	}
	fprintf(stderr, "hostile: no FIN from the server within 5 s\n");
	exit(1);
}

static void open_if(const char *ifname)
{
	struct ifreq ifr;

	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (sock < 0) {
		perror("hostile: socket(AF_PACKET)");
		exit(1);
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0) {
		perror("hostile: SIOCGIFHWADDR");
		exit(1);
	}
	memcpy(own_mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&dest, 0, sizeof(dest));
	dest.sll_family = AF_PACKET;
	dest.sll_ifindex = (int)if_nametoindex(ifname);
	dest.sll_halen = 6;
	memcpy(dest.sll_addr, gw_mac, 6);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s) {
		fprintf(stderr, "hostile: bad number \"%s\"\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 2 ? argv[2] : "";
	unsigned long dropped;

	if (argc < 3) {
		fprintf(stderr, "usage: hostile IF COMMAND [ARGS]\n");
		return 2;
	}
	open_if(argv[1]);
	dropped = tx_dropped(argv[1]);
	if (!strcmp(cmd, "frag-overlap"))
		frag_overlap();
	else if (!strcmp(cmd, "frag-late") && argc == 4)
		frag_late((unsigned int)num(argv[3]));
	else if (!strcmp(cmd, "storm") && argc == 5)
		storm(num(argv[3]), (unsigned int)num(argv[4]));
	else if (!strcmp(cmd, "incomplete") && argc == 4)
		incomplete(num(argv[3]));
	else if (!strcmp(cmd, "frag-udp") && argc == 6)
		frag_udp(argv[3], (unsigned int)num(argv[4]), num(argv[5]));
	else if ((!strcmp(cmd, "syn") || !strcmp(cmd, "udp")) && argc == 5)
		l4_packet(cmd[0] == 's', argv[3], (unsigned int)num(argv[4]));
	else if (!strcmp(cmd, "arp-claim") && (argc == 4 || argc == 5))
		arp_claim(argv[3], argc == 5);
	else if (!strcmp(cmd, "na-claim") && argc == 4)
		na_claim(argv[3]);
	else if (!strcmp(cmd, "echo6") && argc == 5)
		echo6(num(argv[3]), argv[4]);
	else if (!strcmp(cmd, "tcp-overlap") && argc == 6)
		tcp_overlap(argv[3], (unsigned int)num(argv[4]), argv[5]);
	else {
		fprintf(stderr, "hostile: bad command \"%s\"\n", cmd);
		return 2;
	}
	printf("%lu frames sent, %lu dropped by the device\n", sent,
	       tx_dropped(argv[1]) - dropped);
	return 0;
}
