#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/test-bench-smoke.sh - a short run of the benchmark suite
#
# Copyright (C) 2026 The slirp4netns authors
#
# One round, 1 s per figure, 100 idle connections, flows up to 1500 and 10
# idle daemons (BENCH_QUICK=1), our binary with and without its TCP path
# (ours_off) and Debian's slirp4netns if installed: checks that
# benchmarks/run.sh runs to the end, that every figure came out as a number
# for our binary, and the figures ours_off runs for it, with their ratio to
# slirp4netns, that the chart was drawn and that RESULTS.md judges the
# targets of issues 10, 17 and 19. No timing is judged here;
# benchmarks/RESULTS.md is where numbers are compared.

. "$(dirname "$0")/lib.sh"

require_cmd iperf3 socat taskset nsenter setpriv cc
[ -x "$S4N_PYTHON" ] || skip_all "python3 not installed"

SRCDIR=${S4N_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
OUT=$S4N_TMP/bench
CONNS=100
# The last mark passes 1024: our daemon starts with that soft fd limit there.
FLOWS="100 500 1000 1500"
LAST_FLOW=1500
INSTANCES=10
IMPLS="ours ours_off"
[ ! -x /usr/bin/slirp4netns ] || IMPLS="ours ours_off slirp4netns"
# What ours_off runs too: all but the scale figures (flows, instances).
OFF_FIGURES="tcp_g2h_mtu1500 tcp_h2g_mtu1500 tcp_g2h_mtu65520 tcp_h2g_mtu65520
	fwd_h2g_mtu1500 fwd_g2h_mtu1500 fwd_h2g_mtu65520 fwd_g2h_mtu65520
	crr fwd_crr lat_tcp_p50 lat_tcp_p99 lat_udp_p50 lat_udp_p99 startup
	cpu_per_gb idle_cpu idle_wakeups idle_after_cpu idle_after_wakeups
	rss_idle pss_idle rss_bulk pss_bulk conns_ok rss_conns pss_conns
	conns_tcp_p50 conns_p50_vs_idle"
FIGURES="$OFF_FIGURES
	flows_ok_$LAST_FLOW flows_open_$LAST_FLOW flows_tcp_p50_idle
	flows_tcp_p50_$LAST_FLOW flows_p50_vs_idle_$LAST_FLOW flows_rss_idle
	flows_rss_$LAST_FLOW flows_pss_$LAST_FLOW flows_fds_$LAST_FLOW
	flows_rss_closed flows_pss_closed instances_ok instances_pss_total
	instances_rss_total instances_pss_avg instances_rss_avg"

run_bench()
{
	BENCH_QUICK=1 BENCH_IMPLS=$IMPLS BENCH_CONNS=$CONNS BENCH_OUT="$OUT" \
		BENCH_RESULTS="$OUT/RESULTS.md" BENCH_FLOWS=$FLOWS \
		BENCH_INSTANCES=$INSTANCES \
		timeout 240 bash "$SRCDIR/benchmarks/run.sh" "$S4N_BINARY" \
		>"$OUT/table.txt" 2>"$OUT/log.txt"
}

# value FIGURE [KEY [IMPL]] - print IMPL's (ours') value (or KEY: ratio)
# for FIGURE from results.jsonl, or nothing
value()
{
	"$S4N_PYTHON" - "$OUT/results.jsonl" "$1" "${2:-value}" \
		"${3:-ours}" <<'EOF'
import json, math, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    v = r[sys.argv[3]]
    if r["impl"] == sys.argv[4] and r["figure"] == sys.argv[2] and \
            isinstance(v, (int, float)) and math.isfinite(v):
        print(v)
EOF
}

is_number()
{
	[[ $1 =~ ^-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?$ ]]
}

mkdir -p "$OUT"
ok "benchmarks/run.sh BENCH_QUICK=1 runs to the end" run_bench
if [ "$OK_STATUS" -ne 0 ]; then
	diag "$(tail -n 30 "$OUT/log.txt")"
fi
ok "results.jsonl was written" test -s "$OUT/results.jsonl"
ok "RESULTS.md was written" test -s "$OUT/RESULTS.md"
has "$(cat "$OUT/table.txt")" "implementation  figure" "the table is on stdout"
# Only our figures must not fail: Debian's slirp4netns is known to stall
# now and then (port forwarding guest->host at MTU 1500, see
# benchmarks/RESULTS.md), and a reference that stalls is no defect of ours.
is "$(grep -P '^ours(_off)?\t' "$OUT/failures.tsv" 2>/dev/null)" "" \
	"none of our figures failed, with the TCP path or without"
ref_failed()
{
	local f=$1

	# A failed mark ends that daemon's flows series: no later figure.
	[[ $f != flows_* ]] || f='flows[^\t]*'
	grep -qP "^slirp4netns\t$f\t" "$OUT/failures.tsv" 2>/dev/null
}
if [[ " $IMPLS " != *" slirp4netns "* ]]; then
	skip "no /usr/bin/slirp4netns: no ratios, no chart"
elif command -v gnuplot >/dev/null; then
	ok "the ratio chart was drawn" test -s "$OUT/results.svg"
else
	skip "gnuplot not installed"
fi

# check_figure IMPL FIGURE - a number, and its ratio to slirp4netns
check_figure()
{
	local impl=$1 fig=$2 v

	v=$(value "$fig" value "$impl" 2>/dev/null || true)
	if is_number "$v"; then
		pass "$impl: $fig = $v"
	else
		fail "$impl: $fig produced no number" "$(grep -- "$fig" \
			"$OUT/table.txt" 2>/dev/null || true)"
	fi
	# A ratio needs a non-zero slirp4netns value: idle figures may be 0.
	[[ " $IMPLS " == *" slirp4netns "* ]] && [[ $fig != idle_* ]] ||
		return 0
	v=$(value "$fig" ratio "$impl" 2>/dev/null || true)
	if is_number "$v"; then
		pass "$impl: $fig has a ratio to slirp4netns ($v)"
	elif ref_failed "$fig"; then
		skip "$impl: $fig: no ratio, slirp4netns failed this figure"
	else
		fail "$impl: $fig has no ratio to slirp4netns"
	fi
}

for fig in $FIGURES; do
	check_figure ours "$fig"
done
for fig in $OFF_FIGURES; do
	check_figure ours_off "$fig"
done
is "$(value "flows_ok_$LAST_FLOW" value ours_off 2>/dev/null)" "" \
	"ours_off runs no flows"
v=$(value conns_ok 2>/dev/null || true)
is "${v%.0}" "$CONNS" "all $CONNS idle connections were established"
v=$(value "flows_ok_$LAST_FLOW" 2>/dev/null || true)
is "${v%.0}" "$LAST_FLOW" \
	"flows: all $LAST_FLOW through our daemon started with soft limit 1024"
v=$(value instances_ok 2>/dev/null || true)
is "${v%.0}" "$INSTANCES" "instances: all $INSTANCES of our daemons were ready"
md=$(cat "$OUT/RESULTS.md")
has "$md" "## Targets (issue 10)" "RESULTS.md shows issue 10's targets"
has "$md" "| ours | ours, TCP path off |" \
	"RESULTS.md labels the column of ours with the TCP path off"

# The rows of issue 17's and 19's tables, "ISSUE: TARGET: VERDICT", with
# VERDICT "ok" where it is met or not met (judged), else as written.
# BENCH_QUICK=1 here runs no pasta and 100 idle connections, not 1,000,
# and issue 10's full-size marks: those rows are "not measured", and say so.
verdicts()
{
	"$S4N_PYTHON" - "$OUT/RESULTS.md" <<'EOF'
import sys
md = open(sys.argv[1]).read()
for issue in ("17", "19"):
    parts = md.split("## Targets (issue %s:" % issue)
    if len(parts) < 2:
        print("%s: no table" % issue)
        continue
    for line in parts[1].split("\n## ")[0].splitlines():
        c = [x.strip() for x in line.strip().strip("|").split("|")]
        if len(c) != 5 or c[0] == "target" or c[0].startswith("---"):
            continue
        v = c[4]
        ok = v in ("met", "**not met**") or (
            v.startswith("not measured") and
            ("pasta" in v or "1,000" in v or "issue 10" in v))
        print("%s: %s: %s" % (issue, c[0], "ok" if ok else v))
EOF
}
rows=$(verdicts 2>&1 || true)
for t in "17: TCP guest→host, MTU 1500" "17: daemon CPU per GB" \
	"17: new connections per second" "17: TCP round trip p50" \
	"17: RSS idle" "17: RSS with $CONNS idle connections" "17: issue 10's" \
	"19: port forward host→guest, MTU 65520" \
	"19: forwarded connections per second" "19: RSS idle"; do
	has "$rows" "$t" "target table row: ${t/: / }"
done
if [[ " $IMPLS " == *" slirp4netns "* ]]; then
	is "$(grep -v ': ok$' <<<"$rows")" "" \
		"every target row the run could measure has a verdict"
else
	skip "no /usr/bin/slirp4netns: rows against it are not measured"
fi

done_testing
