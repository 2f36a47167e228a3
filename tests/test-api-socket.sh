#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-api-socket.sh - the --api-socket JSON API, end to end: every
# command and error, forwards carrying TCP and UDP over IPv4 and IPv6, the
# client styles in use (slirp4netns(1), Podman, RootlessKit), keep-alive,
# and the socket file's life.
#
# Copyright (C) 2026 The slirp4netns authors
. "$(dirname "$0")/lib.sh"

# entries_by_port - a list_hostfwd reply on stdin, with the entries sorted
# by host port and their ids listed apart, for replies whose order is not
# ours to fix
entries_by_port()
{
	"$S4N_PYTHON" -c 'import json, sys
r = json.load(sys.stdin)
e = r["return"]["entries"]
ids = sorted(x.pop("id") for x in e)
print(json.dumps({"ids": ids, "entries": sorted(e, key=lambda x: x["host_port"])}, sort_keys=True))'
}

require_cmd socat nc "$S4N_PYTHON"
SRCDIR=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
CLIENT="$SRCDIR/tests/api-client.py"

# api MODE REQ... - talk to $SOCK (see tests/api-client.py); never fails,
# prints the replies or what went wrong
api()
{
	"$S4N_PYTHON" "$CLIENT" "$SOCK" "$@" 2>&1 || true
}

# udp_host ADDR PORT - from the host, send "ping" to ADDR:PORT and print
# the answer, or "no answer"
udp_host()
{
	"$S4N_PYTHON" - "$1" "$2" <<'EOF' 2>&1 || true
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.settimeout(1)
for _ in range(5):	# UDP: a lost datagram is retried, not a failure
    s.sendto(b"ping", (sys.argv[1], int(sys.argv[2])))
    try:
        print(s.recv(2048).decode().strip())
        sys.exit(0)
    except (socket.timeout, ConnectionRefusedError):
        pass
print("no answer")
EOF
}

# start_guest_servers - in the guest: the banner TCP server on port 80 and
# a UDP echo server on port 53, both dual-stack
start_guest_servers()
{
	spawn_ready nsenter -t "$GUEST_PID" -n -- "$S4N_PYTHON" \
		"$S4N_TMP/root/server.py" banner :: 80 || return 1
	spawn_ready nsenter -t "$GUEST_PID" -n -- "$S4N_PYTHON" -c '
import os, socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 53))
os.write(3, b"ready\n")
os.close(3)
while True:
    d, a = s.recvfrom(2048)
    s.sendto(b"echo " + d + b" from " + a[0].encode(), a)'
}

add() # add PROTO HOST_ADDR HOST_PORT GUEST_ADDR GUEST_PORT (JSON request)
{
	printf '{"execute":"add_hostfwd","arguments":{"proto":"%s",' "$1"
	printf '"host_addr":"%s","host_port":%s,' "$2" "$3"
	printf '"guest_addr":"%s","guest_port":%s}}' "$4" "$5"
}
rm_req() { printf '{"execute":"remove_hostfwd","arguments":{"id":%s}}' "$1"; }
LIST='{"execute":"list_hostfwd"}'
RET_EMPTY='{"return":{}}'

# ---------------------------------------------------------------------------
# A daemon with -6, started under umask 027
# ---------------------------------------------------------------------------
mkdir -p "$S4N_TMP/a"
SOCK="$S4N_TMP/a/api.sock"
must "start a guest" start_guest
umask 027
must "start the daemon with -c -6 -a" start_daemon -c -6 -a "$SOCK" \
	"$GUEST_PID" tap0
umask 022
ok "socket file exists once ready" test -S "$SOCK"
is "$(stat -c %a "$SOCK")" 750 "socket file made with the caller's umask"
must "start TCP and UDP servers in the guest" start_guest_servers

# The man page's example, byte for byte, from an old-style client
is "$(api old '{"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_addr": "0.0.0.0", "host_port": 8080, "guest_addr": "10.0.2.100", "guest_port": 80}}')" \
	'{"return":{"id":1}}' "add_hostfwd (slirp4netns(1) example): id 1"
like "$(tcp_host 127.0.0.1 8080)" '^hello (::ffff:)?10\.0\.2\.2 [0-9]+$' \
	"TCP 127.0.0.1:8080 reaches the guest over IPv4"
is "$(tcp_host ::1 8080)" refused \
	"an IPv4 guest_addr: IPv4 only, even with -6"

