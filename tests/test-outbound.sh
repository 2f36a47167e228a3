#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-outbound.sh - --outbound-addr and --outbound-addr6, by address
# and by interface name
#
# Copyright (C) 2026 The slirp4netns authors
#
# A veth pair inside the private namespace gives the "host" two more
# addresses: s4nout0 has 172.31.77.1 and fd77::1, s4nout1 has 172.31.78.1
# and fd78::1, where the servers listen.  A local destination is normally
# reached from itself (the server sees 172.31.78.1); with --outbound-addr
# the server must see 172.31.77.1 instead.  Nothing leaves the namespace.

. "$(dirname "$0")/lib.sh"

have6=
[ -e /proc/sys/net/ipv6 ] && have6=1

must "veth pair s4nout0/s4nout1" \
	ip link add s4nout0 type veth peer name s4nout1
ok "s4nout0: 172.31.77.1/24" ip addr add 172.31.77.1/24 dev s4nout0
ok "s4nout1: 172.31.78.1/24" ip addr add 172.31.78.1/24 dev s4nout1
if [ -n "$have6" ]; then
	ok "s4nout0: fd77::1/64" ip addr add fd77::1/64 dev s4nout0 nodad
	ok "s4nout1: fd78::1/64" ip addr add fd78::1/64 dev s4nout1 nodad
fi
ok "s4nout0 up" ip link set s4nout0 up
ok "s4nout1 up" ip link set s4nout1 up
must "server on 172.31.78.1:8080" start_tcp_server 172.31.78.1 8080
if [ -n "$have6" ]; then
	must "server on [fd78::1]:8080" start_tcp_server fd78::1 8080
fi

# peer ADDR - the source address the server at ADDR:8080 saw
peer()
{
	tcp_get "$1" 8080 2>&1 | awk '$1 == "hello" { print $2 }'
}

# --- IPv4 ---------------------------------------------------------------------
must "guest" start_guest
must "daemon without --outbound-addr" start_daemon -c "$GUEST_PID" tap0
is "$(peer 172.31.78.1)" 172.31.78.1 \
	"without --outbound-addr the server sees its own address"
ok "daemon exits 0" stop_daemon

must "guest" start_guest
ok "daemon --outbound-addr=172.31.77.1" \
	start_daemon --outbound-addr=172.31.77.1 -c "$GUEST_PID" tap0
is "$(peer 172.31.78.1)" 172.31.77.1 \
	"--outbound-addr=172.31.77.1: the server sees 172.31.77.1"
ok "daemon exits 0" stop_daemon

must "guest" start_guest
ok "daemon --outbound-addr=s4nout0 (an interface name)" \
	start_daemon --outbound-addr=s4nout0 -c "$GUEST_PID" tap0
is "$(peer 172.31.78.1)" 172.31.77.1 \
	"--outbound-addr=s4nout0: the server sees s4nout0's 172.31.77.1"
ok "daemon exits 0" stop_daemon

# --- IPv6 ---------------------------------------------------------------------
if [ -n "$have6" ]; then
	must "guest" start_guest
	must "daemon -6 without --outbound-addr6" \
		start_daemon -6 -c "$GUEST_PID" tap0
	is "$(peer fd78::1)" fd78::1 \
		"without --outbound-addr6 the server sees its own address"
	ok "daemon exits 0" stop_daemon

	must "guest" start_guest
	ok "daemon -6 --outbound-addr6=fd77::1" \
		start_daemon -6 --outbound-addr6=fd77::1 -c "$GUEST_PID" tap0
	is "$(peer fd78::1)" fd77::1 \
		"--outbound-addr6=fd77::1: the server sees fd77::1"
	is "$(peer 172.31.78.1)" 172.31.78.1 \
		"--outbound-addr6 leaves IPv4 alone"
	ok "daemon exits 0" stop_daemon

	must "guest" start_guest
	ok "daemon -6 --outbound-addr6=s4nout0 (an interface name)" \
		start_daemon -6 --outbound-addr6=s4nout0 -c "$GUEST_PID" tap0
	is "$(peer fd78::1)" fd77::1 \
		"--outbound-addr6=s4nout0: the server sees s4nout0's fd77::1"
	ok "daemon exits 0" stop_daemon

	must "guest" start_guest
	ok "daemon -6 with both --outbound-addr and --outbound-addr6" \
		start_daemon -6 --outbound-addr=s4nout0 \
		--outbound-addr6=fd77::1 -c "$GUEST_PID" tap0
	is "$(peer 172.31.78.1)" 172.31.77.1 "both: IPv4 from 172.31.77.1"
	is "$(peer fd78::1)" fd77::1 "both: IPv6 from fd77::1"
	ok "daemon exits 0" stop_daemon
else
	skip "no IPv6 in this kernel" 16
fi

# --- refusals -------------------------------------------------------------------
must "guest" start_guest
run_s4n --outbound-addr=lo0nosuch -c "$GUEST_PID" tap0
is "$RUN_STATUS" 1 "--outbound-addr with an unknown interface: exit 1"
like "$RUN_ERR" 'lo0nosuch' "... naming the interface"
run_s4n --outbound-addr=fd77::1 -c "$GUEST_PID" tap0
is "$RUN_STATUS" 1 "--outbound-addr with an IPv6 address: exit 1"

done_testing
