#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# benchmarks/run.sh - ours, Debian's slirp4netns, pasta and a veth pair,
# measured side by side in one run
#
# Copyright (C) 2026 The slirp4netns authors
#
# Usage (as root): bash benchmarks/run.sh /path/to/our/slirp4netns
#
# Stages: check tools and build the C helpers; re-run this script inside a
# private network, mount and PID namespace (so no packet leaves the machine
# and every process dies with it); start one guest namespace per
# implementation and MTU, each with its daemon; measure, interleaving the
# implementations in every round so that drift hits all of them alike;
# hand the samples to report.py for the table, JSON lines and RESULTS.md.
#
# Environment:
#   BENCH_QUICK=1        one round, 1 s per figure, 100 connections,
#                        flows up to 1500, 10 instances
#   BENCH_IMPLS="..."    subset of: ours ours_off slirp4netns pasta veth
#                        (ours_off: our binary with --disable-tcp-fast-path)
#   BENCH_FIGURES="..."  subset of: startup idle latency crr fwd_crr bulk fwd
#                        conns flows instances
#   BENCH_ITER, BENCH_SECS, BENCH_CONNS   override rounds, seconds, count
#   BENCH_FLOWS="..."    the marks of the flows figures (1000 2500 5000 10000)
#   BENCH_INSTANCES=N    idle daemons per implementation (100)
#   BENCH_S4N_ARGS="..." extra options for ours and slirp4netns alike
#   BENCH_PIN=0          let the scheduler place both ends of bulk and
#                        connection-rate runs (default: split, see split_pin)
#   BENCH_OUT=DIR        samples and reports (default benchmarks/out)
#   BENCH_RESULTS=FILE   the Markdown report (default: benchmarks/RESULTS.md
#                        for a complete full run, else DIR/RESULTS.md)
set -euo pipefail

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL_IMPLS="ours ours_off slirp4netns pasta veth"
ALL_FIGURES="startup idle latency crr fwd_crr bulk fwd conns flows instances"
BUSER=s4ntest

log() {
	printf '[bench %4ds] %s\n' "$SECONDS" "$*" >&2
}

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}

# --- outer stage: checks, helpers, then the private namespaces ------------

outer_main() {
	local ours=${1:-} t work rc=0 i f

	[ "$(id -u)" = 0 ] || die "must run as root (it creates namespaces)"
	: "${BENCH_IMPLS:=$ALL_IMPLS}"
	: "${BENCH_FIGURES:=$ALL_FIGURES}"
	for i in $BENCH_IMPLS; do
		[[ " $ALL_IMPLS " == *" $i "* ]] ||
			die "BENCH_IMPLS: unknown implementation '$i'"
	done
	for f in $BENCH_FIGURES; do
		[[ " $ALL_FIGURES " == *" $f "* ]] ||
			die "BENCH_FIGURES: unknown figure group '$f'"
	done
	if [[ " $BENCH_IMPLS " == *" ours "* ||
		" $BENCH_IMPLS " == *" ours_off "* ]]; then
		[ -n "$ours" ] || die "usage: run.sh /path/to/our/slirp4netns"
		[ -x "$ours" ] || die "our binary '$ours' is not executable"
		ours=$(realpath "$ours")
	fi
	BENCH_OURS_SRC=$ours
	for t in iperf3 python3 setpriv unshare nsenter ip ss socat taskset \
		timeout prlimit sysctl cc; do
		command -v "$t" >/dev/null || die "missing tool '$t'"
	done
	[[ " $BENCH_IMPLS " != *" slirp4netns "* ]] ||
		[ -x /usr/bin/slirp4netns ] ||
		die "/usr/bin/slirp4netns missing (apt-get install slirp4netns)"
	[[ " $BENCH_IMPLS " != *" pasta "* ]] || command -v pasta >/dev/null ||
		die "pasta missing (apt-get install passt)"

	# Rootless rows run as this user; pasta refuses root altogether.
	id "$BUSER" >/dev/null 2>&1 || useradd -m "$BUSER"
	chmod 0666 /dev/net/tun

	work=$(mktemp -d /tmp/s4n-bench.XXXXXX)
	chmod 0755 "$work"
	mkdir -m 1777 "$work/run"
	for t in spawn rr conns; do
		cc -O2 -std=gnu11 -Wall -Wextra -D_GNU_SOURCE \
			-o "$work/$t" "$SRCDIR/$t.c" ||
			{ rm -rf "$work"; die "cannot build $t.c"; }
	done

	# The daemon runs as $BUSER, who may not reach a build directory.
	if [ -n "$ours" ] && ! setpriv --reuid="$BUSER" --regid="$BUSER" \
		--init-groups -- test -x "$ours"; then
		install -m 0755 "$ours" "$work/slirp4netns-ours"
		ours=$work/slirp4netns-ours
	fi

	if [ -n "${BENCH_QUICK:-}" ]; then t=300; else t=2400; fi
	BENCH_INNER=1 BENCH_WORK=$work BENCH_OURS=$ours \
		BENCH_OURS_SRC=$BENCH_OURS_SRC \
		BENCH_IMPLS=$BENCH_IMPLS BENCH_FIGURES=$BENCH_FIGURES \
		timeout -k 5 "$t" unshare --net --mount --pid --fork \
		--mount-proc --kill-child bash "${BASH_SOURCE[0]}" || rc=$?
	rm -rf "$work"
	[ "$rc" = 124 ] && log "the whole run timed out after $t s"
	return "$rc"
}

# --- inner stage: everything below runs in the private namespaces ---------

W=${BENCH_WORK:-}
declare -A GUEST DAEMON SRV FWD RRFWD FPORT FDS0
INST_DAEMONS=() INST_PIDS=()
SAMPLES='' FAILS=''

# One measurement, tagged with the round ($ROUND) it belongs to: report.py
# divides values of the same round, measured minutes apart at most.
ROUND=1
sample() { # impl figure unit value
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$ROUND" >>"$SAMPLES"
}

