#!/usr/bin/env bash
# Trainer benchmark: the Python anchor (shared/anchors/forecast-baseline) and the Java trainer on the
# same 10 OWID countries (holdout 60), one after the other in one invocation, each under
# /usr/bin/time -v. Writes the "Trainer" section of benchmarks/RESULTS.md.
#   bash benchmarks/trainer/run.sh            # needs trainer-image/target/almanac-trainer.jar
# Env: ALMANAC_SHARED (default <repo>/../shared), ALMANAC_ANCHOR_VENV (default ~/.cache/almanac/anchor-venv),
#      SKIP_VARIANTS=1 to run only the anchors and the example spec, ROUNDS (default 3) interleaved rounds:
#      the report takes the median of each run's rounds.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${ALMANAC_SHARED:-$ROOT/../shared}
DATA=$SHARED/data/owid-covid/owid-covid-slim.csv.gz
ANCHOR=$SHARED/anchors/forecast-baseline
VENV=${ALMANAC_ANCHOR_VENV:-$HOME/.cache/almanac/anchor-venv}
JAR=$ROOT/trainer-image/target/almanac-trainer.jar
OUT=$ROOT/benchmarks/trainer/out
C=USA,GBR,DEU,FRA,ITA,IND,BRA,ZAF,JPN,CAN
export DJL_OFFLINE=true OPT_OUT_TRACKING=true ALMANAC_DATA_DIR=$SHARED/data

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$ANCHOR/requirements.txt"
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
