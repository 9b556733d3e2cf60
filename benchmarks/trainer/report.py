#!/usr/bin/env python3
"""Turns benchmarks/trainer/out into the Trainer section of benchmarks/RESULTS.md (between markers).

Each run name has one or more rounds (`<name>@<round>.time`); times and RSS are medians over the rounds,
the ranges are shown beside them. MASE comes from the first round (training is deterministic; a run whose
rounds disagree is flagged).
"""
import json, os, re, sys, statistics, collections

out, results = sys.argv[1], sys.argv[2]
BEGIN, END = "<!-- trainer:begin -->", "<!-- trainer:end -->"
ANCHOR_NAMES = {"rf": "RandomForest", "lgbm": "LightGBM", "linear": "Linear", "ridge": "Ridge", "ens_inv": "ensemble",
                "naive_seasonal": "SeasonalNaive", "naive_last": "NaiveLast", "ets": "ETS"}
ORDER = ["RandomForest", "XGBoost", "LightGBM", "Linear", "Ridge", "ensemble", "SeasonalNaive", "NaiveLast", "ETS"]


def timing(stem):
    t = open(os.path.join(out, stem + ".time")).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    cpu = float(re.search(r"User time \(seconds\): (\S+)", t).group(1)) + float(re.search(r"System time \(seconds\): (\S+)", t).group(1))
    load = float(open(os.path.join(out, stem + ".load")).read().strip())
    return secs, cpu, rss, load


def mase_of(stem):
    if stem.startswith("anchor"):
        p = os.path.join(out, stem + ".json")
        if not os.path.exists(p):
            return None
        s = json.load(open(p))["summary"]
        return {ANCHOR_NAMES[k]: (v["mean_mase"], v["median_mase"]) for k, v in s.items() if k in ANCHOR_NAMES}
    p = os.path.join(out, stem, "metrics.json")
    if not os.path.exists(p):
        return None
    return {k: (v["mean_mase"], v["median_mase"]) for k, v in json.load(open(p))["overall"].items()}


rounds = collections.defaultdict(list)
for n in sorted(os.listdir(out)):
    if n.endswith(".time"):
        stem = n[:-5]
        # set B and the peer have their own section (peers_report.py)
        if "set-b" in stem or stem.startswith("peer"):
            continue
        rounds[stem.split("@")[0]].append(stem)
names = sorted(rounds, key=lambda n: (not n.startswith("anchor"), n != "anchor", n))
med = {}
for n in names:
    ts = [timing(s) for s in rounds[n]]
    med[n] = [statistics.median(x[i] for x in ts) for i in range(4)] + [(min(x[0] for x in ts), max(x[0] for x in ts))]
mase, unstable = {}, []
for n in names:
    ms = [m for m in (mase_of(s) for s in sorted(rounds[n])) if m]
    if ms:
        mase[n] = ms[0]
        if any(m != ms[0] for m in ms[1:]):
            unstable.append(n)

base = med.get("anchor")
base2 = med.get("anchor-workers2")
n_rounds = max(len(v) for v in rounds.values())
lines = [BEGIN, "## Trainer: forecasting pipeline, 10 countries, holdout 60 (Python anchor vs Java)", "",
         f"Produced by `bash benchmarks/trainer/run.sh`: {n_rounds} interleaved round(s) of every run on the same machine "
         "and data; medians over the rounds (wall range in brackets). Wall time, CPU time and peak RSS from `/usr/bin/time -v` "
         "of the whole process (JVM start and Python imports included). `anchor` is the Python pipeline in one process, "
         "`anchor-workers2` the same with `--workers 2` (countries in two forked processes). Java runs also refit on all data, "
         "export ONNX, run the ONNX parity check and write the bundle (the anchor refits and forecasts but exports nothing). "
         "`-1cpu` runs the JVM with `-XX:ActiveProcessorCount=1`; `-xmx300m` caps the heap (`-XX:+UseSerialGC -Xmx300m`): "
         "without a cap the JVM sizes its heap from the machine's 24 GiB and RSS mostly shows garbage not yet collected. "
         "The 1-min load average at the start of each run is shown (median).", "",
         "| run | wall s (median) | wall range | speed-up vs anchor | speed-up vs anchor-workers2 | CPU s (user+sys) | peak RSS MB | load at start |",
         "|---|---:|---|---:|---:|---:|---:|---:|"]
for n in names:
    w, c, rss, load, (lo, hi) = med[n]
    sp = f"{base[0] / w:.2f}x" if base and n != "anchor" else "—"
    sp2 = f"{base2[0] / w:.2f}x" if base2 and not n.startswith("anchor") else "—"
    lines.append(f"| {n} | {w:.1f} | {lo:.1f}–{hi:.1f} | {sp} | {sp2} | {c:.1f} | {rss:.0f} | {load:.2f} |")
lines += ["", "Mean MASE over the 10 countries (median in parentheses); `ensemble` is the promoted model of a Java run and "
          "`ens_inv` (inverse-MAE weights from the inner validation window) for the anchor.", ""]
cols = [n for n in names if n in mase and n != "anchor-workers2"]
lines.append("| model | " + " | ".join(cols) + " |")
lines.append("|---|" + "---:|" * len(cols))
extra_models = sorted({m for n in cols for m in mase[n]} - set(ORDER))
for m in ORDER + extra_models:
    cells = [f"{mase[n][m][0]:.3f} ({mase[n][m][1]:.3f})" if m in mase[n] else "—" for n in cols]
    if any(c != "—" for c in cells):
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
lines += ["", "Promoted model (`ensemble`) against the baselines, mean MASE (targets: below seasonal naive and below ETS):", ""]
a_ets = mase.get("anchor", {}).get("ETS", (None,))[0]
for n in cols:
    if n.startswith("anchor") or "ensemble" not in mase[n]:
        continue
    e, sn, ets = mase[n]["ensemble"][0], mase[n]["SeasonalNaive"][0], mase[n]["ETS"][0]
    verdict = lambda x: "beats" if e < x else "loses to"
    extra = f", {verdict(a_ets)} the anchor's ETS ({a_ets:.3f})" if a_ets else ""
    lines.append(f"- {n}: {e:.3f} — {verdict(sn)} seasonal naive ({sn:.3f}), {verdict(ets)} our ETS ({ets:.3f}){extra}")
if unstable:
    lines.append(f"- rounds disagree on MASE (not deterministic): {', '.join(unstable)}")
lines.append(END)
section = "\n".join(lines) + "\n"
text = open(results).read() if os.path.exists(results) else "# Benchmarks\n\n"
if BEGIN in text:
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda _: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
print(section)
