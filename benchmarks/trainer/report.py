#!/usr/bin/env python3
"""Turns benchmarks/trainer/out into the Trainer section of benchmarks/RESULTS.md (between markers)."""
import json, os, re, sys, statistics

out, results = sys.argv[1], sys.argv[2]
BEGIN, END = "<!-- trainer:begin -->", "<!-- trainer:end -->"
ANCHOR_NAMES = {"rf": "RandomForest", "lgbm": "LightGBM", "linear": "Linear", "ridge": "Ridge", "ens_inv": "ensemble",
                "naive_seasonal": "SeasonalNaive", "naive_last": "NaiveLast", "ets": "ETS"}
ORDER = ["RandomForest", "XGBoost", "LightGBM", "Linear", "Ridge", "ensemble", "SeasonalNaive", "NaiveLast", "ETS"]


def timing(name):
    t = open(os.path.join(out, name + ".time")).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
    parts = [float(p) for p in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    cpu = float(re.search(r"User time \(seconds\): (\S+)", t).group(1)) + float(re.search(r"System time \(seconds\): (\S+)", t).group(1))
    load = open(os.path.join(out, name + ".load")).read().strip()
    return secs, rss, cpu, load


runs = [n[:-5] for n in sorted(os.listdir(out)) if n.endswith(".time")]
runs.sort(key=lambda n: (n != "anchor", n))
mase = {}
for r in runs:
    if r == "anchor":
        s = json.load(open(os.path.join(out, "anchor.json")))["summary"]
        mase[r] = {ANCHOR_NAMES[k]: (v["mean_mase"], v["median_mase"]) for k, v in s.items() if k in ANCHOR_NAMES}
    else:
        p = os.path.join(out, r, "metrics.json")
        if os.path.exists(p):
            o = json.load(open(p))["overall"]
            mase[r] = {k: (v["mean_mase"], v["median_mase"]) for k, v in o.items()}
anchor_wall = timing("anchor")[0] if "anchor" in runs else None
anchor_cpu = timing("anchor")[2] if "anchor" in runs else None
lines = [BEGIN, "## Trainer: forecasting pipeline, 10 countries, holdout 60 (Python anchor vs Java)", "",
         "Produced by `bash benchmarks/trainer/run.sh` (runs one after the other, same machine, same data). "
         "Wall time and peak RSS from `/usr/bin/time -v` of the whole process (JVM start and Python imports included). "
         "Java runs also refit on all data, export ONNX, run the ONNX parity check and write the bundle; the anchor refits "
         "and forecasts but exports nothing. The machine (2 vCPU) is shared with other work: the 1-min load average at each "
         "start is shown; under load the single-threaded anchor gets less than a full CPU, so the CPU-time ratio is the "
         "fairer speed comparison. `-1cpu` runs the JVM with `-XX:ActiveProcessorCount=1` (one worker, like the anchor); `-xmx300m` caps the heap "
         "(`-XX:+UseSerialGC -Xmx300m`): without a cap the JVM sizes its heap from the machine's 24 GiB and RSS mostly shows "
         "garbage not yet collected.", "",
         "| run | wall s | wall speed-up vs anchor | CPU s (user+sys) | CPU-time ratio anchor/run | peak RSS MB | load at start |",
         "|---|---:|---:|---:|---:|---:|---:|"]
for r in runs:
    w, m, c, l = timing(r)
    sp = f"{anchor_wall / w:.2f}x" if anchor_wall and r != "anchor" else "—"
    cr = f"{anchor_cpu / c:.2f}x" if anchor_cpu and r != "anchor" else "—"
    lines.append(f"| {r} | {w:.1f} | {sp} | {c:.1f} | {cr} | {m:.0f} | {l} |")
lines += ["", "Mean MASE over the 10 countries (median in parentheses); `ensemble` is the promoted model of a Java run and "
          "`ens_inv` (inverse-MAE weights from the inner validation window) for the anchor.", ""]
cols = [r for r in runs if r in mase]
lines.append("| model | " + " | ".join(cols) + " |")
lines.append("|---|" + "---:|" * len(cols))
for m in ORDER:
    cells = []
    for r in cols:
        v = mase[r].get(m)
        cells.append(f"{v[0]:.3f} ({v[1]:.3f})" if v else "—")
    lines.append(f"| {m} | " + " | ".join(cells) + " |")
lines += ["", "Promoted model (`ensemble`) against the baselines, mean MASE (targets: below seasonal naive and below ETS):", ""]
a_ets = mase.get("anchor", {}).get("ETS", (None,))[0]
for r in cols:
    if r == "anchor" or "ensemble" not in mase[r]:
        continue
    e, sn, ets = mase[r]["ensemble"][0], mase[r]["SeasonalNaive"][0], mase[r]["ETS"][0]
    verdict = lambda x: "beats" if e < x else "loses to"
    extra = f", {verdict(a_ets)} the anchor's ETS ({a_ets:.3f})" if a_ets else ""
    lines.append(f"- {r}: {e:.3f} — {verdict(sn)} seasonal naive ({sn:.3f}), {verdict(ets)} ETS ({ets:.3f}){extra}")
lines.append(END)
section = "\n".join(lines) + "\n"
text = open(results).read() if os.path.exists(results) else "# Benchmarks\n\n"
if BEGIN in text:
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda _: section, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + section
open(results, "w").write(text)
print(section)
