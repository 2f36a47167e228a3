# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# tests/lib.sh - shared helpers for the integration tests (TAP output)
#
# Copyright (C) 2026 The slirp4netns authors
#
# Source it first thing in every tests/test-*.sh:
#
#	. "$(dirname "$0")/lib.sh"
#
# Stages, in order:
#  1. Outside: skip the file (exit 77) unless we are root and unshare works,
#     then re-run the test under `unshare --net --mount --pid --fork
#     --mount-proc`.  The test is PID 1 of its own PID namespace, so when it
#     exits the kernel kills everything it started: nothing can leak.
#  2. Inside: / is made private, a tmpfs is mounted on /run/s4ntest
#     ($S4N_TMP: sockets, fifos, logs), /etc/resolv.conf is replaced by a
#     private copy ("nameserver 127.0.0.1"), lo is up, unprivileged ping is
#     allowed.  No packet can leave: the only interfaces are the ones a test
#     creates here.
#  3. The test calls the helpers below; an EXIT trap reports the result,
#     prints the daemon logs as diagnostics if anything failed, and exits
#     non-zero if any check failed.
#
# Helpers (see each function for details):
#   TAP:      plan N | done_testing, ok NAME CMD..., nok NAME CMD...,
#             must NAME CMD... (ok, or Bail out!), is GOT WANT NAME,
#             like TEXT REGEX NAME, unlike TEXT REGEX NAME,
#             has TEXT STRING NAME, pass NAME,
#             fail NAME [DIAG...], skip REASON [COUNT], diag TEXT...,
#             skip_all REASON, require_cmd CMD..., bail_out REASON.
#             Checks never stop the test (they return 0, even with set -e);
#             OK_STATUS holds the exit status of the last ok/nok command.
#   Users:    setup_user, as_user CMD..., user_binary PATH
#   Guests:   start_guest [--user U] [--rootless] [--no-mount],
#             guest CMD... (GUEST_PID; guest_in PID CMD... for another one),
#             wait_ipv6 (tap0's global IPv6 address is usable)
#   Daemon:   start_daemon [--user U] [--rfd N] [--efd N] [--no-ready |
#                          --no-wait] [--wrap WORD]... [--] ARGS...
#             (DAEMON_PID, DAEMON_LOG, EXIT_WFD), wait_ready [--eof],
#             close_exit_fd, stop_daemon [-s SIG] [PID],
#             wait_exit PID [TIMEOUT], run_s4n [--user U] ARGS...
#             (RUN_STATUS, RUN_OUT, RUN_ERR), stray_daemons, helper_bin NAME,
#             stat_of FIELD (a get_stats number, through the test's api JSON)
#   Servers:  start_tcp_server [--http|--bulk] [--user U] ADDR PORT
#             (SERVER_PID), tcp_get ADDR PORT (in the guest: prints
#             what the server sent), tcp_host ADDR PORT [SECONDS]
#             (on the host side: prints what a forwarded port sends, or
#             "refused"), start_dns (DNS_PID; answers S4N_DNS_NAME with S4N_DNS_ADDR
#             and S4N_DNS_ADDR6), start_unix_listener PATH MODE LOG
#             (SPAWN_PID)
#   Misc:     spawn_ready CMD... (background command with a readiness fd)
#
# Environment: S4N_BINARY (binary under test; may be Debian's
# /usr/bin/slirp4netns), S4N_BUILDDIR (where tests/bess-peer and
# tests/tapfd-helper are built), S4N_USER (default s4ntest), S4N_TIMEOUT
# (seconds for every bounded wait, default 10), S4N_TEST_TIMEOUT (seconds
# for the whole file, default 300), S4N_VERBOSE=1 (print the output of
# passing checks too), S4N_TCP_PATH=off (start our daemon with
# --disable-tcp-fast-path: the suite runs once each way), S4N_NO_TAP=1 (not a test: no plan line at exit,
# for tests/demo.sh).
#
# Commands run in a guest must bound themselves (ping -W, socat -T and
# connect-timeout, timeout(1)); the file-wide watchdog is the last resort.

set -euo pipefail

S4N_TEST_NAME=$(basename "$0" .sh)
S4N_TIMEOUT=${S4N_TIMEOUT:-10}
S4N_USER=${S4N_USER:-s4ntest}

# ---------------------------------------------------------------------------
# TAP
# ---------------------------------------------------------------------------
_S4N_N=0
_S4N_FAILED=0
_S4N_PLANNED=

# diag TEXT... - print each line of TEXT as a TAP diagnostic
diag()
{
	local line
	while IFS= read -r line; do
		printf '# %s\n' "$line"
	done <<<"$*"
}

# skip_all REASON - skip the whole file (only before the first test)
skip_all()
{
	printf '1..0 # SKIP %s\n' "$*"
	_S4N_SKIPPED_ALL=1
	exit 77
}

# bail_out REASON - stop the whole file as an error
bail_out()
{
	printf 'Bail out! %s\n' "$*"
	_S4N_FAILED=$((_S4N_FAILED + 1))
	exit 1
}

