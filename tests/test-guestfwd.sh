#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-guestfwd.sh - remote forwards (--guestfwd, add_guestfwd,
# list_guestfwd, remove_guestfwd): the guest reaches one host service and
# nothing else of the host's loopback, over TCP and UNIX targets, on the
# gateway and on other free addresses, IPv4 and IPv6, as root and
# unprivileged, with the sandbox and seccomp; errors; 64 MiB each way with
# SHA-256.
#
# Copyright (C) 2026 The slirp4netns authors
. "$(dirname "$0")/lib.sh"

require_cmd socat "$S4N_PYTHON"
# Under ASan with S4N_TCP_PATH=off: libslirp 4.7 leaks the path of a
# removed UNIX forward (see tests/lsan-libslirp.supp); the full unwinder
# finds it under glib. On the TCP path forwards never reach libslirp:
# no suppression there, so that a leak would show.
if [ "${S4N_TCP_PATH:-on}" = off ]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
	export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lsan-libslirp.supp"
fi
SRCDIR=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
CLIENT="$SRCDIR/tests/api-client.py"
# forwards' sockets of root's daemons go into the test's tmpfs
export XDG_RUNTIME_DIR="$S4N_TMP/root"

# api REQ - one request on $SOCK, the reply on stdout
api()
{
	"$S4N_PYTHON" "$CLIENT" "$SOCK" go "$1" 2>&1 || true
}

# add ARGS - add_guestfwd with the JSON object members ARGS
add()
{
	api "{\"execute\":\"add_guestfwd\",\"arguments\":{$1}}"
}

# guest_conn ADDR PORT - in the guest: connect, send "x", print what comes
# back or how it failed ("refused", "reset", "unreachable", "timeout")
guest_conn()
{
	guest "$S4N_PYTHON" - "$1" "$2" <<'PY' 2>&1 || true
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(5)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    data = s.recv(4096)
    print(data.decode().strip() if data else "eof")
except ConnectionRefusedError:
    print("refused")
except ConnectionResetError:
    print("reset")
except OSError as e:
    print("timeout" if isinstance(e, socket.timeout) else "unreachable")
PY
}

# UNIX stream server at PATH answering "unix hello"
start_unix_server()
{
	spawn_ready ${2:+--user "$2"} --log "$S4N_TMP/root/unix.$RANDOM.log" \
		"$S4N_PYTHON" -c '
import os, socket, sys, threading
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(16)
os.write(3, b"ready\n"); os.close(3)
def serve(c):
    c.sendall(b"unix hello\n"); c.shutdown(socket.SHUT_WR)
    while c.recv(4096): pass
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' "$1"
	UNIX_PID=$SPAWN_PID
}

# --- bulk data: a server that sends 64 MiB of seeded bytes and one that
# answers with the SHA-256 of all it read
cat >"$S4N_TMP/root/bulk.py" <<'PY'
import hashlib, os, random, socket, sys
MIB = 1 << 20
def stream(n):
    r = random.Random(18)
    for _ in range(n):
        yield r.randbytes(MIB)
mode = sys.argv[1]
if mode in ("source", "sink"):
    fam = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[2], int(sys.argv[3]))); s.listen(4)
    os.write(3, b"ready\n"); os.close(3)
    while True:
        c, _ = s.accept()
        if mode == "source":
            for b in stream(64):
                c.sendall(b)
        else:
            h = hashlib.sha256()
            while True:
                d = c.recv(1 << 16)
                if not d:
                    break
                h.update(d)
            c.sendall(h.hexdigest().encode())
        c.close()
elif mode == "expect":
    h = hashlib.sha256()
    for b in stream(64):
        h.update(b)
    print(h.hexdigest())
else:
    fam = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
    c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=60)
    h = hashlib.sha256()
    if mode == "get":
        while True:
            d = c.recv(1 << 16)
            if not d:
                break
            h.update(d)
        print(h.hexdigest())
    else:
        for b in stream(64):
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
        print(c.recv(100).decode())
PY
EXPECT=$("$S4N_PYTHON" "$S4N_TMP/root/bulk.py" expect)

