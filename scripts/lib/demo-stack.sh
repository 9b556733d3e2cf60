# Shared by scripts/demo.sh and scripts/demo-cluster.sh (sourced; they define STATE, PIDFILE, die,
# alive and down): the demo JVM's classpath and the wait for its READY/FAILED marker.

# The demo module adds no library of its own: the test bed's classpath plus both modules' classes.
demo_classpath() {
  mvn -q -B -o -pl testbed dependency:build-classpath -Dmdep.outputFile="$STATE/classpath" > /dev/null
  echo "demo/target/classes:testbed/target/classes:$(cat "$STATE/classpath")"
}

# follow_stack FILTER WHAT: prints the stack log's lines matching FILTER as they come, until the stack
# writes READY; on FAILED or an exit it shows the log's tail, stops everything and fails naming WHAT.
follow_stack() {
  local filter="$1" what="$2" shown=0 n
  while true; do
    if [[ -f "$STATE/demo.log" ]]; then
      n=$(wc -l < "$STATE/demo.log")
      if (( n > shown )); then sed -n "$((shown + 1)),${n}p" "$STATE/demo.log" | grep -E "$filter" || true; shown=$n; fi
    fi
    [[ -f "$STATE/READY" ]] && return 0
    if [[ -f "$STATE/FAILED" ]] || ! alive; then
      tail -40 "$STATE/demo.log"
      down > /dev/null
      die "$what did not come up: $(cat "$STATE/FAILED" 2>/dev/null || echo 'the stack exited'); logs in $STATE"
    fi
    sleep 1
  done
}