# plan N - announce N tests up front (or call done_testing at the end)
plan()
{
	_S4N_PLANNED=$1
	printf '1..%d\n' "$1"
}

# done_testing - print the plan after the last test
done_testing()
{
	if [ -z "$_S4N_PLANNED" ]; then
		_S4N_PLANNED=$_S4N_N
		printf '1..%d\n' "$_S4N_N"
	fi
}

# pass NAME / fail NAME [DIAG...] - record a result directly
pass()
{
	_S4N_N=$((_S4N_N + 1))
	printf 'ok %d - %s\n' "$_S4N_N" "$1"
}

fail()
{
	_S4N_N=$((_S4N_N + 1))
	_S4N_FAILED=$((_S4N_FAILED + 1))
	printf 'not ok %d - %s\n' "$_S4N_N" "$1"
	shift
	local d
	for d in "$@"; do
		diag "$d"
	done
	return 0
}

# skip REASON [COUNT] - record COUNT (default 1) skipped tests
skip()
{
	local i count=${2:-1}
	for ((i = 0; i < count; i++)); do
		_S4N_N=$((_S4N_N + 1))
		printf 'ok %d # SKIP %s\n' "$_S4N_N" "$1"
	done
}

# ok NAME CMD... - run CMD in this shell (functions may set variables);
# pass if it exits 0.  Its output is shown as diagnostics when it fails.
# Like every check, it returns 0 (the test goes on) and sets OK_STATUS to
# CMD's exit status.  `must` is the same but bails out on failure.
ok()
{
	local name=$1 out="$S4N_TMP/root/ok.out"
	shift
	OK_STATUS=0
	"$@" >"$out" 2>&1 </dev/null || OK_STATUS=$?
	if [ "$OK_STATUS" -eq 0 ]; then
		pass "$name"
		if [ "${S4N_VERBOSE:-0}" = 1 ] && [ -s "$out" ]; then
			diag "$(cat "$out")"
		fi
	else
		fail "$name" "command: $*" "exit status: $OK_STATUS" \
			"$(cat "$out")"
	fi
	return 0
}

# must NAME CMD... - like ok, but stop the file (Bail out!) if CMD fails:
# for set-up steps that every later check depends on
must()
{
	ok "$@"
	if [ "$OK_STATUS" -ne 0 ]; then
		bail_out "$1 failed"
	fi
}

# nok NAME CMD... - like ok, but CMD must fail (exit non-zero)
nok()
{
	local name=$1 out="$S4N_TMP/root/ok.out"
	shift
	OK_STATUS=0
	"$@" >"$out" 2>&1 </dev/null || OK_STATUS=$?
	if [ "$OK_STATUS" -ne 0 ]; then
		pass "$name"
		if [ "${S4N_VERBOSE:-0}" = 1 ] && [ -s "$out" ]; then
			diag "$(cat "$out")"
		fi
	else
		fail "$name" "command unexpectedly succeeded: $*" \
			"$(cat "$out")"
	fi
	return 0
}

# is GOT WANT NAME - string equality
is()
{
	if [ "$1" = "$2" ]; then
		pass "$3"
		return 0
	fi
	fail "$3" "got:  '$1'" "want: '$2'"
}

# like TEXT REGEX NAME - TEXT matches the extended regular expression
like()
{
	if [[ $1 =~ $2 ]]; then
		pass "$3"
		return 0
	fi
	fail "$3" "text:  '$1'" "regex: '$2'"
}

# has TEXT STRING NAME - TEXT contains STRING (a fixed string)
has()
{
	if [[ $1 == *"$2"* ]]; then
		pass "$3"
		return 0
	fi
	fail "$3" "text: '$1'" "does not contain: '$2'"
}

# unlike TEXT REGEX NAME - TEXT does not match
unlike()
{
	if ! [[ $1 =~ $2 ]]; then
		pass "$3"
		return 0
	fi
	fail "$3" "text:  '$1'" "should not match: '$2'"
}

# require_cmd CMD... - skip the whole file if a command is missing
require_cmd()
{
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c not installed"
	done
}

