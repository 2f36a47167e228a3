#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# benchmarks/report.py - turn run.sh's samples into the table, JSON lines,
# RESULTS.md and the ratio chart
#
# Copyright (C) 2026 The slirp4netns authors
#
# Usage: report.py OUTDIR RESULTS.md
# Reads OUTDIR/samples.tsv (impl, figure, unit, value per line),
# OUTDIR/failures.tsv and OUTDIR/meta.env; writes the table to stdout,
# OUTDIR/results.jsonl, RESULTS.md and, next to it, results.svg (and
# OUTDIR/results.png) when gnuplot is installed.

import json
import os
import re
import shutil
import statistics
import subprocess
import sys

IMPLS = ["ours", "ours_off", "slirp4netns", "pasta", "veth"]
BASE = "slirp4netns"
# Column headings where the key alone says too little.
LABELS = {"ours_off": "ours, TCP path off"}

# figure, what it is, which way is better, chart group
FIGURES = [
    ("tcp_g2h_mtu1500", "TCP guest→host, MTU 1500", "high", "tput"),
    ("tcp_h2g_mtu1500", "TCP host→guest, MTU 1500", "high", "tput"),
    ("tcp_g2h_mtu65520", "TCP guest→host, MTU 65520", "high", "tput"),
    ("tcp_h2g_mtu65520", "TCP host→guest, MTU 65520", "high", "tput"),
    ("fwd_h2g_mtu1500", "port forward host→guest, MTU 1500", "high", "tput"),
    ("fwd_g2h_mtu1500", "port forward guest→host, MTU 1500", "high", "tput"),
    ("fwd_h2g_mtu65520", "port forward host→guest, MTU 65520", "high",
     "tput"),
    ("fwd_g2h_mtu65520", "port forward guest→host, MTU 65520", "high",
     "tput"),
    ("crr", "new TCP connections guest→host", "high", "tput"),
    ("fwd_crr", "new TCP connections host→guest through the port forward",
     "high", "tput"),
    ("lat_tcp_p50", "TCP 1-byte round trip p50 (pinned)", "low", "lat"),
    ("lat_tcp_p99", "TCP 1-byte round trip p99 (pinned)", "low", "lat"),
    ("lat_udp_p50", "UDP 1-byte round trip p50 (pinned)", "low", "lat"),
    ("lat_udp_p99", "UDP 1-byte round trip p99 (pinned)", "low", "lat"),
    ("startup", "launch to ready", "low", None),
    ("cpu_per_gb", "daemon CPU per GB, upload MTU 65520", "low", None),
    ("idle_cpu", "daemon CPU while idle", "low", None),
    ("idle_wakeups", "daemon context switches while idle", "low", None),
    ("idle_after_cpu", "daemon CPU while idle after all traffic", "low",
     None),
    ("idle_after_wakeups", "daemon context switches, idle after traffic",
     "low", None),
    ("rss_idle", "RSS idle", "low", None),
    ("pss_idle", "PSS idle", "low", None),
    ("rss_bulk", "RSS after bulk transfers", "low", None),
    ("pss_bulk", "PSS after bulk transfers", "low", None),
    ("conns_ok", "idle TCP connections established", "high", None),
    ("rss_conns", "RSS with the idle connections open", "low", None),
    ("pss_conns", "PSS with the idle connections open", "low", None),
    ("conns_tcp_p50", "TCP round trip p50 with them open", "low", None),
    ("conns_p50_vs_idle", "that p50 / idle p50", "low", None),
]

# The scale figures: flows_METRIC_MARK, MARK a number of open connections,
# "idle" (before the first) or "closed" (after all were closed).
FLOWS_METRICS = [
    ("ok", "connections opened", "high"),
    ("open", "time to open them, one after the other", "low"),
    ("tcp_p50", "TCP round trip p50 on a fresh connection", "low"),
    ("p50_vs_idle", "that p50 / the idle p50", "low"),
    ("rss", "daemon RSS", "low"),
    ("pss", "daemon PSS", "low"),
    ("fds", "daemon file descriptors", "low"),
]
FLOWS_RE = re.compile(r"^flows_(%s)_(idle|closed|\d+)$" %
                      "|".join(m[0] for m in FLOWS_METRICS))

