#!/usr/bin/env bash
# Model-server load test: the Python anchors (FastAPI + ONNX Runtime, 1 and 2 uvicorn workers, from
# ../shared/anchors/serving-baseline) and the Almanac model server, interleaved, same wrk, same bodies.
# Writes benchmarks/server/results.json and appends a section to benchmarks/RESULTS.md.
#
#   bash benchmarks/server/run.sh            (ROUNDS=2 DURATION=15 by default)
#   QUICK=1 bash benchmarks/server/run.sh    (1 round, 5 s runs, no RESULTS.md section)
# Knobs: ROUNDS DURATION WORK (scratch dir, default ~/.cache/almanac/serving-bench) PORT
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
[ -f "$ROOT/model-server/target/almanac-model-server.jar" ] || (cd "$ROOT" && mvn -o -q -B -pl model-server package -DskipTests)
TRAINER="$ROOT/trainer-image/target/almanac-trainer.jar"
for p in disease-classifier covid-forecast; do
  if [ ! -f "$WORK/bundles/$p/almanac.json" ]; then
    [ -f "$TRAINER" ] || (cd "$ROOT" && mvn -o -q -B -pl trainer-image package -DskipTests)
    ALMANAC_DATA_DIR="$ROOT/../shared/data" java -jar "$TRAINER" --spec "$ROOT/examples/$p/pipeline.yaml" \
      --output "$WORK/bundles/$p" --threads 2 > "$WORK/train-$p.log" 2>&1
  fi
done

# 5. interleaved runs
python3 "$HERE/bench.py" --anchor "$ANCHOR" --venv "$VENV" --work "$WORK" --root "$ROOT" \
  ${QUICK:+--quick} --out "$HERE/results.json"
