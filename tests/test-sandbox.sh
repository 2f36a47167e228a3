#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-sandbox.sh - --enable-sandbox and --enable-seccomp on the
# running daemon: its root, capabilities and filter as /proc shows them,
# and everything the daemon does still working inside
#
# Copyright (C) 2026 The slirp4netns authors
#
# Rounds: as root; as the unprivileged user with a rootless guest; each
# option alone; a resolv.conf that leads outside /etc and /run; Podman's
# way (already in a new mount namespace with shared mounts, as root and as
# root of a user namespace); RootlessKit.

. "$(dirname "$0")/lib.sh"

require_cmd busybox socat ping python3

# LeakSanitizer needs /proc and ptrace(2) at exit, both gone in the
# sandbox; the other tests check for leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
must "host-side server on [::1]:8080" start_tcp_server ::1 8080
must "local DNS server" start_dns
must "test user" setup_user

# Another program's socket under /run, such as the session bus or
# podman.sock: the sandbox must not reach it (issue 15).
bus="$S4N_TMP/bus.sock"
must "a UNIX socket under /run" \
	start_unix_listener "$bus" 666 "$S4N_TMP/root/bus.log"
ok "... reachable outside the sandbox" socat -u /dev/null "UNIX-CONNECT:$bus"

# inside PID - enter the mount namespace of the daemon PID and report
# what is there: /run's tree, whether resolv.conf reads, and what
# connecting to $bus says
cat >"$S4N_TMP/root/inside.py" <<'EOF'
import ctypes, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open("/proc/%s/ns/mnt" % sys.argv[1], os.O_RDONLY)
if libc.setns(fd, 0x00020000) != 0:  # CLONE_NEWNS: root and cwd move too
    sys.exit("setns: " + os.strerror(ctypes.get_errno()))
tree = []
for d, dirs, files in os.walk("/run"):
    tree += [os.path.join(d, n) for n in sorted(dirs + files)]
print("run: " + " ".join(sorted(tree)))
try:
    with open("/etc/resolv.conf") as f:
        print("resolv: " + f.read().split()[0])
except OSError as e:
    print("resolv: " + e.strerror)
try:
    socket.socket(socket.AF_UNIX).connect(sys.argv[2])
    print("bus: reachable")
except OSError as e:
    print("bus: " + e.strerror)
EOF
inside()
{
	"$S4N_PYTHON" "$S4N_TMP/root/inside.py" "$1" "$bus" 2>&1
}

# api SOCKET JSON - send one request, print the reply
api()
{
	printf '%s\n' "$2" | socat -t "$S4N_TIMEOUT" -T "$S4N_TIMEOUT" - \
		"UNIX-CONNECT:$1"
}