INSTANCES = [
    ("instances_ok", "daemons ready", "high"),
    ("instances_start", "time to start them all, one after the other",
     "low"),
    ("instances_procs", "their processes", "low"),
    ("instances_pss_total", "total PSS", "low"),
    ("instances_rss_total", "total RSS", "low"),
    ("instances_pss_avg", "PSS per daemon", "low"),
    ("instances_rss_avg", "RSS per daemon", "low"),
]


def flows_figures(stats):
    """The flows rows present, metric by metric: idle, each mark, closed."""
    found = {}
    for _, fig in stats:
        m = FLOWS_RE.match(fig)
        if m:
            found.setdefault(m.group(1), set()).add(m.group(2))
    rows = []
    if any(f == "flows_nofile" for _, f in stats):
        rows.append(("flows_nofile", "daemon's soft RLIMIT_NOFILE once "
                     "started", "high", None))
    for metric, desc, better in FLOWS_METRICS:
        marks = found.get(metric, set())
        nums = sorted(int(x) for x in marks if x.isdigit())
        order = (["idle"] if "idle" in marks else []) + \
            [str(n) for n in nums] + \
            (["closed"] if "closed" in marks else [])
        for mark in order:
            where = {"idle": "none open yet",
                     "closed": "all closed again"}.get(
                         mark, ("of %s" if metric == "ok" else "%s open") %
                         mark)
            rows.append(("flows_%s_%s" % (metric, mark),
                         "%s, %s" % (desc, where), better, None))
    return rows


def instances_figures(stats, meta):
    n = meta.get("instances", "N")
    return [(fig, "%s idle daemons: %s" % (n, desc), better, None)
            for fig, desc, better in INSTANCES
            if any(f == fig for _, f in stats)]


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]


def read_meta(path):
    meta = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                meta[k] = v.strip()
    return meta


def round_ratio(rounds, base):
    """Median over the rounds both have of the ratio within each round:
    neighbours in time share the machine's mood of the moment."""
    r = [rounds[k] / base[k] for k in rounds if k in base and base[k]]
    return statistics.median(r) if r else None


def summarize(samples):
    vals, units, rounds = {}, {}, {}
    for row in samples:
        impl, fig, unit, value = row[:4]
        rnd = row[4] if len(row) > 4 else "1"
        try:
            v = float(value)
        except ValueError:
            continue
        vals.setdefault((impl, fig), []).append(v)
        rounds.setdefault((impl, fig), {})[rnd] = v
        units[fig] = unit
    stats = {}
    for key, v in vals.items():
        stats[key] = {"value": statistics.median(v), "min": min(v),
                      "max": max(v), "n": len(v), "rounds": rounds[key]}
    # Derived: the round trip with N idle connections over the idle one.
    for impl in IMPLS:
        a, b = stats.get((impl, "conns_tcp_p50")), stats.get(
            (impl, "lat_tcp_p50"))
        if a and b and b["value"] > 0:
            r = a["value"] / b["value"]
            stats[(impl, "conns_p50_vs_idle")] = {"value": r, "min": r,
                                                  "max": r, "n": 1}
            units["conns_p50_vs_idle"] = "x"
    # The same with N flows open, against that daemon's own idle p50.
    for (impl, fig) in list(stats):
        m = FLOWS_RE.match(fig)
        if not m or m.group(1) != "tcp_p50" or not m.group(2).isdigit():
            continue
        b = stats.get((impl, "flows_tcp_p50_idle"))
        if b and b["value"] > 0:
            r = stats[(impl, fig)]["value"] / b["value"]
            d = "flows_p50_vs_idle_" + m.group(2)
            stats[(impl, d)] = {"value": r, "min": r, "max": r, "n": 1}
            units[d] = "x"
    for (impl, fig), s in stats.items():
        base = stats.get((BASE, fig))
        if (impl, fig) in rounds and (BASE, fig) in rounds:
            s["ratio"] = round_ratio(rounds[(impl, fig)], rounds[(BASE, fig)])
        else:
            s["ratio"] = (s["value"] / base["value"]
                          if base and base["value"] else None)
    return stats, units


