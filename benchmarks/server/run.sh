#!/usr/bin/env bash
# Model-server load test: the Python anchors (FastAPI + ONNX Runtime, 1 and 2 uvicorn workers, from
# ../shared/anchors/serving-baseline) and the Almanac model server, interleaved, same wrk, same bodies.
# Writes benchmarks/server/results.json and appends a section to benchmarks/RESULTS.md.
#
#   bash benchmarks/server/run.sh            (ROUNDS=2 DURATION=15 by default)
#   QUICK=1 bash benchmarks/server/run.sh    (1 round, 5 s runs, no RESULTS.md section)
# Knobs: ROUNDS DURATION WORK (scratch dir, default ~/.cache/almanac/serving-bench) PORT SKIP_JMH
#        CONFIGS=almanac,anchor ENDPOINTS=forecast,forecast28 CONNS=64 JAVA_OPTS="..." (partial runs: results.json only, RESULTS.md untouched)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ANCHOR="$ROOT/../shared/anchors/serving-baseline"
WORK="${WORK:-$HOME/.cache/almanac/serving-bench}"
VENV="${ANCHOR_VENV:-$HOME/.cache/almanac/serving-anchor-venv}"
mkdir -p "$WORK"

# 1. load generator (Debian package)
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

# 2. the anchor's Python stack (pinned by the anchor) in a venv outside the read-only anchor dir
if [ ! -x "$VENV/bin/uvicorn" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$ANCHOR/requirements.txt"
fi

# 3. anchor models (its own train.py, written to our scratch dir)
if [ ! -f "$WORK/anchor-models/rf_disease.onnx" ]; then
  (cd "$ANCHOR" && MODEL_DIR="$WORK/anchor-models" "$VENV/bin/python" train.py > "$WORK/anchor-train.log")
fi

# 4. Almanac: server jar and bundles trained by the Almanac trainer from the example pipelines
#    (retrained when the example pipeline is newer than the bundle; --no-mlflow: a local run)
[ -f "$ROOT/model-server/target/almanac-model-server.jar" ] || (cd "$ROOT" && mvn -o -q -B -pl model-server package -DskipTests)
TRAINER="$ROOT/trainer-image/target/almanac-trainer.jar"
for p in disease-classifier covid-forecast; do
  if [ ! -f "$WORK/bundles/$p/almanac.json" ] || [ "$ROOT/examples/$p/pipeline.yaml" -nt "$WORK/bundles/$p/almanac.json" ]; then
    [ -f "$TRAINER" ] || (cd "$ROOT" && mvn -o -q -B -pl trainer-image package -DskipTests)
    rm -rf "$WORK/bundles/$p"
    ALMANAC_DATA_DIR="$ROOT/../shared/data" DJL_OFFLINE=true OPT_OUT_TRACKING=true java -jar "$TRAINER" \
      --spec "$ROOT/examples/$p/pipeline.yaml" --output "$WORK/bundles/$p" --threads 2 --no-mlflow > "$WORK/train-$p.log" 2>&1 \
      || { echo "training $p failed, see $WORK/train-$p.log" >&2; exit 1; }
  fi
done

# 5. JMH: raw in-process ONNX Runtime calls on the same classifier model.onnx (the ceiling of KServe infer).
#    benchmarks/server/jmh is not in the reactor; it needs ml-core installed in ~/.m2. SKIP_JMH=1 skips it.
JMH_JAR="$HERE/jmh/target/almanac-server-jmh.jar"
if [ -z "${SKIP_JMH:-}" ]; then
  # the jmh module is outside the reactor: point it at the root for build-tools/checkstyle.xml
  (cd "$HERE/jmh" && mvn -o -q -B package -Dmaven.multiModuleProjectDirectory="$ROOT")
  if [ -n "${QUICK:-}" ]; then JMH_RUN=(-wi 2 -i 3 -w 1s -r 2s -f 1); else JMH_RUN=(-wi 3 -i 5 -w 2s -r 3s -f 1); fi
  for t in 1 2; do
    DJL_OFFLINE=true OPT_OUT_TRACKING=true java -jar "$JMH_JAR" -p model="$WORK/bundles/disease-classifier/model.onnx" \
      "${JMH_RUN[@]}" -t "$t" -rf json -rff "$WORK/jmh-t$t.json" > "$WORK/jmh-t$t.log" 2>&1
  done
  python3 -c 'import json,sys; json.dump([r for f in sys.argv[1:] for r in json.load(open(f))], open("'"$HERE/jmh.json"'", "w"), indent=1)' \
    "$WORK/jmh-t1.json" "$WORK/jmh-t2.json"
fi

# 6. interleaved HTTP runs (bench.py: CONFIGS, ENDPOINTS, CONNS, JAVA_OPTS narrow or change them)
#    Unless SKIP_JMH: raw ONNX Runtime calls again in every round, right before the Almanac server.
JMH_ROUNDS=()
[ -n "${SKIP_JMH:-}" ] || JMH_ROUNDS=(--jmh "$JMH_JAR" --onnx "$WORK/bundles/disease-classifier/model.onnx")
python3 "$HERE/bench.py" --anchor "$ANCHOR" --venv "$VENV" --work "$WORK" --root "$ROOT" \
  ${QUICK:+--quick} --out "$HERE/results.json" "${JMH_ROUNDS[@]}"
