#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-fwd.sh - TCP port forwards on the TCP path (issue 19): the
# client's address as the guest sees it, data integrity, closing, refusals
# and many clients at once, as root and rootless
#
# Copyright (C) 2026 The slirp4netns authors
#
# The servers are tests/tcp-peer.py's and tests/fwd-peer.py's, in the
# guest on [::] (both families); the clients run on the host and reach
# them through add_hostfwd on 0.0.0.0/[::], port P + 10000 to guest port
# P. Non-loopback clients come from 192.0.2.10 and 2001:db8::10, addresses
# on this namespace's lo. Stages:
#  1. Root, at MTU 1500 and 65520: the client's address (loopback ones as
#     the gateway), integrity both ways by SHA-256, half-close each way, a
#     guest server that speaks first, that closes or resets right after
#     writing, no listener in the guest, removal while a client is
#     connected, 5000 connections in a row (client ports come back at
#     once), 100 clients at once (half up, half down, 8 MiB each).
#  2. Rootless (daemon as the test user, guest in its user namespace):
#     addresses, integrity, the 100 clients.
#  3. --disable-tcp-fast-path: libslirp takes the forwards back.
# Transfers are 64 MiB and the 100 clients run 2 rounds; S4N_LONG_TESTS=1
# (set by .ci/run) makes them 256 MiB and 20 rounds, and waits for the
# guest that never answers (75 s, libslirp's time).

if [ -n "${S4N_LONG_TESTS:-}" ]; then
	: "${S4N_TEST_TIMEOUT:=1500}"
	export S4N_TEST_TIMEOUT
fi
. "$(dirname "$0")/lib.sh"

require_cmd python3 nsenter
TDIR="$(cd "$(dirname "$0")" && pwd)"
PEER="$TDIR/tcp-peer.py"
FPEER="$TDIR/fwd-peer.py"
if [ -n "${S4N_LONG_TESTS:-}" ]; then
	BIG=$((256 << 20)) ROUNDS=20
else
	BIG=$((64 << 20)) ROUNDS=2
fi
MIXN=$((8 << 20))
OFF=
[ "${S4N_TCP_PATH:-on}" = off ] && OFF=1
have6=
[ -e /proc/sys/net/ipv6 ] && have6=1

# addresses of this namespace that are not loopback ones
ip addr add 192.0.2.10/32 dev lo
[ -n "$have6" ] && ip -6 addr add 2001:db8::10/128 dev lo nodad
SHARED="$S4N_TMP/shared"
mkdir -m 1777 "$SHARED"

# gserve TOOL MODE PORT ARGS... - a server in the guest on [::]:PORT
gserve()
{
	local tool=$1 mode=$2 port=$3 args=()
	shift 3
	[ -n "$(eval "echo \${_S4N_GUEST_ROOTLESS_$GUEST_PID:-}")" ] &&
		args+=(-U)
	must "guest server $mode $* on port $port" spawn_ready --fd 1 \
		--match listening nsenter -t "$GUEST_PID" "${args[@]}" -n -- \
		python3 "$tool" "$mode" :: "$port" "$@"
}

guest_servers()
{
	gserve "$FPEER" whoami 80
	gserve "$PEER" serve 101 sink
	gserve "$PEER" serve 103 greet
	gserve "$PEER" serve 104 hostfin "$SHARED/hostfin.log"
	gserve "$PEER" serve 110 source "$BIG" close
	gserve "$PEER" serve 111 source "$MIXN" close
	gserve "$PEER" serve 120 source 65535 close
	gserve "$PEER" serve 121 source 4194305 close
	gserve "$PEER" serve 130 source 65535 reset
	gserve "$PEER" serve 131 source 1048576 reset
}

api()
{
	python3 "$TDIR/api-client.py" "$SOCK" go "$1" 2>&1
}

# fwd PORT [GUEST_PORT] - forward tcp [::]:PORT+10000 (both families)
fwd()
{
	local hp=$(($1 + 10000)) gp=${2:-$1} req
	req='{"execute":"add_hostfwd","arguments":{"proto":"tcp",'
	req+="\"host_addr\":\"0.0.0.0\",\"host_port\":$hp,\"guest_port\":$gp}}"
	like "$(api "$req")" '^\{"return":\{"id":[0-9]+\}\}$' \
		"add_hostfwd tcp $hp to guest port $gp"
}

