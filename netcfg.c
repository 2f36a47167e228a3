/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netcfg.c - configure lo and the TAP device through rtnetlink
 *
 * Copyright (C) 2026 The slirp4netns authors
 *
 * What --configure does, in order (slirp4netns(1)): lo up; the TAP's MTU,
 * its MAC address (--macaddress), up; the IPv4 address with its broadcast
 * address and a default route via the host address; with --enable-ipv6,
 * the IPv6 address without duplicate address detection and a default
 * route via the IPv6 host address. Each step is one rtnetlink request
 * acknowledged by the kernel (NLM_F_ACK), so that a failure names its step.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "netcfg.h"
#include "util.h"

/* One request: a header, a fixed part and a few attributes. */
struct nlreq {
	union {
		struct nlmsghdr nh;
		char buf[256];
	};
	bool overflow;
};

static void *req_start(struct nlreq *req, uint16_t type, uint16_t flags,
		       size_t hdrlen)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(hdrlen);
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return NLMSG_DATA(&req->nh);
}

static void req_attr(struct nlreq *req, uint16_t type, const void *data,
		     size_t len)
{
	size_t off = NLMSG_ALIGN(req->nh.nlmsg_len);
	struct rtattr *rta;

	if (off + RTA_SPACE(len) > sizeof(req->buf)) {
		req->overflow = true;
		return;
	}
	rta = (struct rtattr *)(req->buf + off);
	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = off + RTA_SPACE(len);
}

/* Find the kernel's answer to request @seq in @buf: 0 or -errno. */
static int parse_ack(const void *buf, size_t len, uint32_t seq)
{
	const struct nlmsghdr *nh;

	for (nh = buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
		const struct nlmsgerr *err = NLMSG_DATA(nh);

		if (nh->nlmsg_seq != seq || nh->nlmsg_type != NLMSG_ERROR)
			continue;
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
			return -EBADMSG;
		return err->error > 0 ? -EPROTO : err->error;
	}
	return -EAGAIN;
}