# status_field PID FIELD - one field of /proc/PID/status
status_field()
{
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

# root_listing PID - the names in the daemon's /, sorted, on one line;
# "fwd", the remote forwards' own tmpfs (test-guestfwd.sh checks it), left
# out
root_listing()
{
	find "/proc/$1/root/" -mindepth 1 -maxdepth 1 -printf '%f\n' |
		grep -vx fwd | sort | tr '\n' ' ' | sed 's/ $//'
}

# mount_opts PID DIR - the per-mount options of DIR in the daemon's view
mount_opts()
{
	awk -v d="$2" '$5 == d { print $6 }' "/proc/$1/mountinfo"
}

# check_confined PID WHO - the daemon's view of the world
check_confined()
{
	local pid=$1 who=$2 out
	is "$(root_listing "$pid")" "etc run" "$who: / holds only etc and run"
	ok "$who: /etc/resolv.conf readable inside" \
		test -r "/proc/$pid/root/etc/resolv.conf"
	like "$(mount_opts "$pid" /etc)" '^ro,' "$who: /etc is read-only"
	out=$(inside "$pid")
	has "$out" "run: "$'\n' "$who: /run is empty inside (resolv.conf is a file here)"
	has "$out" "resolv: nameserver" "$who: resolv.conf reads inside"
	has "$out" "bus: No such file or directory" \
		"$who: a UNIX socket under /run is not reachable inside"
	like "$(mount_opts "$pid" /)" '^ro,' "$who: the new root is read-only"
	is "$(status_field "$pid" CapEff)" 0000000000000400 \
		"$who: CapEff is CAP_NET_BIND_SERVICE only"
	is "$(status_field "$pid" CapPrm)" 0000000000000400 \
		"$who: CapPrm is CAP_NET_BIND_SERVICE only"
	is "$(status_field "$pid" CapBnd)" 0000000000000400 \
		"$who: CapBnd is CAP_NET_BIND_SERVICE only"
	is "$(status_field "$pid" CapInh)/$(status_field "$pid" CapAmb)" \
		0000000000000000/0000000000000000 \
		"$who: no inheritable or ambient capabilities"
	is "$(status_field "$pid" NoNewPrivs)" 1 "$who: no_new_privs is set"
	is "$(status_field "$pid" Seccomp)" 2 "$who: Seccomp: 2 (filter)"
	is "$(status_field "$pid" Threads)" 1 "$who: one thread"
}

# check_network SOCKET WHO [ROOT] - guest traffic and every API command
check_network()
{
	local sock=$1 who=$2 asroot=${3:-} out id port=18080
	ok "$who: ping the gateway" guest ping -c 1 -W "$S4N_TIMEOUT" 10.0.2.2
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 [0-9]+$' \
		"$who: guest TCP to 10.0.2.2 reaches the host's 127.0.0.1"
	out=$(guest timeout "$S4N_TIMEOUT" busybox nslookup -type=a \
		"$S4N_DNS_NAME" 10.0.2.3 2>&1 || true)
	like "$out" "Address: $S4N_DNS_ADDR" "$who: DNS through 10.0.2.3"
	if wait_ipv6; then
		like "$(tcp_get fd00::2 8080 2>&1)" '^hello ::1 [0-9]+$' \
			"$who: guest TCP to [fd00::2] reaches the host's [::1]"
	else
		fail "$who: guest TCP to [fd00::2] reaches the host's [::1]" \
			"no global IPv6 address on tap0"
	fi

	# a server in the guest for the forwards
	local ns=(-n)
	[ -n "$GUEST_ROOTLESS" ] && ns=(-U -n)
	spawn_ready --log "$S4N_TMP/root/guest-server.$who.log" \
		nsenter -t "$GUEST_PID" "${ns[@]}" -- "$S4N_PYTHON" \
		"$S4N_TMP/root/server.py" banner 0.0.0.0 80 ||
		fail "$who: server in the guest"
	out=$(api "$sock" '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":'$port',"guest_port":80}}')
	like "$out" '"return":\{"id":[0-9]+\}' "$who: add_hostfwd"
	id=$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' <<<"$out")
	like "$(socat -T "$S4N_TIMEOUT" -u \
		"TCP:127.0.0.1:$port,connect-timeout=$S4N_TIMEOUT" STDOUT 2>&1)" \
		'^hello 10\.0\.2\.2 ' "$who: the new forward reaches the guest"
	out=$(api "$sock" '{"execute":"list_hostfwd"}')
	like "$out" "\"id\":$id,\"proto\":\"tcp\".*\"host_port\":$port" \
		"$who: list_hostfwd shows it"
	out=$(api "$sock" '{"execute":"remove_hostfwd","arguments":{"id":'"${id:-0}"'}}')
	is "$out" '{"return":{}}' "$who: remove_hostfwd"
	nok "$who: the removed forward refuses connections" \
		socat -T 2 -u "TCP:127.0.0.1:$port,connect-timeout=2" STDOUT
	if [ -n "$asroot" ]; then
		# below 1024: needs the CAP_NET_BIND_SERVICE we kept
		out=$(api "$sock" '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"127.0.0.1","host_port":81,"guest_port":80}}')
		like "$out" '"return":\{"id":[0-9]+\}' \
			"$who: add_hostfwd on port 81 (CAP_NET_BIND_SERVICE)"
		like "$(socat -T "$S4N_TIMEOUT" -u \
			"TCP:127.0.0.1:81,connect-timeout=$S4N_TIMEOUT" STDOUT 2>&1)" \
			'^hello 10\.0\.2\.2 ' "$who: port 81 reaches the guest"
	fi
	out=$(api "$sock" '{"execute":"get_info"}')
	like "$out" '"enable_sandbox":true' "$who: get_info"
	out=$(api "$sock" '{"execute":"get_stats"}')
	like "$out" '"return":\{"from_guest":\{"frames":[1-9]' "$who: get_stats"
}

# --- root ---------------------------------------------------------------------
sock="$S4N_TMP/root/api.sock"
must "root: guest" start_guest
must "root: daemon with sandbox and seccomp" start_daemon -c -6 \
	--enable-sandbox --enable-seccomp -a "$sock" "$GUEST_PID" tap0
check_confined "$DAEMON_PID" root
check_network "$sock" root asroot
ok "root: daemon still runs" kill -0 "$DAEMON_PID"
ok "root: exits 0 on SIGTERM" stop_daemon
ok "root: the API socket file is removed at exit" test ! -e "$sock"

# --exit-fd: the other way out
must "root: guest" start_guest
must "root: daemon with --exit-fd" start_daemon --efd 7 -c -e 7 \
	--enable-sandbox --enable-seccomp "$GUEST_PID" tap0
close_exit_fd
ok "root: exits 0 when --exit-fd closes" wait_exit "$DAEMON_PID"

# --- unprivileged user, rootless guest ------------------------------------------
usock="$S4N_USER_TMP/api.sock"
must "user: rootless guest" start_guest --rootless
must "user: daemon with sandbox and seccomp" start_daemon --user "$S4N_USER" \
	-c -6 --enable-sandbox --enable-seccomp -a "$usock" "$GUEST_PID" tap0
check_confined "$DAEMON_PID" user
is "$(readlink "/proc/$DAEMON_PID/ns/user")" \
	"$(readlink "/proc/$GUEST_PID/ns/user")" \
	"user: joined the guest's user namespace"
check_network "$usock" user
ok "user: exits 0 on SIGTERM" stop_daemon
ok "user: the API socket file is removed at exit" test ! -e "$usock"

# --netns-type=path and --userns-path name the namespaces by file
must "user: rootless guest" start_guest --rootless
must "user: daemon with --netns-type=path --userns-path" \
	start_daemon --user "$S4N_USER" -c --enable-sandbox --enable-seccomp \
	--netns-type=path --userns-path="/proc/$GUEST_PID/ns/user" \
	"/proc/$GUEST_PID/ns/net" tap0
is "$(readlink "/proc/$DAEMON_PID/ns/user")" \
	"$(readlink "/proc/$GUEST_PID/ns/user")" \
	"user, path: joined the named user namespace"
is "$(root_listing "$DAEMON_PID")" "etc run" "user, path: / holds only etc and run"
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"user, path: guest TCP works"
ok "user, path: exits 0" stop_daemon

# --target-type=bess names no namespace: the daemon makes a user namespace
# of its own (the same path as --netns-type=tapfd)
bsock="$S4N_USER_TMP/bess.sock"
must "user, bess: guest" start_guest
must "user, bess: daemon" start_daemon --user "$S4N_USER" --no-wait -- \
	--target-type=bess --enable-sandbox --enable-seccomp "$bsock"
if peer=$(helper_bin bess-peer); then
	must "user, bess: peer in the guest" spawn_ready \
		nsenter -t "$GUEST_PID" -n -- "$peer" "$bsock" tap1
	must "user, bess: ready" wait_ready
	must "user, bess: guest address" guest sh -c \
		'ip addr add 10.0.2.100/24 dev tap1 && ip link set tap1 up &&
		ip route add default via 10.0.2.2'
	bess_userns=$(readlink "/proc/$DAEMON_PID/ns/user")
	unlike "$bess_userns" "^$(readlink /proc/self/ns/user)\$" \
		"user, bess: in a user namespace of its own"
	is "$(root_listing "$DAEMON_PID")/$(status_field "$DAEMON_PID" CapBnd)" \
		"etc run/0000000000000400" "user, bess: new root, capabilities dropped"
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
		"user, bess: guest TCP works"
	ok "user, bess: exits 0" stop_daemon
else
	stop_daemon || true
	skip "tests/bess-peer not built" 5
fi

# --- each option alone ------------------------------------------------------------
must "guest" start_guest
must "daemon with --enable-sandbox only" start_daemon -c --enable-sandbox \
	"$GUEST_PID" tap0
is "$(root_listing "$DAEMON_PID")/$(status_field "$DAEMON_PID" Seccomp)" \
	"etc run/0" "sandbox only: new root, no filter"
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"sandbox only: guest TCP works"
ok "sandbox only: exits 0" stop_daemon

must "guest" start_guest
must "daemon with --enable-seccomp only" start_daemon -c --enable-seccomp \
	-a "$S4N_TMP/root/seccomp-only.sock" "$GUEST_PID" tap0
ok "seccomp only: the host's / is still there" \
	test -d "/proc/$DAEMON_PID/root/usr"
is "$(status_field "$DAEMON_PID" Seccomp)" 2 "seccomp only: Seccomp: 2"
is "$(status_field "$DAEMON_PID" CapEff)/$(status_field "$DAEMON_PID" CapBnd)" \
	0000000000000400/0000000000000400 \
	"seccomp only: as root, only CAP_NET_BIND_SERVICE is left"
out=$(guest timeout "$S4N_TIMEOUT" busybox nslookup -type=a \
	"$S4N_DNS_NAME" 10.0.2.3 2>&1 || true)
like "$out" "Address: $S4N_DNS_ADDR" "seccomp only: DNS works"
ok "seccomp only: exits 0" stop_daemon
# Outside the sandbox unlink() could reach any file: it stays denied, and
# the socket file is left for the next start to replace.
ok "seccomp only: unlink stays denied, the socket file is left" \
	test -S "$S4N_TMP/root/seccomp-only.sock"

# --- --outbound-addr: libslirp binds each new connection to it ----------------
must "extra host address 10.77.0.1 on lo" ip addr add 10.77.0.1/32 dev lo
for who in root user; do
	if [ $who = root ]; then
		must "$who: guest" start_guest
		must "$who: daemon with --outbound-addr" start_daemon -c \
			--enable-sandbox --enable-seccomp \
			--outbound-addr=10.77.0.1 "$GUEST_PID" tap0
	else
		must "$who: guest" start_guest --rootless
		must "$who: daemon with --outbound-addr" start_daemon \
			--user "$S4N_USER" -c --enable-sandbox --enable-seccomp \
			--outbound-addr=10.77.0.1 "$GUEST_PID" tap0
	fi
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 10\.77\.0\.1 [0-9]+$' \
		"$who: --outbound-addr: the host sees 10.77.0.1"
	ok "$who: --outbound-addr: exits 0" stop_daemon
done

# --- resolv.conf leading elsewhere ---------------------------------------------
# with-etc.sh LINK CMD... - run CMD in a mount namespace where /etc is a
# copy (on our tmpfs) whose resolv.conf is a symlink to LINK
cat >"$S4N_TMP/root/with-etc.sh" <<'EOF'
link=$1
shift
exec unshare --mount --propagation private -- bash -c '
	set -e
	copy=/run/s4ntest/root/etc-copy.$$
	mkdir "$copy"
	cp -a /etc/. "$copy/" 2>/dev/null || true
	rm -f "$copy/resolv.conf"
	ln -s "$1" "$copy/resolv.conf"
	mount --bind "$copy" /etc
	shift
	exec "$@"' with-etc "$link" "$@"
EOF
with_etc()
{
	bash "$S4N_TMP/root/with-etc.sh" "$@"
}

# bad_resolv WHO LINK REGEX [--user] - the daemon refuses with one line
bad_resolv()
{
	local who=$1 link=$2 re=$3 user=${4:-} bin=$S4N_BINARY st=0 err
	local pre=() gpid
	if [ -n "$user" ]; then
		start_guest --rootless || return 1
		pre=(setpriv --reuid="$S4N_USER" --regid="$S4N_USER" --init-groups)
		bin=$S4N_USER_BINARY
	else
		start_guest || return 1
	fi
	gpid=$GUEST_PID
	err="$S4N_TMP/root/resolv.$who.err"
	with_etc "$link" timeout "$S4N_TIMEOUT" "${pre[@]}" "$bin" -c \
		--enable-sandbox -a "$S4N_TMP/$who.sock" "$gpid" tap0 \
		>/dev/null 2>"$err" </dev/null || st=$?
	is "$st" 1 "$who: resolv.conf -> $link: exit status 1"
	is "$(wc -l <"$err")" 1 "$who: resolv.conf -> $link: one line"
	like "$(cat "$err")" "$re" "$who: resolv.conf -> $link: says why"
	ok "$who: resolv.conf -> $link: no socket left behind" \
		test ! -e "$S4N_TMP/$who.sock"
}

bad_resolv root /tmp/x 'resolv\.conf is a symlink to "/tmp/x", outside /etc and /run'
bad_resolv user /tmp/x 'resolv\.conf is a symlink to "/tmp/x", outside /etc and /run' \
	--user
# /var/run is /run on Debian, but /var is not in the sandbox: realpath()
# says /run, the kernel would walk through /var
if [ "$(readlink /var/run)" = /run ]; then
	bad_resolv root-chain /var/run/s4ntest/root/resolv.conf \
		'resolv\.conf is unreachable in the sandbox'
else
	skip "/var/run is not a symlink to /run" 4
fi

# --disable-dns: nothing reads resolv.conf, so where it leads does not matter
must "guest" start_guest
ok "--disable-dns: resolv.conf -> /tmp/x is no obstacle" start_daemon \
	--wrap bash --wrap "$S4N_TMP/root/with-etc.sh" --wrap /tmp/x -- \
	-c --disable-dns --enable-sandbox --enable-seccomp "$GUEST_PID" tap0
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"--disable-dns: guest TCP works"
ok "--disable-dns: exits 0" stop_daemon

# A link into /run is fine, and DNS follows it.
must "guest" start_guest
must "daemon with resolv.conf -> /run/..." start_daemon \
	--wrap bash --wrap "$S4N_TMP/root/with-etc.sh" \
	--wrap "$S4N_TMP/root/resolv.conf" -- \
	-c --enable-sandbox --enable-seccomp "$GUEST_PID" tap0
out=$(guest timeout "$S4N_TIMEOUT" busybox nslookup -type=a \
	"$S4N_DNS_NAME" 10.0.2.3 2>&1 || true)
like "$out" "Address: $S4N_DNS_ADDR" "resolv.conf -> /run/...: DNS works"
out=$(inside "$DAEMON_PID")
has "$out" "run: /run/s4ntest /run/s4ntest/root /run/s4ntest/root/resolv.conf"$'\n' \
	"resolv.conf -> /run/...: only that file of /run is there"
has "$out" "resolv: nameserver" "resolv.conf -> /run/...: it reads inside"
has "$out" "bus: No such file or directory" \
	"resolv.conf -> /run/...: the socket beside it is not there"
ok "resolv.conf -> /run/...: exits 0" stop_daemon

# --- / is not a mount point (a chroot) -----------------------------------------
cat >"$S4N_TMP/root/in-chroot.sh" <<'EOF'
# in-chroot.sh BINARY ARGS... - run BINARY chrooted into a directory of our
# tmpfs holding binds of /usr, /etc, /run, /proc and /dev: its / is then
# no mount point
exec unshare --mount --propagation private -- bash -c '
	set -e
	r=/run/s4ntest/chroot.$$
	mkdir "$r" "$r/tmp"
	for d in usr etc run proc dev; do
		mkdir "$r/$d"
		mount --rbind "/$d" "$r/$d"
	done
	for l in bin sbin lib lib32 lib64 libx32; do
		if [ -L "/$l" ]; then ln -s "$(readlink "/$l")" "$r/$l"; fi
	done
	cp "$1" "$r/slirp4netns"
	shift
	exec chroot "$r" /slirp4netns "$@"' in-chroot "$@"
EOF
# Mounts cannot be made private there (EINVAL), so nothing would keep our
# own mounts from propagating back: the daemon must refuse, in one line.
must "chroot: guest" start_guest
st=0
bash "$S4N_TMP/root/in-chroot.sh" "$S4N_BINARY" -c --enable-sandbox \
	-a "$S4N_TMP/chroot.sock" "$GUEST_PID" tap0 >/dev/null \
	2>"$S4N_TMP/root/chroot.err" </dev/null || st=$?
is "$st" 1 "chroot: exit status 1"
is "$(wc -l <"$S4N_TMP/root/chroot.err")" 1 "chroot: one line"
like "$(cat "$S4N_TMP/root/chroot.err")" \
	'enable-sandbox: cannot make mounts private: .*chroot' "chroot: says why"
ok "chroot: no socket left behind" test ! -e "$S4N_TMP/chroot.sock"

# --- Podman: started in a new mount namespace, mounts shared -------------------
mount --make-rshared /
before=$(wc -l </proc/self/mountinfo)
must "podman: guest" start_guest
must "podman: daemon under unshare --mount" start_daemon \
	--wrap unshare --wrap --mount --wrap --propagation --wrap unchanged -- \
	-c --enable-sandbox --enable-seccomp "$GUEST_PID" tap0
is "$(root_listing "$DAEMON_PID")" "etc run" "podman: / holds only etc and run"
is "$(wc -l </proc/self/mountinfo)" "$before" \
	"podman: no mount propagated back to us"
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"podman: guest TCP works"
ok "podman: exits 0" stop_daemon
mount --make-rprivate /

# Rootless Podman: root of its own user namespace, container netns made
# there, mount namespace already new.
cat >"$S4N_TMP/root/podman-rootless.sh" <<'EOF'
# runs as root of a new user namespace: make the container's netns, then
# become the daemon with its pid as the target
set -e
fifo=$1
shift
unshare --net -- sh -c 'ip link set lo up; echo ready >"$1"; exec sleep infinity' sh "$fifo" &
read -r _ <"$fifo"
echo $! >"$fifo.pid"
exec "$@" $! tap0
EOF
fifo="$S4N_USER_TMP/podman.fifo"
as_user mkfifo "$fifo"
must "rootless podman: daemon as root of a user namespace" \
	start_daemon --user "$S4N_USER" \
	--wrap unshare --wrap --user --wrap --map-root-user --wrap --mount \
	--wrap bash --wrap "$S4N_TMP/root/podman-rootless.sh" --wrap "$fifo" \
	-- -c --enable-sandbox --enable-seccomp -a "$S4N_USER_TMP/podman.sock"
pguest=$(cat "$fifo.pid")
is "$(root_listing "$DAEMON_PID")" "etc run" \
	"rootless podman: / holds only etc and run"
is "$(status_field "$DAEMON_PID" CapEff)/$(status_field "$DAEMON_PID" CapBnd)" \
	0000000000000400/0000000000000400 \
	"rootless podman: only CAP_NET_BIND_SERVICE left"
out=$(nsenter -t "$pguest" -U -n -- socat \
	-T "$S4N_TIMEOUT" -u "TCP:10.0.2.2:8080,connect-timeout=$S4N_TIMEOUT" \
	STDOUT 2>&1 || true)
like "$out" '^hello 127\.0\.0\.1 ' "rootless podman: guest TCP works"
like "$(api "$S4N_USER_TMP/podman.sock" '{"execute":"get_info"}')" \
	'"enable_seccomp":true' "rootless podman: API works"
ok "rootless podman: exits 0" stop_daemon

# --- RootlessKit ------------------------------------------------------------------
if command -v rootlesskit >/dev/null 2>&1; then
	# in the child: reach the host, then show how the daemon (same PID
	# namespace) runs
	# shellcheck disable=SC2016 # expanded by the sh in the child
	rk_cmd='socat -T "$1" -u "TCP:10.0.2.2:8080,connect-timeout=$1" STDOUT
		for p in $(pgrep -x slirp4netns); do
			tr "\0" " " </proc/$p/cmdline; echo
			grep -E "^(Seccomp|CapEff):" /proc/$p/status
			ls /proc/$p/root 2>&1 | tr "\n" " "; echo
		done'
	out=$(as_user timeout $((S4N_TIMEOUT * 3)) rootlesskit --net=slirp4netns \
		--slirp4netns-binary="$S4N_USER_BINARY" \
		--slirp4netns-sandbox=true --slirp4netns-seccomp=true \
		--disable-host-loopback=false \
		--state-dir="$S4N_USER_TMP/rootlesskit" \
		sh -c "$rk_cmd" sh "$S4N_TIMEOUT" 2>&1 || true)
	like "$out" 'hello 127\.0\.0\.1 ' \
		"rootlesskit with sandbox and seccomp: TCP to 10.0.2.2"
	like "$out" '--enable-sandbox --enable-seccomp' \
		"rootlesskit: the daemon runs with both options"
	like "$out" $'Seccomp:\t2' "rootlesskit: the daemon is filtered"
else
	skip "rootlesskit not installed" 3
fi

ok "no daemon left running" stray_daemons
done_testing