must "host service on 127.0.0.1:5432" start_tcp_server 127.0.0.1 5432
must "another host service on 127.0.0.1:5433" start_tcp_server 127.0.0.1 5433
must "bulk source on 127.0.0.1:7001" spawn_ready "$S4N_PYTHON" \
	"$S4N_TMP/root/bulk.py" source 127.0.0.1 7001
must "bulk sink on 127.0.0.1:7002" spawn_ready "$S4N_PYTHON" \
	"$S4N_TMP/root/bulk.py" sink 127.0.0.1 7002
USOCK="$S4N_TMP/root/service.sock"
must "UNIX service $USOCK" start_unix_server "$USOCK"

# --- root: --guestfwd on the gateway, --disable-host-loopback -----------
SOCK="$S4N_TMP/root/api.sock"
must "guest" start_guest
ok "daemon: --disable-host-loopback --guestfwd=5432-127.0.0.1:5432" \
	start_daemon -c --disable-host-loopback -a "$SOCK" \
	--guestfwd=5432-127.0.0.1:5432 "$GUEST_PID" tap0
like "$(guest_conn 10.0.2.2 5432)" '^hello 127\.0\.0\.1 ' \
	"guest reaches the forwarded 10.0.2.2:5432"
unlike "$(guest_conn 10.0.2.2 5433)" '^hello' \
	"guest does not reach the host's 127.0.0.1:5433"
like "$(api '{"execute":"list_guestfwd"}')" \
	'"entries":\[\{"id":1,"proto":"tcp","guest_addr":"10\.0\.2\.2","guest_port":5432,"host_addr":"127\.0\.0\.1","host_port":5432\}\]' \
	"list_guestfwd shows the start-up forward"
like "$(api '{"execute":"get_info"}')" '"guest_forwards":\[\{"id":1,' \
	"get_info lists it"

# --- API: another address, a UNIX target ----------------------------------
is "$(add '"guest_addr":"10.0.2.50","guest_port":80,"host_socket":"'"$USOCK"'"')" \
	'{"return":{"id":2}}' "add_guestfwd 10.0.2.50:80 -> UNIX socket"
is "$(guest_conn 10.0.2.50 80)" "unix hello" \
	"guest reaches the UNIX socket through 10.0.2.50:80"
like "$(guest ip neigh show 10.0.2.50)" 'lladdr' \
	"10.0.2.50 answers ARP"
is "$(add '"guest_addr":"10.0.2.51","guest_port":81,"host_addr":"127.0.0.1","host_port":7001')" \
	'{"return":{"id":3}}' "add_guestfwd 10.0.2.51:81 -> bulk source"
is "$(add '"guest_addr":"10.0.2.51","guest_port":82,"host_addr":"127.0.0.1","host_port":7002')" \
	'{"return":{"id":4}}' "add_guestfwd 10.0.2.51:82 -> bulk sink"
is "$(guest "$S4N_PYTHON" "$S4N_TMP/root/bulk.py" get 10.0.2.51 81 2>&1)" \
	"$EXPECT" "64 MiB host -> guest, SHA-256 equal"
is "$(guest "$S4N_PYTHON" "$S4N_TMP/root/bulk.py" put 10.0.2.51 82 2>&1)" \
	"$EXPECT" "64 MiB guest -> host, SHA-256 equal"

# --- a target that is gone resets the guest's connection --------------------
# (on the TCP path the reset answers the SYN: the guest reads "refused";
# through libslirp it comes after the handshake)
RESET='^(reset|refused)$'
kill "$UNIX_PID"
wait "$UNIX_PID" 2>/dev/null || true
rm -f "$USOCK"
like "$(guest_conn 10.0.2.50 80)" "$RESET" \
	"UNIX socket gone: the guest gets a reset"
is "$(add '"guest_addr":"10.0.2.52","guest_port":80,"host_addr":"127.0.0.1","host_port":9')" \
	'{"return":{"id":5}}' "add_guestfwd to a closed TCP port"
like "$(guest_conn 10.0.2.52 80)" "$RESET" "closed TCP port: a reset"

