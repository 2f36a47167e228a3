#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-pcap-capture.sh - --pcap: a capture of a TCP and a UDP exchange that
# tcpdump reads back, as root and as an unprivileged user under the
# sandbox and seccomp; the writer process, the file's mode, bad paths
#
# Copyright (C) 2026 The slirp4netns authors

. "$(dirname "$0")/lib.sh"

require_cmd tcpdump

must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
must "DNS server on 127.0.0.1:53" start_dns

# exchange - one TCP connection to the host and one DNS query (UDP) from
# the current guest
exchange()
{
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
		"$1: TCP through 10.0.2.2"
	like "$(guest timeout 10 busybox nslookup "$S4N_DNS_NAME" 10.0.2.3 2>&1)" \
		"Address:? *(1: )?${S4N_DNS_ADDR//./\\.}" "$1: DNS (UDP) through 10.0.2.3"
}

# check_capture WHO FILE - tcpdump reads FILE without complaint and shows
# both ways of the TCP and of the UDP exchange
check_capture()
{
	local who=$1 f=$2 out st=0
	out=$(tcpdump -n -r "$f" 2>"$S4N_TMP/root/tcpdump.err") || st=$?
	is "$st" 0 "$who: tcpdump -r reads the file"
	unlike "$(cat "$S4N_TMP/root/tcpdump.err")" 'truncated|bogus|error' \
		"$who: ... without complaint"
	like "$out" 'IP 10\.0\.2\.100\.[0-9]+ > 10\.0\.2\.2\.8080: Flags \[S\]' \
		"$who: the guest's SYN to 10.0.2.2:8080"
	like "$out" 'IP 10\.0\.2\.2\.8080 > 10\.0\.2\.100\.[0-9]+: Flags \[S\.\]' \
		"$who: the SYN-ACK to the guest"
	like "$out" 'IP 10\.0\.2\.2\.8080 > 10\.0\.2\.100\.[0-9]+: Flags \[P\.\].*length [1-9]' \
		"$who: the server's data to the guest"
	like "$out" "IP 10\\.0\\.2\\.100\\.[0-9]+ > 10\\.0\\.2\\.3\\.53: .* A\\? ${S4N_DNS_NAME//./\\.}" \
		"$who: the guest's DNS query (UDP) to 10.0.2.3"
	like "$out" "IP 10\\.0\\.2\\.3\\.53 > 10\\.0\\.2\\.100\\.[0-9]+: .* A ${S4N_DNS_ADDR//./\\.}" \
		"$who: the DNS answer (UDP) to the guest"
	like "$out" 'ARP, Request who-has 10\.0\.2\.2' "$who: the guest's ARP request"
	if [ "$st" -ne 0 ] || [ "${S4N_VERBOSE:-0}" = 1 ]; then
		diag "$(head -n 40 <<<"$out")"
	fi
}

# writer_of PID - the pid of the daemon's capture writer (its one child)
writer_of()
{
	cat "/proc/$1/task/$1/children" 2>/dev/null | tr -d ' '
}

# --- as root ------------------------------------------------------------------
must "guest" start_guest
cap=$S4N_TMP/root/cap.pcap
ok "root: daemon with --pcap started" start_daemon --no-wait -c \
	--pcap="$cap" "$GUEST_PID" tap0
ok "root: ready, and the ready fd closed (the writer does not hold it)" \
	wait_ready --eof
w=$(writer_of "$DAEMON_PID")
like "$w" '^[0-9]+$' "root: one writer process"
if grep -qs 'define S4N_SANITIZERS 1' "${S4N_BUILDDIR:-.}/config.h"; then
	skip "ASan build: the writer runs without strict mode" 1
else
	like "$(grep '^Seccomp:' "/proc/$w/status" 2>&1)" \
		'Seccomp:[[:space:]]+1' "root: the writer runs in seccomp's strict mode"
fi
is "$(readlink "/proc/$w/fd/1")" "$cap" "root: the writer holds the file"
is "$(stat -c %a "$cap")" 600 "root: the file is mode 0600"
exchange root
ok "root: SIGTERM, exit 0" stop_daemon
ok "root: the writer is gone once the daemon exited" \
	test ! -e "/proc/$w/status" -o -z "$(grep -s '^State:.*[RS]' "/proc/$w/status")"
check_capture root "$cap"

# --- unprivileged, as Podman runs it: sandbox and seccomp --------------------
setup_user
must "rootless guest" start_guest --rootless
ucap=$S4N_USER_TMP/cap.pcap
ok "$S4N_USER: daemon with --pcap, --enable-sandbox, --enable-seccomp" \
	start_daemon --user "$S4N_USER" -c --enable-sandbox --enable-seccomp \
	--pcap="$ucap" "$GUEST_PID" tap0
