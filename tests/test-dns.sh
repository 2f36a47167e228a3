#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-dns.sh - DNS forwarding from network+3 (and prefix::3) to the
# host's resolver, and --disable-dns
#
# Copyright (C) 2026 The slirp4netns authors
#
# The host's resolver is a dnsmasq on 127.0.0.1 and ::1 in the private
# namespace, with no upstream: it knows only $S4N_DNS_NAME.  The guest's
# /etc/resolv.conf says "nameserver 10.0.2.3".

. "$(dirname "$0")/lib.sh"

require_cmd dnsmasq busybox

must "local resolver (dnsmasq) on 127.0.0.1" start_dns
must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080

# lookup SERVER NAME - ask SERVER from the guest, print the addresses
lookup()
{
	guest timeout "$S4N_TIMEOUT" busybox nslookup "$2" "$1" 2>&1 |
		sed -n '/^Name:/,$ s/^Address: *//p' | LC_ALL=C sort | xargs
}

want=$(printf '%s\n' "$S4N_DNS_ADDR" "$S4N_DNS_ADDR6" | LC_ALL=C sort | xargs)

# --- default ------------------------------------------------------------------
must "guest" start_guest
must "daemon -c" start_daemon -c "$GUEST_PID" tap0
is "$(lookup 10.0.2.3 "$S4N_DNS_NAME")" "$want" \
	"nslookup through 10.0.2.3 gets the local resolver's answer"
is "$(guest getent ahostsv4 "$S4N_DNS_NAME" | awk 'NR == 1 { print $1 }')" \
	"$S4N_DNS_ADDR" "getent (guest's resolv.conf: 10.0.2.3) resolves it"
nok "an unknown name does not resolve" \
	guest timeout "$S4N_TIMEOUT" getent ahostsv4 nosuch.example.test
is "$(lookup 10.0.2.3 "$S4N_DNS_NAME")" "$want" \
	"a second lookup works too"
ok "daemon exits 0" stop_daemon

# --- --disable-dns --------------------------------------------------------------
must "guest" start_guest
must "daemon --disable-dns" start_daemon --disable-dns -c "$GUEST_PID" tap0
is "$(lookup 10.0.2.3 "$S4N_DNS_NAME")" "" \
	"--disable-dns: nothing answers at 10.0.2.3"
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"--disable-dns: other traffic still flows"
ok "daemon exits 0" stop_daemon

# --- --cidr -------------------------------------------------------------------
must "guest" start_guest
must "daemon --cidr=10.8.0.0/16" start_daemon --cidr=10.8.0.0/16 \
	-c "$GUEST_PID" tap0
is "$(lookup 10.8.0.3 "$S4N_DNS_NAME")" "$want" \
	"--cidr: nslookup through 10.8.0.3"
is "$(lookup 10.0.2.3 "$S4N_DNS_NAME")" "" \
	"--cidr: 10.0.2.3 is not the DNS server any more"
ok "daemon exits 0" stop_daemon

# --- IPv6 ---------------------------------------------------------------------
if [ -e /proc/sys/net/ipv6 ]; then
	must "guest" start_guest
	must "daemon -6" start_daemon -6 -c "$GUEST_PID" tap0
	is "$(lookup fd00::3 "$S4N_DNS_NAME")" "$want" \
		"-6: nslookup through [fd00::3]"
	is "$(lookup 10.0.2.3 "$S4N_DNS_NAME")" "$want" \
		"-6: 10.0.2.3 still answers"
	ok "daemon exits 0" stop_daemon

	# libslirp maps every address of the prefix but prefix::3 (when DNS
	# is on) to the host's ::1, so with --disable-dns alone the query
	# would reach dnsmasq on [::1]:53 as host-loopback traffic.
	must "guest" start_guest
	must "daemon -6 --disable-dns --disable-host-loopback" \
		start_daemon -6 --disable-dns --disable-host-loopback \
		-c "$GUEST_PID" tap0
	is "$(lookup fd00::3 "$S4N_DNS_NAME")" "" \
		"-6 --disable-dns: nothing answers at [fd00::3]"
	is "$(lookup 10.0.2.3 "$S4N_DNS_NAME")" "" \
		"-6 --disable-dns: nothing answers at 10.0.2.3"
	ok "daemon exits 0" stop_daemon
else
	skip "no IPv6 in this kernel" 10
fi

done_testing
