#!/usr/bin/env bash
# Publishes samples/Keel.Samples.AotWebApi with Native AOT, fails on any trim/AOT warning (IL2xxx/IL3xxx), then runs the
# native binary on 127.0.0.1 (a free port) and checks Keel.AspNetCore's 422 and 503 problem+json bodies and headers.
# Bounded: every request has a timeout, each run of the binary is capped, and it is stopped by its pid.
# Usage: eng/aot-check.sh [output folder]   (default artifacts/aot)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=${1:-artifacts/aot}
rm -rf "$out"
mkdir -p "$out"

# Native AOT links with clang and lld against zlib.
# curl asks the binary.
if ! command -v clang >/dev/null || ! command -v ld.lld >/dev/null || ! dpkg -s zlib1g-dev >/dev/null 2>&1 || ! command -v curl >/dev/null; then
  echo "aot: installing clang lld zlib1g-dev curl"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$out/apt.log" 2>&1
  apt-get install -y -qq --no-install-recommends clang lld zlib1g-dev curl >>"$out/apt.log" 2>&1 || { cat "$out/apt.log"; exit 1; }
fi

project=samples/Keel.Samples.AotWebApi
echo "aot: publishing $project (PublishAot=true, linux-x64)"
status=0
dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out/bin" -nologo >"$out/publish.log" 2>&1 || status=$?
# TreatWarningsAsErrors already fails the publish on a warning; the grep also catches one that was not promoted.
if [ "$status" -ne 0 ] || grep -Eq 'warning IL[23][0-9]{3}|error IL[23][0-9]{3}' "$out/publish.log"; then
  grep -E 'IL[23][0-9]{3}|error|warning' "$out/publish.log" | sort -u | head -n 50 || true
  echo "aot: publish failed (exit $status) or reported trim/AOT warnings"
  exit 1
fi
binary="$out/bin/Keel.Samples.AotWebApi"
[ -x "$binary" ] || { echo "aot: no native binary at $binary"; exit 1; }
echo "aot: published, 0 IL2xxx/IL3xxx warnings, $(du -h "$binary" | cut -f1) native binary"

pid=
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=
  fi
}
trap stop EXIT

# start <memory load> <log>: runs the binary on 127.0.0.1 and a free port, sets $base once it listens.
start() {
  timeout 60 "$binary" --urls http://127.0.0.1:0 --memory-load "$1" >"$2" 2>&1 &
  pid=$!
  base=
  for _ in $(seq 1 100); do
    base=$(sed -n 's/^listening on //p' "$2" | head -n 1)
    [ -n "$base" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$2"
  echo "aot: the native binary did not start listening"
  exit 1
}

failures=0
# check <name> <expected status> <url path> <grep -E patterns on headers+body...>
check() {
  local name=$1 expected=$2 path=$3
  shift 3
  local response="$out/$name.http" code
  code=$(curl -sS --max-time 5 -D "$response.headers" -o "$response.body" -w '%{http_code}' "$base$path") || code=000
  local ok=1
  [ "$code" = "$expected" ] || ok=0
  for pattern in "$@"; do
    # grep reads the files itself: with pipefail, `cat … | grep -q` fails when grep exits before cat has written everything.
    grep -Eiq -- "$pattern" "$response.headers" "$response.body" || { ok=0; echo "aot: $name: no match for /$pattern/"; }
  done
  if [ "$ok" -eq 1 ]; then
    echo "aot: $name: $code ok"
  else
    echo "aot: $name: expected $expected, got $code"; cat "$response.headers" "$response.body"; echo
    failures=$((failures + 1))
  fi
}

start 0.5 "$out/run-fine.log"
check score-fine 200 '/score?features=0.1,0.2,0.3,0.4' '^0\.25$'
check ready-fine 200 '/health/ready' '^Healthy$'
check invalid 422 '/score?features=0.1,NaN,0.3,2' \
  '^content-type: application/problem\+json' '"status":422' '"violations":\[' \
  '"parameter":"features\[1\]","rule":"[a-z-]+","expected":"[^"]+"' '"parameter":"features\[3\]"'
stop

start 0.95 "$out/run-pressure.log"
check pressure 503 '/score?features=0.1,0.2,0.3,0.4' \
  '^content-type: application/problem\+json' '^retry-after: 3' '"status":503' \
  '"memoryLoad":0\.9[0-9]*' '"maxMemoryLoad":0\.9[,}]' '"retryAfterSeconds":3'
check ready-pressure 503 '/health/ready' '^Unhealthy$'
stop

if [ "$failures" -ne 0 ]; then
  echo "aot: $failures check(s) failed"
  exit 1
fi
echo "aot: the native binary answered 200, 422 and 503 as under the JIT"