def fmt(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 1000:
        return "%.0f" % v
    if a >= 100:
        return "%.1f" % v
    if a >= 1:
        return "%.2f" % v
    return "%.3g" % v


def ordered(stats):
    known = [f[0] for f in FIGURES + flows_figures(stats) +
             instances_figures(stats, {})]
    extra = sorted({fig for _, fig in stats} - set(known))
    for fig in known + extra:
        for impl in IMPLS:
            if (impl, fig) in stats:
                yield impl, fig, stats[(impl, fig)]


def print_table(stats, units):
    rows = [("implementation", "figure", "value", "unit", "ratio", "min",
             "max", "n")]
    for impl, fig, s in ordered(stats):
        rows.append((impl, fig, fmt(s["value"]), units.get(fig, ""),
                     fmt(s["ratio"]), fmt(s["min"]), fmt(s["max"]),
                     str(s["n"])))
    w = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())


def write_jsonl(path, stats, units):
    with open(path, "w") as f:
        for impl, fig, s in ordered(stats):
            f.write(json.dumps({"impl": impl, "figure": fig,
                                "value": s["value"],
                                "unit": units.get(fig, ""),
                                "ratio": s["ratio"], "min": s["min"],
                                "max": s["max"], "n": s["n"]}) + "\n")


def chart(stats, outdir, svg):
    """Clustered bars of the throughput and latency ratios, log scale: the
    SVG goes next to RESULTS.md, a PNG copy to OUTDIR."""
    gp = shutil.which("gnuplot")
    impls = [i for i in IMPLS if i != BASE and
             any(k[0] == i for k in stats)]
    figs = [f for f in FIGURES if f[3] and
            any((i, f[0]) in stats for i in impls)]
    if not gp or not impls or not figs:
        return []
    dat = os.path.join(outdir, "chart.dat")
    with open(dat, "w") as f:
        for fig, _, _, _ in figs:
            r = [stats.get((i, fig), {}).get("ratio") for i in impls]
            f.write(fig + " " + " ".join(
                "%.4f" % x if x else "NaN" for x in r) + "\n")
    made = []
    for term, out in (("svg size 1000,520 dynamic font 'sans,11'", svg),
                      ("pngcairo size 1000,520 font 'sans,10'",
                       os.path.join(outdir, "results.png"))):
        script = f"""
set terminal {term}
set output '{out}'
set title 'Ratio to slirp4netns in the same run (bars start at 1): throughput higher is better, latency lower is better' noenhanced
set style fill solid 0.85 border -1
set datafile missing 'NaN'
set logscale y 2
set grid ytics
set ylabel 'ratio to slirp4netns (log scale)'
set xtics rotate by -35 noenhanced
set xrange [-0.6:{len(figs) - 0.4}]
set key top left noenhanced
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 2 front
names = '{" ".join(impls)}'
n = {len(impls)}
w = 0.8 / n
x(c) = $0 + (c - 2 - (n - 1) / 2.0) * w
plot '{dat}' using 0:(1):xtic(1) with dots lc rgb 'black' notitle, \\
     for [c=2:n + 1] '' using (x(c)):(1):(x(c) - w / 2):(x(c) + w / 2):(1):(column(c)) with boxxyerror title word(names, c - 1)
"""
        try:
            subprocess.run([gp], input=script, text=True, check=True,
                           capture_output=True, timeout=60)
            made.append(out)
        except (subprocess.SubprocessError, OSError):
            pass
    return made


