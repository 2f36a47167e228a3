#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-hostile.sh - a hostile guest (issue 15): crafted frames from
# an AF_PACKET socket on tap0 (tests/hostile.c), as root in the guest
#
# Copyright (C) 2026 The slirp4netns authors
#
# Rounds, as root and as the unprivileged user with a rootless guest:
#  - fragments: issue 15's crashing pair, a late last piece, a datagram
#    that must come back whole (IPv4 and IPv6, out of order, with copies,
#    and one the guest's own kernel cut), a random storm while a
#    SHA-256-checked transfer runs alongside, 200,000 pieces that never
#    complete (under an address-space limit outside ASan);
#  - every loopback destination, TCP and UDP, IPv4 and IPv6, with and
#    without --disable-host-loopback, against a host listener that
#    records every connection and datagram;
#  - ARP and NDP claiming the gateway's and the DNS's addresses;
#  - the log after 100,000 ICMPv6 echoes beyond the gateway;
#  - the API refusing to replace a socket it cannot connect to;
#  - a --netns-type=path daemon whose namespace is gone, and one whose TAP
#    device is deleted, exit as one whose target process exited.
# S4N_LONG_TESTS=1 (set by .ci/run) makes the storm 25 times longer and
# waits out the reassembly timeout for the late piece.

. "$(dirname "$0")/lib.sh"

require_cmd python3 socat sha256sum prlimit
hostile=$(helper_bin hostile) || skip_all "tests/hostile not built"

long=${S4N_LONG_TESTS:-0}
storm_frames=20000
late_secs=1
if [ "$long" = 1 ]; then
	storm_frames=500000
	late_secs=16 # past REASM_TIMEOUT_US
fi
asan=
case $(ldd "$S4N_BINARY" 2>/dev/null || true) in
*libasan*) asan=1 ;;
esac

must "test user" setup_user
# The extra host address: reachable from the guest with or without
# --disable-host-loopback, so a probe to it marks that the daemon handled
# every frame sent before it.
must "host address 10.77.0.1 on lo" ip addr add 10.77.0.1/32 dev lo
must "host-side banner server on 127.0.0.1:8080" \
	start_tcp_server 127.0.0.1 8080

# --- host-side listener recording what reaches it ------------------------
rec_log="$S4N_TMP/root/recorder.log"
cat >"$S4N_TMP/root/recorder.py" <<'EOF'
# Records every TCP connection and UDP datagram on [::]:PORT (both
# families) as "tcp LOCAL-ADDR" or "udp LOCAL-ADDR LENGTH SHA256", and
# serves random bytes on PORT+1 (TCP): "bulk SEED" sends 8 MiB derived
# from SEED. Prints "ready" on fd 3.
import hashlib, os, select, socket, sys, threading
port, log = int(sys.argv[1]), sys.argv[2]
def mk(t):
    s = socket.socket(socket.AF_INET6, t)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    return s
t = mk(socket.SOCK_STREAM); t.bind(("::", port)); t.listen(128)
u = mk(socket.SOCK_DGRAM); u.bind(("::", port))
u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
b = mk(socket.SOCK_STREAM); b.bind(("::", port + 1)); b.listen(16)
out = open(log, "a", buffering=1)
def bulk(c):
    try:
        c.settimeout(30)
        seed = c.recv(64).strip()
        blk = hashlib.sha256(seed).digest() * 2048  # 64 KiB
        for i in range(128):
            c.sendall(hashlib.sha256(seed + b"%d" % i).digest()[:16] + blk[16:])
        c.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        c.close()
os.write(3, b"ready\n"); os.close(3)
while True:
    r, _, _ = select.select([t, u, b], [], [])
    if t in r:
        c, _ = t.accept()
        out.write("tcp %s\n" % c.getsockname()[0]); c.close()
    if u in r:
        data, anc, _, _ = u.recvmsg(65536, 64)
        dst = "?"
        for lvl, typ, d in anc:
            if typ == socket.IPV6_PKTINFO:
                dst = socket.inet_ntop(socket.AF_INET6, d[:16])
        out.write("udp %s %d %s\n" % (dst, len(data),
                  hashlib.sha256(data).hexdigest()))
    if b in r:
        c, _ = b.accept()
        threading.Thread(target=bulk, args=(c,), daemon=True).start()
EOF
rport=9000
: >"$rec_log"
must "recorder on [::]:$rport" spawn_ready --log "$S4N_TMP/root/recorder.out" \
	"$S4N_PYTHON" "$S4N_TMP/root/recorder.py" "$rport" "$rec_log"
chmod 0644 "$rec_log"

# hostile ARGS... - the helper in the current guest (its root)
hostile()
{
	guest "$hostile_bin" tap0 "$@"
}

