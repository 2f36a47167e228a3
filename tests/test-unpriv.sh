#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-unpriv.sh - the daemon run by an unprivileged user, as Podman
# and RootlessKit run it
#
# Copyright (C) 2026 The slirp4netns authors
#
# Everything here runs as the user s4ntest (no capabilities on the host)
# against namespaces that user created with `unshare --user --map-root-user`.
# The Podman and RootlessKit cases copy the command lines those engines
# build (Podman 4.3 libpod/networking_slirp4netns.go, RootlessKit 1.1
# pkg/network/slirp4netns), including --enable-sandbox --enable-seccomp.

. "$(dirname "$0")/lib.sh"

must "test user $S4N_USER and /dev/net/tun 0666" setup_user
must "local resolver (dnsmasq)" start_dns
must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
have6=
if [ -e /proc/sys/net/ipv6 ]; then
	have6=1
	must "host-side server on [::1]:8080" start_tcp_server ::1 8080
fi
# A host address that is not loopback, for --disable-host-loopback cases.
must "extra host address 172.31.78.1 on lo" ip addr add 172.31.78.1/32 dev lo
must "host-side server on 172.31.78.1:8081" start_tcp_server 172.31.78.1 8081

# daemon_uid - the real UID the daemon runs as
daemon_uid()
{
	awk '/^Uid:/ { print $2 }' "/proc/$DAEMON_PID/status"
}

# check_net NAME [--no-loopback] - traffic checks from the current guest
check_net()
{
	local name=$1
	if [ "${2:-}" = --no-loopback ]; then
		nok "$name: 10.0.2.2 (host loopback) is refused" guest socat \
			-T 5 -u TCP:10.0.2.2:8080,connect-timeout=5 STDOUT
	else
		like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
			"$name: TCP through 10.0.2.2 reaches 127.0.0.1"
	fi
	like "$(tcp_get 172.31.78.1 8081 2>&1)" '^hello 172\.31\.78\.1 ' \
		"$name: TCP to a host address (172.31.78.1)"
	ok "$name: ping 10.0.2.2" guest ping -c 1 -W "$S4N_TIMEOUT" 10.0.2.2
	is "$(guest getent ahostsv4 "$S4N_DNS_NAME" | awk 'NR == 1 { print $1 }')" \
		"$S4N_DNS_ADDR" "$name: DNS through 10.0.2.3"
}

# --- plain: unshare -r guest, daemon -c ----------------------------------------
must "rootless guest (unshare --user --map-root-user --net)" \
	start_guest --rootless
ok "daemon as $S4N_USER: -c PID tap0" \
	start_daemon --user "$S4N_USER" -c "$GUEST_PID" tap0
is "$(daemon_uid)" "$S4N_UID" "the daemon runs as $S4N_USER"
like "$(guest ip -4 -o addr show dev tap0)" 'inet 10\.0\.2\.100/24 ' \
	"unprivileged: tap0 configured"
is "$(guest ip -o link show tap0 | grep -o 'qlen [0-9]*')" "qlen 4096" \
	"unprivileged: the tap0 it created queues 4096 frames"
check_net "unprivileged"
ok "unprivileged: SIGTERM, exit 0" stop_daemon

if [ -n "$have6" ]; then
	must "rootless guest" start_guest --rootless
	ok "daemon as $S4N_USER: -6 -c" \
		start_daemon --user "$S4N_USER" -6 -c "$GUEST_PID" tap0
	like "$(tcp_get fd00::2 8080 2>&1)" '^hello ::1 ' \
		"unprivileged -6: TCP through [fd00::2] reaches [::1]"
	ok "unprivileged -6: SIGTERM, exit 0" stop_daemon
else
	skip "no IPv6 in this kernel" 4
fi

# --- --userns-path and --netns-type=path ---------------------------------------
must "rootless guest" start_guest --rootless
ok "daemon as $S4N_USER: --userns-path and --netns-type=path" \
	start_daemon --user "$S4N_USER" -c --userns-path="/proc/$GUEST_PID/ns/user" \
	--netns-type=path "/proc/$GUEST_PID/ns/net" tap0
check_net "--userns-path"
ok "--userns-path: SIGTERM, exit 0" stop_daemon

# --- Podman 4.3 ---------------------------------------------------------------------
# Podman runs inside its rootless user namespace (the "pause" process holds
# it, with a mount namespace), keeps the container's netns as a bind mount
# under $XDG_RUNTIME_DIR/netns, and starts us with CLONE_NEWNS, fd 3 as the
# exit fd and fd 4 as the ready fd.
must "Podman-style pause process (user+mount namespace)" \
	spawn_ready --user "$S4N_USER" unshare --user --map-root-user --mount \
	-- sh -c 'echo ready >&3; exec 3>&-; exec sleep infinity'
PAUSE=$SPAWN_PID
nsdir="$S4N_USER_TMP/xdg/netns"
nsfile="$nsdir/netns-s4ntest"
ok "create the container netns and bind-mount it in $nsdir" \
	as_user nsenter -t "$PAUSE" -U -m --preserve-credentials -- sh -c "
		mkdir -p '$nsdir' && touch '$nsfile' &&
		unshare --net mount --bind /proc/self/ns/net '$nsfile'"