def cell(s):
    if not s:
        return "n/a"
    t = fmt(s["value"])
    if s["n"] > 1:
        t += " (%s–%s)" % (fmt(s["min"]), fmt(s["max"]))
    if s["ratio"] is not None:
        t += " **×%s**" % fmt(s["ratio"])
    return t


def table(figs, stats, units, impls):
    impls = [i for i in impls if any((i, f[0]) in stats for f in figs)]
    L = ["| figure | unit | " + " | ".join(LABELS.get(i, i) for i in impls) +
         " |",
         "|---|---|" + "---|" * len(impls)]
    for fig, desc, _, _ in figs:
        if not any((i, fig) in stats for i in impls):
            continue
        L.append(f"| {desc} (`{fig}`) | {units.get(fig, '')} | " +
                 " | ".join(cell(stats.get((i, fig))) for i in impls) + " |")
    L.append("")
    return L


def val(stats, impl, fig):
    s = stats.get((impl, fig))
    return s["value"] if s else None


def targets(stats, meta, fails):
    """Issue 10's targets: [target, ours, slirp4netns, verdict] rows."""
    marks = meta.get("flows_marks", "").split()
    big = "10000" in marks
    full_inst = meta.get("instances") == "100"
    limits = meta.get("flows_limits", "?")
    rows = []

    def both(fig, f=fmt):
        return [f(val(stats, i, fig)) if val(stats, i, fig) is not None
                else "n/a" for i in ("ours", BASE)]

    why = "this run's marks: %s" % (meta.get("flows_marks") or "none")
    ours_fail = [f for f in fails if f and f[0] == "ours" and
                 len(f) > 1 and f[1].startswith("flows")]
    oks = [(int(m.group(2)), val(stats, "ours", f)) for (i, f) in stats
           if i == "ours" and (m := FLOWS_RE.match(f)) and
           m.group(1) == "ok" and m.group(2).isdigit()]
    opened = max(oks)[1] if oks else None
    rows.append(["all 10,000 connections open, none failing, ours started "
                 "with soft RLIMIT_NOFILE 1024 (%s)" % limits] +
                both("flows_ok_10000") +
                [verdict(val(stats, "ours", "flows_ok_10000") == 10000 and
                         not ours_fail, big or ours_fail, why)])
    if ours_fail and rows[-1][1] == "n/a" and opened is not None:
        rows[-1][1] = "%s open, then failed" % fmt(opened)
    o = val(stats, "ours", "flows_open_10000")
    rows.append(["time to open 10,000 ≤ 5 s"] +
                both("flows_open_10000", lambda v: fmt(v) + " s") +
                [verdict(o is not None and o <= 5, big, why)])
    o = val(stats, "ours", "flows_p50_vs_idle_10000")
    rows.append(["TCP p50 with 10,000 open ≤ 5 × idle p50"] +
                both("flows_p50_vs_idle_10000",
                     lambda v: "×" + fmt(v)) +
                [verdict(o is not None and o <= 5, big, why)])
    o = val(stats, "ours", "flows_rss_10000")
    rows.append(["RSS with 10,000 open ≤ 100 MiB"] +
                both("flows_rss_10000", lambda v: fmt(v) + " MiB") +
                [verdict(o is not None and o <= 100, big, why)])

    def path(impl):
        v = [val(stats, impl, "flows_rss_" + k)
             for k in ("idle", "10000", "closed")]
        if None in v:
            return "n/a", None
        near = v[2] - v[0] <= max((v[1] - v[0]) / 10, 1.0)
        t = " → ".join(fmt(x) for x in v) + " MiB"
        fds = [val(stats, impl, "flows_fds_" + k) for k in ("idle", "closed")]
        if None not in fds and fds[1] > fds[0]:
            t += " (%d descriptors still open)" % (fds[1] - fds[0])
        return t, near
    (po, near), (pb, _) = path("ours"), path(BASE)
    rows.append(["RSS back near idle after closing them (idle → 10,000 → "
                 "closed; near: what remains of the growth ≤ 1/10 of it, "
                 "or ≤ 1 MiB)", po, pb,
                 verdict(near, big and near is not None, why)])
    o = val(stats, "ours", "instances_pss_total")
    rows.append(["100 idle daemons: total PSS ≤ 20 MiB"] +
                both("instances_pss_total", lambda v: fmt(v) + " MiB") +
                [verdict(o is not None and o <= 20, full_inst,
                         "this run: %s daemons" %
                         meta.get("instances", "no"))])
    return rows


