#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-command.sh - "slirp4netns [OPTION]... -- COMMAND": the command
# runs in a new user and network namespace, configured; its exit status,
# stdio and signals pass through; -a adds forwards while it runs; as root
# and as an unprivileged user (with and without subordinate ids).
#
# Copyright (C) 2026 The slirp4netns authors
. "$(dirname "$0")/lib.sh"

require_cmd wget socat
must "test user" setup_user
must "host HTTP server on 127.0.0.1:8080" start_tcp_server --http 127.0.0.1 8080
UBIN=$(user_binary "$S4N_BINARY")

# as WHO CMD... - run as root, or as the test user
as()
{
	local who=$1
	shift
	if [ "$who" = root ]; then
		"$@"
	else
		as_user "$@"
	fi
}

for who in root user; do
	bin=$S4N_BINARY
	[ "$who" = user ] && bin=$UBIN
	st=0
	as "$who" timeout 20 "$bin" -- sh -c 'exit 7' </dev/null || st=$?
	is "$st" 7 "$who: the exit status passes through"
	out=$(as "$who" timeout 20 "$bin" -- \
		sh -c 'wget -q -O- http://10.0.2.2:8080/' </dev/null 2>&1)
	like "$out" '^hello from the host, you came from 127\.0\.0\.1$' \
		"$who: -- sh -c 'wget -O- http://10.0.2.2:8080/' fetches from the host"
	out=$(as "$who" timeout 20 "$bin" -- sh -c \
		'id -u; ip -o -4 addr show tap0 | awk "{print \$4}"; ip -o link show lo | grep -c UP' \
		</dev/null 2>&1)
	is "$out" "0
10.0.2.100/24
1" "$who: root in the namespace, tap0 and lo configured"
	is "$(echo piped | as "$who" timeout 20 "$bin" -- cat 2>&1)" "piped" \
		"$who: stdin and stdout pass through"
	if [ "$who" = user ] && grep -q "^$S4N_USER:" /etc/subuid &&
		command -v newuidmap >/dev/null; then
		like "$(as_user timeout 20 "$bin" -- cat /proc/self/uid_map \
			</dev/null 2>&1 | awk '{print $1, $3}' | tr '\n' ' ')" \
			'^0 1 1 [0-9]+ $' \
			"user: caller mapped to root, subordinate uids after it"
	fi

	# SIGTERM to us ends the command
	_s4n_pipe
	if [ "$who" = root ]; then
		"$bin" -- sh -c 'echo up; exec sleep 60' >&"$PIPE_W" 2>&1 &
	else
		(_s4n_user_env "$S4N_USER"
		 exec setpriv --reuid="$S4N_USER" --regid="$S4N_USER" \
			--init-groups -- "$bin" -- sh -c 'echo up; exec sleep 60' \
		) >&"$PIPE_W" 2>&1 &
	fi
	pid=$!
	exec {PIPE_W}>&-
	read -r -t 10 -u "$PIPE_R" line || true
	is "$line" up "$who: the command runs"
	kill -TERM "$pid"
	st=0
	wait_exit "$pid" 10 || st=$?
	is "$st" 143 "$who: SIGTERM to us ends the command (status 128+15)"
	exec {PIPE_R}<&-
	nok "$who: nothing left running" sh -c \
		"ps -eo comm=,args= | grep -E '^(sleep +sleep 60|slirp4netns )'"
done

# --- with -a: forwards added while the command runs -------------------------
SOCK="$S4N_TMP/root/cmd.sock"
_s4n_pipe
"$S4N_BINARY" -a "$SOCK" -- sh -c \
	'socat -T 10 TCP-LISTEN:80,reuseaddr SYSTEM:"echo from-the-command" &
	 echo up; wait' >&"$PIPE_W" 2>&1 &
pid=$!
exec {PIPE_W}>&-
read -r -t 10 -u "$PIPE_R" line || true
is "$line" up "-a: the command runs"
like "$("$S4N_PYTHON" "$S4N_SRCDIR/tests/api-client.py" "$SOCK" go \
	'{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":18080,"guest_port":80}}')" \
	'"return":\{"id":1\}' "-a: add_hostfwd while the command runs"
is "$(socat -T 5 -u TCP:127.0.0.1:18080,connect-timeout=5 STDOUT 2>&1)" \
	"from-the-command" "-a: the forward reaches the command's server"
st=0
wait_exit "$pid" 15 || st=$?
is "$st" 0 "-a: the command's status once it ends"
nok "-a: the API socket is gone" test -e "$SOCK"
exec {PIPE_R}<&-

# --- errors and old command lines -------------------------------------------------
run_s4n --
is "$RUN_STATUS" 1 "-- without a command: exit 1"
like "$RUN_ERR" '"--" without a COMMAND$' "... says so"
run_s4n 1234 -- tap1
like "$RUN_ERR" 'cannot open network namespace of PID 1234: No such process$' \
	"a -- after PID keeps its old meaning (PID 1234, TAPNAME tap1)"
run_s4n --netns-type=path -- true
like "$RUN_ERR" '-- COMMAND conflicts with --netns-type$' "--netns-type conflicts"
run_s4n -- /nonexistent/cmd
is "$RUN_STATUS" 1 "a command that cannot run: exit 1"
like "$RUN_ERR" '-- COMMAND "/nonexistent/cmd": No such file or directory$' \
	"... one line"

done_testing
