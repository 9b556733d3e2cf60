#!/usr/bin/env bash
# Trainer benchmark: the Python anchor (shared/anchors/forecast-baseline) and the Java trainer on the
# same 10 OWID countries (holdout 60), one after the other in one invocation, each under
# /usr/bin/time -v. Writes the "Trainer" section of benchmarks/RESULTS.md. The same invocation runs
# the peer (shared/anchors/peers/nixtla-forecast: statsforecast + mlforecast) and the anchor and the
# example's spec on a second, disjoint set of 10 countries (SET_B), and writes the "peers" section.
#   bash benchmarks/trainer/run.sh            # needs trainer-image/target/almanac-trainer.jar
# Env: ALMANAC_SHARED (default <repo>/../shared), ALMANAC_ANCHOR_VENV (default ~/.cache/almanac/anchor-venv),
#      SKIP_VARIANTS=1 to run only the anchors and the example spec, ROUNDS (default 3) interleaved rounds:
#      the report takes the median of each run's rounds. ALMANAC_PEER_VENV (default
#      ~/.cache/almanac/nixtla-venv, built from the peer's pinned requirements), SKIP_PEERS=1,
#      PEER_ROUNDS (default 1: the peer is deterministic and takes ~3.5 min per set, AutoARIMA).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${ALMANAC_SHARED:-$ROOT/../shared}
DATA=$SHARED/data/owid-covid/owid-covid-slim.csv.gz
ANCHOR=$SHARED/anchors/forecast-baseline
VENV=${ALMANAC_ANCHOR_VENV:-$HOME/.cache/almanac/anchor-venv}
JAR=$ROOT/trainer-image/target/almanac-trainer.jar
OUT=$ROOT/benchmarks/trainer/out
C=USA,GBR,DEU,FRA,ITA,IND,BRA,ZAF,JPN,CAN
# Set B: the 10 countries with the most cumulative cases by 2021-04-24 outside set A (chosen by that
# rule before any model was run on them).
C_B=RUS,TUR,ESP,ARG,COL,POL,IRN,MEX,UKR,PER
PEER=$SHARED/anchors/peers/nixtla-forecast
PEER_VENV=${ALMANAC_PEER_VENV:-$HOME/.cache/almanac/nixtla-venv}
export DJL_OFFLINE=true OPT_OUT_TRACKING=true ALMANAC_DATA_DIR=$SHARED/data

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$ANCHOR/requirements.txt"
fi
if [ "${SKIP_PEERS:-0}" != 1 ] && [ ! -x "$PEER_VENV/bin/python" ]; then
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install -q -r "$PEER/requirements.txt"
fi
[ -f "$JAR" ] || { echo "missing $JAR: mvn -o -q -B -pl trainer-image install -DskipTests" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"
# A private copy: a concurrent `mvn install` of trainer-image rewrites the jar in place.
cp "$JAR" "$OUT/almanac-trainer.jar" && JAR=$OUT/almanac-trainer.jar

run() {  # name, command...
  local name=$1@$ROUND; shift
  echo "== $name $(date -u +%FT%TZ) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/runs.log"
  cut -d' ' -f1 /proc/loadavg > "$OUT/$name.load"
  /usr/bin/time -v -o "$OUT/$name.time" "$@" > "$OUT/$name.log" 2>&1 || echo "$name exited $?" | tee -a "$OUT/runs.log"
  grep -E "Elapsed|Maximum resident" "$OUT/$name.time" | tee -a "$OUT/runs.log"
}

for ROUND in $(seq 1 "${ROUNDS:-3}"); do
  run anchor "$VENV/bin/python" "$ANCHOR/pipeline.py" --data "$DATA" --countries $C --holdout 60 --out "$OUT/anchor@$ROUND.json"
  run anchor-workers2 "$VENV/bin/python" "$ANCHOR/pipeline.py" --data "$DATA" --countries $C --holdout 60 --workers 2 --out "$OUT/anchor-workers2@$ROUND.json"
  run java-example java -jar "$JAR" --no-mlflow --spec "$ROOT/examples/covid-forecast/pipeline.yaml" --data "$DATA" --output "$OUT/java-example@$ROUND"
  run anchor-set-b "$VENV/bin/python" "$ANCHOR/pipeline.py" --data "$DATA" --countries $C_B --holdout 60 --out "$OUT/anchor-set-b@$ROUND.json"
  run java-example-set-b java -jar "$JAR" --no-mlflow --spec "$ROOT/benchmarks/trainer/sets/covid-set-b.yaml" --data "$DATA" --output "$OUT/java-example-set-b@$ROUND"
  if [ "${SKIP_PEERS:-0}" != 1 ] && [ "$ROUND" -le "${PEER_ROUNDS:-1}" ]; then
    # the peer's own run.sh settings: one BLAS/numba thread, StatsForecast n_jobs=1
    run peer-nixtla env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \
      "$PEER_VENV/bin/python" -u "$PEER/forecast.py" --data "$DATA" --countries $C --out "$OUT/peer-nixtla@$ROUND.json"
    run peer-nixtla-set-b env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \
      "$PEER_VENV/bin/python" -u "$PEER/forecast.py" --data "$DATA" --countries $C_B --out "$OUT/peer-nixtla-set-b@$ROUND.json"
  fi
  if [ "${SKIP_VARIANTS:-0}" != 1 ]; then
    AM=$ROOT/benchmarks/trainer/specs/anchor-members.yaml
    run java-anchor-members java -jar "$JAR" --no-mlflow --spec "$AM" --data "$DATA" --output "$OUT/java-anchor-members@$ROUND"
    run java-anchor-members-1cpu java -XX:ActiveProcessorCount=1 -jar "$JAR" --no-mlflow --spec "$AM" --data "$DATA" --output "$OUT/java-anchor-members-1cpu@$ROUND"
    run java-anchor-members-xmx300m java -XX:+UseSerialGC -Xmx300m -jar "$JAR" --no-mlflow --spec "$AM" --data "$DATA" --output "$OUT/java-anchor-members-xmx300m@$ROUND"
    # every other spec in specs/ is a modelling variant reported beside the example (time and MASE)
    for spec in "$ROOT"/benchmarks/trainer/specs/*.yaml; do
      v=$(basename "$spec" .yaml)
      [ "$v" = anchor-members ] && continue
      run "java-$v" java -jar "$JAR" --no-mlflow --spec "$spec" --data "$DATA" --output "$OUT/java-$v@$ROUND"
    done
  fi
done
"$VENV/bin/python" "$ROOT/benchmarks/trainer/report.py" "$OUT" "$ROOT/benchmarks/RESULTS.md"
"$VENV/bin/python" "$ROOT/benchmarks/trainer/peers_report.py" "$OUT" "$ROOT/benchmarks/RESULTS.md"