fail() { # impl figure reason
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$FAILS"
	log "FAILED: $1 $2: $3"
}

want_fig() {
	[[ " $BENCH_FIGURES " == *" $1 "* ]]
}

AS_USER=(setpriv --reuid="$BUSER" --regid="$BUSER" --init-groups --)

in_guest() { # pid command...
	local g=$1

	shift
	nsenter --net="/proc/$g/ns/net" -- "$@"
}

# The same as a command prefix, for timeout and taskset: sets NSENTER.
ns_prefix() { # pid
	NSENTER=(nsenter --net="/proc/$1/ns/net" --)
}

# utime + stime of a whole process, in clock ticks (proc(5) fields 14, 15)
cpu_ticks() {
	local s

	s=$(<"/proc/$1/stat") || return 1
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $((${12} + ${13}))
}

# voluntary + nonvoluntary context switches, summed over all threads
ctx_switches() {
	awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s + 0 }' \
		/proc/"$1"/task/*/status
}

# "RSS_KB PSS_KB" from smaps_rollup
mem_kb() {
	awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { print r, p }' \
		"/proc/$1/smaps_rollup"
}

# Bounded wait until a TCP port listens, in the guest @1 ("" = here).
wait_listen() { # netns-pid addr|any port
	local i cmd=(ss -Hltn "src $2:$3")

	[ "$2" != any ] || cmd=(ss -Hltn "sport = :$3")
	[ -z "$1" ] || cmd=(in_guest "$1" "${cmd[@]}")
	for i in $(seq 200); do
		[ -z "$("${cmd[@]}" 2>/dev/null)" ] || return 0
		sleep 0.02
	done
	return 1
}

wait_gone() { # pid
	local i

	for i in $(seq 200); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.01
	done
	kill -KILL "$1" 2>/dev/null || true
}

pin() { # pid cpus
	[ -z "$1" ] || taskset -a -p -c "$2" "$1" >/dev/null
}

# --- servers ------------------------------------------------------------------

# iperf3 server on @1 (in guest @2 if set); pid in $W/iperf3-<addr>-<g>.pid
iperf_server() { # addr [guest]
	local pidf="$W/iperf3-$1-${2:-host}.pid" cmd

	cmd=(iperf3 -s -p 5201 -D -I "$pidf" --rcv-timeout 10000)
	[ "$1" = any ] || cmd+=(-B "$1")
	if [ -f "$pidf" ]; then
		kill "$(cat "$pidf")" 2>/dev/null || true
		wait_gone "$(cat "$pidf")"
		rm -f "$pidf"
	fi
	if [ -n "${2:-}" ]; then
		in_guest "$2" "${cmd[@]}" >/dev/null
		wait_listen "$2" any 5201
	else
		"${cmd[@]}" >/dev/null
		wait_listen "" "$1" 5201
	fi
}

rr_server() { # addr
	"$W/rr" serve "$1" 7000 "$W/rr-$1.pid"
}

rr_server_pid() {
	cat "$W/rr-$1.pid"
}

# --- implementations ------------------------------------------------------------

# A guest network namespace; with "user", rootless as $BUSER, like Podman.
start_guest() { # user|root key
	local out cmd=(unshare --net sh -c 'echo; exec sleep 3600')

	[ "$1" = root ] || cmd=("${AS_USER[@]}" unshare --user
		--map-root-user --net sh -c 'echo; exec sleep 3600')
	out=$("$W/spawn" -r 1 -k -l "$W/guest-$2.log" -- "${cmd[@]}") ||
		return 1
	GUEST[$2]=${out%% *}
	# Frames the guest kernel sends on its own (IPv6 router solicitations,
	# MLD) would count as idle wake-ups: keep the guests IPv4-only. Many
	# short connections: let TIME_WAIT ports be reused.
	in_guest "${GUEST[$2]}" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 \
		net.ipv4.tcp_tw_reuse=1 \
		net.ipv4.ip_local_port_range="10000 65000" >/dev/null &&
		in_guest "${GUEST[$2]}" ip link set lo up
}

# Ours and Debian's slirp4netns share one command line (drop-in), run
# rootless; ours_off is our binary with its TCP path switched off (all TCP
# through libslirp, as before the path). The result goes to CMD.
slirp_cmd() { # impl mtu readyfd sock pid
	local extra=()

	# shellcheck disable=SC2206
	[ -z "${BENCH_S4N_ARGS:-}" ] || extra=($BENCH_S4N_ARGS)
	[ "$1" != ours_off ] || extra+=(--disable-tcp-fast-path)
	CMD=("${AS_USER[@]}" "$(slirp_bin "$1")" -c -m "$2" -r "$3" -a "$4"
		"${extra[@]}" "$5" tap0)
}

slirp_bin() {
	case $1 in
	ours | ours_off) echo "$BENCH_OURS" ;;
	*) echo /usr/bin/slirp4netns ;;
	esac
}

# A TCP port forward through the daemon's API socket.
add_hostfwd() { # sock host-port guest-port
	local req reply

	req='{"execute":"add_hostfwd","arguments":{"proto":"tcp",'
	req+='"host_addr":"127.0.0.1","host_port":'$2',"guest_port":'$3'}}'
	reply=$(printf '%s' "$req" |
		timeout 5 socat -t 2 - "UNIX-CONNECT:$1") || return 1
	[[ "$reply" == *'"return"'* ]]
}

# Two forwards from the host's 127.0.0.1: @4 to the guest's iperf3 server
# (5201), @4 + 100 to its echo server (7000, fwd_crr).
start_slirp() { # impl key mtu port
	local out sock="$W/run/$2.sock"

	slirp_cmd "$1" "$3" 5 "$sock" "${GUEST[$2]}"
	out=$("$W/spawn" -r 5 -k -l "$W/daemon-$2.log" -- "${CMD[@]}") ||
		return 1
	DAEMON[$2]=${out%% *}
	add_hostfwd "$sock" "$4" 5201 &&
		add_hostfwd "$sock" $(($4 + 100)) 7000 || return 1
	SRV[$2]=10.0.2.2
	FWD[$2]=127.0.0.1:$4
	RRFWD[$2]=127.0.0.1:$(($4 + 100))
}

