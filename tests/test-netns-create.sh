#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-netns-create.sh - --netns-type=create: a network namespace
# created and pinned by the daemon (slirp-forwarder's way), as root and as
# an unprivileged user inside "unshare --user --map-root-user --mount";
# nsenter --net=PATH sees a configured tap0 that reaches the host; the pin
# is gone after exit; bad paths are refused before anything is created.
#
# Copyright (C) 2026 The slirp4netns authors
. "$(dirname "$0")/lib.sh"

require_cmd nsenter socat unshare
must "test user" setup_user
must "host server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080

# the script the unprivileged user runs inside unshare -mr: start the
# daemon on PATH with ARGS, wait until tap0 is configured, then report
# what nsenter sees, stop it and report what is left
cat >"$S4N_TMP/root/create.sh" <<'SH'
set -u
bin=$1 path=$2
shift 2
"$bin" --netns-type=create -c "$@" "$path" tap0 >"$path.log" 2>&1 &
pid=$!
i=0
while [ $i -lt 100 ]; do
	nsenter --net="$path" ip -o -4 addr show tap0 2>/dev/null |
		grep -q 10.0.2.100 && break
	sleep 0.1
	i=$((i + 1))
done
echo "addr: $(nsenter --net="$path" ip -o -4 addr show tap0 | awk '{print $4}')"
echo "lo: $(nsenter --net="$path" ip -o link show lo | grep -c UP)"
echo "get: $(nsenter --net="$path" socat -T 5 -u \
	TCP:10.0.2.2:8080,connect-timeout=5 STDOUT | cut -d' ' -f1,2)"
echo "mounted: $(grep -c " $path " /proc/self/mountinfo)"
kill -TERM $pid
wait $pid
echo "exit: $?"
echo "mounted after: $(grep -c " $path " /proc/self/mountinfo)"
echo "exists after: $(test -e "$path" && echo yes || echo no)"
SH

UBIN=$(user_binary "$S4N_BINARY")
expect='addr: 10.0.2.100/24
lo: 1
get: hello 127.0.0.1
mounted: 1
exit: 0
mounted after: 0
exists after: no'

# --- unprivileged, inside unshare -mr -----------------------------------------
is "$(as_user unshare --user --map-root-user --mount sh \
	"$S4N_TMP/root/create.sh" "$UBIN" "$S4N_USER_TMP/ns1" 2>&1)" \
	"$expect" "user in unshare -mr: pinned, configured, reaches the host, unpinned"
is "$(as_user unshare --user --map-root-user --mount sh \
	"$S4N_TMP/root/create.sh" "$UBIN" "$S4N_USER_TMP/ns2" \
	--enable-sandbox --enable-seccomp 2>&1)" \
	"$expect" "... with --enable-sandbox --enable-seccomp"

# --- root, in the test's mount namespace -----------------------------------------
is "$(sh "$S4N_TMP/root/create.sh" "$S4N_BINARY" "$S4N_TMP/root/ns3" 2>&1)" \
	"$expect" "root: pinned, configured, reaches the host, unpinned"

# an existing empty file (as "ip netns add" leaves) is used and kept
: >"$S4N_TMP/root/ns4"
is "$(sh "$S4N_TMP/root/create.sh" "$S4N_BINARY" "$S4N_TMP/root/ns4" 2>&1 |
	tail -1)" "exists after: yes" "root: a file that existed stays"

# --- errors: one line, nothing created ------------------------------------------
mkdir -p "$S4N_TMP/root/pinned"
: >"$S4N_TMP/root/pinned/ns"
must "a namespace mount to clash with" \
	mount --bind /proc/self/ns/net "$S4N_TMP/root/pinned/ns"
run_s4n --netns-type=create "$S4N_TMP/root/pinned/ns"
is "$RUN_STATUS" 1 "a namespace mount: exit 1"
like "$RUN_ERR" '^slirp4netns: (error: )?--netns-type=create ".*/pinned/ns": already a namespace mount$' \
	"a namespace mount: one line"
is "$(grep -c " $S4N_TMP/root/pinned/ns " /proc/self/mountinfo)" 1 \
	"... and it is left alone"
umount "$S4N_TMP/root/pinned/ns"

run_s4n --user "$S4N_USER" --netns-type=create "$S4N_TMP/root/nsX"
is "$RUN_STATUS" 1 "a directory the user may not write: exit 1"
like "$RUN_ERR" '^slirp4netns: (error: )?--netns-type=create ".*/root/nsX": cannot create it: Permission denied$' \
	"... one line"
nok "... nothing created" test -e "$S4N_TMP/root/nsX"

: >"$S4N_TMP/root/ro-file"
chmod 0644 "$S4N_TMP/root/ro-file"
run_s4n --user "$S4N_USER" --netns-type=create "$S4N_TMP/root/ro-file"
like "$RUN_ERR" 'ro-file": not writable: Permission denied$' \
	"a file the user may not write: refused"

run_s4n --user "$S4N_USER" --netns-type=create "$S4N_USER_TMP/ns5"
is "$RUN_STATUS" 1 "unprivileged without unshare -mr: exit 1"
like "$RUN_ERR" 'cannot create a network namespace: Operation not permitted \(run as root, or inside unshare --user --map-root-user --mount\)$' \
	"... says what to do"
nok "... nothing left at the path" test -e "$S4N_USER_TMP/ns5"

run_s4n --netns-type=create --userns-path=/proc/self/ns/user "$S4N_TMP/root/ns6"
like "$RUN_ERR" '--netns-type=create conflicts with --userns-path$' \
	"--userns-path conflicts"
mkdir "$S4N_TMP/root/adir"
run_s4n --netns-type=create "$S4N_TMP/root/adir"
like "$RUN_ERR" 'adir": not a regular file$' "a directory is refused"

done_testing