# whoami_checks NAME - the address the guest sees for each kind of client
whoami_checks()
{
	local n=$1
	like "$(python3 "$FPEER" ask 127.0.0.1 10080 2>&1)" \
		'^(::ffff:)?10\.0\.2\.2 [0-9]+$' \
		"$n: a client on 127.0.0.1 appears as the gateway 10.0.2.2"
	like "$(python3 "$FPEER" ask 192.0.2.10 10080 192.0.2.10 2>&1)" \
		'^(::ffff:)?192\.0\.2\.10 [0-9]+$' \
		"$n: a client on 192.0.2.10 appears with its own address"
	if [ -n "$have6" ]; then
		like "$(python3 "$FPEER" ask ::1 10080 2>&1)" \
			'^fd00::2 [0-9]+$' \
			"$n: a client on ::1 appears as the gateway fd00::2"
		like "$(python3 "$FPEER" ask 2001:db8::10 10080 \
			2001:db8::10 2>&1)" '^2001:db8::10 [0-9]+$' \
			"$n: a client on 2001:db8::10 appears with its own address"
	else
		skip "$n: no IPv6" 2
	fi
}

# integrity NAME ADDR - BIG bytes each way through the forwards
integrity()
{
	ok "$1: $BIG bytes host to guest via $2, SHA-256 equal" \
		python3 "$PEER" send "$2" 10101 "$BIG"
	like "$(python3 "$PEER" recv "$2" 10110 "$BIG" 2>&1)" "^ok $BIG\$" \
		"$1: $BIG bytes guest to host via $2, SHA-256 equal"
}

# mixed NAME ROUNDS - 100 clients, half sending, half receiving 8 MiB.
# What reached the guest is counted too (payload, retransmissions
# included): flows that went back on the
# guest's answers to what they sent again sent each byte ~30 times, and
# under ASan the flood stalled flows until their clients gave up.
mixed()
{
	local b0 b1 up=$((50 * MIXN * $2))
	if [ -n "$OFF" ]; then
		skip "$1: libslirp's forwards reset connections under load" 2
		return
	fi
	b0=$(stat_of tcp.to_guest_bytes)
	like "$(python3 "$FPEER" mixed 127.0.0.1 10101 10111 100 "$MIXN" \
		"$2" 2>&1)" "^ok $((100 * $2))\$" \
		"$1: 100 clients at once, half up, half down, $MIXN bytes, $2 rounds"
	b1=$(stat_of tcp.to_guest_bytes)
	diag "$1: $((b1 - b0)) bytes to the guest for $up sent by the clients"
	ok "$1: ... and less than three times that went to the guest" \
		test "$((b1 - b0))" -lt "$((3 * up))"
}

# --- 1. root, per MTU ---------------------------------------------------------
for mtu in 1500 65520; do
	n="MTU $mtu"
	SOCK="$S4N_TMP/root/api.$mtu.sock"
	must "$n: guest" start_guest
	guest_servers
	must "$n: daemon" start_daemon --mtu "$mtu" ${have6:+-6} -a "$SOCK" \
		-c "$GUEST_PID" tap0
	for p in 80 101 103 104 110 111 120 121 130 131 199; do
		fwd "$p"
	done
	whoami_checks "$n"
	integrity "$n" 127.0.0.1
	[ -n "$have6" ] && integrity "$n" ::1
	ok "$n: half-close by the host: the guest answers after the FIN" \
		python3 "$PEER" send 192.0.2.10 10101 3000000
	is "$(python3 "$PEER" hostfin 127.0.0.1 10104 3000000 2>&1)" sent \
		"$n: half-close by the guest: the host sends after it"
	for _ in $(seq 50); do
		grep -qs "hostfin" "$SHARED/hostfin.log" && break
		sleep 0.2
	done
	is "$(cat "$SHARED/hostfin.log" 2>&1)" "hostfin ok 3000000" \
		"$n: ... and the guest got it all"
	rm -f "$SHARED/hostfin.log"
	is "$(python3 "$PEER" greet 127.0.0.1 10103 2>&1)" hello \
		"$n: a guest server that speaks first"
	like "$(python3 "$PEER" recv 127.0.0.1 10120 65535 2>&1)" '^ok 65535$' \
		"$n: a guest server that writes 65535 bytes and closes"
	like "$(python3 "$PEER" recv 127.0.0.1 10121 4194305 2>&1)" \
		'^ok 4194305$' \
		"$n: a guest server that writes 4194305 bytes and closes"
	like "$(python3 "$PEER" recv 127.0.0.1 10130 65535 2>&1)" \
		'^ok 65535$' \
		"$n: a guest server that writes 65535 bytes and resets: all, EOF"
	like "$(python3 "$PEER" recv 127.0.0.1 10131 1048576 2>&1)" \
		'^ok 1048576$' \
		"$n: a guest server that writes 1 MiB and resets: all, EOF"
	t0=$(date +%s%N)
	like "$(python3 "$FPEER" refused 127.0.0.1 10199 10 2>&1)" \
		'^(closed|reset)$' \
		"$n: no listener in the guest: the client is closed"
	ms=$((($(date +%s%N) - t0) / 1000000))
	diag "closed after $ms ms"
	ok "$n: ... at once" test "$ms" -lt 3000
	# the client closes first: with net.ipv4.tcp_tw_reuse its kernel takes
	# the same port again after 1 s, while the last connection may linger
	like "$(python3 "$FPEER" serial 127.0.0.1 10103 5000 2>&1)" '^ok 5000$' \
		"$n: 5000 connections one after another, none refused"
	mixed "$n" "$ROUNDS"
	ok "$n: daemon exits 0" stop_daemon