# pasta copies the template interface (bh0, default route via 10.0.4.254)
# and maps that gateway address to the host's loopback.
PASTA_GW=10.0.4.254

setup_pasta_template() {
	ip link add bh0 type veth peer name bh1
	ip addr add 10.0.4.1/24 dev bh0
	ip link set bh0 up
	ip link set bh1 up
	ip route add default via "$PASTA_GW" dev bh0
}

# Rootless too; no port scanning (-T/-U none), the result goes to CMD.
# The same two forwards as start_slirp's.
pasta_cmd() { # mtu pidfile pid [port]
	local fwd=(-t none)

	[ -z "${4:-}" ] || fwd=(-t "127.0.0.1/$4:5201"
		-t "127.0.0.1/$(($4 + 100)):7000")
	CMD=("${AS_USER[@]}" pasta --config-net -q -4 -m "$1" "${fwd[@]}"
		-u none -T none -U none -P "$2" "$3")
}

start_pasta() { # impl key mtu port
	local g pidf="$W/run/pasta-$2.pid"

	g=${GUEST[$2]}
	pasta_cmd "$3" "$pidf" "$g" "$4"
	"$W/spawn" -w -l "$W/daemon-$2.log" -- "${CMD[@]}" >/dev/null ||
		return 1
	DAEMON[$2]=$(cat "$pidf")
	SRV[$2]=$PASTA_GW
	FWD[$2]=127.0.0.1:$4
	RRFWD[$2]=127.0.0.1:$(($4 + 100))
}

# The kernel's own path: a veth pair, servers on the host end's address.
veth_up() { # guest-pid mtu n
	ip link add "vh$3" mtu "$2" type veth peer name "vg$3" mtu "$2" \
		netns "$1" &&
		ip addr add "10.0.$((10 + $3)).1/24" dev "vh$3" &&
		ip link set "vh$3" up &&
		in_guest "$1" ip addr add "10.0.$((10 + $3)).2/24" dev "vg$3" &&
		in_guest "$1" ip link set "vg$3" up
}

start_veth() { # impl key mtu n
	local a="10.0.$((10 + $4))"

	veth_up "${GUEST[$2]}" "$3" "$4" || return 1
	DAEMON[$2]=
	SRV[$2]=$a.1
	FWD[$2]=$a.2:5201
	RRFWD[$2]=$a.2:7000
	iperf_server "$a.1" && rr_server "$a.1"
}

start_instance() { # impl mtu n
	local key="$1-$2" user=user

	[ "$1" != veth ] || user=root
	start_guest "$user" "$key" || return 1
	case $1 in
	ours | ours_off | slirp4netns)
		start_slirp "$1" "$key" "$2" $((6000 + $3))
		;;
	pasta) start_pasta "$1" "$key" "$2" $((6000 + $3)) ;;
	veth) start_veth "$1" "$key" "$2" "$3" ;;
	esac || return 1
	check_mtu "$key" "$2" && iperf_server any "${GUEST[$key]}" || return 1
	# The echo server behind the second forward, for fwd_crr.
	[ "$2" = 65520 ] && want_fig fwd_crr || return 0
	in_guest "${GUEST[$key]}" "$W/rr" serve 0.0.0.0 7000 \
		"$W/rr-guest-$key.pid"
}

# The guest's interface must have the MTU the row claims.
check_mtu() { # key mtu
	local got

	got=$(in_guest "${GUEST[$1]}" ip -o link show up |
		awk '$2 != "lo:" { for (i = 3; i < NF; i++)
			if ($i == "mtu") print $(i + 1) }')
	[ "$got" = "$2" ] && return 0
	log "$1: guest interface MTU is '$got', not $2"
	return 1
}

# --- figures ------------------------------------------------------------------

# Launch to ready: --ready-fd for slirp4netns, the foreground process
# returning (namespace configured) for pasta, the ip commands for veth.
startup_once() { # impl guest-pid n
	local out pidf="$W/run/startup.pid" sock="$W/run/startup-$3.sock"

	case $1 in
	ours | ours_off | slirp4netns)
		slirp_cmd "$1" 65520 5 "$sock" "$2"
		out=$("$W/spawn" -r 5 -l "$W/startup-$1.log" -- "${CMD[@]}") ||
			return 1
		;;
	pasta)
		pasta_cmd 65520 "$pidf" "$2"
		out=$("$W/spawn" -w -l "$W/startup-$1.log" -- "${CMD[@]}") ||
			return 1
		kill "$(cat "$pidf")" && wait_gone "$(cat "$pidf")"
		;;
	veth)
		out=$("$W/spawn" -w -- bash -c "$(declare -f veth_up in_guest)
			veth_up $2 65520 9") || return 1
		ip link del vh9
		;;
	esac
	echo "${out#* }"
}

fig_startup() {
	local i impl g us
	local -A sg=()

	for impl in $IMPLS; do
		if [ "$impl" = veth ]; then
			start_guest root "startup-$impl"
		else
			start_guest user "startup-$impl"
		fi || { fail "$impl" startup "guest"; continue; }
		sg[$impl]=${GUEST[startup-$impl]}
	done
	for i in $(seq "$STARTUP_RUNS"); do
		ROUND=$i
		# shellcheck disable=SC2046,SC2086 # lists of words
		for impl in $(rotate "$i" $IMPLS); do
			g=${sg[$impl]:-}
			[ -n "$g" ] || continue
			if us=$(startup_once "$impl" "$g" "$i"); then
				sample "$impl" startup ms \
					"$(awk "BEGIN { print $us / 1000 }")"
			else
				fail "$impl" startup "run $i not ready"
			fi
		done
	done
	ROUND=1
	for impl in "${!sg[@]}"; do
		kill "${sg[$impl]}" 2>/dev/null || true
	done
}

