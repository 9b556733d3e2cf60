#!/usr/bin/env bash
# Moves a ForecastPipeline's data cutoff (spec.data.asOf) forward, which starts a run; the run
# "receives" the days in between and scores the earlier versions' stored forecasts of those days
# (realized accuracy, docs/monitoring.md). Works against the demo (export KUBECONFIG=.demo/kubeconfig)
# and a cluster alike.
#
#   scripts/advance-asof.sh [-n NAMESPACE] [-d DAYS] [--wait] PIPELINE
#     -d DAYS  how far to move the cutoff (default 14)
#     --wait   wait for the run to finish and print its realized-accuracy metrics
# The pipeline needs spec.data.asOf set already and batchPrediction.output.postgres (where the
# forecasts to score are stored).
set -euo pipefail
NS=default; DAYS=14; WAIT=; PIPELINE=
while [ $# -gt 0 ]; do
  case "$1" in
    -n) NS="$2"; shift 2 ;;
    -d) DAYS="$2"; shift 2 ;;
    --wait) WAIT=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) PIPELINE="$1"; shift ;;
  esac
done
[ -n "$PIPELINE" ] || { echo "usage: $0 [-n NAMESPACE] [-d DAYS] [--wait] PIPELINE" >&2; exit 2; }
KC=(kubectl -n "$NS")
OLD=$("${KC[@]}" get fp "$PIPELINE" -o jsonpath='{.spec.data.asOf}')
[ -n "$OLD" ] || { echo "ForecastPipeline $NS/$PIPELINE has no spec.data.asOf; set one first (e.g. 2021-02-01)" >&2; exit 1; }
NEW=$(date -u -d "$OLD + $DAYS days" +%F)
# the newest run before the edit (status.runs is newest first)
BEFORE=$("${KC[@]}" get fp "$PIPELINE" -o jsonpath='{.status.runs[0].name}')
"${KC[@]}" patch fp "$PIPELINE" --type merge -p "{\"spec\":{\"data\":{\"asOf\":\"$NEW\"}}}" >/dev/null
# data is part of what a run trains (TrainingSpec): the edit itself starts a run (trigger SpecChange)
echo "$NS/$PIPELINE: data.asOf $OLD -> $NEW; the spec change starts a run"
[ -n "$WAIT" ] || exit 0
for _ in $(seq 1 720); do
  # name and phase in one read: two reads could pair the old run's phase with the new run's arrival
  read -r NAME PHASE < <("${KC[@]}" get fp "$PIPELINE" -o jsonpath='{.status.runs[0].name} {.status.runs[0].phase}'; echo)
  if [ -n "$NAME" ] && [ "$NAME" != "$BEFORE" ] && { [ "$PHASE" = Succeeded ] || [ "$PHASE" = Failed ]; }; then break; fi
  sleep 5
done
echo "last run: $NAME $PHASE"
"${KC[@]}" get fp "$PIPELINE" -o json | python3 -c '
import json, sys
run = json.load(sys.stdin)["status"]["runs"][0]
print("  " + (run.get("reason") or ""))
m = {k: v for k, v in (run.get("metrics") or {}).items() if k.startswith(("realized_", "holdout_mase"))}
print("\n".join(f"  {k} = {v}" for k, v in sorted(m.items())) or "  no realized-accuracy metrics (no stored forecast had actuals yet)")'