# Podman 4.3: host_addr "0.0.0.0" (its default), guest_addr "", a newline,
# CloseWrite, then one read of 2048 bytes
is "$(api podman "$(add tcp 0.0.0.0 8081 "" 80)")" '{"return":{"id":2}}' \
	"Podman-style add_hostfwd with guest_addr \"\": id 2"
like "$(tcp_host 127.0.0.1 8081)" '^hello (::ffff:)?10\.0\.2\.2 [0-9]+$' \
	"TCP 127.0.0.1:8081 reaches the guest over IPv4"
like "$(tcp_host ::1 8081)" '^hello fd00::2 [0-9]+$' \
	"TCP [::1]:8081 reaches the guest over IPv6 (dual stack with -6)"
is "$(api go "$(add tcp "" 8082 "" 80)")" '{"return":{"id":3}}' \
	"host_addr \"\" means the default"
like "$(tcp_host ::1 8082)" '^hello fd00::2 ' "... which is dual-stack"

is "$(api go "$(add udp 0.0.0.0 5353 "" 53)")" '{"return":{"id":4}}' \
	"add_hostfwd udp"
like "$(udp_host 127.0.0.1 5353)" '^echo ping from (::ffff:)?10\.0\.2\.2$' \
	"UDP 127.0.0.1:5353 reaches the guest over IPv4"
like "$(udp_host ::1 5353)" '^echo ping from fd00::2$' \
	"UDP [::1]:5353 reaches the guest over IPv6"

is "$(api go "$(add tcp6 ::1 8443 "" 80)")" '{"return":{"id":5}}' \
	"add_hostfwd tcp6 on ::1"
like "$(tcp_host ::1 8443)" '^hello fd00::2 ' "TCP [::1]:8443 forwards"
is "$(tcp_host 127.0.0.1 8443)" refused "tcp6 opens no IPv4 port"
is "$(api go "$(add udp6 :: 5354 fd00::100 53)")" '{"return":{"id":6}}' \
	"add_hostfwd udp6 with explicit guest_addr"
like "$(udp_host ::1 5354)" '^echo ping from fd00::2$' "UDP [::1]:5354 forwards"
is "$(api go "$(add tcp4 127.0.0.1 8083 10.0.2.100 80)")" \
	'{"return":{"id":7}}' "add_hostfwd tcp4 with explicit addresses"
like "$(tcp_host 127.0.0.1 8083)" '^hello ' "TCP 127.0.0.1:8083 forwards"
is "$(tcp_host ::1 8083)" refused "tcp4 opens no IPv6 port"

is "$(api go "$LIST")" '{"return":{"entries":[{"id":1,"proto":"tcp","host_addr":"0.0.0.0","host_port":8080,"guest_addr":"10.0.2.100","guest_port":80},{"id":2,"proto":"tcp","host_addr":"0.0.0.0","host_port":8081,"guest_addr":"10.0.2.100","guest_port":80,"host_addr6":"::","guest_addr6":"fd00::100"},{"id":3,"proto":"tcp","host_addr":"0.0.0.0","host_port":8082,"guest_addr":"10.0.2.100","guest_port":80,"host_addr6":"::","guest_addr6":"fd00::100"},{"id":4,"proto":"udp","host_addr":"0.0.0.0","host_port":5353,"guest_addr":"10.0.2.100","guest_port":53,"host_addr6":"::","guest_addr6":"fd00::100"},{"id":5,"proto":"tcp6","host_addr":"::1","host_port":8443,"guest_addr":"fd00::100","guest_port":80,"host_addr6":"::1","guest_addr6":"fd00::100"},{"id":6,"proto":"udp6","host_addr":"::","host_port":5354,"guest_addr":"fd00::100","guest_port":53,"host_addr6":"::","guest_addr6":"fd00::100"},{"id":7,"proto":"tcp4","host_addr":"127.0.0.1","host_port":8083,"guest_addr":"10.0.2.100","guest_port":80}]}}' \
	"list_hostfwd shows every forward, host_addr6 where IPv6 is forwarded"

# Ports in use: ours, and another process's
is "$(api go "$(add tcp 0.0.0.0 8080 "" 80)")" \
	'{"error":{"desc":"add_hostfwd: cannot bind 0.0.0.0:8080/tcp: Address already in use"}}' \
	"a port already forwarded: error names the port"
must "a host process listens on 127.0.0.1:9090" \
	start_tcp_server 127.0.0.1 9090
