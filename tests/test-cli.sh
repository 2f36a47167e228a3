#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-cli.sh - --help, --version and every kind of bad input
#
# Copyright (C) 2026 The slirp4netns authors
#
# Podman and RootlessKit grep --help for option names and parse --version,
# so both are checked word for word.  Each bad input must give exactly one
# line on stderr naming the option and its value, exit status 1, and leave
# nothing behind: no process, no TAP device in the target, no socket file.

. "$(dirname "$0")/lib.sh"

must "start a guest network namespace" start_guest
setup_user

# --- --help ---------------------------------------------------------------
run_s4n --help
is "$RUN_STATUS" 0 "--help exits 0"
for opt in --configure --exit-fd --ready-fd --mtu --enable-ipv6 \
	--api-socket --cidr --cidr6 --ipv6-random --disable-host-loopback \
	--netns-type --userns-path --enable-sandbox --enable-seccomp \
	--outbound-addr --outbound-addr6 --disable-dns --macaddress \
	--target-type --debug --quiet --pcap --help --version; do
	has "$RUN_OUT" "$opt" "--help lists $opt"
done
run_s4n -h
is "$RUN_STATUS" 0 "-h exits 0"
like "$RUN_OUT" "--netns-type" "-h prints the same help"

# --- --version --------------------------------------------------------------
run_s4n --version
is "$RUN_STATUS" 0 "--version exits 0"
like "$(head -n 1 <<<"$RUN_OUT")" '^slirp4netns version [0-9]+\.[0-9]+\.[0-9]+' \
	"--version: first line is 'slirp4netns version X.Y.Z'"
like "$RUN_OUT" $'\ncommit: [0-9a-f]+(\n|$)' "--version: commit line"
like "$RUN_OUT" $'\nlibslirp: [0-9]+\\.[0-9]+\\.[0-9]+(\n|$)' \
	"--version: libslirp line"
like "$RUN_OUT" $'\nSLIRP_CONFIG_VERSION_MAX: [0-9]+(\n|$)' \
	"--version: SLIRP_CONFIG_VERSION_MAX line"
like "$RUN_OUT" $'\nlibseccomp: [0-9]+\\.[0-9]+\\.[0-9]+(\n|$)' \
	"--version: libseccomp line"
run_s4n -v
is "$RUN_STATUS" 0 "-v exits 0"

# --- bad input --------------------------------------------------------------

# left_behind - print anything a failed start left behind
left_behind()
{
	stray_daemons || true
	guest ip -o link show 2>/dev/null | grep -v ': lo:' || true
	find "$S4N_TMP" -type s 2>/dev/null || true
}

# bad [--user U] NAME WORDS ARGS... - the daemon must refuse ARGS: exit 1,
# one stderr line, prefixed "slirp4netns: error: ", that contains each
# comma-separated word of WORDS (case does not matter), and nothing left
# behind.
bad()
{
	local user=() name words line w missing=
	if [ "$1" = --user ]; then
		user=(--user "$2")
		shift 2
	fi
	name=$1 words=$2
	shift 2
	run_s4n "${user[@]}" "$@"
	is "$RUN_STATUS" 1 "$name: exit status 1"
	line=$RUN_ERR
	IFS=, read -r -a wl <<<"$words"
	for w in "${wl[@]}"; do
		grep -q -i -F -e "$w" <<<"$line" || missing+=" '$w'"
	done
	[[ $line == "slirp4netns: error: "* ]] || missing+=" 'error:' prefix"
	if [ "$(grep -c '' <<<"$line")" = 1 ] && [ -n "$line" ] &&
		[ -z "$missing" ]; then
		pass "$name: one line naming $words"
	else
		fail "$name: one line naming $words" "stderr: $line" \
			"missing:$missing"
	fi
	local left
	left=$(left_behind)
	is "$left" "" "$name: nothing left behind"
}