def impl_label(impl):
    return LABELS.get(impl, impl)


def verdict(ok, measured=True, why=""):
    if not measured:
        return "not measured" + (" (%s)" % why if why else "")
    return "met" if ok else "**not met**"


def with_unit(stats, units, impl, fig):
    v = val(stats, impl, fig)
    if v is None:
        return "n/a"
    return (fmt(v) + " " + units.get(fig, "")).strip()


def missing(stats, impls, fig):
    """Why a comparison of @impls on @fig cannot be made, or ''."""
    gone = [i for i in impls if (i, fig) not in stats]
    return "no `%s` from %s in this run" % (fig, " or ".join(gone)) \
        if gone else ""


def compare(stats, units, what, fig, ref, factor=1.0, low=False, why=""):
    """A target row: ours at least @factor × @ref's @fig (at most, if @low),
    judged on the median over the rounds of the ratio within each round.
    @why, if set, says why the run cannot judge it. Return: [target, ours,
    reference, ratio, verdict]."""
    why = why or missing(stats, ("ours", ref), fig)
    r = None
    if not why:
        r = round_ratio(stats[("ours", fig)]["rounds"],
                        stats[(ref, fig)]["rounds"])
        why = "" if r is not None else "no round with both"
    ok = r is not None and (r <= factor if low else r >= factor)
    return [what, with_unit(stats, units, "ours", fig),
            "%s: %s" % (impl_label(ref), with_unit(stats, units, ref, fig)),
            "×" + fmt(r) if r is not None else "-",
            verdict(ok, not why, why)]


def limit(stats, units, what, fig, most, refs):
    """A target row: ours' median of @fig at most @most; the @refs' medians
    for context."""
    o = val(stats, "ours", fig)
    ref = ["%s: %s" % (impl_label(i), with_unit(stats, units, i, fig))
           for i in refs if (i, fig) in stats]
    return [what, with_unit(stats, units, "ours", fig),
            "; ".join(ref) or "-", "-",
            verdict(o is not None and o <= most, o is not None,
                    missing(stats, ("ours",), fig))]


TPUT = [("tcp_g2h", "guest→host"), ("tcp_h2g", "host→guest")]
FWD = [("fwd_h2g", "host→guest"), ("fwd_g2h", "guest→host")]


def targets17(stats, units, meta, fails):
    """Issue 17's targets (the TCP path), for ours."""
    rows = []
    for k, way in TPUT:
        rows.append(compare(stats, units,
                            "TCP %s, MTU 65520 ≥ pasta" % way,
                            k + "_mtu65520", "pasta"))
    for k, way in TPUT:
        rows.append(compare(stats, units, "TCP %s, MTU 1500 not below the "
                            "libslirp path (ours, TCP path off)" % way,
                            k + "_mtu1500", "ours_off"))
    rows.append(limit(stats, units, "daemon CPU per GB received, upload at "
                      "MTU 65520 ≤ 0.5 s", "cpu_per_gb", 0.5,
                      ("ours_off", BASE, "pasta")))
    rows.append(compare(stats, units,
                        "new connections per second ≥ 1.2 × slirp4netns",
                        "crr", BASE, 1.2))
    rows.append(compare(stats, units, "TCP round trip p50 ≤ slirp4netns",
                        "lat_tcp_p50", BASE, low=True))
    rows.append(compare(stats, units, "RSS idle ≤ ours, TCP path off",
                        "rss_idle", "ours_off", low=True))
    n = meta.get("conns", "?")
    rows.append(compare(stats, units, "RSS with %s idle connections ≤ "
                        "ours, TCP path off" % n, "rss_conns", "ours_off",
                        low=True, why="" if n == "1000" else
                        "this run: %s connections, the target 1,000" % n))
    # Issue 10's flows and instances targets, as judged above.
    old = [t[-1] for t in targets(stats, meta, fails)]
    met, unmet = old.count("met"), old.count("**not met**")
    ran = any(FLOWS_RE.match(f) or f.startswith("instances_")
              for i, f in stats if i == "ours")
    rows.append(["issue 10's 10,000-flow and 100-daemon targets still met",
                 "%d met, %d not met, %d not measured" %
                 (met, unmet, len(old) - met - unmet), "-", "-",
                 verdict(met == len(old), met == len(old) or unmet > 0,
                         "%d not measured, see issue 10's table" %
                         (len(old) - met) if ran else
                         "no flows or instances in this run")])
    return rows


