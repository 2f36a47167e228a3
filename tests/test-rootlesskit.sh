#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-rootlesskit.sh - RootlessKit as a real client
#
# Copyright (C) 2026 The slirp4netns authors
#
# `rootlesskit --net=slirp4netns --slirp4netns-binary=OURS` run by the
# unprivileged user s4ntest must give its child a working network: the
# private host's 127.0.0.1 through 10.0.2.2, and DNS through 10.0.2.3 to the
# local dnsmasq.  RootlessKit finds our features by grepping --help.

. "$(dirname "$0")/lib.sh"

require_cmd rootlesskit newuidmap newgidmap socat
must "test user $S4N_USER and /dev/net/tun 0666" setup_user
# RootlessKit maps a range of subordinate IDs: give the user one if needed.
if ! grep -q "^$S4N_USER:" /etc/subuid 2>/dev/null ||
	! grep -q "^$S4N_USER:" /etc/subgid 2>/dev/null; then
	ok "subordinate IDs for $S4N_USER" usermod \
		--add-subuids 300000-365535 --add-subgids 300000-365535 \
		"$S4N_USER"
fi
must "local resolver (dnsmasq)" start_dns
must "host-side server on 127.0.0.1:8080" start_tcp_server 127.0.0.1 8080
must "extra host address 172.31.78.1 on lo" ip addr add 172.31.78.1/32 dev lo
must "host-side server on 172.31.78.1:8081" start_tcp_server 172.31.78.1 8081
bin=$S4N_USER_BINARY

cat >"$S4N_TMP/root/rk-child.sh" <<EOF
#!/bin/sh
# Runs inside RootlessKit's namespaces: report what the network looks like.
echo "uid: \$(id -u)"
echo "addr: \$(ip -4 -o addr show dev tap0 | awk '{ print \$4 }')"
echo "mtu: \$(cat /sys/class/net/tap0/mtu)"
echo "route: \$(ip -4 route show default)"
echo "loopback: \$(socat -T 5 -u TCP:\$1:8080,connect-timeout=5 STDOUT 2>&1)"
echo "host: \$(socat -T 5 -u TCP:172.31.78.1:8081,connect-timeout=5 STDOUT 2>&1)"
echo "dns: \$(getent ahostsv4 $S4N_DNS_NAME | awk 'NR == 1 { print \$1 }')"
echo "resolv: \$(grep nameserver /etc/resolv.conf | head -n 1)"
EOF
chmod 0755 "$S4N_TMP/root/rk-child.sh"

# rk NAME GATEWAY ARGS... - run the child under rootlesskit ARGS as the
# test user; RK_OUT gets its report
rk()
{
	local name=$1 gw=$2 st=0
	shift 2
	_s4n_seq
	RK_OUT=$(cd / && as_user timeout -k 5 60 rootlesskit \
		--state-dir="$S4N_USER_TMP/xdg/rk.$_S4N_SEQ" --net=slirp4netns \
		--slirp4netns-binary="$bin" --copy-up=/etc "$@" \
		"$S4N_TMP/root/rk-child.sh" "$gw" 2>&1) || st=$?
	is "$st" 0 "$name: rootlesskit and its child exit 0"
	if [ "$st" -ne 0 ]; then
		diag "$RK_OUT"
	fi
}

rk "rootlesskit" 10.0.2.2
like "$RK_OUT" $'(^|\n)uid: 0\n' "rootlesskit: the child is root in its namespace"
like "$RK_OUT" $'\naddr: 10\\.0\\.2\\.100/24\n' "rootlesskit: tap0 has 10.0.2.100/24"
like "$RK_OUT" $'\nmtu: 65520\n' "rootlesskit: MTU 65520 (RootlessKit's default)"
like "$RK_OUT" $'\nroute: default via 10\\.0\\.2\\.2 ' \
	"rootlesskit: default route via 10.0.2.2"
like "$RK_OUT" $'\nloopback: hello 127\\.0\\.0\\.1 ' \
	"rootlesskit: the host's 127.0.0.1:8080 through 10.0.2.2"
like "$RK_OUT" $'\nhost: hello 172\\.31\\.78\\.1 ' \
	"rootlesskit: a host address (172.31.78.1)"
like "$RK_OUT" $'\ndns: 192\\.0\\.2\\.10(\n|$)' \
	"rootlesskit: DNS through 10.0.2.3 reaches the local resolver"
like "$RK_OUT" $'\nresolv: nameserver 10\\.0\\.2\\.3' \
	"rootlesskit: the child's resolv.conf names 10.0.2.3"

rk "rootlesskit --disable-host-loopback --cidr --mtu" 10.9.0.2 \
	--disable-host-loopback --cidr=10.9.0.0/24 --mtu=1500
like "$RK_OUT" $'\naddr: 10\\.9\\.0\\.100/24\n' "--cidr: tap0 has 10.9.0.100/24"
like "$RK_OUT" $'\nmtu: 1500\n' "--mtu=1500: MTU 1500"
lb=$(sed -n 's/^loopback: //p' <<<"$RK_OUT")
like "$lb" 'E connect.*(refused|not permitted|unreachable)' \
	"--disable-host-loopback: 127.0.0.1 is not reachable"
like "$RK_OUT" $'\nhost: hello 172\\.31\\.78\\.1 ' \
	"--disable-host-loopback: a host address still is"
like "$RK_OUT" $'\ndns: 192\\.0\\.2\\.10(\n|$)' "--cidr: DNS through 10.9.0.3"

rk "rootlesskit with sandbox and seccomp" 10.0.2.2 \
	--slirp4netns-sandbox=true --slirp4netns-seccomp=true
like "$RK_OUT" $'\nloopback: hello 127\\.0\\.0\\.1 ' \
	"sandbox+seccomp: the host's 127.0.0.1:8080 through 10.0.2.2"
like "$RK_OUT" $'\ndns: 192\\.0\\.2\\.10(\n|$)' \
	"sandbox+seccomp: DNS through 10.0.2.3"

done_testing
