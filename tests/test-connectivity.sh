#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-connectivity.sh - guest traffic: ping and TCP to the gateway,
# --disable-host-loopback, DHCP from the guest
#
# Copyright (C) 2026 The slirp4netns authors
#
# The "host" is the test's private network namespace: its 127.0.0.1 is
# what the guest reaches at the gateway address (network+2).

. "$(dirname "$0")/lib.sh"

require_cmd busybox socat ping

must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
must "host-side HTTP server on 127.0.0.1:8088" \
	start_tcp_server --http 127.0.0.1 8088

# --- the default network ----------------------------------------------------
must "guest" start_guest
must "daemon -c" start_daemon -c "$GUEST_PID" tap0
ok "ping the gateway 10.0.2.2" guest ping -c 3 -i 0.2 -W "$S4N_TIMEOUT" \
	10.0.2.2
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 [0-9]+$' \
	"TCP to 10.0.2.2:8080 reaches the host's 127.0.0.1:8080"
out=$(guest wget -q -T "$S4N_TIMEOUT" -O - http://10.0.2.2:8088/ 2>&1)
is "$out" "hello from the host, you came from 127.0.0.1" \
	"HTTP GET through 10.0.2.2 (wget)"
# Ten connections at once, each answered.
pids=()
for i in $(seq 10); do
	tcp_get 10.0.2.2 8080 >"$S4N_TMP/root/par.$i" 2>&1 &
	pids+=("$!")
done
for pid in "${pids[@]}"; do
	wait_exit "$pid" || true
done
n=$(cat "$S4N_TMP"/root/par.* | grep -c '^hello 127\.0\.0\.1 ' || true)
is "$n" 10 "ten concurrent TCP connections are all answered"
nok "TCP to a closed host port is refused" \
	guest socat -T 5 -u TCP:10.0.2.2:8099,connect-timeout=5 STDOUT
like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
	"still working after a refused connection"
ok "daemon exits 0" stop_daemon

# --- --disable-host-loopback -----------------------------------------------
must "guest" start_guest
must "daemon --disable-host-loopback" \
	start_daemon --disable-host-loopback -c "$GUEST_PID" tap0
out=$(guest socat -T 5 -u TCP:10.0.2.2:8080,connect-timeout=5 STDOUT 2>&1) &&
	st=0 || st=$?
if [ "$st" -ne 0 ] && ! [[ $out =~ hello ]]; then
	pass "--disable-host-loopback: TCP to 10.0.2.2:8080 is refused"
else
	fail "--disable-host-loopback: TCP to 10.0.2.2:8080 is refused" \
		"socat status $st, output: $out"
fi
nok "--disable-host-loopback: HTTP through 10.0.2.2 fails" \
	guest wget -q -T 5 -O - http://10.0.2.2:8088/
ok "daemon exits 0" stop_daemon

# --- DHCP -------------------------------------------------------------------
cat >"$S4N_TMP/root/udhcpc.sh" <<'EOF'
#!/bin/sh
# udhcpc event script: record the lease, and apply it on "bound"
case $1 in
bound)
	echo "ip=$ip subnet=$subnet router=$router dns=$dns" >"$LEASE_FILE"
	ip addr add "$ip/$mask" dev "$interface"
	ip route add default via "$router" dev "$interface"
	;;
esac
exit 0
EOF
chmod 0755 "$S4N_TMP/root/udhcpc.sh"

# dhcp CIDR-PREFIX NAME - lease an address on a TAP the daemon did not
# configure, and check it and the traffic through it
dhcp()
{
	local net=$1 name=$2 lease ip
	must "guest" start_guest
	must "$name: daemon without -c" start_daemon "${@:3}" "$GUEST_PID" tap0
	ok "$name: tap0 up" guest ip link set tap0 up
	rm -f "$S4N_TMP/root/lease"
	ok "$name: udhcpc gets a lease" guest env \
		LEASE_FILE="$S4N_TMP/root/lease" busybox udhcpc -i tap0 -f -q \
		-n -t 5 -T 1 -s "$S4N_TMP/root/udhcpc.sh"
	lease=$(cat "$S4N_TMP/root/lease" 2>/dev/null || true)
	ip=$(sed -n 's/^ip=\([^ ]*\) .*/\1/p' <<<"$lease")
	if [[ $ip =~ ^${net//./\\.}\.([0-9]+)$ ]] &&
		[ "${BASH_REMATCH[1]}" -ge 15 ] &&
		[ "${BASH_REMATCH[1]}" -le 30 ]; then
		pass "$name: leased address $ip is in $net.15-$net.30"
	else
		fail "$name: leased address is in $net.15-$net.30" \
			"lease: $lease"
	fi
	like "$lease" "router=${net//./\\.}\.2( |$)" "$name: router is $net.2"
	like "$lease" "dns=${net//./\\.}\.3( |$)" "$name: DNS server is $net.3"
	like "$(tcp_get "$net.2" 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
		"$name: TCP through $net.2 with the leased address"
	ok "$name: daemon exits 0" stop_daemon
}

dhcp 10.0.2 "DHCP"
dhcp 10.8.0 "DHCP with --cidr=10.8.0.0/16" --cidr=10.8.0.0/16

done_testing