is "$(api go "$(add tcp 127.0.0.1 9090 "" 80)")" \
	'{"error":{"desc":"add_hostfwd: cannot bind 127.0.0.1:9090/tcp: Address already in use"}}' \
	"a port held by another process: error names the port"
is "$(api go "$(add tcp6 ::1 8443 "" 80)")" \
	'{"error":{"desc":"add_hostfwd: cannot bind [::1]:8443/tcp: Address already in use"}}' \
	"IPv6 port in use: error names [::1]:8443"
like "$(tcp_host 127.0.0.1 9090)" '^hello 127\.0\.0\.1 ' \
	"the other process keeps its port"

# Removal closes the listeners; ids are never reused
is "$(api go "$(rm_req 1)")" "$RET_EMPTY" "remove_hostfwd id 1"
is "$(tcp_host 127.0.0.1 8080)" refused "127.0.0.1:8080 refused after removal"
is "$(api go "$(rm_req 2)")" "$RET_EMPTY" "remove_hostfwd id 2 (dual-stack)"
is "$(tcp_host 127.0.0.1 8081)" refused "127.0.0.1:8081 refused after removal"
is "$(tcp_host ::1 8081)" refused "[::1]:8081 refused after removal"
is "$(api go "$(rm_req 4)")" "$RET_EMPTY" "remove_hostfwd id 4 (udp)"
is "$(udp_host 127.0.0.1 5353)" "no answer" "UDP port closed after removal"
is "$(api go "$(rm_req 1)")" \
	'{"error":{"desc":"bad request: remove_hostfwd: bad arguments.id: no forward with id 1"}}' \
	"removing id 1 again: unknown id"
is "$(api go "$(add tcp 0.0.0.0 8080 "" 80)")" '{"return":{"id":8}}' \
	"the port can be forwarded again, with a new id"
like "$(tcp_host 127.0.0.1 8080)" '^hello ' "... and forwards again"

# Every error, exactly
while IFS='|' read -r req want; do
	[ -n "$req" ] || continue
	is "$(api go "$req")" "{\"error\":{\"desc\":\"bad request: $want\"}}" \
		"error: $want ($req)"
