#!/bin/bash
# Many rooms over three local demo nodes against the same load on one of them, with the total CPU of all
# three node processes (utime + stime from /proc/PID/stat, sampled every 0.5 s) over the bench's measured
# window (from its first to its last "measure" progress line). docs/PERFORMANCE.md, "Many rooms over
# three nodes". Needs the local PostgreSQL (database test, user postgres, trust) and redis-server; starts
# its own Redis on port 6390 so no other run's nodes share its channels. Usage, from the repository root
# after the Quick start's build:  docs/scripts/cluster-rooms.sh SCHEMA
# Environment: JAR (default webtalk-demo/target/webtalk-demo.jar), RATE (400), CONN (1000), ROOMS (100),
# WARM (5), DUR (20).
set -u
SCHEMA=${1:?usage: cluster-rooms.sh SCHEMA}
JAR=$(realpath "${JAR:-webtalk-demo/target/webtalk-demo.jar}")
REDIS_PORT=6390
RATE=${RATE:-400}; CONN=${CONN:-1000}; ROOMS=${ROOMS:-100}; WARM=${WARM:-5}; DUR=${DUR:-20}
TMP=$(mktemp -d)
psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA"
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save "" --appendonly no --daemonize yes >/dev/null
PIDS=()
for port in 8091 8092 8093; do
  java -jar "$JAR" --port $port --data-dir "$TMP/data" \
    --store "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$SCHEMA" \
    --broker redis://127.0.0.1:$REDIS_PORT --admin-password perf-password > "$TMP/node-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in 8091 8092 8093; do
  for i in $(seq 1 120); do grep -q "running at" "$TMP/node-$port.log" && break; sleep 1; done
done

sample() { # every 0.5 s: epoch ms and the nodes' utime + stime in clock ticks
  while true; do
    local sum=0 f
    for p in "${PIDS[@]}"; do
      [ -r /proc/$p/stat ] && { read -r -a f < <(sed 's/.*) //' /proc/$p/stat); sum=$((sum + f[11] + f[12])); }
    done
    echo "$(date +%s%3N) $sum"; sleep 0.5
  done
}

run() { # label, --url…
  local label=$1; shift
  sample > "$TMP/cpu-$label.txt" & local sampler=$!
  echo "== $label (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  java -jar "$JAR" bench "$@" --scenario rooms --connections $CONN --rooms $ROOMS --rate $RATE \
     --local-addresses 10 --warmup $WARM --duration $DUR 2>&1 \
     | while IFS= read -r line; do echo "$(date +%s%3N) $line"; done > "$TMP/bench-$label.txt"
  kill $sampler
  cut -d' ' -f2- "$TMP/bench-$label.txt" | grep -v "tokens \|connect \|create rooms\|join "
  local start end
  start=$(grep ' measure ' "$TMP/bench-$label.txt" | head -1 | cut -d' ' -f1); start=$((start - 1000))
  end=$(grep ' measure ' "$TMP/bench-$label.txt" | tail -1 | cut -d' ' -f1)
  awk -v a=$start -v b=$end -v hz=$(getconf CLK_TCK) 'BEGIN{s=-1} { if ($1 >= a && s < 0) {s=$2; st=$1} if ($1 <= b) {e=$2; et=$1} }
       END { printf "nodes CPU in window: %.1f s over %.1f s = %.2f cores\n", (e-s)/hz, (et-st)/1000, (e-s)/hz/((et-st)/1000) }' \
       "$TMP/cpu-$label.txt"
}

THREE=(--url ws://127.0.0.1:8091/ws --url ws://127.0.0.1:8092/ws --url ws://127.0.0.1:8093/ws)
run warm "${THREE[@]}"   # the nodes' JIT warms up; not reported
sleep 5
run one --url ws://127.0.0.1:8091/ws
sleep 5
run three "${THREE[@]}"

kill "${PIDS[@]}"; wait "${PIDS[@]}" 2>/dev/null
redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1
psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
rm -rf "$TMP"
