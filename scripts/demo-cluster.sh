#!/usr/bin/env bash
# make demo-cluster / make demo-cluster-down: the `make demo` story on a real one-node Kubernetes
# (scripts/node.sh) with the project's own images in real pods.
# up:   tools (scripts/test-tools.sh, cached), jars + Jib image tars on the local JRE base, then the
#       stack in the background (dev.almanac.demo.ClusterStack): node, MLflow + S3 on the
#       host relayed to the node, images imported, `helm install` with 2 operator replicas into a
#       namespace enforcing the restricted Pod Security Standard, both examples applied; waits until
#       both models serve and prints the kubeconfig and the port-forward lines.
# down: stops the stack, tears the node down and checks the host is as it was.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STATE="${ALMANAC_DEMO_CLUSTER_DIR:-$PWD/.demo-cluster}"
PIDFILE="$STATE/pid"
IMAGE_BASE="${IMAGE_BASE:-tar://$HOME/.cache/almanac/node/images/jre17.tar}"
IMAGE_REGISTRY="ghcr.io/almanac-dev"
# the project version: the first <version> of the parent pom (it has no <parent>)
IMAGE_TAG="$(sed -n "s:^  <version>\(.*\)</version>:\1:p" pom.xml | head -1)"

die() { echo "demo-cluster: $*" >&2; exit 1; }
source scripts/lib/demo-stack.sh
alive() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

down() {
  if alive; then
    local pid; pid=$(cat "$PIDFILE")
    echo "demo-cluster: stopping the stack (pid $pid; its shutdown hook takes the node down)"
    # the JVM only, not its process group: the node.sh down its shutdown hook runs is in that group
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 360); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  bash scripts/node.sh down
  bash scripts/node.sh verify-clean
  echo "demo-cluster: stopped"
}

up() {
  [[ $(id -u) -eq 0 ]] || die "needs root (network namespace, mounts, containerd)"
  for tool in java mvn; do command -v "$tool" >/dev/null || die "$tool is not installed (Java 17 and Maven 3.8 are needed)"; done
  alive && die "already running (pid $(cat "$PIDFILE")); see $STATE/demo.log, or stop it with: make demo-cluster-down"
  if [[ -d "$STATE" ]]; then
    echo "demo-cluster: cleaning up an earlier run that did not stop cleanly"
    down > /dev/null
    rm -rf "$STATE"
  fi
  mkdir -p "$STATE"
  echo "demo-cluster: checking the tools (first time on a fresh machine: ~25 min of builds)"
  bash scripts/test-tools.sh > "$STATE/tools.log" 2>&1 || { tail -20 "$STATE/tools.log"; die "tool setup failed (log: $STATE/tools.log)"; }
  echo "demo-cluster: building the jars and the image tars (Jib on $IMAGE_BASE)"
  mvn -q -B -Pimages verify -DskipTests -Dimage.base="$IMAGE_BASE" -pl demo,operator,trainer-image,model-server -am \
    > "$STATE/build.log" 2>&1 || { tail -30 "$STATE/build.log"; die "build failed (log: $STATE/build.log)"; }
  local cp; cp=$(demo_classpath)
  echo "demo-cluster: starting the stack (log: $STATE/demo.log)"
  setsid java -cp "$cp" -Dalmanac.project.dir="$PWD" -Dalmanac.data.dir="${ALMANAC_DATA_DIR:-$PWD/../shared/data}" \
    dev.almanac.demo.ClusterStack "$STATE" "$IMAGE_REGISTRY" "$IMAGE_TAG" > "$STATE/demo.log" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  follow_stack '^\[ *[0-9]+s\]|^  |^Almanac' 'the cluster demo'
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) die "usage: $0 up|down" ;;
esac
