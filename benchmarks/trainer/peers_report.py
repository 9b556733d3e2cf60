#!/usr/bin/env python3
"""Writes the "peers" section of benchmarks/RESULTS.md (between markers) from benchmarks/trainer/out:
Almanac's members and promoted model vs the seed anchor (forecast-baseline) vs the peer
(statsforecast + mlforecast) on set A (the example's countries) and set B, all from one run.sh run,
with the holdout coverage of Almanac's prediction intervals and the wall times."""
import json, os, re, statistics, sys, collections

out, results = sys.argv[1], sys.argv[2]
BEGIN, END = "<!-- peers:begin -->", "<!-- peers:end -->"
ANCHOR = {"ets": "ETS", "naive_seasonal": "SeasonalNaive", "rf": "RandomForest", "lgbm": "LightGBM",
          "ens_inv": "ensemble (inverse-MAE)"}
PEER = {"AutoETS": "AutoETS", "AutoARIMA": "AutoARIMA", "AutoTheta": "AutoTheta", "StatsEnsemble": "ensemble of the three",
        "SeasonalNaive": "SeasonalNaive", "mlf_LightGBM": "LightGBM per country", "mlf_RandomForest": "RandomForest per country",
        "mlf_global_LightGBM": "LightGBM global", "mlf_global_RandomForest": "RandomForest global"}
PEER_MODELS = ["AutoETS", "AutoARIMA", "AutoTheta", "StatsEnsemble", "mlf_LightGBM", "mlf_RandomForest",
               "mlf_global_LightGBM", "mlf_global_RandomForest"]


def first(stem):
    rs = sorted(n for n in os.listdir(out) if n.startswith(stem + "@") and not n.endswith((".time", ".load", ".log")))
    return os.path.join(out, rs[0]) if rs else None


def wall(stem):
    ws = []
    for n in os.listdir(out):
        if n.startswith(stem + "@") and n.endswith(".time"):
            t = open(os.path.join(out, n)).read()
            w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
            ws.append(sum(float(p) * 60 ** i for i, p in enumerate(reversed(w.split(":")))))
    return statistics.median(ws) if ws else None


def java(stem):
    p = first(stem)
    return json.load(open(os.path.join(p, "metrics.json"))) if p else None


def summary(stem):
    p = first(stem)
    return json.load(open(p))["summary"] if p else None


sets = {"A": ("", "USA, GBR, DEU, FRA, ITA, IND, BRA, ZAF, JPN, CAN"), "B": ("-set-b", "RUS, TUR, ESP, ARG, COL, POL, IRN, MEX, UKR, PER")}
rows = collections.OrderedDict()  # (source, model) -> {set: (mean, median)}
cov = {}
weights = {}
for k, (suf, _) in sets.items():
    j = java("java-example" + suf)
    if j:
        for m, v in j["overall"].items():
            name = "**promoted (ensemble)**" if m == "ensemble" else m
            rows.setdefault(("Almanac", name), {})[k] = (v["mean_mase"], v["median_mase"])
        e = j["overall"]["ensemble"]
        cov[k] = (e.get("coverage_80"), e.get("coverage_95"))
        weights[k] = {m: w for m, w in next(iter(j["weights"].values())).items() if w > 0}
    a = summary("anchor" + suf)
    if a:
        for m, lab in ANCHOR.items():
            if m in a:
                rows.setdefault(("seed anchor", lab), {})[k] = (a[m]["mean_mase"], a[m]["median_mase"])
    p = summary("peer-nixtla" + suf)
    if p:
        for m in PEER_MODELS + ["SeasonalNaive"]:
            if m in p:
                src = "statsforecast" if not m.startswith("mlf") else "mlforecast"
                rows.setdefault((src, PEER[m]), {})[k] = (p[m]["mean_mase"], p[m]["median_mase"])


def cell(v):
    return f"{v[0]:.3f} ({v[1]:.3f})" if v else "—"


lines = [BEGIN, "## Trainer vs the seed anchor and the peer (statsforecast / mlforecast), two country sets", "",
         "Produced by `bash benchmarks/trainer/run.sh` (one invocation: every number below comes from the same run). "
         "Holdout: the last 60 days (2021-02-24 … 2021-04-24), same cleaning and MASE for all three. "
         f"Set A = the example's countries ({sets['A'][1]}); set B = {sets['B'][1]} (the 10 countries with the most "
         "cumulative cases outside set A, chosen by that rule before any model ran on them). Almanac runs the example's "
         "spec (`examples/covid-forecast/pipeline.yaml`; set B: `benchmarks/trainer/sets/covid-set-b.yaml`, same spec, other "
         "series). The promoted model is chosen by rolling-origin backtests inside the training data; the holdout picks nothing.", "",
         "Mean holdout MASE over the 10 countries (median in parentheses):", "",
         "| source | model | set A | set B |", "|---|---|---:|---:|"]
for (src, m), v in rows.items():
    lines.append(f"| {src} | {m} | {cell(v.get('A'))} | {cell(v.get('B'))} |")
lines.append("")
for k in sets:
    if k in cov and cov[k][0] is not None:
        lines.append(f"- Set {k}: holdout coverage of the promoted model's intervals: 80 % → {100 * cov[k][0]:.1f} %, "
                     f"95 % → {100 * cov[k][1]:.1f} % (600 series-days); promoted weights {json.dumps({m: round(w, 3) for m, w in weights[k].items()})}.")
for k in sets:
    prom = rows.get(("Almanac", "**promoted (ensemble)**"), {}).get(k)
    peers = {m: v[k][0] for (src, m), v in rows.items() if src in ("statsforecast", "mlforecast") and k in v and m != "SeasonalNaive"}
    if prom and peers:
        best = min(peers, key=peers.get)
        verdict = "below" if prom[0] < peers[best] else "**not below**"
        lines.append(f"- Set {k}: promoted {prom[0]:.3f} is {verdict} the best peer model ({best}, {peers[best]:.3f}).")
t = {n: wall(n) for n in ["anchor", "java-example", "anchor-set-b", "java-example-set-b", "peer-nixtla", "peer-nixtla-set-b"]}
if t["anchor"] and t["java-example"]:
    lines.append(f"- Wall time (median over rounds, whole process): seed anchor {t['anchor']:.1f} s, Almanac example "
                 f"{t['java-example']:.1f} s (**{t['anchor'] / t['java-example']:.1f}× faster**); set B: anchor "
                 f"{t['anchor-set-b'] or float('nan'):.1f} s, Almanac {t['java-example-set-b'] or float('nan'):.1f} s; peer (all parts, "
                 f"AutoARIMA ~85 % of it) {t['peer-nixtla'] or float('nan'):.1f} s / {t['peer-nixtla-set-b'] or float('nan'):.1f} s.")
lines.append(END)
text = open(results).read()
block = "\n".join(lines)
if BEGIN in text:
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
else:
    text = text.replace("<!-- trainer:end -->", "<!-- trainer:end -->\n\n" + block, 1)
open(results, "w").write(text)
print(block)
