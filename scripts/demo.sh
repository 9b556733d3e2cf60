#!/usr/bin/env bash
# make demo / make demo-down: the whole Almanac loop on this machine, no cluster.
# up:   builds the jars, starts kube-apiserver + etcd, MLflow, an S3 server, the operator and the local
#       runner (Jobs/Deployments as local processes) in the background, applies the two examples and
#       waits until both pipelines have a production version and both servers are ready.
# down: stops everything the demo started and checks nothing is left behind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STATE="${ALMANAC_DEMO_DIR:-$PWD/.demo}"
PIDFILE="$STATE/pid"

die() { echo "demo: $*" >&2; exit 1; }
source scripts/lib/demo-stack.sh
alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

down() {
  if ! alive; then
    rm -f "$PIDFILE"
    echo "demo: not running"
  else
    local pid; pid=$(cat "$PIDFILE")
    echo "demo: stopping (pid $pid and its children)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
  fi
  # Nothing the demo started may survive it: every process of it runs in its process group and
  # mentions the state dir or the test venv on its command line.
  local left
  left=$(pgrep -f -- "$STATE" || true)
  if [[ -n "$left" ]]; then
    echo "demo: killing leftovers: $left"
    kill -KILL $left 2>/dev/null || true
  fi
  echo "demo: stopped"
}

up() {
  for tool in java mvn; do command -v "$tool" >/dev/null || die "$tool is not installed (Java 17 and Maven 3.8 are needed)"; done
  if alive; then
    die "a demo is already running (pid $(cat "$PIDFILE")); see $STATE/demo.log, or stop it with: make demo-down"
  fi
  if [[ -d "$STATE" ]]; then
    echo "demo: removing the state of an earlier demo that did not stop cleanly"
    down >/dev/null
    rm -rf "$STATE"
  fi
  mkdir -p "$STATE"
  echo "demo: checking the tools (first time: builds kube-apiserver and etcd, ~10 min)"
  bash scripts/test-tools.sh > "$STATE/tools.log" 2>&1 || { tail -20 "$STATE/tools.log"; die "tool setup failed (log: $STATE/tools.log)"; }
  echo "demo: building the jars (mvn install -DskipTests)"
  mvn -q -B install -DskipTests > "$STATE/build.log" 2>&1 || { tail -30 "$STATE/build.log"; die "build failed (log: $STATE/build.log)"; }
  local cp; cp=$(demo_classpath)
  echo "demo: starting the stack (log: $STATE/demo.log)"
  DJL_OFFLINE=true OPT_OUT_TRACKING=true setsid java -cp "$cp" -Dalmanac.project.dir="$PWD" \
    -Dalmanac.data.dir="${ALMANAC_DATA_DIR:-$PWD/../shared/data}" \
    dev.almanac.demo.DemoStack "$STATE" > "$STATE/demo.log" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  follow_stack '^\[' 'the demo'
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) die "usage: $0 up|down" ;;
esac
