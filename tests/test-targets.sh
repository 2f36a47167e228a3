#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-targets.sh - the three kinds of target (pid, path, tapfd) and
# the daemon's lifecycle: --ready-fd, --exit-fd, signals, target exit
#
# Copyright (C) 2026 The slirp4netns authors

. "$(dirname "$0")/lib.sh"

must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080

hello()
{
	tcp_get 10.0.2.2 8080 2>&1
}

# --- --ready-fd ---------------------------------------------------------------
must "guest" start_guest
ok "daemon started, ready pipe on fd 5" start_daemon --no-wait \
	-c "$GUEST_PID" tap0
ok "--ready-fd: reads \"1\", then the daemon closes the fd" wait_ready --eof
# Ready means usable: everything must already be in place.
like "$(guest ip -4 -o addr show dev tap0)" 'inet 10\.0\.2\.100/24 ' \
	"--ready-fd: tap0 is configured when ready is reported"
like "$(hello)" '^hello 127\.0\.0\.1 ' \
	"--ready-fd: traffic flows as soon as ready is reported"
is "$(readlink "/proc/$DAEMON_PID/ns/net")" "$(readlink /proc/self/ns/net)" \
	"the daemon itself stays in the host's network namespace"
unlike "$(ps -o pid= --ppid "$DAEMON_PID" | xargs)" '[0-9]' \
	"the daemon's namespace child is gone once ready"
ok "SIGTERM: exit status 0" stop_daemon

must "guest" start_guest
ok "daemon started with -r 4 (short option, fd 4)" \
	start_daemon --rfd 4 -c -r 4 "$GUEST_PID" tap0
ok "SIGINT: exit status 0" stop_daemon -s INT

# --- --exit-fd ----------------------------------------------------------------
must "guest" start_guest
ok "daemon started with --exit-fd=4" \
	start_daemon --efd 4 --exit-fd=4 -c "$GUEST_PID" tap0
like "$(hello)" '^hello 127\.0\.0\.1 ' "--exit-fd: traffic flows"
nok "--exit-fd: still running while the pipe is open" \
	wait_exit "$DAEMON_PID" 1
close_exit_fd
st=0
wait_exit "$DAEMON_PID" || st=$?
is "$st" 0 "--exit-fd: closing the write end makes the daemon exit 0"

must "guest" start_guest
ok "daemon started with -e 3" start_daemon --efd 3 -c -e 3 "$GUEST_PID" tap0
echo x >&"$EXIT_WFD"
st=0
wait_exit "$DAEMON_PID" || st=$?
is "$st" 0 "--exit-fd: data on the fd makes the daemon exit 0"
close_exit_fd

# --- the target process exits (PID form) ------------------------------------
must "guest" start_guest
ok "daemon for PID $GUEST_PID" start_daemon -c "$GUEST_PID" tap0
kill -KILL "$GUEST_PID"
wait_exit "$GUEST_PID" || true
st=0
wait_exit "$DAEMON_PID" || st=$?
if [ "$st" -ne 124 ]; then
	pass "the daemon exits when the target PID exits (status $st)"
else
	fail "the daemon exits when the target PID exits" \
		"still running after ${S4N_TIMEOUT}s"
	stop_daemon -s KILL || true
fi
is "$st" 0 "... with exit status 0"

# The same where pidfd_open() does not exist (kernels before 5.3): the
# daemon looks with kill(PID, 0) once a second, which its seccomp filter
# must let through for the target's PID.
if nopidfd=$(helper_bin nopidfd); then
	for seccomp in "" --enable-seccomp; do
		what="without pidfd_open${seccomp:+, $seccomp}"
		must "guest" start_guest
		ok "$what: daemon for PID $GUEST_PID" start_daemon \
			--wrap "$nopidfd" $seccomp -c "$GUEST_PID" tap0
		kill -KILL "$GUEST_PID"
		wait_exit "$GUEST_PID" || true
		st=0
		wait_exit "$DAEMON_PID" || st=$?
		if [ "$st" -eq 124 ]; then
			fail "$what: the daemon exits when the target exits" \
				"still running after ${S4N_TIMEOUT}s"
			stop_daemon -s KILL || true
		else
			is "$st" 0 "$what: the daemon exits 0 when the target exits"
		fi
	done
else
	skip "tests/nopidfd not built" 6
fi

# --- --netns-type=path --------------------------------------------------------
must "guest" start_guest
mkdir -p "$S4N_TMP/netns"
touch "$S4N_TMP/netns/s4n-test"
must "bind-mount the guest's netns on a file" \
	mount --bind "/proc/$GUEST_PID/ns/net" "$S4N_TMP/netns/s4n-test"
ok "daemon --netns-type=path on a bind-mounted netns" \
	start_daemon -c --netns-type=path "$S4N_TMP/netns/s4n-test" tap0
like "$(guest ip -4 -o addr show dev tap0)" 'inet 10\.0\.2\.100/24 ' \
	"path target: tap0 configured"
like "$(hello)" '^hello 127\.0\.0\.1 ' "path target: traffic flows"
kill -KILL "$GUEST_PID"
wait_exit "$GUEST_PID" || true
nok "path target: the daemon outlives the process that made the netns" \
	wait_exit "$DAEMON_PID" 1
out=$(nsenter --net="$S4N_TMP/netns/s4n-test" socat -T 5 -u \
	TCP:10.0.2.2:8080,connect-timeout=5 STDOUT 2>&1 || true)
like "$out" '^hello 127\.0\.0\.1 ' \
	"path target: traffic still flows through the bind mount"
ok "path target: SIGTERM, exit 0" stop_daemon
umount "$S4N_TMP/netns/s4n-test"

must "guest" start_guest
ok "daemon --netns-type=path /proc/PID/ns/net" \
	start_daemon -c --netns-type=path "/proc/$GUEST_PID/ns/net" tap0
like "$(hello)" '^hello 127\.0\.0\.1 ' "/proc path target: traffic flows"
ok "/proc path target: SIGTERM, exit 0" stop_daemon

# --- --netns-type=tapfd -------------------------------------------------------
if tapfd=$(helper_bin tapfd-helper); then
	must "guest" start_guest
	ok "daemon --netns-type=tapfd with a TAP fd opened by tapfd-helper" \
		start_daemon --wrap "$tapfd" --wrap "$GUEST_PID" --wrap tap0 \
		--wrap -- --netns-type=tapfd '{fd}'
	ok "tapfd: configure tap0 by hand" sh -c "
		nsenter -t $GUEST_PID -n ip addr add 10.0.2.100/24 dev tap0 &&
		nsenter -t $GUEST_PID -n ip link set tap0 up &&
		nsenter -t $GUEST_PID -n ip route add default via 10.0.2.2"
	like "$(hello)" '^hello 127\.0\.0\.1 ' "tapfd target: traffic flows"
	ok "tapfd target: ping 10.0.2.2" \
		guest ping -c 1 -W "$S4N_TIMEOUT" 10.0.2.2
	ok "tapfd target: SIGTERM, exit 0" stop_daemon
	run_s4n --netns-type=tapfd 99
	is "$RUN_STATUS" 1 "tapfd target: a closed fd is refused with status 1"
	is "$(grep -c '' <<<"$RUN_ERR")" 1 "tapfd target: ... in one line"
	run_s4n --netns-type=tapfd 0
	is "$RUN_STATUS" 1 "tapfd target: an fd that is no TAP is refused"
else
	skip "tests/tapfd-helper not built" 9
fi

done_testing