def targets19(stats, units):
    """Issue 19's targets (TCP port forwards), for ours."""
    rows = []
    for mtu in ("65520", "1500"):
        for k, way in FWD:
            rows.append(compare(stats, units, "port forward %s, MTU %s ≥ "
                                "pasta" % (way, mtu), "%s_mtu%s" % (k, mtu),
                                "pasta"))
    rows.append(compare(stats, units, "forwarded connections per second ≥ "
                        "1.2 × slirp4netns", "fwd_crr", BASE, 1.2))
    rows.append(compare(stats, units, "RSS idle, two forwards set up, ≤ "
                        "ours, TCP path off (libslirp's forwards)",
                        "rss_idle", "ours_off", low=True))
    return rows


def target_table(title, rows):
    L = ["## %s\n" % title,
         "| target | ours | reference | ours ÷ reference | |",
         "|---|---|---|---|---|"]
    L += ["| " + " | ".join(r) + " |" for r in rows]
    L.append("")
    return L


def write_md(path, stats, units, meta, fails, charts):
    impls = [i for i in IMPLS if any(k[0] == i for k in stats)] or IMPLS
    L = []
    L.append("# Benchmark results\n")
    L.append("Generated by `benchmarks/run.sh` (`make bench`, as root) on "
             f"{meta.get('date', '?')}; the run took "
             f"{meta.get('runtime_s', '?')} s. Do not edit: run it again.\n")
    L.append("Each cell: median (min–max over the runs) **×ratio to "
             "slirp4netns** (the median over the rounds of the ratio within "
             "each round). Throughput and "
             "connections/s: higher is better; everything else: lower is "
             "better. "
             f"Rounds: {meta.get('iter', '?')}, {meta.get('secs', '?')} s per "
             "throughput run; every round runs each implementation in "
             "turn, starting with a different one each time.\n")
    L.append("## Machine and versions\n")
    for k, label in (("nproc", "CPUs"), ("cpu", "CPU model"),
                     ("kernel", "kernel"), ("os", "OS"),
                     ("ours_version", "ours"), ("ours", "ours, binary"),
                     ("commit", "ours, source commit"),
                     ("slirp4netns_version", "Debian's slirp4netns"),
                     ("libslirp_pkg", "libslirp0 package"),
                     ("pasta_pkg", "passt package (pasta)"),
                     ("iperf3", "iperf3"), ("s4n_args", "extra daemon options"),
                     ("split", "bulk and connection-rate ends pinned"),
                     ("nofile", "RLIMIT_NOFILE of every process")):
        L.append(f"- {label}: {meta.get(k) or '-'}")
    L.append("")
    L.append("## Results\n")
    L += table(FIGURES, stats, units, impls)
    for c in charts:
        if c.endswith(".svg"):
            L.append(f"![throughput and latency ratios]({os.path.basename(c)})\n")
    flows = flows_figures(stats)
    if flows:
        L.append("## Many flows through one daemon (`flows`)\n")
        L.append("Marks: %s connections; daemons started with "
                 "RLIMIT_NOFILE (soft:hard) %s.\n" %
                 (meta.get("flows_marks", "?"),
                  meta.get("flows_limits", "?")))
        L += table(flows, stats, units, impls)
    inst = instances_figures(stats, meta)
    if inst:
        L.append("## Many idle daemons (`instances`)\n")
        L += table(inst, stats, units, impls)
    if flows or inst:
        L.append("## Targets (issue 10), for ours\n")
        L.append("| target | ours | slirp4netns | |")
        L.append("|---|---|---|---|")
        for t in targets(stats, meta, fails):
            L.append("| " + " | ".join(t) + " |")
        L.append("")
    if any(i == "ours" for i, _ in stats):
        L += target_table("Targets (issue 17: the TCP path), for ours",
                          targets17(stats, units, meta, fails))
        L += target_table("Targets (issue 19: TCP port forwards), for ours",
                          targets19(stats, units))
        L.append(TARGET_NOTES)
    L.append("## How it is measured\n")
    L.append(NOTES.format(conns=meta.get("conns", "?"),
                          nofile=meta.get("nofile", "?"),
                          idle=meta.get("idle_secs", "?"),
                          marks=meta.get("flows_marks", "?"),
                          limits=meta.get("flows_limits", "?"),
                          instances=meta.get("instances", "?")))
    if fails:
        L.append("## What failed in this run\n")
        for f in fails:
            L.append("- " + " / ".join(f))
        L.append("")
    with open(path, "w") as f:
        f.write("\n".join(L))


