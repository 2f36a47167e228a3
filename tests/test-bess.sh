#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-bess.sh - --target-type=bess with a test peer
#
# Copyright (C) 2026 The slirp4netns authors
#
# The daemon listens on a SOCK_SEQPACKET UNIX socket, as it does for User
# Mode Linux.  tests/bess-peer connects to it from a guest namespace and
# bridges the socket to a TAP device there, so that ip, ping and socat can
# be used over the BESS link.

. "$(dirname "$0")/lib.sh"

peer=$(helper_bin bess-peer) || skip_all "tests/bess-peer not built"
sock="$S4N_TMP/bess.sock"

must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
[ -e /proc/sys/net/ipv6 ] &&
	must "host-side server on [::1]:8080" start_tcp_server ::1 8080

# connect_peer - start the daemon on $sock with ARGS, connect the peer from
# a new guest, wait for ready
connect_peer()
{
	must "guest" start_guest
	must "daemon --target-type=bess $*" start_daemon --no-wait \
		--target-type=bess "$@" "$sock"
	must "bess-peer connects and bridges to tap0 in the guest" \
		spawn_ready nsenter -t "$GUEST_PID" -n -- "$peer" "$sock" tap0
	PEER_PID=$SPAWN_PID
	ok "the daemon reports ready" wait_ready
}

connect_peer
ok "the BESS socket is a socket" test -S "$sock"
run_s4n --target-type=bess "$sock"
is "$RUN_STATUS" 1 "bess: a socket another daemon listens on is not taken over"
has "$RUN_ERR" "\"$sock\": in use by a running process" "... and says so"
ok "... and the live socket is left in place" test -S "$sock"
ok "guest: address on tap0" guest ip addr add 10.0.2.100/24 dev tap0
ok "guest: tap0 up" guest ip link set tap0 up
ok "guest: default route" guest ip route add default via 10.0.2.2
ok "bess: ping 10.0.2.2" guest ping -c 3 -i 0.2 -W "$S4N_TIMEOUT" 10.0.2.2
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"bess: TCP through 10.0.2.2 reaches the host's 127.0.0.1"
ok "bess: SIGTERM, exit 0" stop_daemon
st=0
wait_exit "$PEER_PID" || st=$?
is "$st" 0 "bess: the peer sees the daemon hang up"
nok "bess: the socket file is removed on exit" test -e "$sock"

# DHCP over BESS, with another network
cat >"$S4N_TMP/root/udhcpc.sh" <<'EOF'
#!/bin/sh
[ "$1" = bound ] && echo "$ip" >"$LEASE_FILE"
exit 0
EOF
chmod 0755 "$S4N_TMP/root/udhcpc.sh"
connect_peer --cidr=10.9.0.0/24
ok "guest: tap0 up" guest ip link set tap0 up
ok "bess --cidr: udhcpc gets a lease" guest env \
	LEASE_FILE="$S4N_TMP/root/lease" busybox udhcpc -i tap0 -f -q -n \
	-t 5 -T 1 -s "$S4N_TMP/root/udhcpc.sh"
like "$(cat "$S4N_TMP/root/lease" 2>/dev/null)" '^10\.9\.0\.(1[5-9]|2[0-9]|30)$' \
	"bess --cidr: leased address in 10.9.0.15-30"
ok "bess: SIGTERM, exit 0" stop_daemon

# IPv6 over BESS
if [ -e /proc/sys/net/ipv6 ]; then
	connect_peer -6
	ok "guest: IPv6 address on tap0" \
		guest ip addr add fd00::100/64 dev tap0 nodad
	ok "guest: tap0 up" guest ip link set tap0 up
	ok "guest: IPv6 default route" guest ip -6 route add default via fd00::2
	like "$(tcp_get fd00::2 8080 2>&1)" '^hello ::1 ' \
		"bess -6: TCP to [fd00::2] reaches the host's [::1]"
	ok "bess: SIGTERM, exit 0" stop_daemon
else
	skip "no IPv6 in this kernel" 9
fi

run_s4n --target-type=bess "$S4N_TMP/no/such/dir/bess.sock"
is "$RUN_STATUS" 1 "bess: a socket path in a missing directory: exit 1"
is "$(grep -c '' <<<"$RUN_ERR")" 1 "... one line on stderr"
has "$RUN_ERR" "$S4N_TMP/no/such/dir/bess.sock" "... naming the path"

done_testing