# pguest CMD... - run CMD in the Podman-style container's netns
pguest()
{
	nsenter -t "$PAUSE" -U -m -- nsenter --net="$nsfile" -- "$@"
}

podman_args=(--disable-host-loopback --mtu=65520 --enable-sandbox
	--enable-seccomp)
[ -n "$have6" ] && podman_args+=(--enable-ipv6)
podman_args+=(-c -e 3 -r 4 --netns-type=path "$nsfile" tap0)
ok "daemon as $S4N_USER with Podman's command line" \
	start_daemon --user "$S4N_USER" --rfd 4 --efd 3 \
	--wrap nsenter --wrap -t --wrap "$PAUSE" --wrap -U --wrap -m \
	--wrap --preserve-credentials --wrap -- --wrap unshare --wrap --mount --wrap -- \
	"${podman_args[@]}"
diag "slirp4netns ${podman_args[*]}"
like "$(pguest ip -o link show tap0 2>&1)" ' mtu 65520 ' "Podman: tap0 MTU 65520"
like "$(pguest ip -4 -o addr show dev tap0 2>&1)" 'inet 10\.0\.2\.100/24 ' \
	"Podman: tap0 has 10.0.2.100/24"
nok "Podman: 10.0.2.2 (host loopback) is refused" pguest socat -T 5 -u \
	TCP:10.0.2.2:8080,connect-timeout=5 STDOUT
like "$(pguest socat -T 5 -u TCP:172.31.78.1:8081,connect-timeout=5 STDOUT 2>&1)" \
	'^hello 172\.31\.78\.1 ' "Podman: TCP to a host address (172.31.78.1)"
like "$(pguest timeout 10 busybox nslookup "$S4N_DNS_NAME" 10.0.2.3 2>&1)" \
	"Address: *$S4N_DNS_ADDR" "Podman: DNS through 10.0.2.3 (sandboxed)"
if [ -n "$have6" ]; then
	like "$(pguest ip -6 -o addr show dev tap0 scope global 2>&1)" \
		'inet6 fd00::' "Podman: IPv6 address in fd00::/64"
else
	skip "no IPv6 in this kernel"
fi
like "$(grep '^Seccomp:' "/proc/$DAEMON_PID/status" 2>&1)" 'Seccomp:[[:space:]]+2' \
	"Podman: seccomp filter installed"
root_ls=$(ls "/proc/$DAEMON_PID/root/" 2>&1 | xargs || true)
is "$root_ls" "etc run" "Podman: sandbox root holds only etc and run"
close_exit_fd
st=0
wait_exit "$DAEMON_PID" || st=$?
is "$st" 0 "Podman: closing the exit fd (fd 3) ends the daemon with 0"

# --- RootlessKit 1.1 --------------------------------------------------------------
# RootlessKit creates tap0 in the child's namespace and brings it up, runs
# us without -c, and the child sets the address, MTU and route itself.
must "rootless guest" start_guest --rootless
ok "RootlessKit: tap0 pre-created" guest ip tuntap add tap0 mode tap
ok "RootlessKit: tap0 up" guest ip link set tap0 up
qlen0=$(guest ip -o link show tap0 | grep -o 'qlen [0-9]*')
rk_args=(--mtu 65520 -r 3 --disable-host-loopback --enable-sandbox
	--enable-seccomp "$GUEST_PID" tap0)
ok "daemon as $S4N_USER with RootlessKit's command line" \
	start_daemon --user "$S4N_USER" --rfd 3 "${rk_args[@]}"
diag "slirp4netns ${rk_args[*]}"
is "$(guest ip -o link show tap0 | grep -o 'qlen [0-9]*')" "${qlen0:-none}" \
	"RootlessKit: its tap0 keeps its queue length (${qlen0:-none})"
ok "RootlessKit child: MTU" guest ip link set tap0 mtu 65520
ok "RootlessKit child: address" guest ip addr add 10.0.2.100/24 dev tap0
ok "RootlessKit child: route" guest ip route add default via 10.0.2.2
check_net "RootlessKit" --no-loopback
ok "RootlessKit: SIGTERM, exit 0" stop_daemon

# --- tapfd, unprivileged -------------------------------------------------------------
if tapfd=$(helper_bin tapfd-helper); then
	tapfd=$(user_binary "$tapfd")
	must "rootless guest" start_guest --rootless
	ok "daemon as $S4N_USER with a TAP fd from the rootless guest" \
		start_daemon --user "$S4N_USER" --wrap "$tapfd" \
		--wrap "$GUEST_PID" --wrap tap0 --wrap -- \
		--netns-type=tapfd '{fd}'
	ok "tapfd: address" guest ip addr add 10.0.2.100/24 dev tap0
	ok "tapfd: up" guest ip link set tap0 up
	ok "tapfd: route" guest ip route add default via 10.0.2.2
	check_net "unprivileged tapfd"
	ok "unprivileged tapfd: SIGTERM, exit 0" stop_daemon
else
	skip "tests/tapfd-helper not built" 9
fi

done_testing
