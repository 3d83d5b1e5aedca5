#!/usr/bin/env bash
# Load test of the reference service on 127.0.0.1 with wrk (Debian's), bounded in time: throughput and latency of
# POST /v1/embeddings (Keel's decorators) against POST /bench/embeddings/undecorated (the same model, decoding and
# admission, no decorator), in alternating rounds so that drift in the machine's speed falls on both; then the
# decorated endpoint with 30 % of requests repeating one of 8 images (the cache's effect). Every body is a raw
# 1×3×224×224 tensor, distinct per request unless repeated on purpose, so the all-miss rounds never hit the cache.
# Usage: samples/Keel.Samples.ImageEmbeddings/load-test.sh [--no-build] [--seconds N] [--connections N]
# Writes the table to artifacts/load/results.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build=1 seconds=15 connections=4
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --seconds) seconds=$2; shift ;;
    --connections) connections=$2; shift ;;
    *) echo "usage: $0 [--no-build] [--seconds N] [--connections N]"; exit 2 ;;
  esac
  shift
done

if ! command -v wrk >/dev/null; then
  echo "load: installing wrk (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk; } >/dev/null
fi

project=samples/Keel.Samples.ImageEmbeddings
[ "$build" -eq 0 ] || dotnet build "$project" -c Release -nologo -clp:ErrorsOnly
dll=$(find "$project/bin/Release" -name Keel.Samples.ImageEmbeddings.dll -path '*net10.0*' | head -n 1)
out=artifacts/load
rm -rf "$out"
mkdir -p "$out"

pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; }
trap stop EXIT
# The queue holds every connection, so nothing is shed: the rounds measure the model and the decorators, not refusals.
Embeddings__BenchmarkEndpoints=true Embeddings__MaxQueue=$((connections * 2)) Logging__LogLevel__Default=Warning \
  timeout 1800 dotnet "$dll" --urls http://127.0.0.1:0 >"$out/service.log" 2>&1 &
pid=$!
base=
for _ in $(seq 1 600); do
  base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$out/service.log" | head -n 1)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { cat "$out/service.log"; echo "load: the service did not start"; exit 1; }

# Bodies: a tensor of 100.0 (bytes 00 00 C8 42); its first value is replaced per request by one in [128, 255) whose
# three low bytes count the requests (each round and each thread counts in a range of its own: ROUND), or, with
# probability REPEAT, by one of 8 fixed values.
cat >"$out/bodies.lua" <<'EOF'
local counter, repeat_share, round = 0, tonumber(os.getenv("REPEAT") or "0"), tonumber(os.getenv("ROUND") or "0")
local rest = string.rep(string.char(0x00, 0x00, 0xC8, 0x42), 150528 - 1)
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(1000 + round * 10 + thread_id)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/octet-stream"
end
function request()
  local n
  if repeat_share > 0 and math.random() < repeat_share then
    n = math.random(0, 7)
  else
    counter = counter + 1
    n = 8 + round * 800000 + thread_id * 400000 + counter
  end
  local first = string.char(n % 256, math.floor(n / 256) % 256, math.floor(n / 65536) % 127, 0x43)
  return wrk.format(nil, nil, nil, first .. rest)
end
EOF

# run LABEL PATH REPEAT: one wrk round; appends "label rps p50 p99 non2xx" to $out/rounds.txt.
wrk_round=0
run() {
  local label=$1 path=$2 share=$3 log="$out/$1.txt"
  wrk_round=$((wrk_round + 1))
  ROUND=$wrk_round REPEAT=$share wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 10s --latency -s "$out/bodies.lua" "$base$path" >"$log"
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ { print $2 }' "$log")
  p50=$(awk '$1 == "50%" { print $2 }' "$log")
  p99=$(awk '$1 == "99%" { print $2 }' "$log")
  errors=$(awk '/Non-2xx/ { print $NF }' "$log")
  echo "$label $rps $p50 $p99 ${errors:-0}" >>"$out/rounds.txt"
  echo "load: $label: $rps requests/s, p50 $p50, p99 $p99, non-2xx ${errors:-0}"
}

echo "load: service on $base; $connections connections, 2 wrk threads, ${seconds} s per round"
ROUND=8 REPEAT=0 wrk -t 2 -c "$connections" -d 5s -s "$out/bodies.lua" "$base/bench/embeddings/undecorated" >/dev/null
ROUND=9 REPEAT=0 wrk -t 2 -c "$connections" -d 5s -s "$out/bodies.lua" "$base/v1/embeddings" >/dev/null
for pair in 1 2; do
  run "undecorated-$pair" /bench/embeddings/undecorated 0
  run "decorated-$pair" /v1/embeddings 0
done
run "decorated-30pct-repeated" /v1/embeddings 0.3

awk '
  function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
  { rps[$1] = $2; p50[$1] = ms($3); p99[$1] = ms($4); err[$1] = $5 }
  END {
    u = (rps["undecorated-1"] + rps["undecorated-2"]) / 2; d = (rps["decorated-1"] + rps["decorated-2"]) / 2
    printf "| endpoint | requests/s | p50 (ms) | p99 (ms) | non-2xx |\n|---|---|---|---|---|\n"
    split("undecorated-1 decorated-1 undecorated-2 decorated-2 decorated-30pct-repeated", order, " ")
    for (i = 1; i <= 5; i++) { k = order[i]; printf "| %s | %.1f | %.1f | %.1f | %d |\n", k, rps[k], p50[k], p99[k], err[k] }
    printf "\ndecorated / undecorated throughput (mean of two rounds each): %.3f\n", d / u
    printf "30 %% repeated / all distinct (decorated): %.2fx throughput, p99 %.1f ms vs %.1f ms\n", rps["decorated-30pct-repeated"] / d, p99["decorated-30pct-repeated"], (p99["decorated-1"] + p99["decorated-2"]) / 2
  }' "$out/rounds.txt" | tee "$out/results.md"
echo "load: $(curl -sS --max-time 5 "$base/metrics" | awk '/^keel_cache_lookups_total/ && /keel_cache_result="hit"/ { s += $NF } END { print s + 0 }') cache hits in all, model runs $(curl -sS --max-time 5 "$base/metrics" | awk '/^embeddings_model_runs_total/ { s += $NF } END { print s + 0 }'), shed $(curl -sS --max-time 5 "$base/metrics" | awk '/^embeddings_requests_shed_total/ { s += $NF } END { print s + 0 }')"
