#!/usr/bin/env bash
# Trainer benchmark: the Python anchor (shared/anchors/forecast-baseline) and the Java trainer on the
# same 10 OWID countries (holdout 60), one after the other in one invocation, each under
# /usr/bin/time -v. Writes the "Trainer" section of benchmarks/RESULTS.md.
#   bash benchmarks/trainer/run.sh            # needs trainer-image/target/almanac-trainer.jar
# Env: ALMANAC_SHARED (default <repo>/../shared), ALMANAC_ANCHOR_VENV (default ~/.cache/almanac/anchor-venv),
#      SKIP_VARIANTS=1 to run only the anchor and the example spec.
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
  local name=$1; shift
  echo "== $name $(date -u +%FT%TZ) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/runs.log"
  cut -d' ' -f1 /proc/loadavg > "$OUT/$name.load"
  /usr/bin/time -v -o "$OUT/$name.time" "$@" > "$OUT/$name.log" 2>&1 || echo "$name exited $?" | tee -a "$OUT/runs.log"
  grep -E "Elapsed|Maximum resident" "$OUT/$name.time" | tee -a "$OUT/runs.log"
}

run anchor "$VENV/bin/python" "$ANCHOR/pipeline.py" --data "$DATA" --countries $C --holdout 60 --out "$OUT/anchor.json"
run java-example java -jar "$JAR" --spec "$ROOT/examples/covid-forecast/pipeline.yaml" --data "$DATA" --output "$OUT/java-example"
if [ "${SKIP_VARIANTS:-0}" != 1 ]; then
  run java-anchor-members java -jar "$JAR" --spec "$ROOT/benchmarks/trainer/specs/anchor-members.yaml" --data "$DATA" --output "$OUT/java-anchor-members"
  run java-anchor-members-1cpu java -XX:ActiveProcessorCount=1 -jar "$JAR" --spec "$ROOT/benchmarks/trainer/specs/anchor-members.yaml" --data "$DATA" --output "$OUT/java-anchor-members-1cpu"
  run java-anchor-members-xmx300m java -XX:+UseSerialGC -Xmx300m -jar "$JAR" --spec "$ROOT/benchmarks/trainer/specs/anchor-members.yaml" --data "$DATA" --output "$OUT/java-anchor-members-xmx300m"
  run java-global-rf-stats java -jar "$JAR" --spec "$ROOT/benchmarks/trainer/specs/global-rf-stats.yaml" --data "$DATA" --output "$OUT/java-global-rf-stats"
fi
"$VENV/bin/python" "$ROOT/benchmarks/trainer/report.py" "$OUT" "$ROOT/benchmarks/RESULTS.md"