done <<'EOF'
not json|cannot parse JSON
{"execute":"list_hostfwd"|cannot parse JSON
{}|no execute found
{"execute":42}|no execute found
[1,2]|no execute found
{"execute":"nope"}|unknown execute
{"execute":"add_hostfwd"}|add_hostfwd: bad arguments.proto
{"execute":"add_hostfwd","arguments":{"proto":"sctp","host_port":1,"guest_port":1}}|add_hostfwd: bad arguments.proto
{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"1.2.3.4.5","host_port":1,"guest_port":1}}|add_hostfwd: bad arguments.host_addr
{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_port":"80","guest_port":1}}|add_hostfwd: bad arguments.host_port
{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_port":70000,"guest_port":1}}|add_hostfwd: bad arguments.host_port
{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_port":1,"guest_addr":"x","guest_port":1}}|add_hostfwd: bad arguments.guest_addr
{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_port":1,"guest_port":0}}|add_hostfwd: bad arguments.guest_port
{"execute":"remove_hostfwd"}|remove_hostfwd: bad arguments.id
{"execute":"remove_hostfwd","arguments":{"id":"2"}}|remove_hostfwd: bad arguments.id
EOF
big=$(printf '{"execute":"list_hostfwd","pad":"%05000d"}' 0)
is "$(api old "$big")" '{"error":{"desc":"bad request: too large message"}}' \
	"a request over 4096 bytes: too large message"
ok4096=$(printf '{"execute":"list_hostfwd","pad":"%*d"}' 4061 0)
is "${#ok4096}" 4096 "(a request of exactly 4096 bytes)"
like "$(api old "$ok4096")" '^\{"return":\{"entries":\[' \
	"a request of 4096 bytes is served"

# Client styles
req_list=$(api go "$LIST")
is "$(printf '%s' "$LIST" | timeout 10 nc -N -U "$SOCK")" "$req_list" \
	"nc -N -U (shutdown after the request)"
is "$(printf '%s' "$LIST" | timeout 10 nc -U "$SOCK")" "$req_list" \
	"echo -n \$json | nc -U, without -N: the server closes"
is "$(api oneshot "$LIST")" "$req_list" \
	"complete object, no newline, no shutdown: reply, then close"
is "$(printf '%s\n' "$LIST" | timeout 10 socat -t 10 - "UNIX-CONNECT:$SOCK")" \
	"$req_list" "socat"
is "$(api keepalive "$LIST" '{"execute":"nope"}' "$(rm_req 8)" "$LIST")" \
	"$req_list
{\"error\":{\"desc\":\"bad request: unknown execute\"}}
$RET_EMPTY
$(api go "$LIST")
open" "keep-alive: four requests, four reply lines, connection stays open"
req_list=$(api go "$LIST")
is "$(api pipeline "$LIST" "$LIST" '{}')" "$req_list
$req_list
{\"error\":{\"desc\":\"bad request: no execute found\"}}" \
	"pipelined requests in one write: one reply line each"
is "$(api raw '\n\n  {"execute":"list_hostfwd"}\r\n\n')" "$req_list" \
	"blank lines and CRLF are tolerated"

# get_info and get_stats
info=$(api go '{"execute":"get_info"}')
like "$info" '^\{"return":\{"version":"[0-9.]+","libslirp_version":"4\.' \
	"get_info: version and libslirp version"
has "$info" '"ipv4":{"network":"10.0.2.0/24","gateway":"10.0.2.2","dns":"10.0.2.3"' \
	"get_info: IPv4 network"
has "$info" '"ipv6":{"enabled":true,"prefix":"fd00::/64","gateway":"fd00::2","dns":"fd00::3","guest":"fd00::100"}' \
	"get_info: IPv6 network"
has "$info" '"configure":true,"enable_ipv6":true' "get_info: options"
stats=$(api go '{"execute":"get_stats"}')
like "$stats" '"from_guest":\{"frames":[1-9][0-9]*,"bytes":[1-9]' \
	"get_stats: frames from the guest counted"
like "$stats" '"forwards":4,' "get_stats: 4 forwards"
like "$stats" '"api_connections":[1-9][0-9]+,"api_requests":[1-9][0-9]+,' \
	"get_stats: API connections and requests counted"

ok "SIGTERM: daemon exits" stop_daemon
nok "socket file removed at exit" test -e "$SOCK"

# ---------------------------------------------------------------------------
# The socket file, and a daemon without -6
# ---------------------------------------------------------------------------
SOCK="$S4N_TMP/b.sock"
"$S4N_PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])' "$SOCK"
ok "(a stale socket file is left behind)" test -S "$SOCK"
must "a daemon replaces a stale socket file" start_daemon -c -a "$SOCK" \
	"$GUEST_PID" tap0
B_PID=$DAEMON_PID
is "$(api go "$LIST")" '{"return":{"entries":[]}}' "... and serves on it"

run_s4n -c -a "$SOCK" "$GUEST_PID" tap1
is "$RUN_STATUS" 1 "a live socket is not taken over: exit 1"
is "$RUN_ERR" "slirp4netns: error: --api-socket \"$SOCK\": in use by a running process" \
	"... with one line naming the path"
is "$(api go "$LIST")" '{"return":{"entries":[]}}' \
	"... and the running daemon still serves"

echo precious >"$S4N_TMP/file"
run_s4n -c -a "$S4N_TMP/file" "$GUEST_PID" tap1
is "$RUN_STATUS" 1 "an existing regular file: exit 1"
is "$RUN_ERR" "slirp4netns: error: --api-socket \"$S4N_TMP/file\": exists and is not a socket" \
	"... with one line"
is "$(cat "$S4N_TMP/file")" precious "... and the file is left alone"

long="$S4N_TMP/$(printf '%0100d' 0).sock"
run_s4n -c -a "$long" "$GUEST_PID" tap1
is "$RUN_STATUS" 1 "a path longer than sun_path: exit 1"
is "$RUN_ERR" "slirp4netns: error: --api-socket \"$long\": path too long (max 107 bytes)" \
	"... with one clear line"
nok "... and nothing is created" test -e "$long"
run_s4n -c -a "$S4N_TMP/no/such/dir/api.sock" "$GUEST_PID" tap1
is "$RUN_STATUS" 1 "a missing directory: exit 1"
like "$RUN_ERR" '^slirp4netns: error: --api-socket "[^"]*": No such file or directory$' \
	"... with one line"

is "$(api go "$(add tcp6 ::1 8443 "" 80)")" \
	'{"error":{"desc":"bad request: add_hostfwd: bad arguments.proto"}}' \
	"without -6: tcp6 is refused, as slirp4netns did"
is "$(api go "$(add tcp :: 8443 "" 80)")" \
	'{"error":{"desc":"bad request: add_hostfwd: bad arguments.host_addr"}}' \
	"without -6: an IPv6 host_addr is refused"
is "$(api go "$(add tcp 0.0.0.0 8080 "" 80)")" '{"return":{"id":1}}' \
	"without -6: ids start from 1 in a new daemon"
like "$(tcp_host 127.0.0.1 8080)" '^hello ' "TCP over IPv4 forwards"
is "$(tcp_host ::1 8080)" refused "without -6: tcp on 0.0.0.0 is IPv4 only"
ok "SIGTERM: daemon exits" stop_daemon "$B_PID"
nok "socket file removed at exit" test -e "$SOCK"

# ---------------------------------------------------------------------------
# Sandbox and seccomp: the API still works, the file is still removed
# ---------------------------------------------------------------------------
mkdir -p "$S4N_TMP/sb"
SOCK="$S4N_TMP/sb/api.sock"
must "start the daemon with --enable-sandbox --enable-seccomp -a" \
	start_daemon -c -6 --enable-sandbox --enable-seccomp -a "$SOCK" \
	"$GUEST_PID" tap0
is "$(api go "$(add tcp "" 8090 "" 80)")" '{"return":{"id":1}}' \
	"sandboxed: add_hostfwd"
like "$(tcp_host ::1 8090)" '^hello fd00::2 ' "sandboxed: forward works"
is "$(api keepalive "$(rm_req 1)" "$LIST")" "$RET_EMPTY
{\"return\":{\"entries\":[]}}
open" "sandboxed: remove_hostfwd and list_hostfwd, keep-alive"
is "$(tcp_host 127.0.0.1 8090)" refused "sandboxed: port closed"
ok "SIGTERM: daemon exits" stop_daemon
nok "socket file removed at exit, after pivot_root and seccomp" \
	test -e "$SOCK"

# ---------------------------------------------------------------------------
# Unprivileged: a rootless guest and the daemon as $S4N_USER
# ---------------------------------------------------------------------------
must "set up the unprivileged user" setup_user
must "start a rootless guest" start_guest --rootless
SOCK="$S4N_USER_TMP/api.sock"
must "start the daemon as $S4N_USER with -6 -a" start_daemon \
	--user "$S4N_USER" -c -6 -a "$SOCK" "$GUEST_PID" tap0
is "$(stat -c %U "$SOCK")" "$S4N_USER" "socket file owned by $S4N_USER"
must "start servers in the rootless guest" start_guest_servers
is "$(as_user "$S4N_PYTHON" "$CLIENT" "$SOCK" go "$(add tcp "" 18080 "" 80)" 2>&1)" \
	'{"return":{"id":1}}' "unprivileged: add_hostfwd"
like "$(tcp_host 127.0.0.1 18080)" '^hello ' "unprivileged: TCP over IPv4"
like "$(tcp_host ::1 18080)" '^hello fd00::2 ' "unprivileged: TCP over IPv6"
is "$(as_user "$S4N_PYTHON" "$CLIENT" "$SOCK" go "$(add udp "" 15353 "" 53)" 2>&1)" \
	'{"return":{"id":2}}' "unprivileged: add_hostfwd udp"
like "$(udp_host 127.0.0.1 15353)" '^echo ping' "unprivileged: UDP"
is "$(as_user "$S4N_PYTHON" "$CLIENT" "$SOCK" go "$(add tcp "" 80 "" 80)" 2>&1)" \
	'{"error":{"desc":"add_hostfwd: cannot bind 0.0.0.0:80/tcp: Permission denied"}}' \
	"unprivileged: a privileged port is an error naming it"
is "$(as_user "$S4N_PYTHON" "$CLIENT" "$SOCK" go "$(rm_req 1)" 2>&1)" \
	"$RET_EMPTY" "unprivileged: remove_hostfwd"
is "$(tcp_host 127.0.0.1 18080)" refused "unprivileged: port closed"
ok "SIGTERM: daemon exits" stop_daemon
nok "socket file removed at exit" test -e "$SOCK"

# ---------------------------------------------------------------------------
# RootlessKit's slirp4netns port driver, as a real client
# ---------------------------------------------------------------------------
if command -v rootlesskit >/dev/null && command -v rootlessctl >/dev/null
then
	rk="$S4N_USER_TMP/rk"
	mkdir -p "$rk"
	chown "$S4N_USER" "$rk"
	bin=$(user_binary "$S4N_BINARY")
	# The server in the child says "ready" on stdout once it listens;
	# RootlessKit exposes -p ports before it starts the child's command.
	rk_st=0
	spawn_ready --user "$S4N_USER" --fd 1 --match '^ready' \
		rootlesskit --net=slirp4netns --slirp4netns-binary="$bin" \
		--port-driver=slirp4netns --disable-host-loopback \
		--state-dir="$rk/state" -p 127.0.0.1:28080:80/tcp \
		"$S4N_PYTHON" -c '
import socket
s = socket.socket()
s.bind(("0.0.0.0", 80))
s.listen(8)
print("ready", flush=True)
while True:
    c, a = s.accept()
    c.sendall(("hello rootlesskit %s\n" % a[0]).encode())
    c.close()' || rk_st=$?
	is "$rk_st" 0 "RootlessKit starts with our binary"
	is "$(tcp_host 127.0.0.1 28080)" "hello rootlesskit 10.0.2.2" \
		"RootlessKit -p 127.0.0.1:28080:80/tcp forwards to the child"
	rkctl() {
		as_user rootlessctl --socket "$rk/state/api.sock" "$@" 2>&1 ||
			true
	}
	like "$(rkctl add-ports 127.0.0.1:28081:80/tcp)" '^2$' \
		"rootlessctl add-ports: id 2"
	is "$(tcp_host 127.0.0.1 28081)" "hello rootlesskit 10.0.2.2" \
		"... forwards"
	like "$(rkctl add-ports 127.0.0.1:28081:80/tcp)" 'conflict|in use' \
		"rootlessctl add-ports on a used port: an error"
	rkctl remove-ports 2 >/dev/null
	is "$(tcp_host 127.0.0.1 28081)" refused \
		"rootlessctl remove-ports: port closed"
	like "$(tcp_host 127.0.0.1 28080)" '^hello ' "the first port still works"
	kill "$SPAWN_PID" 2>/dev/null || true
	wait_exit "$SPAWN_PID" || true
else
	skip "rootlesskit not installed" 6
fi

# ---------------------------------------------------------------------------
# Podman 4.3 with port_handler=slirp4netns, as a real client: rootless, as
# Podman runs slirp4netns in practice, with HOME, XDG_RUNTIME_DIR and its
# storage in $S4N_TMP so that nothing is left on the machine
# ---------------------------------------------------------------------------
# http_host URL - print the body, or what went wrong
http_host()
{
	"$S4N_PYTHON" - "$1" <<'EOF' 2>&1 || true
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode().strip())
EOF
}

# http_from SRC HOST PORT PATH - the body of a GET from source address SRC
http_from()
{
	"$S4N_PYTHON" - "$@" <<'EOF' 2>&1 || true
import sys, http.client
src, host, port, path = sys.argv[1:5]
c = http.client.HTTPConnection(host, int(port), timeout=10,
                               source_address=(src, 0))
c.request("GET", path)
print(c.getresponse().read().decode().strip())
EOF
}

# podman_rootfs DIR - a tiny root filesystem: busybox and its libraries,
# a page to serve, and a fifo the container writes "ready" to
podman_rootfs()
{
	local lib
	mkdir -p "$1/bin" "$1/www" "$1/proc" "$1/dev" "$1/sys" "$1/tmp" \
		"$1/etc"
	cp "$(command -v busybox)" "$1/bin/busybox"
	ln -s busybox "$1/bin/sh"
	for lib in $(ldd "$1/bin/busybox" | grep -o '/[^ ]*'); do
		mkdir -p "$1$(dirname "$lib")"
		cp "$lib" "$1$lib"
	done
	echo "hello from podman" >"$1/www/index.html"
	# the client's address as the container sees it (busybox httpd CGI)
	mkdir -p "$1/www/cgi-bin"
	printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n' \
		>"$1/www/cgi-bin/peer"
	chmod 755 "$1/www/cgi-bin/peer"
	mkfifo "$1/ready"
}

pod="$S4N_USER_TMP/pod"
pod_st=1
if command -v podman >/dev/null && command -v busybox >/dev/null; then
	# crun refuses hybrid cgroup set-ups; this mount namespace is ours
	if mountpoint -q /sys/fs/cgroup/unified; then
		umount /sys/fs/cgroup/unified
	fi
	mkdir -p "$pod/bin" "$pod/root" "$pod/run" "$pod/tmp" "$pod/home"
	podman_rootfs "$pod/rootfs"
	cp "$S4N_BINARY" "$pod/bin/slirp4netns"
	printf '[engine]\nnetwork_cmd_path = "%s"\n' "$pod/bin/slirp4netns" \
		>"$pod/containers.conf"
	chown -R "$S4N_USER:" "$pod"
	podman_cmd=(as_user env HOME="$pod/home"
		CONTAINERS_CONF="$pod/containers.conf" podman
		--root "$pod/root" --runroot "$pod/run" --tmpdir "$pod/tmp"
		--storage-driver vfs --cgroup-manager cgroupfs
		--events-backend file)
	pod_st=0
	"${podman_cmd[@]}" run --rm --cgroups=disabled --network none \
		--rootfs "$pod/rootfs" /bin/busybox true \
		>"$pod/smoke.log" 2>&1 || pod_st=$?
fi
if ! command -v podman >/dev/null || ! command -v busybox >/dev/null; then
	skip "podman or busybox not installed" 10
elif [ "$pod_st" -ne 0 ]; then
	skip "podman cannot run a container here: $(tail -n 1 "$pod/smoke.log")" 10
else
	# the manual's way to check which binary Podman runs (USE WITH PODMAN)
	like "$("${podman_cmd[@]}" info --format \
		'{{.Host.Slirp4NetNS.Executable}} {{.Host.Slirp4NetNS.Version}}' 2>&1)" \
		"^$pod/bin/slirp4netns slirp4netns version [0-9]" \
		"podman info names our binary and reads its version"
	pod_st=0
	"${podman_cmd[@]}" run -d --cgroups=disabled --name web \
		--network slirp4netns:port_handler=slirp4netns,enable_ipv6=true \
		-p 8080:80 -p 127.0.0.1:8081:80/tcp --rootfs "$pod/rootfs" \
		/bin/sh -c 'busybox httpd -p 80 -h /www && echo ready >/ready &&
			exec busybox sleep 1000' >"$pod/run.log" 2>&1 || pod_st=$?
	is "$pod_st" 0 "podman run -p with port_handler=slirp4netns"
	# the fifo: the server in the container listens once it says so
	read -r -t "$S4N_TIMEOUT" line <"$pod/rootfs/ready" || true
	SOCK=$(echo "$pod"/tmp/*.net)
	# Podman adds its forwards in no fixed order (a Go map): compare the
	# entries by port, and the ids as a set.
	is "$(api go "$LIST" | entries_by_port)" "$(entries_by_port <<<'{"return":{"entries":[{"id":1,"proto":"tcp","host_addr":"0.0.0.0","host_port":8080,"guest_addr":"10.0.2.100","guest_port":80,"host_addr6":"::","guest_addr6":"fd00::100"},{"id":2,"proto":"tcp","host_addr":"127.0.0.1","host_port":8081,"guest_addr":"10.0.2.100","guest_port":80}]}}')" \
		"Podman's forwards, as list_hostfwd shows them"
	is "$(http_host http://127.0.0.1:8080/)" "hello from podman" \
		"Podman -p 8080:80 over IPv4"
	is "$(http_host 'http://[::1]:8080/')" "hello from podman" \
		"Podman -p 8080:80 over IPv6 (enable_ipv6=true)"
	is "$(http_host http://127.0.0.1:8081/)" "hello from podman" \
		"Podman -p 127.0.0.1:8081:80"
	is "$(tcp_host ::1 8081)" refused "... which is IPv4 only"
	# a client from a host address that is not a loopback one: the
	# container sees that address (issue 19), a loopback one the gateway
	ip addr add 192.0.2.10/32 dev lo
	# (busybox httpd writes "[::ffff:192.0.2.10]": it listens on [::])
	like "$(http_from 192.0.2.10 192.0.2.10 8080 /cgi-bin/peer)" \
		'^\[?(::ffff:)?192\.0\.2\.10\]?$' \
		"Podman: the container sees a client from 192.0.2.10 as 192.0.2.10"
	like "$(http_host http://127.0.0.1:8080/cgi-bin/peer)" \
		'^\[?(::ffff:)?10\.0\.2\.2\]?$' \
		"Podman: ... and a client on 127.0.0.1 as the gateway 10.0.2.2"
	ok "podman rm -f" "${podman_cmd[@]}" rm -f -t 0 web
fi

done_testing
