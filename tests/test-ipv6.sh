#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-ipv6.sh - -6 with the default prefix, --cidr6 and --ipv6-random
#
# Copyright (C) 2026 The slirp4netns authors
#
# The guest reaches the host's ::1 at prefix::2, as it reaches 127.0.0.1 at
# network+2.  Everything is checked as soon as --ready-fd fires: a daemon
# that reports ready before the IPv6 address is usable fails here.

. "$(dirname "$0")/lib.sh"

[ -e /proc/sys/net/ipv6 ] || skip_all "no IPv6 in this kernel"

must "host-side server on [::1]:8080" start_tcp_server ::1 8080
must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080

# global6 - the guest's global IPv6 addresses on tap0, as ADDR/LEN
global6()
{
	guest ip -6 -o addr show dev tap0 scope global |
		awk '{ print $4 }' | xargs
}

# in_prefix ADDR/LEN PREFIX/LEN - is the address inside the prefix?
in_prefix()
{
	"$S4N_PYTHON" - "$1" "$2" <<'EOF'
import ipaddress, sys
a = ipaddress.ip_interface(sys.argv[1]).ip
sys.exit(0 if a in ipaddress.ip_network(sys.argv[2]) else 1)
EOF
}

# host_of ADDR/LEN N - the N-th address of the address's /LEN network
host_of()
{
	"$S4N_PYTHON" - "$1" "$2" <<'EOF'
import ipaddress, sys
print(ipaddress.ip_interface(sys.argv[1]).network[int(sys.argv[2])])
EOF
}

# check6 NAME PREFIX - the guest's IPv6 set-up and traffic for PREFIX
check6()
{
	local name=$1 prefix=$2 a gw
	a=$(global6)
	if [ -n "$a" ] && [ "${a// /}" = "$a" ] && in_prefix "$a" "$prefix"
	then
		pass "$name: one global address, in $prefix ($a)"
	else
		fail "$name: one global address, in $prefix" "got: '$a'"
		return 0
	fi
	unlike "$(guest ip -6 -o addr show dev tap0 scope global)" \
		'tentative|dadfailed' "$name: the address is usable (no DAD)"
	gw=$(host_of "$prefix" 2)
	like "$(guest ip -6 route show default | xargs)" \
		"^default via ($gw|fe80::[0-9a-f:]+) dev tap0( |$)" \
		"$name: IPv6 default route on tap0"
	ok "$name: ping6 the gateway $gw" \
		guest ping -6 -c 1 -W "$S4N_TIMEOUT" "$gw"
	like "$(tcp_get "$gw" 8080 2>&1)" '^hello ::1 [0-9]+$' \
		"$name: TCP to [$gw]:8080 reaches the host's [::1]:8080"
	like "$(tcp_get 10.0.2.2 8080 2>&1)" '^hello 127\.0\.0\.1 ' \
		"$name: IPv4 still works"
}

# --- without -6 ---------------------------------------------------------------
must "guest" start_guest
must "daemon without -6" start_daemon -c "$GUEST_PID" tap0
is "$(global6)" "" "without -6: no global IPv6 address on tap0"
nok "without -6: [fd00::2] unreachable" guest socat -T 2 -u \
	"TCP:[fd00::2]:8080,connect-timeout=2" STDOUT
ok "daemon exits 0" stop_daemon

# --- -6, default prefix fd00::/64 ---------------------------------------------
must "guest" start_guest
ok "daemon -6 starts" start_daemon -6 -c "$GUEST_PID" tap0
check6 "-6" fd00::/64
ok "daemon exits 0" stop_daemon

# --- --enable-ipv6 --disable-host-loopback ------------------------------------
must "guest" start_guest
ok "daemon --enable-ipv6 --disable-host-loopback starts" \
	start_daemon --enable-ipv6 --disable-host-loopback -c "$GUEST_PID" tap0
nok "--disable-host-loopback: TCP to [fd00::2]:8080 is refused" \
	guest socat -T 5 -u "TCP:[fd00::2]:8080,connect-timeout=5" STDOUT
ok "daemon exits 0" stop_daemon

# --- --cidr6 --------------------------------------------------------------------
must "guest" start_guest
ok "daemon -6 --cidr6=fd42:1:2:3::/64 starts" \
	start_daemon -6 --cidr6=fd42:1:2:3::/64 -c "$GUEST_PID" tap0
check6 "--cidr6" fd42:1:2:3::/64
ok "daemon exits 0" stop_daemon

# --- --ipv6-random --------------------------------------------------------------
prefixes=()
for run in 1 2; do
	must "guest" start_guest
	ok "daemon -6 --ipv6-random starts (run $run)" \
		start_daemon -6 --ipv6-random -c "$GUEST_PID" tap0
	a=$(global6)
	if [ -n "$a" ] && [ "${a// /}" = "$a" ] &&
		in_prefix "$a" fc00::/7 && ! in_prefix "$a" fd00::/64; then
		pass "--ipv6-random: a unique local address outside fd00::/64 ($a)"
		p="$(host_of "$a" 0)/${a#*/}"
		is "${a#*/}" 64 "--ipv6-random: a /64 prefix"
		check6 "--ipv6-random" "$p"
		prefixes+=("$p")
	else
		fail "--ipv6-random: a unique local address outside fd00::/64" \
			"got: '$a'"
	fi
	ok "daemon exits 0" stop_daemon
done
if [ "${#prefixes[@]}" = 2 ] && [ "${prefixes[0]}" != "${prefixes[1]}" ]; then
	pass "--ipv6-random: two runs pick different prefixes"
else
	fail "--ipv6-random: two runs pick different prefixes" \
		"prefixes: ${prefixes[*]}"
fi

done_testing
