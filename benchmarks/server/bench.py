"""Interleaved HTTP load test of the Almanac model server against the Python anchors.

Each round starts every server config in turn (fresh process, by PID), warms it up, runs wrk at 16
and 64 connections on each endpoint, records req/s, p50/p99 and the server's CPU time per request
(utime+stime of the process tree from /proc, the most hardware-stable figure), then stops it.
The median over rounds is reported. Only 127.0.0.1 is used.
"""
import argparse
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
# keep in step with the image: JAVA_TOOL_OPTIONS (model-server/pom.xml) + the entrypoint's MaxRAMPercentage
JVM_FLAGS = "-XX:+UseParallelGC -Xmn64m -XX:MaxRAMPercentage=75"
CLK = os.sysconf("SC_CLK_TCK")
PORT = int(os.environ.get("PORT", "18181"))


def proc_cpu(pid):
    try:
        s = open(f"/proc/{pid}/stat").read()
    except OSError:
        return 0
    f = s[s.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])


def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                s = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            if int(s[s.rindex(")") + 2:].split()[1]) == pid:
                out.append(int(d))
    return out


def tree_cpu(pid):
    return proc_cpu(pid) + sum(proc_cpu(c) for c in children(pid))


def machine_busy():
    f = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    return sum(f[:8]) - f[3] - f[4], sum(f[:8])


def wait_http(url, timeout=120):
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server did not become ready: {url}")


def lua_from_anchor(anchor, name, route, fix=None):
    src = (Path(anchor) / "lua" / name).read_text()
    if fix:
        src = fix(src)
    src = src.replace('"/predict"', f'"{route}"').replace('"/forecast"', f'"{route}"')
    return src


def forecast_lua(bundle, horizon):
    """wrk script cycling through /v1/forecast bodies of the trained covid bundle's series.

    Like the anchor's bodies, each sends the newest 20 days in `history` (here: the series' stored last
    20 days, as is and scaled by 1.05), which replace the newest stored days: the server cleans and
    forecasts from the merged history on every request.
    """
    bodies = []
    for scale in (1.0, 1.05):
        for s, e in bundle["forecast"]["series"].items():
            recent = [round(v * scale, 4) for v in e["history"][-20:]]
            bodies.append(json.dumps({"series": s, "horizon": horizon, "history": recent}))
    lines = ",\n".join("  " + json.dumps(b) for b in bodies)
    anchor_tail = (HERE / "wrk_tail.lua").read_text()
    return "local bodies = {\n" + lines + "\n}\n" + anchor_tail.replace("ROUTE", "/v1/forecast")


def infer_lua(n_features):
    rows = []
    for i in range(42):
        x = [0.0] * n_features
        x[i % n_features] = 1.0
        x[(i * 7) % n_features] = 1.0
        rows.append(json.dumps({"inputs": [{"name": "features", "datatype": "FP32", "shape": [1, n_features], "data": x}]}))
    lines = ",\n".join("  " + json.dumps(b) for b in rows)
    return "local bodies = {\n" + lines + "\n}\n" + (HERE / "wrk_tail.lua").read_text()


def infer_binary_lua(n_features):
    """The same 42 rows as infer_lua, sent with the binary tensor data extension (tritonclient's default):
    JSON header, then the row's 132 little-endian FP32 values; the reply's outputs come back as bytes too."""
    import struct
    bodies, lengths = [], []
    for i in range(42):
        x = [0.0] * n_features
        x[i % n_features] = 1.0
        x[(i * 7) % n_features] = 1.0
        head = json.dumps({"inputs": [{"name": "features", "datatype": "FP32", "shape": [1, n_features],
                                       "parameters": {"binary_data_size": 4 * n_features}}],
                           "parameters": {"binary_data_output": True}}).encode()
        raw = head + struct.pack("<%df" % n_features, *x)
        bodies.append('"' + "".join("\\%d" % b for b in raw) + '"')
        lengths.append(str(len(head)))
    tail = (HERE / "wrk_tail.lua").read_text().replace(
        'local headers = { ["Content-Type"] = "application/json" }\n  for k, b in ipairs(bodies) do reqs[k] = wrk.format("POST", "ROUTE", headers, b) end',
        'for k, b in ipairs(bodies) do\n    local headers = { ["Content-Type"] = "application/octet-stream", ["Inference-Header-Content-Length"] = lengths[k] }\n'
        '    reqs[k] = wrk.format("POST", "ROUTE", headers, b)\n  end')
    assert "lengths[k]" in tail
    return ("local bodies = {\n" + ",\n".join("  " + b for b in bodies) + "\n}\nlocal lengths = {" +
            ", ".join('"%s"' % n for n in lengths) + "}\n" + tail)