# api JSON - one request to the current daemon's API socket
api()
{
	printf '%s\n' "$1" | socat -t "$S4N_TIMEOUT" -T "$S4N_TIMEOUT" - \
		"UNIX-CONNECT:$sock"
}

# barrier - a UDP probe to 10.77.0.1, then wait until the recorder has it:
# every frame sent before it was handled by then
barrier_n=0
barrier()
{
	local i want
	barrier_n=$((barrier_n + 1))
	want=$(grep -c '10\.77\.0\.1' "$rec_log" || true)
	want=$((want + 1))
	hostile udp 10.77.0.1 "$rport" >/dev/null || return 1
	for ((i = 0; i < S4N_TIMEOUT * 10; i++)); do
		[ "$(grep -c '10\.77\.0\.1' "$rec_log" || true)" -ge "$want" ] &&
			return 0
		sleep 0.1
	done
	return 1
}

# probes_seen - lines in the recorder's log other than the barriers
probes_seen()
{
	grep -vc '10\.77\.0\.1' "$rec_log" || true
}

# pss PID - the daemon's proportional set size in kB
pss()
{
	awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"
}

# alive WHO - the daemon still runs and still carries a connection
alive()
{
	ok "$1: the daemon is alive" kill -0 "$DAEMON_PID"
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
		"$1: and guest TCP to the host works"
}

# start WHO ARGS... - a guest (rootless for "user") and a daemon in it
start()
{
	local who=$1
	shift
	if [ "$who" = user ]; then
		start_guest --rootless || return 1
		sock="$S4N_USER_TMP/hostile.sock"
		hostile_bin=$(user_binary "$hostile")
		start_daemon --user "$S4N_USER" -c -6 -a "$sock" "$@" \
			"$GUEST_PID" tap0
	else
		start_guest || return 1
		sock="$S4N_TMP/root/hostile.sock"
		hostile_bin=$hostile
		start_daemon -c -6 -a "$sock" "$@" "$GUEST_PID" tap0
	fi
}

# expected_sha SIZE - SHA-256 of frag-udp's payload of SIZE bytes
expected_sha()
{
	python3 -c 'import hashlib, sys
n = int(sys.argv[1])
print(hashlib.sha256(bytes(i % 251 for i in range(n))).hexdigest())' "$1"
}

# bulk_sha SEED - SHA-256 of the 8 MiB the recorder sends for SEED
bulk_sha()
{
	python3 -c 'import hashlib, sys
seed = sys.argv[1].encode()
blk = hashlib.sha256(seed).digest() * 2048
h = hashlib.sha256()
for i in range(128):
    h.update(hashlib.sha256(seed + b"%d" % i).digest()[:16] + blk[16:])
print(h.hexdigest())' "$1"
}

# --- fragments -----------------------------------------------------------
fragments()
{
	local who=$1 n sha out before seed=$who-$$ bpid pss0 pss1 storm_seed
	local sent
	must "$who: guest and daemon" start "$who"
	pss0=$(pss "$DAEMON_PID")
	ok "$who: issue 15's overlapping pair" hostile frag-overlap
	ok "$who: first piece, ${late_secs}s of silence, last piece" \
		hostile frag-late "$late_secs"
	alive "$who: after the crashing sequences"

	sha=$(expected_sha 5000)
	ok "$who: a 5000-byte UDP datagram in pieces, last first, copies" \
		hostile frag-udp 10.77.0.1 "$rport" 5000
	ok "$who: ... barrier" barrier
	has "$(cat "$rec_log")" "udp ::ffff:10.77.0.1 5000 $sha" \
		"$who: ... arrives whole at the host"
	if wait_ipv6; then
		sha=$(expected_sha 1300)
		ok "$who: an IPv6 UDP datagram in pieces (Fragment header)" \
			hostile frag-udp fd00::2 "$rport" 1300
		ok "$who: ... barrier" barrier
		has "$(cat "$rec_log")" "udp ::1 1300 $sha" \
			"$who: ... arrives whole at the host's ::1"
	else
		fail "$who: no global IPv6 address on tap0"
	fi
	sha=$(expected_sha 4000)
	ok "$who: the guest's kernel cuts a 4000-byte datagram" guest \
		python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes(i % 251 for i in range(4000)), ("10.77.0.1", '"$rport"'))'
	ok "$who: ... barrier" barrier
	has "$(cat "$rec_log")" "udp ::ffff:10.77.0.1 4000 $sha" \
		"$who: ... and it arrives whole"
	ok "$who: fragments were counted" test "$(stat_of fragments.reassembled)" -ge 3

	# a storm while a transfer runs alongside
	out="$S4N_TMP/root/bulk.$who"
	guest sh -c "printf '%s\n' '$seed' | socat -t 30 -T 30 - \
		TCP:10.77.0.1:$((rport + 1)),connect-timeout=10 | sha256sum" \
		>"$out" 2>&1 &
	bpid=$!
	storm_seed=$RANDOM
	ok "$who: a storm of $storm_frames random fragments (seed $storm_seed)" \
		hostile storm "$storm_frames" "$storm_seed"
	wait "$bpid" || true
	is "$(cut -d' ' -f1 "$out")" "$(bulk_sha "$seed")" \
		"$who: the 8 MiB transfer alongside is intact (SHA-256)"
	alive "$who: after the storm"
	diag "$who: get_stats fragments: $(api '{"execute":"get_stats"}' |
		sed 's/.*"fragments":\({[^}]*}\).*/\1/')"

	# never finished
	before=$(stat_of fragments.received)
	ok "$who: 200000 first pieces that never complete" \
		hostile incomplete 200000
	out=$(cat "$S4N_TMP/root/ok.out")
	diag "$out"
	ok "$who: ... barrier" barrier
	pss1=$(pss "$DAEMON_PID")
	n=$(($(stat_of fragments.received) - before))
	# what the TAP device's queue could not hold never reached the
	# daemon; everything else must have
	sent=$(sed -n 's/^\([0-9]*\) frames sent, \([0-9]*\) dropped.*/\1-\2/p' <<<"$out")
	ok "$who: ... the daemon took in all $n the device passed on" \
		test "$n" -ge $((sent)) -a "$n" -ge 100000
	diag "$who: PSS ${pss0} kB at start, ${pss1} kB after the storm and flood"
	ok "$who: memory stays bounded (PSS grew by $((pss1 - pss0)) kB)" \
		test $((pss1 - pss0)) -lt 8192
	alive "$who: after them"
	ok "$who: daemon exits 0" stop_daemon
}

