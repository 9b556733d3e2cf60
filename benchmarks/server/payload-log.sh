#!/usr/bin/env bash
# Payload logging cost on /v1/predict (issue 22 target: 100 % sample costs <= 10 % of throughput at
# 64 connections): the Almanac server with logging off and on, interleaved, same wrk script as run.sh.
# Writes benchmarks/server/payload-log.json. Run it on a quiet machine (nothing else busy).
#
#   bash benchmarks/server/payload-log.sh            (ROUNDS=3 DURATION=20 WARMUP=20, CONNS=64)
#   QUICK=1 bash benchmarks/server/payload-log.sh    (1 round, 5 s runs: a smoke test, not a figure)
# Knobs: ROUNDS DURATION WARMUP CONNS WORK PORT JAVA_OPTS, SAMPLE_RATE (default 1; other rates write payload-log-<rate>.json), S3_ENDPOINT (default: a moto server started here
#        on S3_PORT, 18191; with another endpoint, create the bucket "payload-bench" first).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ANCHOR="$ROOT/../shared/anchors/serving-baseline"
WORK="${WORK:-$HOME/.cache/almanac/serving-bench}"
mkdir -p "$WORK"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

# the server jar and the disease bundle (as run.sh builds them)
[ -f "$ROOT/model-server/target/almanac-model-server.jar" ] || (cd "$ROOT" && mvn -q -B -pl model-server -am package -DskipTests)
if [ ! -f "$WORK/bundles/disease-classifier/almanac.json" ] || [ ! -f "$WORK/bundles/disease-classifier/input_profile.json" ]; then
  TRAINER="$ROOT/trainer-image/target/almanac-trainer.jar"
  [ -f "$TRAINER" ] || (cd "$ROOT" && mvn -q -B -pl trainer-image -am package -DskipTests)
  rm -rf "$WORK/bundles/disease-classifier"
  ALMANAC_DATA_DIR="$ROOT/../shared/data" DJL_OFFLINE=true OPT_OUT_TRACKING=true java -jar "$TRAINER" \
    --spec "$ROOT/examples/disease-classifier/pipeline.yaml" --output "$WORK/bundles/disease-classifier" --threads 2 --no-mlflow \
    > "$WORK/train-disease-classifier.log" 2>&1 || { echo "training failed, see $WORK/train-disease-classifier.log" >&2; exit 1; }
fi

MOTO_PID=
cleanup() { [ -z "$MOTO_PID" ] || kill "$MOTO_PID" 2>/dev/null || true; }
trap cleanup EXIT
S3="${S3_ENDPOINT:-}"
if [ -z "$S3" ]; then
  S3_PORT="${S3_PORT:-18191}"
  S3="http://127.0.0.1:$S3_PORT"
  MOTO="$(command -v moto_server || echo "$HOME/.cache/almanac/venv/bin/moto_server")"
  "$MOTO" -H 127.0.0.1 -p "$S3_PORT" > "$WORK/moto.log" 2>&1 &
  MOTO_PID=$!
  for _ in $(seq 1 100); do curl -sf "$S3" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -sf -X PUT "$S3/payload-bench" >/dev/null
fi

python3 "$HERE/payload_bench.py" --anchor "$ANCHOR" --work "$WORK" --root "$ROOT" --s3 "$S3" \
  ${QUICK:+--quick} --out "$HERE/payload-log${SAMPLE_RATE:+-$SAMPLE_RATE}.json"