def batch_totals(cfg):
    """(rows, batches) over all models from the Almanac server's almanac_server_batch_size; None for the anchors."""
    if not cfg["name"].startswith("almanac"):
        return None
    text = urllib.request.urlopen(f"http://127.0.0.1:{PORT}/metrics", timeout=10).read().decode()
    rows = sum(float(m) for m in re.findall(r"^almanac_server_batch_size_sum\{[^}]*\} (\S+)$", text, re.M))
    batches = sum(float(m) for m in re.findall(r"^almanac_server_batch_size_count\{[^}]*\} (\S+)$", text, re.M))
    return rows, batches


def live_lua():
    """The HTTP floor: an empty GET, the most any route can reach with wrk on the same cores."""
    tail = (HERE / "wrk_tail.lua").read_text()
    init = ('local headers = { ["Content-Type"] = "application/json" }\n'
            '  for k, b in ipairs(bodies) do reqs[k] = wrk.format("POST", "ROUTE", headers, b) end')
    assert init in tail
    return tail.replace(init, 'reqs[1] = wrk.format("GET", "/v2/health/live")')


@contextlib.contextmanager
def server(cmd, cwd, env, log_path, stop_timeout):
    """The server under test, its output in log_path, stopped on leaving the block: SIGTERM, then
    SIGKILL if it has not exited after stop_timeout seconds."""
    log = open(log_path, "w")
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield p
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(stop_timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        log.close()


def run_wrk(script, conns, duration, pid):
    c0 = tree_cpu(pid)
    b0, t0 = machine_busy()
    w0 = time.time()
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "30s", "-s", str(script),
                          f"http://127.0.0.1:{PORT}"], capture_output=True, text=True, check=True).stdout
    wall = time.time() - w0
    c1 = tree_cpu(pid)
    b1, t1 = machine_busy()
    m = re.search(r"WRKJSON (\{.*\})", out)
    if not m:
        raise SystemExit("wrk printed no summary:\n" + out)
    j = json.loads(m.group(1))
    n = max(j["requests"], 1)
    cpu_s = (c1 - c0) / CLK
    busy_cores = (os.cpu_count() or 1) * (b1 - b0) / max(t1 - t0, 1)
    return {"requests": j["requests"], "rps": j["requests"] / (j["duration_us"] / 1e6), "p50_ms": j["p50_us"] / 1000,
            "p99_ms": j["p99_us"] / 1000, "errors": j["err_status"] + j["err_connect"] + j["err_read"] + j["err_timeout"],
            "server_cores": cpu_s / wall, "machine_busy_cores": busy_cores, "server_cpu_us_per_req": cpu_s * 1e6 / n}


