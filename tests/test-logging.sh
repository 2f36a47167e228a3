#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-logging.sh - message levels, --debug, --quiet, --help's end
#
# Copyright (C) 2026 The slirp4netns authors
#
# Errors say "slirp4netns: error: ", warnings "slirp4netns: warning: " and
# debug messages "slirp4netns: debug: ", so that a log Podman or
# RootlessKit kept can be searched.  --debug and SLIRP4NETNS_DEBUG turn the
# debug messages on; --quiet drops the start-up summary and information
# messages but keeps errors.  --help ends by naming the environment
# variables and the manual.

. "$(dirname "$0")/lib.sh"

must "start a guest network namespace" start_guest

# --- --help ---------------------------------------------------------------
run_s4n --help
is "$RUN_STATUS" 0 "--help exits 0"
has "$RUN_OUT" "--debug" "--help lists --debug"
has "$RUN_OUT" "--quiet" "--help lists --quiet"
tail4=$(tail -n 4 <<<"$RUN_OUT")
has "$tail4" "SLIRP4NETNS_DEBUG" "--help ends naming SLIRP4NETNS_DEBUG"
has "$tail4" "SLIRP4NETNS_NO_GSO" "--help ends naming SLIRP4NETNS_NO_GSO"
has "$tail4" "man slirp4netns" "--help ends naming the manual"

# --- errors ---------------------------------------------------------------
run_s4n --mtu=0 -c "$GUEST_PID"
is "$RUN_ERR" 'slirp4netns: error: --mtu "0": out of range (68 to 65521)' \
	"a bad option: one line, prefixed 'error: '"
run_s4n --netns-type=path -c /run/s4ntest/nonexistent
like "$RUN_ERR" '^slirp4netns: error: .*"/run/s4ntest/nonexistent"' \
	"a target that cannot be opened: prefixed 'error: '"
is "$RUN_STATUS" 1 "... exit status 1"
run_s4n -c "$GUEST_PID" lo
like "$RUN_ERR" '^slirp4netns: error: cannot open TAP device "lo"' \
	"a failure in the namespace child: prefixed 'error: '"
run_s4n --quiet --mtu=abc -c "$GUEST_PID"
is "$RUN_STATUS" 1 "--quiet: a bad option still exits 1"
is "$RUN_ERR" 'slirp4netns: error: --mtu "abc": not a number' \
	"--quiet: errors are still printed"

# --- default: the summary and information, no debug -----------------------
# stop_target_daemon ARGS... - start the daemon on a new guest, make the
# guest exit (an information message) and wait for the daemon
stop_target_daemon()
{
	start_guest || return 1
	start_daemon "$@" -c "$GUEST_PID" tap0 || return 1
	kill -KILL "$GUEST_PID"
	wait_exit "$GUEST_PID" || true
	wait_exit "$DAEMON_PID" || return 1
}

ok "default: the daemon runs and exits with its target" stop_target_daemon
log=$(cat "$DAEMON_LOG")
like "$log" $'(^|\n)\\* MTU: +1500' "default: the start-up summary"
like "$log" $'(^|\n)slirp4netns: target process [0-9]+ exited, exiting' \
	"default: information, without a level"
unlike "$log" 'debug:' "default: no debug messages"

# --- --quiet ----------------------------------------------------------------
ok "--quiet: the daemon runs and exits with its target" \
	stop_target_daemon --quiet
is "$(cat "$DAEMON_LOG")" "" "--quiet: nothing printed at all"

# --- --debug and SLIRP4NETNS_DEBUG --------------------------------------------
must "guest" start_guest
ok "--debug: daemon started" start_daemon --debug -c "$GUEST_PID" tap0
ok "--debug: SIGTERM, exit 0" stop_daemon
like "$(cat "$DAEMON_LOG")" $'(^|\n)slirp4netns: debug: signal 15, exiting' \
	"--debug: debug messages, prefixed 'debug: '"

ok "SLIRP4NETNS_DEBUG=1: daemon started" \
	start_daemon --wrap env --wrap SLIRP4NETNS_DEBUG=1 -c "$GUEST_PID" tap0
ok "SLIRP4NETNS_DEBUG=1: SIGTERM, exit 0" stop_daemon
like "$(cat "$DAEMON_LOG")" $'(^|\n)slirp4netns: debug: signal 15, exiting' \
	"SLIRP4NETNS_DEBUG=1: debug messages as with --debug"

ok "--debug --quiet: daemon started" \
	start_daemon --debug --quiet -c "$GUEST_PID" tap0
ok "--debug --quiet: SIGTERM, exit 0" stop_daemon
is "$(cat "$DAEMON_LOG")" "slirp4netns: debug: signal 15, exiting" \
	"--debug --quiet: debug messages only, no summary"

# --- warnings ---------------------------------------------------------------
# A second bess peer is refused with a warning while the first one stays.
ok "bess: daemon started" start_daemon --target-type=bess "$S4N_TMP/bess.sock"
"$S4N_PYTHON" -c '
import socket, sys, time
def peer():
	s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
	s.connect(sys.argv[1])
	return s
first = peer()
time.sleep(0.3)
second = peer()
# the daemon closes the second one: wait (bounded) for its hang-up
second.settimeout(5)
second.recv(1)
' "$S4N_TMP/bess.sock" || true
like "$(cat "$DAEMON_LOG")" \
	$'(^|\n)slirp4netns: warning: bess: refusing a second peer' \
	"a warning is prefixed 'warning: '"
ok "bess: SIGTERM, exit 0" stop_daemon

done_testing