G=$GUEST_PID
bad "MTU zero" "mtu,0" --mtu=0 -c "$G"
bad "MTU too small" "mtu,67" --mtu=67 -c "$G"
bad "MTU too large" "mtu,65522" --mtu=65522 -c "$G"
bad "MTU huge" "mtu,18446744073709551617" -m 18446744073709551617 -c "$G"
bad "MTU negative" "mtu,-1500" --mtu=-1500 -c "$G"
bad "MTU not a number" "mtu,abc" --mtu=abc -c "$G"
bad "MTU with junk" "mtu,1500x" --mtu 1500x -c "$G"
bad "MTU empty" "mtu" --mtu= -c "$G"
bad "bad CIDR" "cidr,bogus" --cidr=bogus -c "$G"
bad "CIDR without prefix" "cidr,10.0.2.0" --cidr=10.0.2.0 -c "$G"
bad "CIDR with a bad address" "cidr,10.0.300.0/24" --cidr=10.0.300.0/24 -c "$G"
bad "CIDR prefix /31" "cidr,10.0.2.0/31" --cidr=10.0.2.0/31 -c "$G"
bad "CIDR prefix /26 (no room for .100)" "cidr,10.0.2.0/26" \
	--cidr=10.0.2.0/26 -c "$G"
bad "CIDR prefix /33" "cidr,10.0.2.0/33" --cidr=10.0.2.0/33 -c "$G"
bad "bad CIDR6" "cidr6,fd00::zz/64" -6 --cidr6=fd00::zz/64 -c "$G"
bad "CIDR6 prefix too small" "cidr6,fd00::/127" -6 --cidr6=fd00::/127 -c "$G"
bad "bad MAC" "macaddress,zz:00:00:00:00:01" \
	--macaddress=zz:00:00:00:00:01 -c "$G"
bad "short MAC" "macaddress,52:54:00:12:34" --macaddress=52:54:00:12:34 -c "$G"
bad "multicast MAC" "macaddress,01:00:5e:00:00:01" \
	--macaddress=01:00:5e:00:00:01 -c "$G"
bad "--macaddress without -c" "macaddress" --macaddress=52:54:00:12:34:56 "$G"
bad "unknown --netns-type" "netns-type,foo" --netns-type=foo -c "$G"
bad "unknown --target-type" "target-type,foo" --target-type=foo -c "$G"
bad "missing target" "target" -c
bad "too many arguments" "extra" -c "$G" tap0 extra
bad "PID not a number" "12ab" -c 12ab
true &
dead=$!
wait "$dead"
bad "dead PID" "$dead" -c "$dead"
bad "missing target path" "/run/s4ntest/nonexistent" \
	--netns-type=path -c /run/s4ntest/nonexistent
bad "target path not a namespace" "/etc/hostname" \
	--netns-type=path -c /etc/hostname
bad --user "$S4N_USER" "unreadable target path (as $S4N_USER)" \
	"/proc/$G/ns/net" --netns-type=path -c "/proc/$G/ns/net"
bad --user "$S4N_USER" "PID of another user's namespace (as $S4N_USER)" \
	"$G" -c "$G"
bad "bess with -c" "bess,configure" --target-type=bess -c "$S4N_TMP/bess.sock"
bad "bess with --netns-type" "bess,netns-type" --target-type=bess \
	--netns-type=path "$S4N_TMP/bess.sock"
bad "bess with --userns-path" "bess,userns-path" --target-type=bess \
	--userns-path=/proc/self/ns/user "$S4N_TMP/bess.sock"
bad "bad --exit-fd" "exit-fd,x" --exit-fd=x -c "$G"
bad "bad --ready-fd" "ready-fd,-3" --ready-fd=-3 -c "$G"
bad "unknown --outbound-addr interface" "outbound-addr,s4nnosuch0" \
	--outbound-addr=s4nnosuch0 -c "$G"
long="$S4N_TMP/$(printf 'a%.0s' {1..120}).sock"
bad "--api-socket path too long" "api-socket,$long" --api-socket="$long" \
	-c "$G"
bad "--api-socket with a dead PID" "$dead" --api-socket="$S4N_TMP/api.sock" \
	-c "$dead"

run_s4n --no-such-option -c "$G"
is "$RUN_STATUS" 1 "unknown option: exit status 1"

done_testing