TARGET_NOTES = """\
Each target is judged from this run's samples alone: a comparison with
another implementation on the median over the rounds of the ratio within
each round (the "ours ÷ reference" column; both measured minutes apart at
most), a fixed bound on ours' median. "not measured" says what the run
lacked. "ours, TCP path off" is our binary with `--disable-tcp-fast-path`:
all TCP, forwards included, through libslirp, as before the path, so it
stands for "today's" in issue 17 and for libslirp's forwards in issue 19.
"""

NOTES = """\
- Everything runs in a private network, mount and PID namespace that the
  script creates (lo up, no route out); servers listen on 127.0.0.1 there
  (veth: on the host end of the pair). No packet leaves the machine.
- ours and slirp4netns run rootless as user `s4ntest`, with the same command
  line `slirp4netns -c -m MTU -r FD -a SOCK PID tap0`, against a guest made
  by `unshare --user --map-root-user --net`; "ours, TCP path off"
  (`ours_off`) is our binary with `--disable-tcp-fast-path` added, in every
  figure but flows and instances. Each daemon gets two TCP forwards with
  `add_hostfwd` on its API socket, from 127.0.0.1 to the guest's iperf3
  server and to its echo server. pasta runs rootless too
  (`--config-net -4 -m MTU -t 127.0.0.1/PORT:5201 -t 127.0.0.1/PORT2:7000
  -u none -T none -U none`), its template interface a veth with a default
  route in the private namespace; its guest reaches the host through the
  gateway address, which pasta maps to 127.0.0.1. veth is a plain veth
  pair, the kernel's limit.
- Guests have IPv6 disabled, so that no frame the guest kernel sends on its
  own (router solicitations, MLD) counts as a daemon wake-up.
- Throughput: iperf3, one stream, `-c 10.0.2.2` from the guest (pasta: the
  gateway; veth: the peer) and `-R`; port forwarding: iperf3 on the host
  to 127.0.0.1:PORT, forwarded by `add_hostfwd` through the API socket
  (pasta: `-t`; veth: straight to the guest's address), and `-R`.
  Figures are the receiver's rate. The guest's iperf3 runs on CPU 0 and
  the host's on CPU 1 (the daemon is not pinned): left alone, the scheduler
  often puts both on one CPU, and an upload then runs at a third of its
  speed in some runs and not in others.
- Latency: 1-byte request/response on one TCP connection (TCP_NODELAY) and
  over UDP, guest to a host echo server, with the daemon, client and server
  pinned to CPU 0 (taskset). Connection rate (`crr`): connect, 1 byte each
  way, close, one connection after the other, bounded in count and time,
  from the guest to the host's echo server; client on CPU 0, server on
  CPU 1. Forwarded connection rate (`fwd_crr`): the same from the host, to
  127.0.0.1:PORT2 forwarded to an echo server in the guest (veth: straight
  to the guest's address), MTU 65520; client on CPU 1, server on CPU 0.
- Start-up: fork to the byte on --ready-fd (pasta: until its foreground
  process returns with the namespace configured; veth: the `ip` commands),
  through `setpriv` to the unprivileged user, median of repeated runs.
- Footprint: Rss and Pss from /proc/PID/smaps_rollup: idle after start-up,
  after all bulk runs, and with {conns} idle TCP connections from the guest
  to a host server, each proven with a 1-byte round trip (all must
  succeed). Every process runs with RLIMIT_NOFILE raised to {nofile}
  (soft), which Debian's slirp4netns needs for that many connections.
- CPU: utime+stime of the daemon (/proc/PID/stat) during each MTU-65520
  upload, per GB received; idle: CPU and voluntary+nonvoluntary context
  switches of all its threads over a {idle} s window, scaled to 10 s, once
  right after start-up and once after all traffic (the idle connections
  closed).
- Debian's pasta (2023-03) moves guest→host TCP through its TAP erratically
  (bursts, then stalls): its `tcp_g2h` rows are reported as measured.
- Flows (ours and slirp4netns only): each gets a guest and a daemon of its
  own (MTU 65520, the command line above) and an echo server of its own on
  127.0.0.1. Ours starts with RLIMIT_NOFILE soft 1024 (and raises it to the
  hard limit itself); Debian's slirp4netns, which does not, gets the soft
  limit raised (soft:hard: {limits}). The guest opens idle TCP connections
  to 10.0.2.2, one `connect()` after the other, in steps up to each mark
  ({marks}); the two daemons take turns at every mark. "Time to open" adds
  up the `connect()` calls only; every connection is then proven with a
  1-byte round trip, and a mark counts only when all succeeded (a failure
  ends that daemon's series). At each mark: a TCP round trip p50 on a
  fresh connection (pinned, as above) against the same daemon's p50 before
  the first connection, Rss and Pss summed over the daemon's processes,
  and its open descriptors. Then the guest's holders exit and the figures
  are taken again 5 s later (up to 10 s while descriptors are still
  closing).
- Instances (ours and slirp4netns only): {instances} daemons of one
  implementation, each for a rootless guest of its own, with Podman's
  command line (`--configure --mtu=65520 --disable-host-loopback
  --enable-sandbox --enable-seccomp -r FD --api-socket SOCK PID tap0`),
  started one after the other, each until ready; 3 s later, Rss and Pss of
  all their processes (and any children) are summed; then all are stopped
  before the other implementation's are started.
"""


def main():
    outdir, results = sys.argv[1], sys.argv[2]
    samples = read_tsv(os.path.join(outdir, "samples.tsv"))
    fails = read_tsv(os.path.join(outdir, "failures.tsv"))
    meta = read_meta(os.path.join(outdir, "meta.env"))
    stats, units = summarize(samples)
    print_table(stats, units)
    write_jsonl(os.path.join(outdir, "results.jsonl"), stats, units)
    svg = os.path.join(os.path.dirname(os.path.abspath(results)),
                       "results.svg")
    charts = chart(stats, outdir, svg)
    write_md(results, stats, units, meta, fails, charts)
    if fails:
        print("\n%d failure(s):" % len(fails))
        for f in fails:
            print("  " + " / ".join(f))
    return 0


if __name__ == "__main__":
    sys.exit(main())