# ---------------------------------------------------------------------------
# Stage 1: enter the private namespaces
# ---------------------------------------------------------------------------
if [ -z "${S4N_IN_PRIVATE_NS:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		skip_all "needs root (private network/mount/pid namespaces)"
	fi
	command -v unshare >/dev/null 2>&1 || skip_all "unshare not installed"
	if ! unshare --net --mount --pid --fork --mount-proc true 2>/dev/null
	then
		skip_all "unshare --net --mount --pid does not work here"
	fi
	# Resolve paths before the working directory can matter.
	if [ -z "${S4N_BUILDDIR:-}" ]; then
		S4N_BUILDDIR=$(cd "$(dirname "$0")/.." && pwd)
	fi
	S4N_BINARY=${S4N_BINARY:-$S4N_BUILDDIR/slirp4netns}
	case $S4N_BINARY in
	/*) ;;
	*) S4N_BINARY=$PWD/$S4N_BINARY ;;
	esac
	export S4N_BUILDDIR S4N_BINARY
	mkdir -p /run/s4ntest
	export S4N_IN_PRIVATE_NS=1
	exec unshare --net --mount --pid --fork --mount-proc --propagation \
		private -- "${BASH:-bash}" "$(readlink -f "$0")" "$@"
fi

# ---------------------------------------------------------------------------
# Stage 2: set up the private world
# ---------------------------------------------------------------------------
S4N_TMP=/run/s4ntest
mount --make-rprivate /
mount -t tmpfs -o mode=1777,size=64m s4ntest "$S4N_TMP"
mkdir -m 0755 "$S4N_TMP/root"
S4N_PYTHON=${S4N_PYTHON:-/usr/bin/python3}
[ -x "$S4N_PYTHON" ] || S4N_PYTHON=$(command -v python3 || echo python3)

ip link set lo up
if [ -w /proc/sys/net/ipv4/ping_group_range ]; then
	echo "0 2147483647" >/proc/sys/net/ipv4/ping_group_range
fi
printf 'nameserver 127.0.0.1\n' >"$S4N_TMP/root/resolv.conf"
chmod 0644 "$S4N_TMP/root/resolv.conf"
if [ -e /etc/resolv.conf ]; then
	mount --bind "$S4N_TMP/root/resolv.conf" /etc/resolv.conf
fi
# The guest sees the virtual DNS server instead (see start_guest).
printf 'nameserver 10.0.2.3\n' >"$S4N_TMP/root/guest-resolv.conf"
chmod 0644 "$S4N_TMP/root/guest-resolv.conf"

_S4N_PIDS=()		# every background process we started
_S4N_DAEMON_LOGS=()	# daemon logs, printed when something failed
_S4N_LIB_FDS=()		# fds children must not inherit
_S4N_SEQ=0
_S4N_SKIPPED_ALL=

_S4N_MAIN=$BASHPID

_s4n_cleanup()
{
	local st=$? pid log
	trap - EXIT
	# A child forked by this shell can catch a signal before it has reset
	# the traps it inherited (bash has that window, e.g. under load): it
	# must not report or kill anything.
	if [ "$BASHPID" != "$_S4N_MAIN" ]; then
		exit "$st"
	fi
	for pid in "${_S4N_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	if [ -n "$_S4N_SKIPPED_ALL" ]; then
		exit 77
	fi
	if [ -n "${S4N_NO_TAP:-}" ]; then
		exit "$st"
	fi
	if [ "$_S4N_FAILED" -gt 0 ] || [ "$st" -ne 0 ]; then
		for log in "${_S4N_DAEMON_LOGS[@]}"; do
			[ -s "$log" ] || continue
			diag "--- $(basename "$log") ---"
			diag "$(head -c 8000 "$log")"
		done
	fi
	if [ -z "$_S4N_PLANNED" ]; then
		if [ "$st" -ne 0 ]; then
			diag "test script exited early with status $st"
		fi
		printf '1..%d\n' "$_S4N_N"
	elif [ "$_S4N_PLANNED" != "$_S4N_N" ]; then
		diag "planned $_S4N_PLANNED tests but ran $_S4N_N"
		st=1
	fi
	if [ "$_S4N_FAILED" -gt 0 ]; then
		diag "$_S4N_FAILED of $_S4N_N tests failed"
		exit 1
	fi
	# We are PID 1 of the PID namespace: on exit the kernel kills the rest.
	exit "$st"
}
trap _s4n_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Last resort against a hang: kill everything else in our PID namespace
# (so the stuck command returns), then make the test exit.
(
	trap - EXIT INT TERM
	exec </dev/null 2>/dev/null
	sleep "${S4N_TEST_TIMEOUT:-300}"
	echo "Bail out! watchdog: still running after ${S4N_TEST_TIMEOUT:-300}s"
	kill -TERM 1
	kill -KILL -1
) &

_s4n_seq()
{
	_S4N_SEQ=$((_S4N_SEQ + 1))
}

# _s4n_close_fds - in a child: close the fds the library keeps open
_s4n_close_fds()
{
	local fd
	for fd in "${_S4N_LIB_FDS[@]}"; do
		eval "exec $fd>&-"
	done
}

_s4n_forget_fd()
{
	local fd=$1 i
	for i in "${!_S4N_LIB_FDS[@]}"; do
		if [ "${_S4N_LIB_FDS[$i]}" = "$fd" ]; then
			unset "_S4N_LIB_FDS[$i]"
		fi
	done
}

# _s4n_pipe - open an anonymous-like pipe (a fifo unlinked at once): sets
# PIPE_R and PIPE_W.  Children must get PIPE_W at fork time (not by opening
# the fifo later), or the reader could see EOF before the child opened it.
_s4n_pipe()
{
	local fifo hold
	_s4n_seq
	fifo="$S4N_TMP/root/pipe.$_S4N_SEQ"
	mkfifo -m 0600 "$fifo"
	exec {hold}<>"$fifo"	# O_RDWR: the next two opens cannot block
	exec {PIPE_R}<"$fifo"
	exec {PIPE_W}>"$fifo"
	exec {hold}>&-
	rm -f "$fifo"
}

# ---------------------------------------------------------------------------
# Waiting
# ---------------------------------------------------------------------------

# wait_exit PID [TIMEOUT] - wait (bounded) for a child of this shell to
# exit.  Return: its exit status, or 124 if it was still running after
# TIMEOUT seconds (it is then left running).
wait_exit()
{
	local pid=$1 t=${2:-$S4N_TIMEOUT} wd which st=0
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null || st=$?
		return "$st"
	fi
	sleep "$t" >/dev/null 2>&1 &
	wd=$!
	which=
	wait -n -p which "$pid" "$wd" 2>/dev/null || st=$?
	if [ "$which" = "$wd" ]; then
		return 124
	fi
	# SIGKILL: a child that has not exec'd sleep yet must not run traps.
	kill -KILL "$wd" 2>/dev/null || true
	wait "$wd" 2>/dev/null || true
	if [ -z "$which" ]; then
		# It ended before `wait -n` looked: ask for its status.
		st=0
		wait "$pid" 2>/dev/null || st=$?
	fi
	return "$st"
}

# spawn_ready [--user U] [--fd N] [--match REGEX] [--log FILE] CMD... -
# start CMD in the background with fd N (default 3) writing into a pipe,
# and wait (bounded) until a line matching REGEX (default: any line) comes
# out of it.  CMD's stdout/stderr go to FILE (for the
# same fd as N use --fd 1 or --fd 2 and the lines are copied to FILE).
# Default FILE: a new log in $S4N_TMP/root, printed if CMD is not ready.
# Sets SPAWN_PID.  Return: 0 when ready, 1 if CMD exited or timed out.
spawn_ready()
{
	local user= fd=3 match= log= rd w line st=1
	while [ $# -gt 0 ]; do
		case $1 in
		--user) user=$2; shift 2 ;;
		--fd) fd=$2; shift 2 ;;
		--match) match=$2; shift 2 ;;
		--log) log=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	_s4n_pipe
	rd=$PIPE_R
	w=$PIPE_W
	[ -n "$log" ] || log="$S4N_TMP/root/spawn.$_S4N_SEQ.log"
	(
		_s4n_close_fds
		trap - EXIT INT TERM
		if [ "$fd" = 1 ] || [ "$fd" = 2 ]; then
			eval "exec >&$w 2>&1 </dev/null $w>&- $rd<&-"
		else
			exec >"$log" 2>&1 </dev/null
			eval "exec $fd>&$w"
			[ "$fd" = "$w" ] || eval "exec $w>&-"
			eval "exec $rd<&-"
		fi
		if [ -n "$user" ]; then
			_s4n_user_env "$user"
			exec setpriv --reuid="$user" --regid="$user" \
				--init-groups -- "$@"
		fi
		exec "$@"
	) &
	SPAWN_PID=$!
	_S4N_PIDS+=("$SPAWN_PID")
	exec {w}>&-
	while IFS= read -r -t "$S4N_TIMEOUT" -u "$rd" line; do
		if [ "$fd" = 1 ] || [ "$fd" = 2 ]; then
			printf '%s\n' "$line" >>"$log"
		fi
		if [ -z "$match" ] || [[ $line =~ $match ]]; then
			st=0
			break
		fi
	done
	if [ "$st" -eq 0 ] && { [ "$fd" = 1 ] || [ "$fd" = 2 ]; }; then
		# Keep draining the output so the child never blocks on it.
		cat <&"$rd" >>"$log" &
		_S4N_PIDS+=("$!")
	fi
	exec {rd}<&-
	if [ "$st" -ne 0 ]; then
		echo "not ready within ${S4N_TIMEOUT}s: $*" >&2
		cat "$log" >&2
	fi
	return "$st"
}

# ---------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------

# setup_user - create the unprivileged test user and open /dev/net/tun to
# everyone, as a Podman host must have it.
setup_user()
{
	if ! id "$S4N_USER" >/dev/null 2>&1; then
		# Another test may be creating it right now: check again.
		useradd -m -s /bin/bash "$S4N_USER" 2>/dev/null ||
			id "$S4N_USER" >/dev/null || return 1
	fi
	chmod 0666 /dev/net/tun || return 1
	S4N_UID=$(id -u "$S4N_USER")
	S4N_GID=$(id -g "$S4N_USER")
	S4N_USER_TMP="$S4N_TMP/$S4N_USER"
	if [ ! -d "$S4N_USER_TMP" ]; then
		mkdir -m 0700 "$S4N_USER_TMP"
		chown "$S4N_UID:$S4N_GID" "$S4N_USER_TMP"
		mkdir -m 0700 "$S4N_USER_TMP/xdg"
		chown "$S4N_UID:$S4N_GID" "$S4N_USER_TMP/xdg"
	fi
	# The build tree may sit in a home directory the user cannot enter.
	S4N_USER_BINARY=$(user_binary "$S4N_BINARY")
}

# _s4n_user_env USER - in a child about to become USER: export its
# HOME, USER, LOGNAME and XDG_RUNTIME_DIR (a private one in $S4N_TMP)
_s4n_user_env()
{
	HOME=$(getent passwd "$1" | cut -d: -f6)
	USER=$1
	LOGNAME=$1
	XDG_RUNTIME_DIR="$S4N_TMP/$1/xdg"
	export HOME USER LOGNAME XDG_RUNTIME_DIR
}

# as_user CMD... - run CMD as the unprivileged test user (no capabilities)
as_user()
{
	(
		_s4n_user_env "$S4N_USER"
		exec setpriv --reuid="$S4N_USER" --regid="$S4N_USER" \
			--init-groups -- "$@"
	)
}

# user_binary PATH - print a path to PATH that the test user can run
# (PATH itself, or a copy in $S4N_TMP)
user_binary()
{
	local copy
	if as_user test -x "$1" 2>/dev/null; then
		printf '%s\n' "$1"
		return 0
	fi
	[ -d "$S4N_TMP/bin" ] || mkdir -m 0755 "$S4N_TMP/bin"
	copy="$S4N_TMP/bin/$(basename "$1")"
	[ -e "$copy" ] || install -m 0755 "$1" "$copy"
	printf '%s\n' "$copy"
}

# helper_bin NAME - print the path of a test helper built in tests/
# (bess-peer, tapfd-helper); return 1 if it was not built
helper_bin()
{
	local p="$S4N_BUILDDIR/tests/$1"
	[ -x "$p" ] || return 1
	printf '%s\n' "$p"
}

# ---------------------------------------------------------------------------
# Guests
# ---------------------------------------------------------------------------

# start_guest [--user U] [--rootless] [--no-mount] [--no-lo] - start a
# process that
# holds a new network namespace (rootless: a user+net namespace created by
# U, default $S4N_USER, root mapped to U).  It also gets its own mount
# namespace where /etc/resolv.conf says "nameserver 10.0.2.3", unless
# --no-mount.  Its lo is brought up, unless --no-lo.  Sets GUEST_PID (also remembered for `guest`) and
# GUEST_ROOTLESS.  Return: 0 once the namespace exists, 1 otherwise.
start_guest()
{
	local user= rootless= mnt=--mount flags lo=1
	while [ $# -gt 0 ]; do
		case $1 in
		--user) user=$2; shift 2 ;;
		--rootless) rootless=1; shift ;;
		--no-mount) mnt=; shift ;;
		--no-lo) lo=; shift ;;
		*) echo "start_guest: bad argument $1" >&2; return 1 ;;
		esac
	done
	if [ -n "$rootless" ] && [ -z "$user" ]; then
		user=$S4N_USER
	fi
	flags=(--net)
	if [ -n "$rootless" ]; then
		flags=(--user --map-root-user --net)
	fi
	[ -n "$mnt" ] && flags+=("$mnt")
	local script='
		if [ -n "$2" ]; then
			mount --bind "$2" /etc/resolv.conf || exit 1
		fi
		if [ -n "$3" ]; then
			ip link set lo up || exit 1
		fi
		echo ready >&3
		exec 3>&-
		exec sleep infinity'
	local resolv=
	[ -n "$mnt" ] && [ -e /etc/resolv.conf ] &&
		resolv="$S4N_TMP/root/guest-resolv.conf"
	if [ "$user" = "$S4N_USER" ] && [ -z "${S4N_USER_TMP:-}" ]; then
		setup_user || return 1
	fi
	if [ -n "$user" ]; then
		spawn_ready --user "$user" unshare "${flags[@]}" -- \
			sh -c "$script" sh "$S4N_TMP" "$resolv" "$lo" || return 1
	else
		spawn_ready unshare "${flags[@]}" -- \
			sh -c "$script" sh "$S4N_TMP" "$resolv" "$lo" || return 1
	fi
	GUEST_PID=$SPAWN_PID
	GUEST_ROOTLESS=$rootless
	GUEST_MOUNT=$mnt
	eval "_S4N_GUEST_ROOTLESS_$GUEST_PID=\$rootless"
	eval "_S4N_GUEST_MOUNT_$GUEST_PID=\$mnt"
}

# guest_in PID CMD... - run CMD in the namespaces of guest PID (for a
# rootless guest: as its root, inside its user namespace)
guest_in()
{
	local pid=$1 r m args=()
	shift
	eval "r=\${_S4N_GUEST_ROOTLESS_$pid:-}"
	eval "m=\${_S4N_GUEST_MOUNT_$pid:-}"
	[ -n "$r" ] && args+=(-U)
	[ -n "$m" ] && args+=(-m)
	nsenter -t "$pid" "${args[@]}" -n -- "$@"
}

# guest CMD... - run CMD in the last guest started (GUEST_PID)
guest()
{
	guest_in "$GUEST_PID" "$@"
}

# wait_ipv6 - wait (bounded) until the last guest's tap0 has a global IPv6
# address that finished duplicate address detection.  Return: 0 if so
wait_ipv6()
{
	local i
	for ((i = 0; i < S4N_TIMEOUT * 10; i++)); do
		guest ip -6 addr show dev tap0 scope global 2>/dev/null |
			grep -v tentative | grep -q inet6 && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------------------
# The daemon
# ---------------------------------------------------------------------------

# stat_of FIELD - a number from get_stats ("guest_errors",
# "tcp.to_guest_bytes", ...), asked through the test's own api JSON
stat_of()
{
	api '{"execute":"get_stats"}' | python3 -c '
import json, sys
r = json.load(sys.stdin)["return"]
for p in sys.argv[1].split("."):
    r = r[p]
print(r)' "$1"
}

# start_daemon [--user U] [--rfd N] [--efd N] [--no-ready | --no-wait]
#              [--wrap WORD]... [--] ARGS... - start the binary under test
#              in the background.
#
# Ready: unless --no-ready, a pipe is wired to fd N (default 5) and, unless
# --rfd was given (then ARGS must contain the -r option itself, as Podman
# writes it), "--ready-fd=5" is put in front of ARGS.  We wait (bounded)
# for the "1" the daemon writes there; with --no-wait, call wait_ready
# later instead.
# --efd N: the read end of another pipe is wired to fd N (ARGS must say
# "-e N"); the write end stays with us in EXIT_WFD: `close_exit_fd` makes
# the daemon see the hang-up.
# --wrap WORD: put WORD in front of the command (repeatable), e.g. for
# tests/tapfd-helper.  --user U: run as U (the binary is copied where U can
# run it if needed).
#
# Sets DAEMON_PID and DAEMON_LOG (stdout and stderr).  Must be called from
# the test's main shell (not in $(...)), so that stop_daemon can wait.
# Return: 0 when ready, 1 if the daemon failed or did not get ready.
# With S4N_TCP_PATH=off, our daemon hands TCP to libslirp: put the
# switch in front of the caller's $args (Debian's binary has no such
# option and is left alone).
_s4n_tcp_path_args()
{
	if [ "${S4N_TCP_PATH:-on}" = off ] &&
		[ "$(basename "$S4N_BINARY")" = slirp4netns ] &&
		[ "$S4N_BINARY" != /usr/bin/slirp4netns ]; then
		args=(--disable-tcp-fast-path "${args[@]}")
	fi
	return 0
}

start_daemon()
{
	local user= rfd= efd= ready=1 wrap=() bin="$S4N_BINARY" args
	local rd= w= er= pipe=1
	while [ $# -gt 0 ]; do
		case $1 in
		--user) user=$2; shift 2 ;;
		--rfd) rfd=$2; shift 2 ;;
		--efd) efd=$2; shift 2 ;;
		--no-ready) ready=; pipe=; shift ;;
		--no-wait) ready=; shift ;;
		--wrap) wrap+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	args=("$@")
	_s4n_tcp_path_args
	if [ -n "$pipe" ] && [ -z "$rfd" ]; then
		rfd=5
		args=(--ready-fd=5 "${args[@]}")
	fi
	if [ -n "$user" ]; then
		[ -n "${S4N_USER_TMP:-}" ] || setup_user || return 1
		bin=$(user_binary "$S4N_BINARY")
	fi
	_s4n_seq
	DAEMON_LOG="$S4N_TMP/root/daemon.$_S4N_SEQ.log"
	_S4N_DAEMON_LOGS+=("$DAEMON_LOG")
	if [ -n "$rfd" ]; then
		_s4n_pipe
		rd=$PIPE_R
		w=$PIPE_W
	fi
	if [ -n "$efd" ]; then
		_s4n_pipe
		er=$PIPE_R
		EXIT_WFD=$PIPE_W
	fi
	(
		_s4n_close_fds
		trap - EXIT INT TERM
		exec >"$DAEMON_LOG" 2>&1 </dev/null
		# Move the pipe ends to the fds the daemon is told about.
		if [ -n "$rfd" ]; then
			eval "exec $rd<&- $rfd>&$w"
			[ "$w" = "$rfd" ] || eval "exec $w>&-"
		fi
		if [ -n "$efd" ]; then
			eval "exec $EXIT_WFD>&- $efd<&$er"
			[ "$er" = "$efd" ] || eval "exec $er<&-"
		fi
		if [ -n "$user" ]; then
			_s4n_user_env "$user"
			exec setpriv --reuid="$user" --regid="$user" \
				--init-groups -- "${wrap[@]}" "$bin" "${args[@]}"
		fi
		exec "${wrap[@]}" "$bin" "${args[@]}"
	) &
	DAEMON_PID=$!
	_S4N_PIDS+=("$DAEMON_PID")
	if [ -n "$efd" ]; then
		exec {er}<&-
		_S4N_LIB_FDS+=("$EXIT_WFD")
	fi
	[ -n "$w" ] && exec {w}>&-
	READY_RFD=$rd
	if [ -z "$ready" ] || [ -z "$rd" ]; then
		return 0
	fi
	wait_ready
}

# wait_ready [--eof] - wait (bounded) for the "1" on the ready pipe of the
# last daemon started (for start_daemon --no-wait), then close our end.
# --eof: also require that the daemon closes its end after the "1".
# Return: 0 if ready, 1 otherwise (with the daemon log on stderr).
wait_ready()
{
	local c= rest= st=0 est=0
	read -r -t "$S4N_TIMEOUT" -N 1 -u "$READY_RFD" c || st=$?
	if [ "$c" = 1 ] && [ "${1:-}" = --eof ]; then
		read -r -t "$S4N_TIMEOUT" -N 1 -u "$READY_RFD" rest || est=$?
	fi
	exec {READY_RFD}<&-
	if [ "$c" != 1 ]; then
		echo "daemon did not report ready (read status $st," \
			"got '$c'); log:" >&2
		cat "$DAEMON_LOG" >&2
		return 1
	fi
	if [ "${1:-}" = --eof ] && { [ "$est" -ne 1 ] || [ -n "$rest" ]; }; then
		echo "ready fd not closed after the \"1\" (status $est," \
			"got '$rest')" >&2
		return 1
	fi
	return 0
}

# close_exit_fd - close our end of the --efd pipe (the daemon should exit)
close_exit_fd()
{
	_s4n_forget_fd "$EXIT_WFD"
	exec {EXIT_WFD}>&-
}

# stop_daemon [-s SIGNAL] [PID] - signal the daemon (default SIGTERM,
# default $DAEMON_PID) and wait for it (bounded; SIGKILL after the
# timeout).  Return: its exit status (124 if it had to be killed).
stop_daemon()
{
	local sig=TERM pid st=0
	if [ "${1:-}" = -s ]; then
		sig=$2
		shift 2
	fi
	pid=${1:-$DAEMON_PID}
	kill -s "$sig" "$pid" 2>/dev/null || true
	wait_exit "$pid" || st=$?
	if [ "$st" -eq 124 ]; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	return "$st"
}

# run_s4n [--user U] ARGS... - run the binary in the foreground (bounded)
# with stdin from /dev/null.  Sets RUN_STATUS, RUN_OUT and RUN_ERR (the
# captured stdout and stderr).  Always returns 0.
run_s4n()
{
	local user= bin="$S4N_BINARY" st=0 args
	if [ "${1:-}" = --user ]; then
		user=$2
		shift 2
		[ -n "${S4N_USER_TMP:-}" ] || setup_user || return 1
		bin=$(user_binary "$S4N_BINARY")
	fi
	args=("$@")
	_s4n_tcp_path_args
	set -- "${args[@]}"
	_s4n_seq
	local o="$S4N_TMP/root/run.$_S4N_SEQ.out" e="$S4N_TMP/root/run.$_S4N_SEQ.err"
	if [ -n "$user" ]; then
		(_s4n_close_fds; _s4n_user_env "$user"
			exec timeout -k 2 "$S4N_TIMEOUT" setpriv --reuid="$user" --regid="$user" --init-groups \
			-- "$bin" "$@") >"$o" 2>"$e" </dev/null || st=$?
	else
		(_s4n_close_fds; exec timeout -k 2 "$S4N_TIMEOUT" "$bin" "$@") \
			>"$o" 2>"$e" </dev/null || st=$?
	fi
	RUN_STATUS=$st
	RUN_OUT=$(cat "$o")
	RUN_ERR=$(cat "$e")
	return 0
}

# stray_daemons - print the processes running the binary under test that
# are not daemons we started and still run (leftover children).  Return:
# 0 if there are none.
stray_daemons()
{
	local name pid stat comm p found=0 known
	name=$(basename "$S4N_BINARY")
	name=${name:0:15}
	while read -r pid stat comm; do
		[ "$comm" = "$name" ] || continue
		[ "${stat:0:1}" = Z ] && continue
		known=
		for p in "${_S4N_PIDS[@]}"; do
			[ "$p" = "$pid" ] && known=1
		done
		[ -n "$known" ] && continue
		echo "stray process: $pid $stat $comm"
		found=1
	done < <(ps -e -o pid=,stat=,comm=)
	return "$found"
}

# ---------------------------------------------------------------------------
# Host-side servers (in the private namespace, never outside it)
# ---------------------------------------------------------------------------
cat >"$S4N_TMP/root/server.py" <<'EOF'
# SPDX-License-Identifier: GPL-2.0-or-later
# A tiny TCP server for the tests: one thread per connection.  Banner mode
# sends "hello <peer-address> <peer-port>\n"; HTTP mode answers one GET
# with a page naming the peer; bulk mode sends 4 MiB (4194304 bytes).  Prints "ready" on fd 3 once listening.
import os, socket, sys, threading

mode = sys.argv[1]
addr, port = sys.argv[2], int(sys.argv[3])
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(128)
os.write(3, b"ready\n")
os.close(3)

def serve(c, peer):
    c.settimeout(10)
    try:
        if mode == "http":
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = c.recv(4096)
                if not chunk:
                    break
                data += chunk
            body = ("hello from the host, you came from %s\n" %
                    peer[0]).encode()
            c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                      b"Content-Length: %d\r\n\r\n" % len(body) + body)
        elif mode == "bulk":
            block = b"x" * 65536
            for _ in range(64):
                c.sendall(block)
        else:
            c.sendall(("hello %s %d\n" % (peer[0], peer[1])).encode())
        c.shutdown(socket.SHUT_WR)
        while c.recv(4096):
            pass
    except OSError:
        pass
    finally:
        c.close()

while True:
    c, peer = s.accept()
    threading.Thread(target=serve, args=(c, peer), daemon=True).start()
EOF

# start_tcp_server [--http|--bulk] [--user U] ADDR PORT - start a TCP
# server on ADDR:PORT in the private namespace (banner: "hello PEER-ADDR
# PEER-PORT"; --http: a one-page HTTP server; --bulk: sends 4194304 bytes).
# Sets SERVER_PID.  Return: 0 when it listens.
start_tcp_server()
{
	local mode=banner user=()
	while [ $# -gt 0 ]; do
		case $1 in
		--http) mode=http; shift ;;
		--bulk) mode=bulk; shift ;;
		--user) user=(--user "$2"); shift 2 ;;
		*) break ;;
		esac
	done
	spawn_ready "${user[@]}" --log "$S4N_TMP/root/server.$1.$2.log" \
		"$S4N_PYTHON" "$S4N_TMP/root/server.py" "$mode" "$1" "$2" ||
		return 1
	SERVER_PID=$SPAWN_PID
}

# tcp_get ADDR PORT - in the current guest, connect to ADDR:PORT (an IPv6
# address is fine) and print what the server sends, bounded in time
tcp_get()
{
	local a=$1
	case $a in
	*:*) a="[$a]" ;;
	esac
	guest socat -T "$S4N_TIMEOUT" -u \
		"TCP:$a:$2,connect-timeout=$S4N_TIMEOUT" STDOUT
}

# tcp_host ADDR PORT [SECONDS] - from the host side of the private
# namespace, connect to ADDR:PORT (a forwarded port) and print what the
# server behind it sends, or "refused"; SECONDS bounds the connect and each
# read (default $S4N_TIMEOUT)
tcp_host()
{
	"$S4N_PYTHON" - "$1" "$2" "${3:-$S4N_TIMEOUT}" <<'EOF' 2>&1 || true
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(float(sys.argv[3]))
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
except ConnectionRefusedError:
    print("refused")
    sys.exit(0)
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.decode().strip())
EOF
}

# start_unix_listener PATH MODE LOG - a UNIX stream listener on PATH
# (chmod MODE, octal) in the private namespace that accepts every client
# and closes it at once; its output goes to LOG.  Sets SPAWN_PID.
# Return: 0 once it listens.
start_unix_listener()
{
	spawn_ready --log "$3" "$S4N_PYTHON" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], int(sys.argv[2], 8)); s.listen(8)
os.write(3, b"ready\n"); os.close(3)
while True:
    s.accept()[0].close()' "$1" "$2"
}

S4N_DNS_NAME=s4n.example.test
S4N_DNS_ADDR=192.0.2.10		# TEST-NET-1: only resolved, never contacted
S4N_DNS_ADDR6=2001:db8::10

# start_dns - start dnsmasq on 127.0.0.1 (and ::1) port 53 in the private
# namespace, answering $S4N_DNS_NAME with $S4N_DNS_ADDR/$S4N_DNS_ADDR6 and
# nothing else (no upstream).  /etc/resolv.conf here already says
# "nameserver 127.0.0.1".  Sets DNS_PID.  Return: 0 once it listens.
start_dns()
{
	local listen=(--listen-address=127.0.0.1)
	command -v dnsmasq >/dev/null 2>&1 || return 1
	if [ -e /proc/sys/net/ipv6 ]; then
		listen+=(--listen-address=::1)
		printf 'nameserver 127.0.0.1\nnameserver ::1\n' \
			>"$S4N_TMP/root/resolv.conf"
	fi
	# dnsmasq logs "started" after it has bound its sockets.
	spawn_ready --fd 2 --match 'started' \
		--log "$S4N_TMP/root/dnsmasq.log" \
		dnsmasq --keep-in-foreground --log-facility=- --conf-file=/dev/null \
		--no-resolv --no-hosts --no-poll --bind-interfaces \
		"${listen[@]}" --port=53 --user=root --pid-file= \
		--log-queries \
		--host-record="$S4N_DNS_NAME,$S4N_DNS_ADDR,$S4N_DNS_ADDR6" ||
		return 1
	DNS_PID=$SPAWN_PID
}