like "$(grep '^Seccomp:' "/proc/$DAEMON_PID/status" 2>&1)" \
	'Seccomp:[[:space:]]+2' "$S4N_USER: the daemon's filter is on"
is "$(ls "/proc/$DAEMON_PID/root/" | tr '\n' ' ')" "etc run " \
	"$S4N_USER: the sandbox holds (its root has only etc and run)"
is "$(stat -c %U "$ucap")" "$S4N_USER" "$S4N_USER: the file belongs to the user"
exchange "$S4N_USER"
ok "$S4N_USER: SIGTERM, exit 0" stop_daemon
check_capture "$S4N_USER" "$ucap"
unlike "$(cat "$DAEMON_LOG")" 'error|warning' "$S4N_USER: no error or warning"

# --- bad paths ------------------------------------------------------------------
must "guest" start_guest
run_s4n -c --pcap="$S4N_TMP/no/such/dir/x.pcap" "$GUEST_PID" tap0
is "$RUN_STATUS" 1 "a file in a missing directory: exit 1"
is "$RUN_ERR" "slirp4netns: error: --pcap \"$S4N_TMP/no/such/dir/x.pcap\": No such file or directory" \
	"... one line naming the option and the path"
is "$(guest ip -o link show tap0 2>/dev/null)" "" "... no TAP device left behind"
ok "... no process left behind" stray_daemons
run_s4n -c --pcap= "$GUEST_PID" tap0
is "$RUN_STATUS" 1 "an empty path: exit 1"
is "$RUN_ERR" "slirp4netns: error: --pcap: empty path" "... one line"

# A start that fails after the file was created removes it again: the
# ready fd is open, but read-only.
exec {ro}</dev/null
st=0
(_s4n_close_fds 2>/dev/null || true; exec "$S4N_BINARY" -c --ready-fd="$ro" \
	--pcap="$S4N_TMP/root/late.pcap" "$GUEST_PID" tap0) \
	>/dev/null 2>"$S4N_TMP/root/late.err" || st=$?
exec {ro}<&-
is "$st" 1 "a failure after the file was created: exit 1"
like "$(cat "$S4N_TMP/root/late.err")" 'ready-fd' "... naming the ready fd"
ok "... and the file is removed" test ! -e "$S4N_TMP/root/late.pcap"
run_s4n -c --pcap=/dev/full "$GUEST_PID" tap0
is "$RUN_ERR" 'slirp4netns: error: --pcap "/dev/full": No space left on device' \
	"a file that cannot be written: one line at start-up"

# A write error later (here RLIMIT_FSIZE) stops the capture with a
# warning from the writer and one from the daemon; traffic goes on.
small=$S4N_TMP/root/small.pcap
ok "RLIMIT_FSIZE of 2000 bytes: daemon started" start_daemon \
	--wrap prlimit --wrap --fsize=2000 -c --pcap="$small" "$GUEST_PID" tap0
for i in 1 2 3; do
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
		"RLIMIT_FSIZE: TCP connection $i still works"
done
# The daemon learns that the writer stopped at the first frame after it
# did: more traffic (bounded) until it says so.
for i in $(seq 20); do
	grep -q 'the writer stopped' "$DAEMON_LOG" && break
	tcp_get 10.0.2.2 8080 >/dev/null 2>&1 || true
done
ok "RLIMIT_FSIZE: SIGTERM, exit 0" stop_daemon
like "$(cat "$DAEMON_LOG")" \
	$'(^|\n)slirp4netns: warning: --pcap: file too large for RLIMIT_FSIZE; capture stopped(\n|$)' \
	"RLIMIT_FSIZE: the writer says why it stopped"
like "$(cat "$DAEMON_LOG")" \
	$'(^|\n)slirp4netns: warning: --pcap "[^"]*": the writer stopped \\(Broken pipe\\); capture stopped(\n|$)' \
	"RLIMIT_FSIZE: the daemon says the capture stopped"
is "$(stat -c %s "$small")" 2000 "RLIMIT_FSIZE: the file stops at the limit"
like "$(tcpdump -n -r "$small" 2>&1)" 'ARP, Request who-has' \
	"RLIMIT_FSIZE: tcpdump reads the frames before it"

echo keep >"$S4N_TMP/root/old.pcap"
run_s4n -c --pcap="$S4N_TMP/root/old.pcap" --mtu=0 "$GUEST_PID" tap0
is "$(cat "$S4N_TMP/root/old.pcap")" keep "a bad option leaves an existing file alone"

done_testing
