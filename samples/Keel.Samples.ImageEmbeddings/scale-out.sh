#!/usr/bin/env bash
# Scale-out on one machine: a redis-server and two replicas of the service on 127.0.0.1 (and, with --prometheus, a
# prometheus scraping both). Replica A embeds an image; replica B, asked for the same image, answers from A's Redis entry
# without running the model. Everything it starts is stopped by pid when it ends (with --keep, on Ctrl+C).
# Usage: samples/Keel.Samples.ImageEmbeddings/scale-out.sh [--no-build] [--prometheus] [--keep]
# Needs redis-server and redis-cli (eng/servers.sh install), curl, and the .NET SDK.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build=1 prometheus=0 keep=0
for argument in "$@"; do
  case "$argument" in
    --no-build) build=0 ;;
    --prometheus) prometheus=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: $0 [--no-build] [--prometheus] [--keep]"; exit 2 ;;
  esac
done

project=samples/Keel.Samples.ImageEmbeddings
[ "$build" -eq 0 ] || dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
dll=$(find "$project/bin/Release" -name Keel.Samples.ImageEmbeddings.dll -path '*net10.0*' | head -n 1)
[ -n "$dll" ] || { echo "scale-out: the service is not built; run without --no-build"; exit 1; }
image="$project/images/example.png"

work=$(mktemp -d)
pids=()
redis_pid_file="$work/redis.pid"
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -s "$redis_pid_file" ]; then
    local redis_pid
    redis_pid=$(cat "$redis_pid_file")
    kill "$redis_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$redis_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap stop EXIT

# A free port for Redis and Prometheus (the replicas take one themselves: --urls http://127.0.0.1:0).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}
redis_port=$(free_port)
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')

redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
  --pidfile "$redis_pid_file" --logfile "$work/redis.log" --dir "$work"
for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
echo "scale-out: redis-server on 127.0.0.1:$redis_port"

# start_replica NAME: starts the service on a port it picks, with Redis configured; sets $address once it listens.
start_replica() {
  local name=$1 log
  log="$work/$name.log"
  Keel__Redis__Configuration="127.0.0.1:$redis_port" Keel__Redis__KeySecret="$secret" Logging__LogLevel__Default=Warning \
    timeout 3600 dotnet "$dll" --urls "http://127.0.0.1:0" >"$log" 2>&1 &
  pids+=("$!")
  address=
  for _ in $(seq 1 600); do
    address=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$address" ] && break
    sleep 0.1
  done
  [ -n "$address" ] || { cat "$log"; echo "scale-out: replica $name did not start"; exit 1; }
  echo "scale-out: replica $name on $address"
}

start_replica A
a=$address
start_replica B
b=$address

embed() {
  curl -sS --max-time 30 -o "$work/answer.json" -w '%{time_total}' -H 'Content-Type: image/png' --data-binary "@$image" "$1/v1/embeddings"
}
redis_hits() {
  curl -sS --max-time 5 "$1/metrics" | awk '/^keel_cache_lookups_total\{/ && /keel_cache_level="redis"/ && /keel_cache_result="hit"/ && /keel_operation="embed"/ { sum += $NF } END { print sum + 0 }'
}

seconds=$(embed "$a")
echo "scale-out: A embedded $image in ${seconds}s, cached: $(grep -o '"cached":[a-z]*' "$work/answer.json" | cut -d: -f2)"
seconds=$(embed "$b")
cached=$(grep -o '"cached":[a-z]*' "$work/answer.json" | cut -d: -f2)
echo "scale-out: B answered the same image in ${seconds}s, cached: $cached (B's Redis hits: $(redis_hits "$b"), B's model runs: $(curl -sS --max-time 5 "$b/metrics" | awk '/^embeddings_model_runs_total/ { sum += $NF } END { print sum + 0 }'))"
seconds=$(embed "$b")
echo "scale-out: B again, from its memory level now, in ${seconds}s"
echo "scale-out: Redis holds $(redis-cli -h 127.0.0.1 -p "$redis_port" dbsize) entry: $(redis-cli -h 127.0.0.1 -p "$redis_port" --scan --pattern 'keel:*' | head -n 1)"
[ "$cached" = "true" ] || { echo "scale-out: replica B did not answer from Redis"; exit 1; }

if [ "$prometheus" -eq 1 ]; then
  prometheus_port=$(free_port)
  cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: image-embeddings
    static_configs:
      - targets: ['${a#http://}', '${b#http://}']
EOF
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --web.listen-address="127.0.0.1:$prometheus_port" >"$work/prometheus.log" 2>&1 &
  pids+=("$!")
  query='sum by (instance, keel_outcome) (keel_inference_duration_seconds_count{keel_operation="embed"})'
  for _ in $(seq 1 60); do
    answer=$(curl -sS --max-time 5 -G "http://127.0.0.1:$prometheus_port/api/v1/query" --data-urlencode "query=$query" 2>/dev/null || true)
    echo "$answer" | grep -q '"instance"' && break
    sleep 1
  done
  echo "scale-out: prometheus on http://127.0.0.1:$prometheus_port, $query:"
  echo "$answer" | grep -o '"instance":"[^"]*","keel_outcome":"[^"]*"},"value":\[[^]]*\]' | sed 's/^/  /'
fi

if [ "$keep" -eq 1 ]; then
  echo "scale-out: running; Ctrl+C stops everything"
  wait "${pids[0]}"
fi