def raw_ort_calls(jar, model, threads, quick, env):
    """Single-row ONNX Runtime calls per second (JMH ortRow) with `threads` callers."""
    out = Path(f"/tmp/almanac-jmh-round-{os.getpid()}.json")
    timing = ["-wi", "2", "-i", "2", "-w", "1s", "-r", "1s"] if quick else ["-wi", "2", "-i", "3", "-w", "2s", "-r", "2s"]
    subprocess.run(["java", "-jar", jar, "OnnxRuntimeCalls.ortRow", "-p", f"model={model}", *timing, "-f", "1",
                    "-t", str(threads), "-rf", "json", "-rff", str(out)], env=env, stdout=subprocess.DEVNULL, check=True)
    score = json.loads(out.read_text())[0]["primaryMetric"]["score"]
    out.unlink()
    return score


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--anchor", required=True)
    ap.add_argument("--venv", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--jmh", help="the JMH jar: raw ONNX Runtime calls are measured in every round, right before the Almanac server")
    ap.add_argument("--onnx", help="the classifier model.onnx for --jmh")
    a = ap.parse_args()
    rounds = 1 if a.quick else int(os.environ.get("ROUNDS", "2"))
    duration = 5 if a.quick else int(os.environ.get("DURATION", "15"))
    work = Path(a.work)
    scripts = work / "lua"
    scripts.mkdir(exist_ok=True)
    (scripts / "anchor-predict.lua").write_text(lua_from_anchor(a.anchor, "predict.lua", "/predict"))
    (scripts / "anchor-forecast.lua").write_text(lua_from_anchor(a.anchor, "forecast.lua", "/forecast"))
    (scripts / "anchor-forecast28.lua").write_text(
        lua_from_anchor(a.anchor, "forecast.lua", "/forecast", lambda s: s.replace('\\"horizon\\": 14', '\\"horizon\\": 28')))
    # same 42 symptom sets; the anchor's pandas spelling 'fluid_overload.1' is the CSV's 'fluid_overload'
    (scripts / "almanac-predict.lua").write_text(
        lua_from_anchor(a.anchor, "predict.lua", "/v1/predict", lambda s: s.replace("fluid_overload.1", "fluid_overload")))
    covid = json.loads((work / "bundles/covid-forecast/almanac.json").read_text())
    series = list(covid["forecast"]["series"].keys())
    (scripts / "almanac-forecast.lua").write_text(forecast_lua(covid, 14))
    (scripts / "almanac-forecast28.lua").write_text(forecast_lua(covid, 28))
    disease = json.loads((work / "bundles/disease-classifier/almanac.json").read_text())
    n_features = len(disease["classification"]["symptomColumns"])
    (scripts / "almanac-infer.lua").write_text(infer_lua(n_features).replace("ROUTE", "/v2/models/" + disease["name"] + "/infer"))
    (scripts / "almanac-live.lua").write_text(live_lua())
    (scripts / "almanac-infer-binary.lua").write_text(infer_binary_lua(n_features).replace("ROUTE", "/v2/models/" + disease["name"] + "/infer"))

    jar = Path(a.root) / "model-server/target/almanac-model-server.jar"
    # the JVM flags of the server image (model-server/pom.xml, jib), unless JAVA_OPTS says otherwise
    java = ["java", *os.environ.get("JAVA_OPTS", JVM_FLAGS).split()]
    env = dict(os.environ, DJL_OFFLINE="true", OPT_OUT_TRACKING="true")
    configs = [
        {"name": "anchor onnx-async-1w", "cmd": [f"{a.venv}/bin/uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(PORT),
                                                 "--workers", "1", "--no-access-log", "--loop", "uvloop", "--http", "httptools"],
         "cwd": a.anchor, "env": dict(env, BACKEND="onnx", HANDLER="async", OMP_NUM_THREADS="1", MODEL_DIR=str(work / "anchor-models")),
         "ready": "/health", "endpoints": {"predict": "anchor-predict.lua", "forecast": "anchor-forecast.lua", "forecast28": "anchor-forecast28.lua"}},
        {"name": "anchor onnx-async-2w", "cmd": [f"{a.venv}/bin/uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(PORT),
                                                 "--workers", "2", "--no-access-log", "--loop", "uvloop", "--http", "httptools"],
         "cwd": a.anchor, "env": dict(env, BACKEND="onnx", HANDLER="async", OMP_NUM_THREADS="1", MODEL_DIR=str(work / "anchor-models")),
         "ready": "/health", "endpoints": {"predict": "anchor-predict.lua", "forecast": "anchor-forecast.lua", "forecast28": "anchor-forecast28.lua"}},
        # the scikit-learn backend the "40x" refers to (one run per round; it is ~50x slower per request)
        {"name": "anchor sklearn-async-2w", "cmd": [f"{a.venv}/bin/uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(PORT),
                                                   "--workers", "2", "--no-access-log", "--loop", "uvloop", "--http", "httptools"],
         "cwd": a.anchor, "env": dict(env, BACKEND="sklearn", HANDLER="async", OMP_NUM_THREADS="1", MODEL_DIR=str(work / "anchor-models")),
         "ready": "/health", "endpoints": {"predict": "anchor-predict.lua", "forecast": "anchor-forecast.lua"}},
        {"name": "almanac", "cmd": [*java, "-jar", str(jar), "--model", str(work / "bundles/disease-classifier"),
                                    "--model", str(work / "bundles/covid-forecast"), "--port", str(PORT), "--bind", "127.0.0.1"],
         "cwd": str(work), "env": env, "ready": "/v2/health/ready",
         "endpoints": {"predict": "almanac-predict.lua", "forecast": "almanac-forecast.lua", "forecast28": "almanac-forecast28.lua",
                       "infer": "almanac-infer.lua", "infer-binary": "almanac-infer-binary.lua", "live": "almanac-live.lua"}},
        {"name": "almanac batching off", "cmd": [*java, "-jar", str(jar), "--model", str(work / "bundles/disease-classifier"),
                                                 "--port", str(PORT), "--bind", "127.0.0.1", "--max-batch-size", "1"],
         "cwd": str(work), "env": env, "ready": "/v2/health/ready",
         "endpoints": {"predict": "almanac-predict.lua", "infer": "almanac-infer.lua", "infer-binary": "almanac-infer-binary.lua"}},
    ]
    # quick partial runs: CONFIGS=almanac,anchor ENDPOINTS=forecast,forecast28 CONNS=64 (substring / exact matches)
    if os.environ.get("CONFIGS"):
        wanted = os.environ["CONFIGS"].split(",")
        configs = [c for c in configs if any(c["name"] == w or (w == "anchor" and c["name"].startswith("anchor")) for w in wanted)]
    if os.environ.get("ENDPOINTS"):
        eps = os.environ["ENDPOINTS"].split(",")
        for c in configs:
            c["endpoints"] = {k: v for k, v in c["endpoints"].items() if k in eps}
    conn_list = [int(c) for c in os.environ.get("CONNS", "16,64").split(",")]
    results = []
    raw_rounds = []
    for r in range(rounds):
        for cfg in configs:
            if not cfg["endpoints"]:
                continue
            if cfg["name"] == "almanac" and a.jmh:
                # the infer target's yardstick, measured next to the runs it is compared with: this machine's
                # speed drifts by ±10-20% over minutes, more than the margin the target is judged by
                for threads in (1, 2):
                    raw = {"round": r + 1, "threads": threads, "calls_per_s": raw_ort_calls(a.jmh, a.onnx, threads, a.quick, env)}
                    print(json.dumps(raw), flush=True)
                    raw_rounds.append(raw)
            log = work / f"server-{cfg['name'].replace(' ', '_')}.log"
            with server(cfg["cmd"], cfg["cwd"], cfg["env"], log, stop_timeout=30) as p:
                wait_http(f"http://127.0.0.1:{PORT}{cfg['ready']}")
                for ep, script in cfg["endpoints"].items():
                    # warm-up at full load: JIT compilation (C2) must not be billed to the first measured run
                    run_wrk(scripts / script, 64, max(5, duration // 2), p.pid)
                    for conns in conn_list:
                        b0 = batch_totals(cfg)
                        res = run_wrk(scripts / script, conns, duration, p.pid)
                        b1 = batch_totals(cfg)
                        if b0 and b1 and b1[1] > b0[1]:
                            res["mean_batch_rows"] = (b1[0] - b0[0]) / (b1[1] - b0[1])
                        res.update({"config": cfg["name"], "endpoint": ep, "conns": conns, "round": r + 1})
                        print(json.dumps(res), flush=True)
                        results.append(res)
    summary = []
    keys = sorted({(x["config"], x["endpoint"], x["conns"]) for x in results})
    for k in keys:
        rs = [x for x in results if (x["config"], x["endpoint"], x["conns"]) == k]
        summary.append({"config": k[0], "endpoint": k[1], "conns": k[2], "runs": len(rs),
                        "rps": statistics.median(x["rps"] for x in rs), "rps_min": min(x["rps"] for x in rs),
                        "rps_max": max(x["rps"] for x in rs), "p50_ms": statistics.median(x["p50_ms"] for x in rs),
                        "p99_ms": statistics.median(x["p99_ms"] for x in rs), "errors": sum(x["errors"] for x in rs),
                        "server_cpu_us_per_req": statistics.median(x["server_cpu_us_per_req"] for x in rs),
                        "machine_busy_cores": max(x["machine_busy_cores"] for x in rs)})
        if all("mean_batch_rows" in x for x in rs):
            summary[-1]["mean_batch_rows"] = statistics.median(x["mean_batch_rows"] for x in rs)
    meta = {"generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "rounds": rounds, "duration_s": duration,
            "cpus": os.cpu_count(), "forecast_series": series, "load_before": os.getloadavg(),
            "almanac_jvm": " ".join(java[1:])}
    Path(a.out).write_text(json.dumps({"meta": meta, "summary": summary, "runs": results, "raw_ort_rounds": raw_rounds}, indent=1))
    partial = [k for k in ("CONFIGS", "ENDPOINTS", "CONNS", "JAVA_OPTS") if os.environ.get(k)]
    if partial:
        # a narrowed run must not replace the full run's section
        print(f"partial run ({', '.join(partial)} set): results in {a.out}, benchmarks/RESULTS.md left as it is")
    elif not a.quick:
        subprocess.run([sys.executable, str(HERE / "report.py"), a.out, str(Path(a.root) / "benchmarks/RESULTS.md")], check=True)


if __name__ == "__main__":
    main()
