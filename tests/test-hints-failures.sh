#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-hints-failures.sh - the hints on the start-up failures users meet most:
# no /dev/net/tun, a TAP name taken, a namespace that is not the user's
# (with and without subordinate ids). Each stays one line, exit status 1.
#
# Copyright (C) 2026 The slirp4netns authors

. "$(dirname "$0")/lib.sh"

must "guest" start_guest
setup_user

# one_line NAME - the last run failed with one line on stderr, "error: "
one_line()
{
	is "$RUN_STATUS" 1 "$1: exit status 1"
	is "$(grep -c '' <<<"$RUN_ERR")" 1 "$1: one line"
	like "$RUN_ERR" '^slirp4netns: error: ' "$1: an error"
}

# --- no /dev/net/tun ---------------------------------------------------------
# A mount namespace of its own, where /dev/net is an empty tmpfs.
st=0
unshare --mount sh -c 'mount -t tmpfs none /dev/net && exec "$@"' sh \
	"$S4N_BINARY" -c "$GUEST_PID" tap0 >/dev/null \
	2>"$S4N_TMP/root/notun.err" </dev/null || st=$?
RUN_STATUS=$st RUN_ERR=$(cat "$S4N_TMP/root/notun.err")
one_line "no /dev/net/tun"
like "$RUN_ERR" 'cannot open /dev/net/tun: No such file or directory \(.*load the tun module, "modprobe tun"\)$' \
	"no /dev/net/tun: says to load the tun module"

# --- a TAP name taken ---------------------------------------------------------
ok "a daemon on tap0" start_daemon -c "$GUEST_PID" tap0
run_s4n "$GUEST_PID" tap0
one_line "tap0 taken"
like "$RUN_ERR" 'TAP device "tap0": Device or resource busy \(another process has this TAP device open.*another TAPNAME\)$' \
	"tap0 taken: says another process has it"
ok "... and the first daemon still runs" kill -0 "$DAEMON_PID"
ok "SIGTERM, exit 0" stop_daemon

run_s4n -c "$GUEST_PID" lo
one_line "lo as TAPNAME"
like "$RUN_ERR" 'TAP device "lo": Invalid argument \(an interface of this name exists and is not a TAP device: give another TAPNAME\)$' \
	"lo as TAPNAME: says it is not a TAP device"

# --- a namespace that is not the user's ---------------------------------------
# root's namespace, bound where the user may open it: joining is refused.
touch "$S4N_TMP/rootns"
must "bind root's guest netns where $S4N_USER can open it" \
	mount --bind "/proc/$GUEST_PID/ns/net" "$S4N_TMP/rootns"
run_s4n --user "$S4N_USER" --netns-type=path "$S4N_TMP/rootns" tap0
one_line "root's namespace, as $S4N_USER"
like "$RUN_ERR" 'cannot join network namespace .*: Operation not permitted \(the namespace is not yours: run slirp4netns as the user who created it' \
	"... says the namespace is not the user's"
unlike "$RUN_ERR" 'subordinate' "... and nothing about subordinate ids, which $S4N_USER has"

# The same without any subordinate ids (an empty /etc/subuid, in our own
# mount namespace).
: >"$S4N_TMP/root/subuid.empty"
must "an empty /etc/subuid" mount --bind "$S4N_TMP/root/subuid.empty" /etc/subuid
run_s4n --user "$S4N_USER" --netns-type=path "$S4N_TMP/rootns" tap0
one_line "root's namespace, as $S4N_USER without subordinate ids"
like "$RUN_ERR" 'Operation not permitted \(.*no subordinate ids in /etc/subuid' \
	"... says there are no subordinate ids"
umount /etc/subuid

done_testing