# --- removal ---------------------------------------------------------------
is "$(api '{"execute":"remove_guestfwd","arguments":{"id":1}}')" \
	'{"return":{}}' "remove_guestfwd 1"
unlike "$(guest_conn 10.0.2.2 5432)" '^hello' "removed: 10.0.2.2:5432 is closed"
like "$(api '{"execute":"remove_guestfwd","arguments":{"id":1}}')" \
	'"error":\{"desc":"bad request: remove_guestfwd: bad arguments\.id: no forward with id 1"' \
	"remove_guestfwd of a removed id"
is "$(add '"guest_port":5432,"host_addr":"127.0.0.1","host_port":5432')" \
	'{"return":{"id":6}}' "add it again (guest_addr defaults to the gateway)"
like "$(guest_conn 10.0.2.2 5432)" '^hello' "added again: reachable"

# --- conflicts and bad arguments -------------------------------------------
err_is()
{
	like "$(add "$1")" "\"error\":\\{\"desc\":\"$2" "$3"
}
H='"host_addr":"127.0.0.1","host_port":5432'
err_is '"guest_addr":"10.0.2.3","guest_port":1,'"$H" \
	'add_guestfwd: guest_addr is the DNS address' "DNS address refused"
err_is '"guest_addr":"10.0.2.100","guest_port":1,'"$H" \
	"add_guestfwd: guest_addr is the guest's address" "guest address refused"
err_is '"guest_addr":"10.0.2.20","guest_port":1,'"$H" \
	'add_guestfwd: guest_addr is in the DHCP range' "DHCP range refused"
err_is '"guest_addr":"10.0.2.254","guest_port":1,'"$H" \
	'add_guestfwd: guest_addr is reserved' "the stand-in address refused"
err_is '"guest_addr":"10.0.3.1","guest_port":1,'"$H" \
	'add_guestfwd: guest_addr is outside the virtual network' \
	"outside the network refused"
err_is '"guest_addr":"10.0.2.50","guest_port":80,'"$H" \
	'add_guestfwd: another forward has this guest_addr and guest_port' \
	"same address and port as another forward"
err_is '"guest_addr":"fd00::50","guest_port":80,'"$H" \
	'add_guestfwd: guest_addr is IPv6 and IPv6 is not enabled' \
	"IPv6 without -6"
err_is '"guest_addr":"10.0.2.60","guest_port":0,'"$H" \
	'bad request: add_guestfwd: bad arguments.guest_port' "guest_port 0"
err_is '"guest_addr":"nonsense","guest_port":1,'"$H" \
	'bad request: add_guestfwd: bad arguments.guest_addr' "bad guest_addr"
err_is '"guest_addr":"10.0.2.60","guest_port":1,"host_addr":"127.0.0.1"' \
	'bad request: add_guestfwd: bad arguments.host_port' "no host_port"
err_is '"guest_addr":"10.0.2.60","guest_port":1,"host_socket":"rel.sock"' \
	'add_guestfwd: host_socket is not an absolute path' "relative host_socket"
err_is '"proto":"udp","guest_addr":"10.0.2.60","guest_port":1,'"$H" \
	'bad request: add_guestfwd: bad arguments.proto' "proto udp"
ok "daemon still runs" kill -0 "$DAEMON_PID"
fwd_dir=$(ls -d "$XDG_RUNTIME_DIR"/slirp4netns-fwd.* 2>/dev/null || true)
if [ "${S4N_TCP_PATH:-on}" = off ]; then
	ok "the forwards' directory exists while running" test -d "$fwd_dir"
else
	is "$fwd_dir" "" "on the TCP path, no directory of sockets"
fi
st=0
stop_daemon || st=$?
is "$st" 0 "SIGTERM: exit 0"
nok "the forwards' directory is gone after exit" test -e "${fwd_dir:-/nonexistent}"

# --- IPv6 guest_addr -------------------------------------------------------------
# guest_hold ADDR PORT OUT - in the guest, in the background: connect, write
# "connected" to OUT, then wait for the end: "eof", "reset" or "timeout"
# follows in OUT. Sets HOLD_PID.
guest_hold()
{
	guest "$S4N_PYTHON" - "$1" "$2" >"$3" 2>&1 <<'PY' &
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
print("connected", flush=True)
s.settimeout(20)
try:
    while s.recv(4096):
        pass
    print("eof")
except ConnectionResetError:
    print("reset")
except socket.timeout:
    print("timeout")
PY
	HOLD_PID=$!
}