# All daemons are idle at once: one window serves every implementation.
# @1 is "idle" right after start-up, "idle_after" once all traffic ended.
fig_idle() { # label
	local key impl d c0 c1 w0 w1 scale
	local -A t0=() s0=()

	for impl in $IMPLS; do
		key=$impl-65520
		d=${DAEMON[$key]:-}
		[ -n "$d" ] || continue
		t0[$impl]=$(cpu_ticks "$d")
		s0[$impl]=$(ctx_switches "$d")
	done
	sleep "$IDLE_SECS"
	scale=$(awk "BEGIN { print 10 / $IDLE_SECS }")
	for impl in "${!t0[@]}"; do
		d=${DAEMON[$impl-65520]}
		c0=${t0[$impl]} w0=${s0[$impl]}
		c1=$(cpu_ticks "$d") w1=$(ctx_switches "$d") || {
			fail "$impl" "$1" "daemon exited"
			continue
		}
		sample "$impl" "${1}_cpu" ms/10s \
			"$(awk "BEGIN { print ($c1 - $c0) * 1000 / $HZ * $scale }")"
		sample "$impl" "${1}_wakeups" /10s \
			"$(awk "BEGIN { print ($w1 - $w0) * $scale }")"
	done
}

footprint() { # label
	local impl

	for impl in $(live_impls 65520); do
		footprint_one "$impl" "$1" || true
	done
}

# 1-byte round trips from the guest to an echo server, with the daemon,
# the client and the server on CPU 0; prints rr's "P50 P99 COUNT LOST", or
# nothing when no round trip completed.
rr_on_cpu0() { # daemon-pid server-pid guest-pid proto addr port
	local out

	pin "$1" 0
	pin "$2" 0
	ns_prefix "$3"
	out=$(timeout $((RR_SECS + 10)) taskset -c 0 "${NSENTER[@]}" \
		"$W/rr" "$4" "$5" "$6" "$RR_SECS" "$RR_MAX") || out=
	pin "$1" "$ALLCPUS"
	pin "$2" "$ALLCPUS"
	echo "$out"
}

# 1-byte round trips, daemon, client and server on CPU 0.
rr_pinned() { # impl proto figure-prefix
	local key=$1-65520 out spid p50 p99

	spid=$(rr_server_pid "$(host_addr "$key")")
	out=$(rr_on_cpu0 "${DAEMON[$key]:-}" "$spid" "${GUEST[$key]}" "$2" \
		"${SRV[$key]}" 7000)
	[ -n "$out" ] || { fail "$1" "${3}_$2" "no round trip"; return 1; }
	read -r p50 p99 _ _ <<<"$out"
	sample "$1" "${3}_${2}_p50" us "$p50"
	[ "$3" = conns ] || sample "$1" "${3}_${2}_p99" us "$p99"
}

# Where the servers for instance @1 listen: what the guest's 10.0.2.2 (or
# pasta's gateway) maps to, or the host end of the veth pair.
host_addr() { # key
	case $1 in
	veth-*) echo "${SRV[$1]}" ;;
	*) echo 127.0.0.1 ;;
	esac
}

fig_latency() {
	local r impl

	for r in $(seq "$ITER"); do
		ROUND=$r
		# shellcheck disable=SC2046,SC2086 # lists of words
		for impl in $(rotate "$r" $(live_impls 65520)); do
			rr_pinned "$impl" tcp lat || true
			rr_pinned "$impl" udp lat || true
		done
	done
	ROUND=1
}

# Connect, 1 byte each way, close, repeated (rr crr): for crr from the
# guest to the host's echo server, for fwd_crr from the host through the
# second port forward to the guest's. The client's end on its side's CPU,
# the server on the other's, as for bulk.
crr_one() { # impl figure
	local key=$1-65520 out spid dst ccpu scpu client=() rate n failed

	case $2 in
	crr)
		spid=$W/rr-$(host_addr "$key").pid ccpu=$GCPU scpu=$HCPU
		ns_prefix "${GUEST[$key]}"
		client=("${NSENTER[@]}")
		dst=${SRV[$key]}:7000
		;;
	fwd_crr)
		spid=$W/rr-guest-$key.pid ccpu=$HCPU scpu=$GCPU
		dst=${RRFWD[$key]}
		;;
	esac
	split_pin "$spid" "$scpu"
	split_prefix "$ccpu"
	out=$(timeout $((CRR_SECS + 10)) "${SPLIT[@]}" "${client[@]}" \
		"$W/rr" crr "${dst%:*}" "${dst##*:}" "$CRR_SECS" "$CRR_MAX") ||
		out=
	split_pin "$spid" "$ALLCPUS"
	[ -n "$out" ] || { fail "$1" "$2" "run $ROUND"; return 1; }
	read -r rate n failed <<<"$out"
	sample "$1" "$2" conn/s "$rate"
	[ "$failed" = 0 ] || fail "$1" "$2" "$failed of $((n + failed)) failed"
}

fig_crr() { # figure
	local r impl

	for r in $(seq "$ITER"); do
		ROUND=$r
		# shellcheck disable=SC2046,SC2086 # lists of words
		for impl in $(rotate "$r" $(live_impls 65520)); do
			crr_one "$impl" "$1" || true
		done
	done
	ROUND=1
}

# One iperf3 run; prints "GBIT_PER_S BYTES", or iperf3's error on stderr.
# Restarts the server it used after a failure, so that a stuck test cannot
# spoil the next one.
iperf_run() { # server-restart-args -- iperf3-client-args
	local rs=() out

	while [ "$1" != -- ]; do rs+=("$1"); shift; done
	shift
	out=$(timeout $((SECS + 20)) "$@" -t "$SECS" -J \
		--connect-timeout 3000 2>/dev/null) || true
	if ! python3 -c 'import json, sys
d = json.loads(sys.stdin.read())
if "error" in d:
	sys.exit(1)
s = d["end"]["sum_received"]
print(s["bits_per_second"] / 1e9, s["bytes"])' <<<"$out" 2>/dev/null; then
		printf '%s\n%s\n' "$*" "$out" >>"$OUT/iperf3-failures.log"
		sed -n 's/^[[:space:]]*"error":[[:space:]]*"\(.*\)",*$/\1/p' \
			<<<"$out" | head -n 1 >&2
		iperf_server "${rs[@]}" >/dev/null 2>&1 || true
		return 1
	fi
}

