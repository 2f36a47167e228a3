#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-configure.sh - what --configure, --mtu, --cidr and --macaddress
# do to the guest, a pre-created TAP without -c, the start-up summary and
# the RLIMIT_NOFILE raise
#
# Copyright (C) 2026 The slirp4netns authors

. "$(dirname "$0")/lib.sh"

must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
must "host-side bulk server on 127.0.0.1:8081" \
	start_tcp_server --bulk 127.0.0.1 8081

# link_field IFACE FIELD - print one field of `ip -d link show` (mtu, ...)
link_mtu()
{
	guest ip -o link show "$1" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}

link_flags()
{
	guest ip -o link show "$1" | sed -n 's/^[0-9]*: [^:]*: <\([^>]*\)>.*/\1/p'
}

addr4()
{
	guest ip -4 -o addr show dev "$1" | awk '{ print $4 }' | sort | xargs
}

default4()
{
	guest ip -4 route show default | xargs
}

# --- defaults -----------------------------------------------------------------
must "guest with lo down" start_guest --no-lo
like "$(link_flags lo)" '^LOOPBACK$' "lo is down before the daemon starts"
must "daemon -c starts and reports ready" start_daemon -c "$GUEST_PID" tap0
like "$(link_flags lo)" '(^|,)UP(,|$)' "-c: lo is up"
like "$(link_flags tap0)" '(^|,)UP(,|$)' "-c: tap0 is up"
is "$(link_mtu tap0)" 1500 "-c: tap0 MTU is 1500 by default"
is "$(guest ip -o link show tap0 | grep -o 'qlen [0-9]*')" "qlen 4096" \
	"-c: the tap0 it created queues 4096 frames (a burst of FINs)"
is "$(addr4 tap0)" 10.0.2.100/24 "-c: tap0 has 10.0.2.100/24 and nothing else"
like "$(default4)" '^default via 10\.0\.2\.2 dev tap0( |$)' \
	"-c: default route via 10.0.2.2 on tap0"
like "$(guest ip -o link show tap0)" 'link/ether ' "tap0 is a TAP (Ethernet)"
log=$(cat "$DAEMON_LOG")
for want in 1500 10.0.2.0 255.255.255.0 10.0.2.2 10.0.2.3 10.0.2.15 \
	10.0.2.100; do
	has "$log" "$want" "start-up summary mentions $want"
done
out=$(tcp_get 10.0.2.2 8080 2>&1)
like "$out" '^hello 127\.0\.0\.1 ' "TCP through 10.0.2.2 reaches 127.0.0.1"
is "$(tcp_get 10.0.2.2 8081 | wc -c)" 4194304 \
	"4 MiB from the host arrive whole at MTU 1500"
ok "SIGTERM: daemon exits 0" stop_daemon
nok "tap0 is gone once the daemon exited" guest ip link show tap0

# --- RLIMIT_NOFILE --------------------------------------------------------------
must "guest" start_guest
ok "daemon started with a soft NOFILE limit of 512 (hard 4096)" \
	start_daemon --wrap prlimit --wrap --nofile=512:4096 --wrap -- \
	-c "$GUEST_PID" tap0
like "$(grep '^Max open files' "/proc/$DAEMON_PID/limits")" \
	'^Max open files +4096 +4096 ' \
	"the daemon raised its soft NOFILE limit to the hard limit"
ok "daemon exits 0" stop_daemon

# --- --mtu -------------------------------------------------------------------
must "guest" start_guest
ok "daemon --mtu=65520 starts" start_daemon --mtu=65520 -c "$GUEST_PID" tap0
is "$(link_mtu tap0)" 65520 "--mtu=65520: tap0 MTU is 65520"
is "$(tcp_get 10.0.2.2 8081 | wc -c)" 4194304 \
	"4 MiB from the host arrive whole at MTU 65520"
ok "ping 10.0.2.2 with a 60000-byte payload at MTU 65520" \
	guest ping -c 1 -W "$S4N_TIMEOUT" -s 60000 -M "do" 10.0.2.2
ok "daemon exits 0" stop_daemon

must "guest" start_guest
ok "daemon -m 576 starts" start_daemon -m 576 -c "$GUEST_PID" tap0
is "$(link_mtu tap0)" 576 "-m 576: tap0 MTU is 576"
is "$(tcp_get 10.0.2.2 8081 | wc -c)" 4194304 \
	"4 MiB from the host arrive whole at MTU 576"
ok "daemon exits 0" stop_daemon