# has_line LINE FILE - wait up to 10 s for LINE in FILE
has_line()
{
	local i
	for i in $(seq 100); do
		grep -qx "$1" "$2" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

if [ -e /proc/sys/net/ipv6 ]; then
must "IPv6 host service on ::1:5434" start_tcp_server ::1 5434
USOCK6="$S4N_TMP/root/service6.sock"
must "UNIX service $USOCK6" start_unix_server "$USOCK6"
must "guest for IPv6" start_guest
SOCK="$S4N_TMP/root/api6.sock"
if [ "${S4N_TCP_PATH:-on}" = off ]; then
	run_s4n -6 --guestfwd=[fd00::2]:5432-127.0.0.1:5432 1 tap0
	is "$RUN_STATUS" 1 "path off: an IPv6 --guestfwd: exit 1"
	like "$RUN_ERR" 'an IPv6 guest_addr needs the TCP path \(not with --disable-tcp-fast-path\)$' \
		"path off: ... says it needs the TCP path"
	ok "path off: daemon with -6" start_daemon -6 -c \
		--disable-host-loopback -a "$SOCK" "$GUEST_PID" tap0
	like "$(add '"guest_addr":"fd00::50","guest_port":80,"host_addr":"::1","host_port":5434')" \
		'"error":\{"desc":"add_guestfwd: an IPv6 guest_addr needs the TCP path' \
		"path off: add_guestfwd with an IPv6 guest_addr refused"
else
	ok "daemon: -6 --disable-host-loopback --guestfwd=[fd00::2]:5432-127.0.0.1:5432" \
		start_daemon -6 -c --disable-host-loopback -a "$SOCK" \
		"--guestfwd=[fd00::2]:5432-127.0.0.1:5432" "$GUEST_PID" tap0
	like "$(guest_conn fd00::2 5432)" '^hello 127\.0\.0\.1 ' \
		"IPv6: guest reaches the forwarded [fd00::2]:5432"
	unlike "$(guest_conn fd00::2 5433)" '^hello' \
		"IPv6: the host's 127.0.0.1:5433 is not reachable"
	unlike "$(guest_conn fd00::2 5434)" '^hello' \
		"IPv6: the host's [::1]:5434 is not reachable"
	is "$(add '"guest_addr":"fd00::50","guest_port":80,"host_addr":"::1","host_port":5434')" \
		'{"return":{"id":2}}' "add_guestfwd [fd00::50]:80 -> [::1]:5434"
	like "$(guest_conn fd00::50 80)" '^hello ::1 ' \
		"IPv6: guest reaches [::1]:5434 through [fd00::50]:80"
	like "$(guest ip -6 neigh show fd00::50)" 'lladdr 52:55:0a:00:02:02' \
		"fd00::50 answers NDP"
	unlike "$(guest_conn fd00::50 81)" '^hello' \
		"IPv6: another port of fd00::50 leads nowhere"
	is "$(add '"guest_addr":"fd00::52","guest_port":80,"host_socket":"'"$USOCK6"'"')" \
		'{"return":{"id":3}}' "add_guestfwd [fd00::52]:80 -> UNIX socket"
	is "$(guest_conn fd00::52 80)" "unix hello" \
		"IPv6: guest reaches the UNIX socket through [fd00::52]:80"
	is "$(add '"guest_addr":"fd00::51","guest_port":81,"host_addr":"127.0.0.1","host_port":7001')" \
		'{"return":{"id":4}}' "add_guestfwd [fd00::51]:81 -> bulk source"
	is "$(add '"guest_addr":"fd00::51","guest_port":82,"host_addr":"127.0.0.1","host_port":7002')" \
		'{"return":{"id":5}}' "add_guestfwd [fd00::51]:82 -> bulk sink"
	is "$(guest "$S4N_PYTHON" "$S4N_TMP/root/bulk.py" get fd00::51 81 2>&1)" \
		"$EXPECT" "IPv6: 64 MiB host -> guest, SHA-256 equal"
	is "$(guest "$S4N_PYTHON" "$S4N_TMP/root/bulk.py" put fd00::51 82 2>&1)" \
		"$EXPECT" "IPv6: 64 MiB guest -> host, SHA-256 equal"
	like "$(api '{"execute":"list_guestfwd"}')" \
		'\{"id":2,"proto":"tcp","guest_addr":"fd00::50","guest_port":80,"host_addr":"::1","host_port":5434\}' \
		"list_guestfwd shows the IPv6 forward"
	H='"host_addr":"127.0.0.1","host_port":5432'
	err_is '"guest_addr":"fd00::3","guest_port":1,'"$H" \
		'add_guestfwd: guest_addr is the DNS address' "IPv6: DNS address refused"
	err_is '"guest_addr":"fd00::100","guest_port":1,'"$H" \
		"add_guestfwd: guest_addr is the guest's address" \
		"IPv6: guest address refused"
	err_is '"guest_addr":"fd00::","guest_port":1,'"$H" \
		'add_guestfwd: guest_addr is the network address' \
		"IPv6: network address refused"
	err_is '"guest_addr":"fd00::fdff:ffff:ffff:ffff","guest_port":1,'"$H" \
		'add_guestfwd: guest_addr is a reserved subnet anycast address' \
		"IPv6: subnet anycast address refused"
	err_is '"guest_addr":"fd01::1","guest_port":1,'"$H" \
		'add_guestfwd: guest_addr is outside the virtual network' \
		"IPv6: outside the prefix refused"
	err_is '"guest_addr":"fd00::50","guest_port":80,'"$H" \
		'add_guestfwd: another forward has this guest_addr and guest_port' \
		"IPv6: same address and port as another forward"
	# removal: new connections go nowhere, open ones are reset
	out="$S4N_TMP/root/hold.out"
	guest_hold fd00::51 82 "$out"
	ok "IPv6: a connection to the bulk sink is open" \
		has_line connected "$out"
	is "$(api '{"execute":"remove_guestfwd","arguments":{"id":5}}')" \
		'{"return":{}}' "IPv6: remove_guestfwd 5"
	wait "$HOLD_PID" 2>/dev/null || true
	is "$(tail -n1 "$out")" "reset" "IPv6: removal resets its open connection"
	is "$(api '{"execute":"remove_guestfwd","arguments":{"id":3}}')" \
		'{"return":{}}' "IPv6: remove_guestfwd 3"
	unlike "$(guest_conn fd00::52 80)" 'unix hello' \
		"IPv6: removed: [fd00::52]:80 is closed"
	st=0
	stop_daemon || st=$?
	is "$st" 0 "IPv6: SIGTERM: exit 0"
fi
fi

# --- start-up errors -----------------------------------------------------------
run_s4n --guestfwd=10.0.2.3:53-127.0.0.1:53 1 tap0
is "$RUN_STATUS" 1 "--guestfwd on the DNS address: exit 1"
like "$RUN_ERR" '--guestfwd "10\.0\.2\.3:53-127\.0\.0\.1:53": guest_addr is the DNS address$' \
	"... one line naming the option"
run_s4n --guestfwd=80 1 tap0
like "$RUN_ERR" '--guestfwd "80": expected GUEST-TARGET$' "--guestfwd=80: says why"
run_s4n --guestfwd=80-127.0.0.1 1 tap0
like "$RUN_ERR" 'bad HOST_ADDR:HOST_PORT$' "--guestfwd without a host port"

# --- unprivileged, rootless guest, sandbox and seccomp ---------------------------
must "test user" setup_user
must "user's UNIX service" start_unix_server "$S4N_USER_TMP/xdg/db.sock" \
	"$S4N_USER"
must "rootless guest" start_guest --rootless
SOCK="$S4N_USER_TMP/api.sock"
ok "user daemon: sandbox, seccomp, --guestfwd to a UNIX socket" \
	start_daemon --user "$S4N_USER" -6 -c --disable-host-loopback \
	--enable-sandbox --enable-seccomp -a "$SOCK" \
	"--guestfwd=10.0.2.2:5000-unix:$S4N_USER_TMP/xdg/db.sock" \
	"$GUEST_PID" tap0
is "$(guest_conn 10.0.2.2 5000)" "unix hello" \
	"rootless: the guest reaches the user's UNIX socket"
is "$(add '"guest_addr":"10.0.2.2","guest_port":5432,'"$H")" \
	'{"return":{"id":2}}' "rootless: add_guestfwd in the sandbox"
like "$(guest_conn 10.0.2.2 5432)" '^hello 127\.0\.0\.1 ' \
	"rootless: TCP forward added after start-up works"
unlike "$(guest_conn 10.0.2.2 5433)" '^hello' \
	"rootless: the rest of the host's loopback is unreachable"
is "$(api '{"execute":"remove_guestfwd","arguments":{"id":2}}')" \
	'{"return":{}}' "rootless: remove_guestfwd in the sandbox"
unlike "$(guest_conn 10.0.2.2 5432)" '^hello' "rootless: removed"
if [ "${S4N_TCP_PATH:-on}" != off ] && [ -e /proc/sys/net/ipv6 ]; then
	is "$(add '"guest_addr":"fd00::60","guest_port":80,'"$H")" \
		'{"return":{"id":3}}' "rootless: add_guestfwd [fd00::60]:80 in the sandbox"
	like "$(guest_conn fd00::60 80)" '^hello 127\.0\.0\.1 ' \
		"rootless: IPv6 forward to 127.0.0.1 added after start-up works"
	is "$(add '"guest_addr":"fd00::2","guest_port":5003,"host_socket":"'"$S4N_USER_TMP/xdg/db.sock"'"')" \
		'{"return":{"id":4}}' "rootless: add_guestfwd [fd00::2]:5003 -> UNIX socket"
	is "$(guest_conn fd00::2 5003)" "unix hello" \
		"rootless: IPv6 forward to the UNIX socket works"
	unlike "$(guest_conn fd00::2 5433)" '^hello' \
		"rootless: the rest of the host's loopback is unreachable over IPv6"
	NEXT=5
else
	NEXT=3
fi
# A socket the sandbox does not keep: refused when added, not reset later.
# It exists on the host, next to the one --guestfwd named.
must "user's other UNIX service" start_unix_server \
	"$S4N_USER_TMP/xdg/other.sock" "$S4N_USER"
like "$(add '"guest_addr":"10.0.2.2","guest_port":5001,"host_socket":"'"$S4N_USER_TMP/xdg/other.sock"'"')" \
	'"error":\{"desc":"add_guestfwd: host_socket is outside what --enable-sandbox keeps in view \(the sockets that --guestfwd names at start-up, and /etc\)"' \
	"rootless: a socket added after start-up outside the sandbox's view is refused"
is "$(add '"guest_addr":"10.0.2.2","guest_port":5002,"host_socket":"'"$S4N_USER_TMP/xdg/db.sock"'"')" \
	"{\"return\":{\"id\":$NEXT}}" \
	"rootless: the socket --guestfwd named may be added again"
is "$(guest_conn 10.0.2.2 5002)" "unix hello" \
	"rootless: ... and is reached through it"
st=0
stop_daemon || st=$?
is "$st" 0 "rootless: SIGTERM: exit 0"
is "$(ls -d "$S4N_USER_TMP"/xdg/slirp4netns-fwd.* 2>/dev/null || true)" "" \
	"rootless: the forwards' directory is gone after exit"
run_s4n --user "$S4N_USER" --enable-sandbox \
	"--guestfwd=5000-unix:$S4N_USER_TMP/xdg/none.sock" "$GUEST_PID" tap0
is "$RUN_STATUS" 1 "sandbox: --guestfwd to a socket that does not exist: exit 1"
like "$RUN_ERR" "--guestfwd \"5000-unix:[^\"]*none.sock\": host_socket is outside what --enable-sandbox keeps in view" \
	"... one line saying why"

done_testing
