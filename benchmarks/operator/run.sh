#!/usr/bin/env bash
# Scale benchmark of the operator: N ForecastPipelines on the test bed's real kube-apiserver.
# Usage: benchmarks/operator/run.sh [count] [cold]   (needs `mvn -pl operator install` done, tools from scripts/test-tools.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
mvn -o -q -B -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
cp="operator/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java -Xmx512m -XX:+UseSerialGC -Dalmanac.project.dir="$root" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" benchmarks/operator/OperatorScaleBenchmark.java "${1:-1000}" "${2:-}"
