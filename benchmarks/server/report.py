"""Appends the model-server section for one results.json to benchmarks/RESULTS.md."""
import json
import statistics
import sys
from pathlib import Path

res = json.loads(Path(sys.argv[1]).read_text())
out = Path(sys.argv[2])
meta, rows = res["meta"], res["summary"]


def get(cfg, ep, c):
    for r in rows:
        if r["config"] == cfg and r["endpoint"] == ep and r["conns"] == c:
            return r
    return None


lines = [f"\n## Model server: Almanac (Vert.x + ONNX Runtime) vs the FastAPI + ONNX Runtime anchors — {meta['generated']}\n",
         f"`bash benchmarks/server/run.sh`: {meta['rounds']} interleaved round(s), wrk -t2, {meta['duration_s']} s per run after a "
         f"warm-up, {meta['cpus']} cores shared by server and wrk; medians over rounds. "
         "`server CPU µs/req` = CPU time of the server process tree per completed request (least sensitive to other load); "
         "`busy` = the most cores the whole machine used during a run (other work on the machine included).\n",
         "| config | endpoint | conns | req/s (median) | range | p50 ms | p99 ms | errors | server CPU µs/req | busy cores |",
         "|---|---|---:|---:|---|---:|---:|---:|---:|---:|"]
for r in sorted(rows, key=lambda r: (r["endpoint"], r["conns"], r["config"])):
    lines.append(f"| {r['config']} | {r['endpoint']} | {r['conns']} | {r['rps']:,.0f} | {r['rps_min']:,.0f}–{r['rps_max']:,.0f} | "
                 f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | {r['server_cpu_us_per_req']:,.0f} | {r['machine_busy_cores']:.2f} |")
lines.append("")


def compare(label, c, a, b, anchor, digits, p99=True):
    """One line: Almanac's req/s as a multiple of an anchor's, with server CPU per request (and p99)."""
    if a and b:
        tail = f"; p99 {a['p99_ms']:.1f} ms vs {b['p99_ms']:.1f} ms." if p99 else "."
        lines.append(f"- {label} at {c} connections: {a['rps'] / b['rps']:.{digits}f}× the req/s of {anchor} "
                     f"({a['rps']:,.0f} vs {b['rps']:,.0f}); server CPU {a['server_cpu_us_per_req']:,.0f} vs "
                     f"{b['server_cpu_us_per_req']:,.0f} µs per request" + tail)


for c in (16, 64):
    for anchor in ("anchor onnx-async-1w", "anchor onnx-async-2w"):
        compare("/v1/predict", c, get("almanac", "predict", c), get(anchor, "predict", c), anchor, 2)
for ep, label in (("predict", "/v1/predict"), ("forecast", "/v1/forecast, 14 days")):
    for c in (16, 64):
        compare(label, c, get("almanac", ep, c), get("anchor sklearn-async-2w", ep, c), "the scikit-learn anchor (2 workers)", 0,
                p99=False)
for ep, label in (("forecast", "/v1/forecast, 14 days"), ("forecast28", "/v1/forecast, 28 days")):
    for c in (16, 64):
        compare(label, c, get("almanac", ep, c), get("anchor onnx-async-2w", ep, c), "anchor onnx-async-2w", 2)
for ep in ("predict", "infer", "infer-binary"):
    for c in (16, 64):
        on, off = get("almanac", ep, c), get("almanac batching off", ep, c)
        if on and off:
            per_call = f", {on['mean_batch_rows']:.1f} rows per model call" if "mean_batch_rows" in on else ""
            lines.append(f"- Dynamic batching (max 32 rows, no wait) on {ep} at {c} connections: {on['rps']:,.0f} vs {off['rps']:,.0f} req/s "
                         f"without it ({on['rps'] / off['rps']:.2f}×{per_call}), {on['server_cpu_us_per_req']:,.0f} vs "
                         f"{off['server_cpu_us_per_req']:,.0f} µs CPU/req, p99 {on['p99_ms']:.1f} vs {off['p99_ms']:.1f} ms.")
for ep in ("forecast", "forecast28"):
    a = get("almanac", ep, 64)
    if a and "mean_batch_rows" in a:
        lines.append(f"- {ep} at 64 connections: {a['mean_batch_rows']:.1f} requests per batch (one model call per day for all of them).")
jmh_file = Path(sys.argv[1]).with_name("jmh.json")
raw_best = None  # the best raw single-row call rate: two threads' median over rounds, else the start-of-run JMH
if jmh_file.exists():
    jmh = {}
    for r in json.loads(jmh_file.read_text()):
        jmh[(r["benchmark"].rsplit(".", 1)[1], r["threads"])] = r["primaryMetric"]["score"]
    parts = [f"{name} {threads} thread(s) {score:,.0f} calls/s" for (name, threads), score in sorted(jmh.items())]
    lines.append("- JMH (`benchmarks/server/jmh`, same classifier `model.onnx`, in-process, no HTTP): " + "; ".join(parts) +
                 ". `ort*` = a plain ONNX Runtime session (1 intra-op thread), `almanac*` = ml-core's `OnnxModel` as the infer route "
                 "calls it; Batch32 = 32 rows per call.")
    # Two readings of "within 2x of raw in-process ONNX Runtime calls": the per-call rate of one thread
    # (the "about 12 us for one row") and the machine's best raw rate over thread counts; both printed.
    # The verdicts use the raw rates measured in each round right before the server (raw_ort_rounds): the
    # machine's speed drifts over a run by more than the margin; the start-of-run JMH above is the fallback.
    raw_rounds = res.get("raw_ort_rounds") or []
    raw_best = (statistics.median(x["calls_per_s"] for x in raw_rounds if x["threads"] == 2) if raw_rounds
                else max([v for (n, _), v in jmh.items() if n == "ortRow"], default=None))

    def ratios(endpoint, threads):
        out = []
        for rr in raw_rounds:
            run = next((x for x in res["runs"] if x["config"] == "almanac" and x["endpoint"] == endpoint
                        and x["conns"] == 64 and x["round"] == rr["round"]), None)
            if rr["threads"] == threads and run:
                out.append(rr["calls_per_s"] / run["rps"])
        return out

    # issue 23: binary infer within 2x of raw one-thread ORT, JSON infer (Jackson, no hand-written JSON) within 2.5x
    targets = {"infer-binary": 2.0, "infer": 2.5}

    def reading(endpoint, r, threads, label):
        target = targets[endpoint]
        rs = ratios(endpoint, threads)
        if rs:
            m = statistics.median(rs)
            raws = [x["calls_per_s"] for x in raw_rounds if x["threads"] == threads]
            return (f"{label}: {m:.2f}× (median of rounds {', '.join(f'{x:.2f}' for x in rs)}; raw {min(raws):,.0f}–{max(raws):,.0f} "
                    f"calls/s measured in the same rounds) — {'within' if m <= target else 'NOT within'} the {target:g}× target")
        raw_t = jmh.get(("ortRow", threads))
        if not raw_t:
            return None
        return (f"{label}: {raw_t / r['rps']:.2f}× ({raw_t:,.0f} calls/s at the start of the run) — "
                f"{'within' if raw_t / r['rps'] <= target else 'NOT within'} the {target:g}× target")

    def against_raw(endpoint, name, r, extra=""):
        parts = [x for x in (reading(endpoint, r, 1, "raw calls of one thread ÷ infer (the target read as the per-call rate)"),
                             reading(endpoint, r, 2, "raw calls of two threads ÷ infer (read as the machine's best raw rate)"))
                 if x]
        lines.append(f"- KServe infer{name} at 64 connections: {r['rps']:,.0f} req/s, {r['server_cpu_us_per_req']:,.0f} µs server CPU per "
                     f"request; against raw single-row ONNX Runtime calls (JMH): " + "; ".join(parts) + f"{extra}.")

    inf_bin = get("almanac", "infer-binary", 64)
    if inf_bin:
        against_raw("infer-binary", " with binary tensor data (tritonclient's default)", inf_bin)
    inf = get("almanac", "infer", 64)
    if inf:
        against_raw("infer", " (JSON tensors)", inf, ", most of it the HTTP exchange (the reply's write syscall alone is ~8 µs) and the JSON "
                    "numbers (132 parsed, 41 written), against ~9 µs for a single-row model call; wrk shares the 2 cores")
floor = get("almanac", "live", 64)
if floor:
    lines.append(f"- HTTP floor: `GET /v2/health/live` (no body, no model) at 64 connections: {floor['rps']:,.0f} req/s, "
                 f"{floor['server_cpu_us_per_req']:,.0f} µs server CPU per request; no route can go faster with wrk on these 2 cores"
                 + (f" (the binary 2× target read against the best raw rate asks for {raw_best / 2:,.0f} req/s, "
                    f"{raw_best / 2 / floor['rps']:.0%} of this floor)." if raw_best else ".")
                 + (f" Note: {meta['note']}." if meta.get("note") else ""))
lines.append("- Same 42 symptom sets as the anchor (its `fluid_overload.1` spelling mapped to the CSV's `fluid_overload`). "
             "The Almanac reply carries description and precautions too (~1.4 kB vs ~0.2 kB). The Almanac classifier is the "
             "model the Almanac trainer promoted from `examples/disease-classifier` (see its bundle), the anchor's is a 100-tree "
             "RandomForest: the model call is a small part of either (anchor: ≈12 µs of ≈277 µs).")
lines.append(f"- /forecast: both send the newest 20 days in `history` and ask 14 (`forecast`) or 28 (`forecast28`) days. "
             "The anchor makes one single-row model call per day and request; Almanac batches the requests an event loop reads "
             "together, one model call per day for all of them. The anchor feeds its 20 lags to a 20 MB RandomForest; Almanac's `/v1/forecast` "
             f"serves the trained covid bundle (series {', '.join(meta['forecast_series'])}; `examples/covid-forecast`: a global "
             "RandomForest over 10 countries + ETS + seasonal naive, inverse-error weighted): the 20 values replace the newest stored "
             "days, the merged history is cleaned (gap fill, Hampel) where it changed, ETS re-filters it, and every day's 23 "
             "features (lags, rolling stats, calendar, series one-hot) are computed before the ONNX call.")
lines.append(f"- Almanac JVM: `java {meta.get('almanac_jvm', '')} -jar almanac-model-server.jar` (the server image's JVM flags), "
             "one HTTP event loop per core (epoll transport); each event loop batches the requests it reads in one pass and runs "
             "the batch, forecasts included, right after it.")
lines.append("- `infer` = KServe V2 `POST /v2/models/<classifier>/infer` with one FP32 [1,132] row per request as JSON, `infer-binary` "
             "the same rows with the binary tensor data extension both ways (dynamically batched); the anchor has no such endpoint.\n")
text = out.read_text() if out.exists() else "# Benchmark results\n"
marker = "\n## Model server: Almanac"
if marker in text:
    head, _, rest = text.partition(marker)
    nxt = rest.find("\n## ")
    text = head + (rest[nxt:] if nxt >= 0 else "")
out.write_text(text.rstrip("\n") + "\n" + "\n".join(lines))
print("\n".join(lines))
