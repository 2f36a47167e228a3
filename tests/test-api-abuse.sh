#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-api-abuse.sh - API clients that misbehave must not stop the
# world: while a client sends nothing, one sends a byte every 100 ms, one
# sends an endless request and one never reads its replies, other clients
# (100 at once) and guest traffic are still served, and each bad client is
# dropped: at once for the endless request, after the 10 s timeout for the
# others. Past 128 clients, new ones are told "too many clients".
#
# "Served promptly" is a bound, not a measurement: those clients give up
# after 3 s, well under the 10 s the server gives a stalled client, so a
# loop blocked by one client would fail them.
#
# The daemon runs as the unprivileged user, with a rootless guest.
#
# Copyright (C) 2026 The slirp4netns authors
. "$(dirname "$0")/lib.sh"

require_cmd "$S4N_PYTHON"
SRCDIR=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
CLIENT="$SRCDIR/tests/api-client.py"
LIST='{"execute":"list_hostfwd"}'
PROMPT=3	# seconds a well-behaved client waits

api()
{
	"$S4N_PYTHON" "$CLIENT" "$SOCK" "$@" 2>&1 || true
}

# prompt_api MODE REQ... - a client that gives up after $PROMPT seconds
prompt_api()
{
	S4N_TIMEOUT=$PROMPT api "$@"
}

# prompt_tcp ADDR PORT - guest traffic through a forward, same bound
prompt_tcp()
{
	tcp_host "$1" "$2" "$PROMPT"
}

# bg NAME MODE ARG... - start an abusive client in the background and
# wait until it is connected; its output goes to $S4N_TMP/root/NAME.out,
# its PID to BG_PID. Return: 0 once connected.
bg()
{
	local name=$1
	shift
	spawn_ready --log "$S4N_TMP/root/$name.out" env API_READY_FD=3 \
		"$S4N_PYTHON" "$CLIENT" "$SOCK" "$@" || return 1
	BG_PID=$SPAWN_PID
}

# result PID NAME - wait (bounded) for a background client, then set OUT
# to its output. Not in $(...): only the main shell can wait for it.
result()
{
	wait_exit "$1" 30 || true
	OUT=$(cat "$S4N_TMP/root/$2.out")
}

must "set up the unprivileged user" setup_user
must "start a rootless guest" start_guest --rootless
SOCK="$S4N_USER_TMP/api.sock"
must "start the daemon as $S4N_USER with -a" start_daemon \
	--user "$S4N_USER" -c -6 -a "$SOCK" "$GUEST_PID" tap0
must "start a TCP server in the guest" spawn_ready nsenter -t "$GUEST_PID" \
	-n -- "$S4N_PYTHON" "$S4N_TMP/root/server.py" banner :: 80
is "$(api go '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_port":8080,"guest_port":80}}')" \
	'{"return":{"id":1}}' "forward 8080 to the guest"
# 300 more forwards, so that list_hostfwd replies are ~40 KB and a client
# that does not read fills its socket quickly
reqs=()
for ((p = 20000; p < 20300; p++)); do
	reqs+=("{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp4\",\"host_addr\":\"127.0.0.1\",\"host_port\":$p,\"guest_port\":80}}")
done
added=$(api keepalive "${reqs[@]}" | grep -c '"return"' || true)
is "$added" 300 "300 more forwards over one keep-alive connection"

# --- the bad clients -------------------------------------------------------
must "a silent client connects" bg silent silent 20
SILENT=$BG_PID
must "a client sending a byte every 100 ms connects" bg slow slow 20
SLOW=$BG_PID
must "a client that never reads connects" bg noread noread 20
NOREAD=$BG_PID
must "a client sending an endless request connects" bg flood flood
FLOOD=$BG_PID
must "another silent client connects" bg patient silent "$PROMPT"
PATIENT=$BG_PID

# --- meanwhile, everyone else is served ------------------------------------
for round in 1 2 3; do
	like "$(prompt_api go "$LIST")" '^\{"return":\{"entries":\[\{"id":1,' \
		"round $round: another client is answered within ${PROMPT}s"
	like "$(prompt_tcp 127.0.0.1 8080)" '^hello ' \
		"round $round: guest traffic through a forward within ${PROMPT}s"
	like "$(prompt_api keepalive "$LIST" '{"execute":"get_info"}')" \
		'^\{"return":\{"entries".*
\{"return":\{"version".*
open$' "round $round: a keep-alive client is answered"
done
is "$(S4N_TIMEOUT=30 api many 100 "$LIST")" 100 \
	"100 clients at once are all answered"
like "$(prompt_tcp ::1 8080)" '^hello fd00::2 ' \
	"guest traffic over IPv6 still flows"

# --- and each bad client is dropped -----------------------------------------
result "$FLOOD" flood
is "$OUT" '{"error":{"desc":"bad request: too large message"}}
closed' "endless request: too large message, then closed"
result "$PATIENT" patient
is "$OUT" open \
	"a silent client is not dropped before its timeout"
result "$SILENT" silent
is "$OUT" closed \
	"a silent client is dropped after the timeout"
result "$SLOW" slow
is "$OUT" closed \
	"a client sending a byte every 100 ms is dropped after the timeout"
result "$NOREAD" noread
is "$OUT" closed \
	"a client that never reads its replies is dropped after the timeout"

# --- too many clients --------------------------------------------------------
# 140 silent clients: 128 are kept, 12 are told and closed at once.
must "140 clients connect" bg hold hold 140 "$PROMPT"
is "$(prompt_api go "$LIST")" '{"error":{"desc":"too many clients"}}' \
	"client 141 is told there are too many"
result "$BG_PID" hold
is "$OUT" 12 \
	"128 clients kept, the 12 beyond closed at once"
like "$(prompt_api go "$LIST")" '^\{"return":\{"entries":\[' \
	"once they are gone, new clients are served"

stats=$(prompt_api go '{"execute":"get_stats"}')
like "$stats" '"forwards":301,' "get_stats: forwards counted"
# 2 + 5 bad + 3 rounds of 2 + 100 + 128 held + 2 since: 243; the rejected
# ones are not counted
like "$stats" '"api_connections":243,' \
	"get_stats: every served connection counted, rejected ones not"
like "$(prompt_tcp 127.0.0.1 8080)" '^hello ' "guest traffic still flows"
ok "daemon exits on SIGTERM" stop_daemon
nok "socket file removed at exit" test -e "$SOCK"

done_testing