/* Send @req and wait for its acknowledgement. */
static int nl_talk(int fd, struct nlreq *req, uint32_t *seq)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	/* The ack repeats the request, so twice its size is plenty; aligned
	 * for the header casts in parse_ack(). */
	union {
		struct nlmsghdr nh;
		char buf[4096];
	} ans;
	ssize_t n;
	int rc;

	if (req->overflow)
		return -EMSGSIZE;
	req->nh.nlmsg_seq = ++*seq;
	do {
		n = sendto(fd, req->buf, req->nh.nlmsg_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;

	for (;;) {
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);

		n = recvfrom(fd, ans.buf, sizeof(ans.buf), 0,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		/* Only the kernel (port 0) may answer: another process in the
		 * namespace must not be able to fake a success. */
		if (fromlen != sizeof(from) || from.nl_pid != 0)
			continue;
		rc = parse_ack(ans.buf, (size_t)n, req->nh.nlmsg_seq);
		if (rc != -EAGAIN)
			return rc;
	}
}

/* Set the flags in @flags (within @change) and the MTU if @mtu != 0 and
 * the MAC if @mac != NULL on link @ifindex. */
static int link_set(int fd, uint32_t *seq, int ifindex, unsigned int change,
		    unsigned int flags, uint32_t mtu, const uint8_t *mac)
{
	struct nlreq req;
	struct ifinfomsg *ifi;

	ifi = req_start(&req, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_change = change;
	ifi->ifi_flags = flags;
	if (mtu)
		req_attr(&req, IFLA_MTU, &mtu, sizeof(mtu));
	if (mac)
		req_attr(&req, IFLA_ADDRESS, mac, 6);
	return nl_talk(fd, &req, seq);
}

static int ifaddr_add4(int fd, uint32_t *seq, int ifindex,
		       const struct s4n_opts *opts)
{
	uint32_t hostmask =
	    opts->prefix_len >= 32 ? 0 : UINT32_MAX >> opts->prefix_len;
	struct in_addr brd;
	struct nlreq req;
	struct ifaddrmsg *ifa;

	brd.s_addr = opts->vguest.s_addr | htonl(hostmask);
	/* NLM_F_REPLACE: the same address left on a persistent TAP by an
	 * earlier run is not an error. */
	ifa = req_start(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = opts->prefix_len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	req_attr(&req, IFA_LOCAL, &opts->vguest, sizeof(opts->vguest));
	req_attr(&req, IFA_ADDRESS, &opts->vguest, sizeof(opts->vguest));
	req_attr(&req, IFA_BROADCAST, &brd, sizeof(brd));
	return nl_talk(fd, &req, seq);
}

static int ifaddr_add6(int fd, uint32_t *seq, int ifindex,
		       const struct s4n_opts *opts)
{
	struct nlreq req;
	struct ifaddrmsg *ifa;

	ifa = req_start(&req, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE,
			sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = opts->prefix6_len;
	/* No DAD: the address is usable at once, and there is nobody else on
	 * this link but libslirp. */
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	req_attr(&req, IFA_LOCAL, &opts->vguest6, sizeof(opts->vguest6));
	return nl_talk(fd, &req, seq);
}

/* Default route of @family via @gw (4 or 16 bytes) on @ifindex. */
static int route_add_default(int fd, uint32_t *seq, int ifindex,
			     unsigned char family, const void *gw, size_t gwlen)
{
	uint32_t oif = (uint32_t)ifindex;
	struct nlreq req;
	struct rtmsg *rtm;

	/* NLM_F_REPLACE: --configure makes the TAP the default route, also
	 * when a persistent TAP kept the route of an earlier run. */
	rtm = req_start(&req, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
			sizeof(*rtm));
	rtm->rtm_family = family;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	req_attr(&req, RTA_GATEWAY, gw, gwlen);
	req_attr(&req, RTA_OIF, &oif, sizeof(oif));
	return nl_talk(fd, &req, seq);
}

static int find_link(const char *name, int *ret_ifindex)
{
	unsigned int ifindex = if_nametoindex(name);

	if (ifindex == 0)
		return errno ? -errno : -ENODEV;
	*ret_ifindex = (int)ifindex;
	return 0;
}

int netcfg_set_txqueuelen(const char *name, uint32_t qlen)
{
	_cleanup_close_ int fd = -1;
	struct ifinfomsg *ifi;
	struct nlreq req;
	uint32_t seq = 0;
	int ifindex = 0, rc;

	rc = find_link(name, &ifindex);
	if (rc < 0)
		return rc;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	ifi = req_start(&req, RTM_NEWLINK, 0, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	req_attr(&req, IFLA_TXQLEN, &qlen, sizeof(qlen));
	return nl_talk(fd, &req, &seq);
}

/**
 * netcfg_configure() - bring lo up; bring @opts->tapname up with the MTU,
 * the MAC of --macaddress, the address @opts->vguest/prefix_len and a
 * default route via @opts->vhost; with IPv6, @opts->vguest6/prefix6_len
 * (no DAD) and a default route via @opts->vhost6.
 * Called by the namespace child, inside the target's network namespace.
 * @opts:	parsed options
 * @ret_step:	on failure, a short name of the step that failed
 *
 * Return: 0, or -errno.
 */
int netcfg_configure(const struct s4n_opts *opts, const char **ret_step)
{
	_cleanup_close_ int fd = -1;
	const char *step;
	uint32_t seq = 0;
	int lo = 0, tap = 0, rc;

	step = "open rtnetlink socket";
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}

	step = "find lo";
	rc = find_link("lo", &lo);
	if (rc < 0)
		goto fail;
	step = "set lo up";
	rc = link_set(fd, &seq, lo, IFF_UP, IFF_UP, 0, NULL);
	if (rc < 0)
		goto fail;

	step = "find TAP device";
	rc = find_link(opts->tapname, &tap);
	if (rc < 0)
		goto fail;
	step = "set MTU";
	rc = link_set(fd, &seq, tap, 0, 0, opts->mtu, NULL);
	if (rc < 0)
		goto fail;
	if (opts->has_macaddress) {
		step = "set MAC address";
		rc = link_set(fd, &seq, tap, 0, 0, 0, opts->macaddress);
		if (rc < 0)
			goto fail;
	}
	step = "set TAP up";
	rc = link_set(fd, &seq, tap, IFF_UP, IFF_UP, 0, NULL);
	if (rc < 0)
		goto fail;

	step = "add IPv4 address";
	rc = ifaddr_add4(fd, &seq, tap, opts);
	if (rc < 0)
		goto fail;
	step = "add IPv4 default route";
	rc = route_add_default(fd, &seq, tap, AF_INET, &opts->vhost,
			       sizeof(opts->vhost));
	if (rc < 0)
		goto fail;

	if (opts->enable_ipv6) {
		step = "add IPv6 address";
		rc = ifaddr_add6(fd, &seq, tap, opts);
		if (rc < 0)
			goto fail;
		step = "add IPv6 default route";
		rc = route_add_default(fd, &seq, tap, AF_INET6, &opts->vhost6,
				       sizeof(opts->vhost6));
		if (rc < 0)
			goto fail;
	}
	return 0;

fail:
	*ret_step = step;
	return rc;
}
