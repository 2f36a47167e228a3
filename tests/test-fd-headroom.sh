#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-fd-headroom.sh - the 16 descriptors the guest's flows leave
# free hold when flows closed low in the table and new SYNs linger
#
# Copyright (C) 2026 The slirp4netns authors
#
# The daemon runs under RLIMIT_NOFILE 128:128, as root and as the user
# s4ntest for a rootless guest. In the guest, tests/fd-linger.py:
#  1. opens flows to an echo server on the host's 127.0.0.1 (the gateway)
#     until one is refused: the daemon is then 16 descriptors short of its
#     limit;
#  2. closes the first 8 of them: holes low in the daemon's table, so the
#     lowest free descriptor is far below the limit while few are free;
#  3. sends 40 SYNs to 10.99.0.2, an address routed out of a veth pair in
#     the test's namespace that nothing answers: each connect() the daemon
#     starts for one keeps its socket for as long as the SYNs go unanswered.
# Then the daemon must still have 16 descriptors free (a look at
# /proc/PID/fd), the API must answer, and once the guest's flows closed, a
# new flow must work.

. "$(dirname "$0")/lib.sh"

require_cmd nsenter setpriv prlimit python3
flows=$(helper_bin flows) || skip_all "tests/flows not built"
LINGER="$(cd "$(dirname "$0")" && pwd)/fd-linger.py"
SRCDIR=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
LIMIT=128
HEADROOM=16
PORT=7000
SILENT=10.99.0.2

must "test user $S4N_USER and /dev/net/tun 0666" setup_user
GFLOWS=$(user_binary "$flows")
GLINGER=$(user_binary "$LINGER")
must "echo server (tests/flows serve) on 127.0.0.1:$PORT" \
	spawn_ready --log "$S4N_TMP/root/echo.log" "$flows" serve 127.0.0.1 \
	"$PORT"
# routed but silent: out through s4nsil0 to a neighbour that is not there
must "a silent address, $SILENT" sh -ec "
	ip link add s4nsil0 type veth peer name s4nsil1
	ip addr add 10.99.0.1/24 dev s4nsil0
	ip link set s4nsil0 up
	ip link set s4nsil1 up
	ip neigh add $SILENT lladdr 02:00:00:00:99:02 dev s4nsil0 nud permanent"

# nfds PID - print how many descriptors PID has open
nfds()
{
	local fds=("/proc/$1/fd/"*)
	echo "${#fds[@]}"
}

# api REQUEST - send REQUEST to the API socket $SOCK, print the reply
api()
{
	"$S4N_PYTHON" "$SRCDIR/tests/api-client.py" "$SOCK" go "$1" 2>&1 ||
		true
}

# new_flow - one flow from the guest through the daemon, echoed
new_flow()
{
	local out
	out=$("${NSENTER[@]}" "$GFLOWS" open 10.0.2.2 "$PORT" 1 2>&1) || true
	[[ $out == "opened ok=1 "* ]]
}

# poll_new_flow - new_flow, tried for 15 s at most (flows linger 2 s after
# closing); Return: 0 once one worked
poll_new_flow()
{
	local end=$((SECONDS + 15))
	while ! new_flow; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.5
	done
}

for who in root "$S4N_USER"; do
	if [ "$who" = root ]; then
		must "$who: guest" start_guest
		NSENTER=(nsenter -t "$GUEST_PID" -m -n --)
		user=()
		SOCK="$S4N_TMP/root/api.sock"
	else
		must "$who: rootless guest" start_guest --rootless
		NSENTER=(nsenter -t "$GUEST_PID" -U -m -n --)
		user=(--user "$who")
		SOCK="$S4N_USER_TMP/api.sock"
	fi
	must "$who: daemon under prlimit --nofile=$LIMIT:$LIMIT" \
		start_daemon "${user[@]}" --wrap prlimit \
		--wrap "--nofile=$LIMIT:$LIMIT" --wrap -- -a "$SOCK" \
		-c "$GUEST_PID" tap0
	_s4n_seq
	log="$S4N_TMP/root/linger.$_S4N_SEQ.log"
	must "$who: flows until refused, 8 closed, 40 lingering SYNs" \
		spawn_ready --log "$log" "${NSENTER[@]}" python3 "$GLINGER" \
		10.0.2.2 "$PORT" "$SILENT" 40
	helper=$SPAWN_PID
	out=$(cat "$log")
	diag "$who: $out"
	n=$(nfds "$DAEMON_PID")
	diag "$who: the daemon holds $n descriptors of $LIMIT"
	like "$out" 'refused_first=ECONNREFUSED' \
		"$who: the flows stopped with a refusal"
	like "$out" 'lingering=([1-9]|1[0-6]) ' \
		"$who: lingering SYNs took the holes (8, give or take)"
	ok "$who: $HEADROOM descriptors are still free ($n open)" \
		test "$n" -le $((LIMIT - HEADROOM))
	like "$(api '{"execute":"get_info"}')" '^\{"return": ?\{' \
		"$who: the API answers"
	kill -USR1 "$helper" 2>/dev/null || true
	wait_exit "$helper" 20 || true
	ok "$who: a new flow works once the guest's flows closed" \
		poll_new_flow
	ok "$who: daemon exits 0" stop_daemon
done

done_testing
