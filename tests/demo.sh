#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/demo.sh - show the daemon at work, step by step (`make demo`)
#
# Copyright (C) 2026 The slirp4netns authors
#
# Usage: tests/demo.sh [PATH-TO-slirp4netns]   (as root)
#
# Inside a private network namespace (so nothing leaves the machine): start
# a small HTTP server on the "host's" 127.0.0.1, create a user+network
# namespace that has no network at all, connect it with slirp4netns, and
# fetch the page from inside through the gateway address 10.0.2.2.

if [ -n "${1:-}" ]; then
	S4N_BINARY=$1
	export S4N_BINARY
fi
if [ "$(id -u)" != 0 ]; then
	echo "demo: needs root for its private namespaces: sudo make demo" >&2
	exit 1
fi
export S4N_NO_TAP=1
. "$(dirname "$0")/lib.sh"

step()
{
	printf '\n==> %s\n' "$*"
}

show()
{
	sed 's/^/    /'
}

die()
{
	printf '\nDEMO FAILED: %s\n' "$*"
	exit 1
}

step "Binary under test: $S4N_BINARY"
"$S4N_BINARY" --version | show || die "cannot run $S4N_BINARY"

step "A private network namespace plays the host; it has only lo:"
ip -brief addr | show

step "Start an HTTP server on the host's 127.0.0.1:8000"
start_tcp_server --http 127.0.0.1 8000 >/dev/null 2>&1 ||
	die "the HTTP server did not start"
echo "    listening (pid $SERVER_PID)"

step "Create a user+network namespace (unshare --user --map-root-user --net)"
start_guest --rootless --user root >/dev/null 2>&1 ||
	die "could not create the namespace"
echo "    holder process: pid $GUEST_PID; inside, there is no network:"
guest ip -brief addr | show

step "Connect it: slirp4netns --configure --mtu=65520 $GUEST_PID tap0"
start_daemon --configure --mtu=65520 "$GUEST_PID" tap0 >"$S4N_TMP/root/d.err" 2>&1 ||
	{ cat "$S4N_TMP/root/d.err"; die "the daemon did not start"; }
echo "    ready (it wrote \"1\" on --ready-fd); it says:"
show <"$DAEMON_LOG"

step "Inside the namespace now:"
guest ip -brief addr | show
guest ip route | show

step "Fetch http://10.0.2.2:8000/ from inside (10.0.2.2 is the host)"
page=$(guest wget -q -T 10 -O - http://10.0.2.2:8000/ 2>&1) ||
	die "the fetch failed: $page"
printf '%s\n' "$page" | show

step "Stop the daemon with SIGTERM"
st=0
stop_daemon || st=$?
echo "    exit status $st"
[ "$st" -eq 0 ] || die "the daemon exited with status $st"

printf '\nDemo OK: the namespace reached the host through slirp4netns.\n'