done

# --- removal, refusals, the guest that never answers -------------------------
SOCK="$S4N_TMP/root/api.rm.sock"
must "guest" start_guest
guest_servers
must "daemon" start_daemon --mtu 65520 -a "$SOCK" -c "$GUEST_PID" tap0
fwd 110
python3 "$PEER" recv 127.0.0.1 10110 "$BIG" 2 >"$S4N_TMP/root/rm.out" 2>&1 &
rmc=$!
sleep 1
is "$(api '{"execute":"remove_hostfwd","arguments":{"id":1}}')" \
	'{"return":{}}' "remove_hostfwd while a client is connected"
is "$(python3 "$PEER" connect 127.0.0.1 10110 2>&1)" ECONNREFUSED \
	"the listener is closed"
wait "$rmc" && st=0 || st=$?
is "$st/$(cat "$S4N_TMP/root/rm.out")" "0/ok $BIG" \
	"the established connection lives on to its end"
req='{"execute":"add_hostfwd","arguments":{"proto":"tcp",'
req+='"host_addr":"127.0.0.1","host_port":10300,'
req+='"guest_addr":"10.0.2.77","guest_port":80}}'
like "$(api "$req")" '^\{"return":\{"id":2\}\}$' \
	"a forward to an address nobody answers for"
if [ -n "${S4N_LONG_TESTS:-}" ]; then
	t0=$SECONDS
	like "$(python3 "$FPEER" refused 127.0.0.1 10300 100 2>&1)" \
		'^(closed|reset)$' "a guest that never answers: the client is closed"
	s=$((SECONDS - t0))
	diag "after $s s"
	ok "... after libslirp's 75 s" test "$s" -ge 70 -a "$s" -le 85
else
	is "$(python3 "$FPEER" refused 127.0.0.1 10300 3 2>&1)" open \
		"a guest that does not answer: the client waits (75 s with S4N_LONG_TESTS=1)"
fi
stats=$(api '{"execute":"get_stats"}')
if [ -n "$OFF" ]; then
	like "$stats" '"tcp":\{"flows":0,"opened":0,' \
		"get_stats: libslirp carried the forwards (switched off)"
else
	like "$stats" '"tcp":\{"flows":[0-9]+,"opened":[1-9]' \
		"get_stats: the TCP path carried the forwards"
fi
ok "daemon exits 0" stop_daemon

# --- 2. rootless --------------------------------------------------------------
must "rootless guest" start_guest --rootless
SOCK="$S4N_USER_TMP/api.sock"
guest_servers
must "daemon as $S4N_USER" start_daemon --user "$S4N_USER" --mtu 65520 \
	${have6:+-6} -a "$SOCK" -c "$GUEST_PID" tap0
for p in 80 101 110 111; do
	fwd "$p"
done
whoami_checks "rootless"
integrity "rootless" 127.0.0.1
[ -n "$have6" ] && integrity "rootless" ::1
mixed "rootless" 1
ok "rootless: daemon exits 0" stop_daemon

# --- 3. the switch back ------------------------------------------------------
if [ -z "$OFF" ]; then
	SOCK="$S4N_TMP/root/api.off.sock"
	must "guest" start_guest
	gserve "$FPEER" whoami 80
	gserve "$PEER" serve 101 sink
	must "daemon with --disable-tcp-fast-path" start_daemon \
		--disable-tcp-fast-path ${have6:+-6} -a "$SOCK" -c "$GUEST_PID" tap0
	fwd 80
	fwd 101
	whoami_checks "--disable-tcp-fast-path"
	ok "--disable-tcp-fast-path: 8 MiB host to guest" \
		python3 "$PEER" send 127.0.0.1 10101 "$MIXN"
	like "$(api '{"execute":"get_stats"}')" '"tcp":\{"flows":0,"opened":0,' \
		"--disable-tcp-fast-path: libslirp carried the forwards"
	ok "daemon exits 0" stop_daemon
fi

done_testing