# Left alone, the scheduler of a 2-core machine often stacks both iperf3
# ends on one CPU, and an upload then runs at a third of its speed, or not:
# a run of identical daemons gave ratios from 0.77 to 1.3. So the guest's
# end runs on CPU $GCPU, the host's on $HCPU; the daemon stays free.
split_pin() { # pidfile-of-server cpu
	[ -z "$GCPU" ] || pin "$(cat "$1" 2>/dev/null)" "$2" || true
}

split_prefix() { # cpu
	SPLIT=()
	[ -z "$GCPU" ] || SPLIT=(taskset -c "$1")
}

bulk_one() { # impl mtu kind
	local key=$1-$2 g d fig t t0 t1 out cmd rs

	g=${GUEST[$key]} d=${DAEMON[$key]:-}
	# The iperf3 client runs in the guest for tcp_*, on the host for
	# fwd_*; -R when the data flows towards the client.
	case $3 in
	tcp_*)
		rs=("$(host_addr "$key")")
		split_pin "$W/iperf3-${rs[0]}-host.pid" "$HCPU"
		split_prefix "$GCPU"
		ns_prefix "$g"
		cmd=("${SPLIT[@]}" "${NSENTER[@]}" iperf3 -c "${SRV[$key]}"
			-p 5201)
		;;
	fwd_*)
		rs=(any "$g")
		split_pin "$W/iperf3-any-$g.pid" "$GCPU"
		split_prefix "$HCPU"
		cmd=("${SPLIT[@]}" iperf3 -c "${FWD[$key]%:*}"
			-p "${FWD[$key]##*:}")
		;;
	esac
	case $3 in
	tcp_h2g | fwd_g2h) cmd+=(-R) ;;
	esac
	fig=$3_mtu$2
	[ -z "$d" ] || t0=$(cpu_ticks "$d")
	t=$EPOCHREALTIME
	out=$(iperf_run "${rs[@]}" -- "${cmd[@]}" 2>"$W/iperf3.err") || {
		t=$(cat "$W/iperf3.err")
		# "interrupt" is timeout(1) stopping a run that would not end.
		fail "$1" "$fig" "iperf3: ${t:-no result}"
		return 1
	}
	[ -z "${BENCH_DEBUG:-}" ] ||
		log "$1 $fig ${out% *} Gbit/s in $(awk "BEGIN { print $EPOCHREALTIME - $t }") s"
	sample "$1" "$fig" Gbit/s "${out% *}"
	if [ -n "$d" ] && [ "$fig" = tcp_g2h_mtu65520 ]; then
		t1=$(cpu_ticks "$d") || return 1
		sample "$1" cpu_per_gb s/GB \
			"$(awk "BEGIN { print ($t1 - $t0) / $HZ / (${out#* } / 1e9) }")"
	fi
}

fig_bulk() {
	local r mtu impl kind kinds=()

	! want_fig bulk || kinds+=(tcp_g2h tcp_h2g)
	! want_fig fwd || kinds+=(fwd_h2g fwd_g2h)
	for r in $(seq "$ITER"); do
		ROUND=$r
		for mtu in 1500 65520; do
			# shellcheck disable=SC2046,SC2086 # lists of words
			for impl in $(rotate "$r" $(live_impls "$mtu")); do
				for kind in "${kinds[@]}"; do
					bulk_one "$impl" "$mtu" "$kind" || true
				done
			done
		done
		log "bulk round $r of $ITER done"
	done
	ROUND=1
}

# N idle connections open after the earlier traffic: all must succeed;
# then the footprint, and a round trip compared with the idle one.
fig_conns() {
	local impl key out pidf="$W/conns.pid"

	for impl in $(live_impls 65520); do
		key=$impl-65520
		ns_prefix "${GUEST[$key]}"
		out=$(timeout 120 "${NSENTER[@]}" "$W/conns" \
			"${SRV[$key]}" 7000 "$CONNS" "$pidf") || true
		out=${out%% *}
		sample "$impl" conns_ok count "${out:-0}"
		if [ "${out:-0}" != "$CONNS" ]; then
			fail "$impl" conns_ok "only ${out:-0} of $CONNS connected"
			continue
		fi
		footprint_one "$impl" conns
		rr_pinned "$impl" tcp conns || true
		kill "$(cat "$pidf")"
		wait_gone "$(cat "$pidf")"
	done
}

footprint_one() { # impl label
	local d m

	d=${DAEMON[$1-65520]:-}
	[ -n "$d" ] || return 0
	m=$(mem_kb "$d") || { fail "$1" "rss_$2" "no daemon"; return 1; }
	sample "$1" "rss_$2" MiB "$(awk "BEGIN { print ${m% *} / 1024 }")"
	sample "$1" "pss_$2" MiB "$(awk "BEGIN { print ${m#* } / 1024 }")"
}

live_impls() { # mtu
	local impl

	for impl in $IMPLS; do
		[ -z "${GUEST[$impl-$1]:-}" ] || echo "$impl"
	done
}

# Round @1 starts with a different implementation each time, so that no
# one always runs first (or right after the same neighbour).
rotate() { # round word...
	local r=$1

	shift
	[ $# -gt 0 ] || return 0
	r=$(((r - 1) % $#))
	printf '%s\n' "${@:r+1}" "${@:1:r}"
}

# --- scale: many flows through one daemon, many idle daemons ----------------

# A process and all its descendants, one pid a line.
proc_tree() { # pid
	local c kids

	[ -d "/proc/$1" ] || return 0
	echo "$1"
	kids=$(cat /proc/"$1"/task/*/children 2>/dev/null) || true
	for c in $kids; do
		proc_tree "$c"
	done
}

# "RSS_KB PSS_KB PROCESSES", summed over a daemon and its descendants.
tree_mem_kb() { # pid
	local p m r=0 s=0 n=0

	for p in $(proc_tree "$1"); do
		m=$(mem_kb "$p" 2>/dev/null) || continue
		r=$((r + ${m% *})) s=$((s + ${m#* })) n=$((n + 1))
	done
	[ "$n" -gt 0 ] || return 1
	echo "$r $s $n"
}

# Open file descriptors of a daemon and its descendants.
tree_fds() { # pid
	local p n=0

	for p in $(proc_tree "$1"); do
		n=$((n + $(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 \
			2>/dev/null | wc -l)))
	done
	echo "$n"
}

# Alive and not a zombie.
alive() { # pid
	local s

	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	[ "${s%% *}" != Z ]
}

# SIGTERM to them all, then a bounded wait, then SIGKILL what is left.
stop_all() { # pid...
	local p i left

	[ $# -gt 0 ] || return 0
	kill "$@" 2>/dev/null || true
	for i in $(seq 100); do
		left=()
		for p in "$@"; do
			! alive "$p" || left+=("$p")
		done
		[ ${#left[@]} -gt 0 ] || return 0
		set -- "${left[@]}"
		sleep 0.05
	done
	kill -KILL "$@" 2>/dev/null || true
}

# Ours and slirp4netns only: what "flows" and "instances" compare.
scale_impls() {
	local impl

	for impl in ours slirp4netns; do
		[[ " $IMPLS " != *" $impl "* ]] || echo "$impl"
	done
}

# The fd limits each daemon of the flows figures starts with: ours with the
# usual soft limit of 1024 (it raises it to the hard limit itself), Debian's
# slirp4netns, which does not, with the soft limit raised for it.
flows_limit() { # impl
	if [ "$1" = ours ]; then echo "1024:$FLOWS_HARD"; else
		echo "$FLOWS_HARD:$FLOWS_HARD"; fi
}

# A guest and daemon of its own, the same command line as the others at
# MTU 65520, and an echo server of its own on the host's 127.0.0.1:@2.
flows_start() { # impl port
	local key=flows-$1 out

	start_guest user "$key" || return 1
	slirp_cmd "$1" 65520 5 "$W/run/$key.sock" "${GUEST[$key]}"
	out=$("$W/spawn" -r 5 -k -l "$W/daemon-$key.log" -- \
		prlimit --nofile="$(flows_limit "$1")" -- "${CMD[@]}") ||
		return 1
	DAEMON[$key]=${out%% *}
	"$W/rr" serve 127.0.0.1 "$2" "$W/rr-$key.pid" || return 1
	FPORT[$1]=$2
}

# The round trip on a fresh connection, with however many flows are open.
flows_p50() { # impl label
	local key=flows-$1 out p50

	out=$(rr_on_cpu0 "${DAEMON[$key]}" "$(cat "$W/rr-$key.pid")" \
		"${GUEST[$key]}" tcp 10.0.2.2 "${FPORT[$1]}")
	[ -n "$out" ] ||
		{ fail "$1" "flows_tcp_p50_$2" "no round trip"; return 1; }
	read -r p50 _ <<<"$out"
	sample "$1" "flows_tcp_p50_$2" us "$p50"
}

flows_footprint() { # impl label
	local d=${DAEMON[flows-$1]} m rss pss

	m=$(tree_mem_kb "$d") ||
		{ fail "$1" "flows_rss_$2" "daemon exited"; return 1; }
	read -r rss pss _ <<<"$m"
	sample "$1" "flows_rss_$2" MiB "$(awk "BEGIN { print $rss / 1024 }")"
	sample "$1" "flows_pss_$2" MiB "$(awk "BEGIN { print $pss / 1024 }")"
	sample "$1" "flows_fds_$2" count "$(tree_fds "$d")"
}

# One step: @3 more connections from the guest, held in the background by
# a process whose pid goes to $W/flows-IMPL-MARK.pid. Prints "OPENED MS"
# (see conns.c); bounded in time.
flows_step() { # impl mark count
	local key=flows-$1 out

	ns_prefix "${GUEST[$key]}"
	out=$(timeout $((30 + $3 / 50)) "${NSENTER[@]}" "$W/conns" \
		10.0.2.2 "${FPORT[$1]}" "$3" "$W/flows-$1-$2.pid" \
		2>>"$OUT/flows-conns.log") || true
	echo "${out:-0 0}"
}

# Close every flow of @1: the guest's holders exit, and the daemon is given
# 5 s, or up to $FLOWS_CLOSE_SECS (10) until its descriptors are back to the
# idle count.
flows_close() { # impl
	local d=${DAEMON[flows-$1]} i f

	for f in "$W/flows-$1-"*.pid; do
		[ ! -s "$f" ] || kill "$(cat "$f")" 2>/dev/null || true
	done
	for i in $(seq $((FLOWS_CLOSE_SECS * 4))); do
		sleep 0.25
		[ -z "${BENCH_DEBUG:-}" ] || [ $((i % 4)) != 0 ] ||
			log "flows: $1, $((i / 4)) s after closing:" \
				"$(tree_fds "$d") descriptors"
		[ "$i" -lt 20 ] || [ "$(tree_fds "$d")" -gt "${FDS0[$1]}" ] ||
			break
	done
	flows_footprint "$1" closed
}

# Idle TCP connections through one daemon, opened one after the other in
# steps up to each mark of $FLOWS_MARKS; the implementations take turns
# at every mark. At each: how long the opening took so far, a round trip
# on a fresh connection, memory and descriptors. Then all are closed.
fig_flows() {
	local impl key m i=0 prev=0 n ms live=() total
	local -A dead=() open_s=()

	# Both daemons' sockets to the echo servers take local ports here.
	sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
	: >"$OUT/flows-conns.log"
	for impl in $(scale_impls); do
		i=$((i + 1))
		if flows_start "$impl" $((7100 + i)); then
			live+=("$impl")
		else
			fail "$impl" flows "guest or daemon did not start"
		fi
	done
	for impl in "${live[@]}"; do
		key=flows-$impl
		sample "$impl" flows_nofile count "$(awk '/^Max open files/ {
			print $4 }' "/proc/${DAEMON[$key]}/limits")"
		flows_p50 "$impl" idle || true
		flows_footprint "$impl" idle || true
		FDS0[$impl]=$(tree_fds "${DAEMON[$key]}")
		open_s[$impl]=0
	done
	i=0
	for m in $FLOWS_MARKS; do
		i=$((i + 1))
		# shellcheck disable=SC2046 # a list of words
		for impl in $(rotate "$i" "${live[@]}"); do
			[ -z "${dead[$impl]:-}" ] || continue
			read -r n ms <<<"$(flows_step "$impl" "$m" $((m - prev)))"
			if [ "$n" != $((m - prev)) ]; then
				sample "$impl" "flows_ok_$m" count $((prev + n))
				fail "$impl" "flows_ok_$m" \
					"only $((prev + n)) of $m open"
				dead[$impl]=1
				continue
			fi
			total=$(awk "BEGIN { print ${open_s[$impl]} + $ms / 1000 }")
			open_s[$impl]=$total
			sample "$impl" "flows_ok_$m" count "$m"
			sample "$impl" "flows_open_$m" s "$total"
			flows_p50 "$impl" "$m" || true
			flows_footprint "$impl" "$m" || true
		done
		prev=$m
		log "flows: $m open ($(for impl in "${live[@]}"; do
			printf '%s %s s ' "$impl" "${open_s[$impl]}"; done))"
	done
	for impl in "${live[@]}"; do
		flows_close "$impl" || true
	done
	for impl in "${live[@]}"; do
		key=flows-$impl
		stop_all "${DAEMON[$key]}" "${GUEST[$key]}" \
			"$(cat "$W/rr-$key.pid")"
		unset "DAEMON[$key]" "GUEST[$key]"
	done
}

# @1 idle daemons of one implementation, each for a rootless guest of its
# own, with Podman's command line, started one after the other; then the
# memory of all their processes together. Every one is stopped after.
instances_one() { # impl
	local bin i out g t0 rss=0 pss=0 np=0 n=0 m r s c d sock

	bin=$(slirp_bin "$1")
	INST_PIDS=()
	t0=$EPOCHREALTIME
	for i in $(seq "$INSTANCES"); do
		out=$("$W/spawn" -r 1 -k -l "$W/guest-inst.log" -- \
			"${AS_USER[@]}" unshare --user --map-root-user --net \
			sh -c 'echo; exec sleep 3600') || break
		g=${out%% *}
		INST_PIDS+=("$g")
		sock=$W/run/inst-$1-$i.sock
		out=$("$W/spawn" -r 5 -k -l "$W/daemon-inst-$1.log" -- \
			"${AS_USER[@]}" "$bin" --configure --mtu=65520 \
			--disable-host-loopback --enable-sandbox \
			--enable-seccomp -r 5 --api-socket "$sock" "$g" tap0) ||
			break
		INST_DAEMONS+=("${out%% *}")
		n=$((n + 1))
	done
	sample "$1" instances_start s "$(awk "BEGIN {
		print $EPOCHREALTIME - $t0 }")"
	sample "$1" instances_ok count "$n"
	if [ "$n" = "$INSTANCES" ]; then
		sleep 3
		for d in "${INST_DAEMONS[@]}"; do
			m=$(tree_mem_kb "$d") || continue
			read -r r s c <<<"$m"
			rss=$((rss + r)) pss=$((pss + s)) np=$((np + c))
		done
		sample "$1" instances_procs count "$np"
		sample "$1" instances_pss_total MiB \
			"$(awk "BEGIN { print $pss / 1024 }")"
		sample "$1" instances_rss_total MiB \
			"$(awk "BEGIN { print $rss / 1024 }")"
		sample "$1" instances_pss_avg MiB \
			"$(awk "BEGIN { print $pss / 1024 / $n }")"
		sample "$1" instances_rss_avg MiB \
			"$(awk "BEGIN { print $rss / 1024 / $n }")"
	else
		fail "$1" instances_ok "only $n of $INSTANCES daemons ready"
	fi
	stop_all "${INST_DAEMONS[@]}"
	stop_all "${INST_PIDS[@]}"
	INST_DAEMONS=() INST_PIDS=()
}

fig_instances() {
	local impl

	for impl in $(scale_impls); do
		instances_one "$impl"
	done
}

# --- metadata and the report ----------------------------------------------------

write_meta() {
	local f="$OUT/meta.env" ours_v=n/a

	[ -z "$BENCH_OURS" ] || ours_v=$("$BENCH_OURS" --version 2>&1 |
		tr '\n' ' ' | cut -c1-200) || true
	{
		echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "quick=${BENCH_QUICK:-0}"
		echo "iter=$ITER"
		echo "secs=$SECS"
		echo "idle_secs=$IDLE_SECS"
		echo "conns=$CONNS"
		echo "flows_marks=$FLOWS_MARKS"
		echo "flows_limits=ours $(flows_limit ours), slirp4netns $(flows_limit slirp4netns)"
		echo "instances=$INSTANCES"
		echo "impls=$IMPLS"
		echo "figures=$BENCH_FIGURES"
		echo "nproc=$(nproc)"
		echo "cpu=$(awk -F': ' '/^model name/ { print $2; exit }' \
			/proc/cpuinfo)"
		echo "kernel=$(uname -srm)"
		# shellcheck disable=SC1091
		echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
		echo "ours=${BENCH_OURS_SRC:-}"
		echo "ours_version=$ours_v"
		echo "commit=$COMMIT"
		echo "slirp4netns_version=$(/usr/bin/slirp4netns --version \
			2>/dev/null | tr '\n' ' ')"
		echo "libslirp_pkg=$(dpkg-query -W -f '${Version}' libslirp0 \
			2>/dev/null)"
		echo "pasta_pkg=$(dpkg-query -W -f '${Version}' passt 2>/dev/null)"
		echo "iperf3=$(iperf3 --version 2>/dev/null | head -n1)"
		echo "s4n_args=${BENCH_S4N_ARGS:-}"
		echo "split=${GCPU:+guest end on CPU $GCPU, host end on CPU $HCPU}"
		echo "nofile=$(ulimit -n)"
		echo "runtime_s=$SECONDS"
	} >"$f"
}

raise_nofile() { # wanted
	local h

	h=$(ulimit -Hn)
	[ "$h" != unlimited ] || h=$1
	if [ "$h" -lt "$1" ] && ulimit -Hn "$1" 2>/dev/null; then
		h=$1
	fi
	ulimit -Sn $((h < $1 ? h : $1))
}

inner_cleanup() {
	local k

	# Every process lives in this PID namespace and dies with it; kill
	# what we know of anyway, so that nothing outlives a failed run.
	for k in "${DAEMON[@]}" "${GUEST[@]}" "${INST_DAEMONS[@]}" \
		"${INST_PIDS[@]}"; do
		[ -z "$k" ] || kill "$k" 2>/dev/null || true
	done
}

inner_main() {
	local impl mtu n=0 full=1 results

	trap inner_cleanup EXIT
	# The tree as the run starts (others may commit while it runs).
	COMMIT=$(git -C "$SRCDIR" rev-parse --short HEAD 2>/dev/null) ||
		COMMIT=n/a
	OUT=${BENCH_OUT:-$SRCDIR/out}
	mkdir -p "$OUT"
	SAMPLES=$OUT/samples.tsv FAILS=$OUT/failures.tsv
	: >"$SAMPLES"
	: >"$FAILS"
	IMPLS=$BENCH_IMPLS
	HZ=$(getconf CLK_TCK)
	ALLCPUS=0-$(($(nproc) - 1))
	GCPU='' HCPU=''
	if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
		GCPU=0 HCPU=1
	fi
	if [ -n "${BENCH_QUICK:-}" ]; then
		ITER=1 SECS=1 IDLE_SECS=1 RR_SECS=1 CRR_SECS=1 STARTUP_RUNS=3
		CRR_MAX=500 RR_MAX=20000 CONNS=100
		FLOWS_MARKS="100 500 1000 1500" INSTANCES=10
	else
		ITER=5 SECS=3 IDLE_SECS=10 RR_SECS=2 CRR_SECS=3 STARTUP_RUNS=15
		CRR_MAX=5000 RR_MAX=200000 CONNS=1000
		FLOWS_MARKS="1000 2500 5000 10000" INSTANCES=100
	fi
	ITER=${BENCH_ITER:-$ITER} SECS=${BENCH_SECS:-$SECS}
	CONNS=${BENCH_CONNS:-$CONNS}
	FLOWS_MARKS=${BENCH_FLOWS:-$FLOWS_MARKS}
	INSTANCES=${BENCH_INSTANCES:-$INSTANCES}
	FLOWS_CLOSE_SECS=${BENCH_FLOWS_CLOSE:-10}
	# 1000 connections are 1000 sockets in the client, the server and
	# the daemon; Debian's slirp4netns does not raise its own limit.
	raise_nofile 65536
	# The flows' daemons: a hard limit as high as we may give.
	FLOWS_HARD=$(ulimit -Hn)
	[ "$FLOWS_HARD" != unlimited ] && [ "$FLOWS_HARD" -le 65536 ] ||
		FLOWS_HARD=65536

	ip link set lo up
	[[ " $IMPLS " != *" pasta "* ]] || setup_pasta_template
	iperf_server 127.0.0.1
	rr_server 127.0.0.1
	log "implementations: $IMPLS; figures: $BENCH_FIGURES"

	! want_fig startup || { log "start-up"; fig_startup; }
	for impl in $IMPLS; do
		for mtu in 65520 1500; do
			[ "$mtu" = 65520 ] || want_fig bulk || want_fig fwd ||
				continue
			n=$((n + 1))
			start_instance "$impl" "$mtu" "$n" ||
				{
					fail "$impl" "start-mtu$mtu" "see logs"
					unset "GUEST[$impl-$mtu]"
				}
		done
	done
	log "instances up: $(live_impls 65520 | tr '\n' ' ')"
	if want_fig idle; then
		log "idle ($IDLE_SECS s)"
		fig_idle idle
	fi
	footprint idle
	! want_fig latency || { log "latency"; fig_latency; }
	! want_fig crr || { log "connection rate"; fig_crr crr; }
	if want_fig fwd_crr; then
		log "connection rate through the port forward"
		fig_crr fwd_crr
	fi
	if want_fig bulk || want_fig fwd; then
		log "bulk and port forwarding"
		fig_bulk
		footprint bulk
	fi
	! want_fig conns || { log "$CONNS idle connections"; fig_conns; }
	if want_fig idle; then
		log "idle after the traffic ($IDLE_SECS s)"
		fig_idle idle_after
	fi
	# Last: their own daemons, which would disturb the idle figures.
	if want_fig flows && [ -n "$(scale_impls)" ]; then
		log "flows up to $FLOWS_MARKS"
		fig_flows
	fi
	if want_fig instances && [ -n "$(scale_impls)" ]; then
		log "$INSTANCES idle daemons each"
		fig_instances
	fi
	write_meta

	[ "$IMPLS" = "$ALL_IMPLS" ] && [ "$BENCH_FIGURES" = "$ALL_FIGURES" ] &&
		[ -z "${BENCH_QUICK:-}" ] || full=
	results=${BENCH_RESULTS:-}
	if [ -z "$results" ]; then
		if [ -n "$full" ]; then results=$SRCDIR/RESULTS.md; else
			results=$OUT/RESULTS.md; fi
	fi
	python3 "$SRCDIR/report.py" "$OUT" "$results"
}

if [ -n "${BENCH_INNER:-}" ]; then
	inner_main
else
	outer_main "$@"
fi