# --- --cidr ----------------------------------------------------------------------
must "guest" start_guest
ok "daemon --cidr=10.8.0.0/16 starts" \
	start_daemon --cidr=10.8.0.0/16 -c "$GUEST_PID" tap0
is "$(addr4 tap0)" 10.8.0.100/16 "--cidr: tap0 has 10.8.0.100/16"
like "$(default4)" '^default via 10\.8\.0\.2 dev tap0( |$)' \
	"--cidr: default route via 10.8.0.2"
like "$(tcp_get 10.8.0.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"--cidr: TCP through 10.8.0.2 reaches 127.0.0.1"
nok "--cidr: 10.0.2.2 is not the gateway any more" \
	guest socat -T 2 -u TCP:10.0.2.2:8080,connect-timeout=2 STDOUT
log=$(cat "$DAEMON_LOG")
has "$log" 10.8.0.3 "--cidr: start-up summary names DNS 10.8.0.3"
has "$log" 255.255.0.0 "--cidr: start-up summary names netmask 255.255.0.0"
ok "daemon exits 0" stop_daemon

must "guest" start_guest
ok "daemon --cidr=172.20.5.0/25 starts" \
	start_daemon --cidr=172.20.5.0/25 -c "$GUEST_PID" tap0
is "$(addr4 tap0)" 172.20.5.100/25 "--cidr /25: tap0 has 172.20.5.100/25"
like "$(tcp_get 172.20.5.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"--cidr /25: TCP through 172.20.5.2 reaches 127.0.0.1"
ok "daemon exits 0" stop_daemon

# --- --macaddress ----------------------------------------------------------------
must "guest" start_guest
ok "daemon --macaddress=02:5a:11:22:33:44 starts" \
	start_daemon -c --macaddress=02:5a:11:22:33:44 "$GUEST_PID" tap0
like "$(guest ip -o link show tap0)" 'link/ether 02:5a:11:22:33:44 ' \
	"--macaddress: tap0 has that MAC"
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"--macaddress: traffic flows"
has "$(cat "$DAEMON_LOG")" 02:5a:11:22:33:44 \
	"--macaddress: start-up summary names the MAC"
ok "daemon exits 0" stop_daemon

# --- the API socket in the summary --------------------------------------------
must "guest" start_guest
ok "daemon -a $S4N_TMP/api.sock starts" \
	start_daemon -a "$S4N_TMP/api.sock" -c "$GUEST_PID" tap0
has "$(cat "$DAEMON_LOG")" "$S4N_TMP/api.sock" \
	"start-up summary names the API socket"
ok "daemon exits 0" stop_daemon

# --- another TAP name ------------------------------------------------------------
must "guest" start_guest
ok "daemon with TAPNAME s4n-eth7 starts" \
	start_daemon -c "$GUEST_PID" s4n-eth7
is "$(addr4 s4n-eth7)" 10.0.2.100/24 "TAPNAME: s4n-eth7 has 10.0.2.100/24"
nok "TAPNAME: no tap0 was created" guest ip link show tap0
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"TAPNAME: traffic flows"
ok "daemon exits 0" stop_daemon

# --- a pre-created TAP, no -c (as RootlessKit does it) -------------------------
must "guest" start_guest
must "pre-create tap0 in the guest" guest ip tuntap add tap0 mode tap
ok "set its queue length by hand" guest ip link set tap0 txqueuelen 700
ok "daemon without -c attaches to the existing tap0" \
	start_daemon "$GUEST_PID" tap0
is "$(addr4 tap0)" "" "without -c: tap0 gets no address from the daemon"
is "$(guest ip -o link show tap0 | grep -o 'qlen [0-9]*')" "qlen 700" \
	"a pre-created tap0 keeps its queue length"
unlike "$(link_flags tap0)" '(^|,)UP(,|$)' "without -c: tap0 stays down"
ok "configure tap0 by hand: address" guest ip addr add 10.0.2.100/24 dev tap0
ok "configure tap0 by hand: up" guest ip link set tap0 up
ok "configure tap0 by hand: route" guest ip route add default via 10.0.2.2
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"pre-created TAP: TCP through 10.0.2.2 reaches 127.0.0.1"
ok "pre-created TAP: ping 10.0.2.2" guest ping -c 1 -W "$S4N_TIMEOUT" 10.0.2.2
ok "daemon exits 0" stop_daemon
ok "the pre-created (persistent) tap0 is still there" guest ip link show tap0

done_testing