# The same flood under an address-space limit: libslirp's own queue ran
# into "GLib-ERROR: failed to allocate" there. ASan reserves terabytes of
# address space, so that build cannot run under such a limit.
flood_under_limit()
{
	if [ -n "$asan" ]; then
		skip "ASan build: no address-space limit possible" 3
		return
	fi
	must "root: guest" start_guest
	sock="$S4N_TMP/root/hostile.sock"
	hostile_bin=$hostile
	must "root: daemon under prlimit --as=300MiB" start_daemon \
		--wrap prlimit --wrap --as=$((300 * 1024 * 1024)) --wrap -- \
		-c -a "$sock" "$GUEST_PID" tap0
	ok "root, --as=300MiB: 200000 incomplete fragments" \
		hostile incomplete 200000
	alive "root, --as=300MiB"
	stop_daemon || true
}

# --- loopback destinations ------------------------------------------------
destinations()
{
	local who=$1 flag=$2 name d p n dropped before
	local dests=(127.0.0.1 127.0.0.2 0.0.0.0 ::1 ::ffff:127.0.0.1 ::
		::ffff:0.0.0.0 ::127.0.0.1)
	name="$who${flag:+ $flag}"
	if [ -n "$flag" ]; then
		must "$name: guest and daemon" start "$who" "$flag"
	else
		must "$name: guest and daemon" start "$who"
	fi
	wait_ipv6 || true
	before=$(probes_seen)
	for d in "${dests[@]}"; do
		for p in syn udp; do
			hostile "$p" "$d" "$rport" >/dev/null 2>&1 ||
				fail "$name: sending to $d"
		done
	done
	ok "$name: barrier" barrier
	n=$(($(probes_seen) - before))
	is "$n" 0 "$name: nothing reaches the host from ${dests[*]} (TCP, UDP)"
	dropped=$(stat_of from_guest.bad_destination)
	is "$dropped" $((2 * ${#dests[@]})) \
		"$name: get_stats counts $dropped frames to bad destinations"

	# the gateway: the host's loopback only without the option
	for d in 10.0.2.2 fd00::2; do
		before=$(probes_seen)
		hostile syn "$d" "$rport" >/dev/null
		hostile udp "$d" "$rport" >/dev/null
		ok "$name: barrier" barrier
		n=$(($(probes_seen) - before))
		if [ -n "$flag" ]; then
			is "$n" 0 "$name: $d (TCP, UDP) is refused"
		else
			is "$n" 2 "$name: $d (TCP, UDP) reaches the host's loopback"
		fi
	done
	ok "$name: daemon exits 0" stop_daemon
}

# --- neighbours -------------------------------------------------------------
neighbours()
{
	local who=$1
	must "$who: guest and daemon" start "$who"
	wait_ipv6 || true
	ok "$who: ARP reply claiming the gateway" hostile arp-claim 10.0.2.2
	ok "$who: ARP reply claiming the DNS" hostile arp-claim 10.0.2.3
	ok "$who: ARP reply for the guest with another MAC inside" \
		hostile arp-claim 10.0.2.100 bogus
	ok "$who: NDP advertisement claiming fd00::2" hostile na-claim fd00::2
	ok "$who: barrier" barrier
	is "$(stat_of from_guest.bad_neighbour)" 4 \
		"$who: the four are dropped and counted"
	alive "$who: after the claims"
	ok "$who: ping the gateway" guest ping -c 1 -W "$S4N_TIMEOUT" 10.0.2.2
	ok "$who: daemon exits 0" stop_daemon
}

# --- the log --------------------------------------------------------------
log_volume()
{
	local who=$1 size n f
	must "$who: guest and daemon" start "$who"
	wait_ipv6 || true
	f=$(stat_of from_guest.frames)
	ok "$who: 100000 ICMPv6 echoes to 2001:db8::1" \
		hostile echo6 100000 2001:db8::1
	ok "$who: barrier" barrier
	n=$(stat_of guest_errors)
	# what the guest's TAP queue dropped never reached us (a slow
	# daemon, under ASan or load): count only the frames that did
	f=$(($(stat_of from_guest.frames) - f))
	ok "$who: $f of the frames reached the daemon" test "$f" -ge 50000
	ok "$who: ... libslirp complained about $n of them" \
		test "$n" -ge $((f * 9 / 10))
	size=$(stat -c %s "$DAEMON_LOG")
	ok "$who: the daemon's log stays small ($size bytes)" \
		test "$size" -lt 4096
	ok "$who: daemon exits 0" stop_daemon
}

# --- the API socket -------------------------------------------------------
api_not_ours()
{
	local path="$S4N_USER_TMP/others.sock" lpid
	# a live listener of root's that the user may not connect to
	start_unix_listener "$path" 600 "$S4N_TMP/root/others.out" ||
		fail "root's listener"
	lpid=$SPAWN_PID
	must "user: guest" start_guest --rootless
	run_s4n --user "$S4N_USER" -c -a "$path" "$GUEST_PID" tap0
	is "$RUN_STATUS" 1 "user: --api-socket on a socket it cannot connect to: exit 1"
	like "$RUN_ERR" "--api-socket \"$path\": Permission denied" \
		"user: ... naming the path and why"
	ok "user: ... root's socket is still there and alive" \
		socat -T 2 /dev/null "UNIX-CONNECT:$path"
	kill "$lpid" 2>/dev/null || true
}

# --- the namespace or the device gone -------------------------------------
# gone WHO HOW - a daemon (sandboxed and filtered, as Podman runs it)
# whose namespace or TAP device goes away must exit 0 by itself
gone()
{
	local who=$1 how=$2 path st=0 args=(-c --enable-sandbox --enable-seccomp)
	if [ "$who" = user ]; then
		must "$who, $how: guest" start_guest --rootless
	else
		must "$who, $how: guest" start_guest
	fi
	case $how in
	unmounted)
		# Podman's way: a bind mount of the namespace, unmounted and
		# removed once the container is gone
		path="$S4N_TMP/root/netns.$who"
		touch "$path"
		must "$who, $how: bind-mounted namespace" \
			mount --bind "/proc/$GUEST_PID/ns/net" "$path"
		args+=(--netns-type=path "$path")
		[ "$who" = user ] &&
			args+=("--userns-path=/proc/$GUEST_PID/ns/user")
		;;
	exited) args+=(--netns-type=path "/proc/$GUEST_PID/ns/net")
		[ "$who" = user ] &&
			args+=("--userns-path=/proc/$GUEST_PID/ns/user")
		;;
	deleted) args+=("$GUEST_PID") ;;
	esac
	if [ "$who" = user ]; then
		must "$who, $how: daemon" start_daemon --user "$S4N_USER" \
			"${args[@]}" tap0
	else
		must "$who, $how: daemon" start_daemon "${args[@]}" tap0
	fi
	case $how in
	unmounted)
		kill "$GUEST_PID"
		umount "$path"
		rm -f "$path"
		;;
	exited) kill "$GUEST_PID" ;;
	deleted) guest ip link del tap0 ;;
	esac
	wait_exit "$DAEMON_PID" || st=$?
	is "$st" 0 "$who, $how: the daemon exits 0 by itself"
	if [ "$how" = deleted ]; then
		has "$(cat "$DAEMON_LOG")" "TAP device gone" "$who, $how: says why"
		kill "$GUEST_PID" 2>/dev/null || true
	else
		has "$(cat "$DAEMON_LOG")" "network namespace " \
			"$who, $how: says the namespace is gone"
	fi
}

for who in root user; do
	for how in unmounted exited deleted; do
		gone "$who" "$how"
	done
done

for who in root user; do
	fragments "$who"
	destinations "$who" ""
	destinations "$who" --disable-host-loopback
	neighbours "$who"
	log_volume "$who"
done
flood_under_limit
api_not_ours
done_testing
