#!/usr/bin/env bash
# Publishes the reference service (samples/Keel.Samples.ImageEmbeddings) with Native AOT, fails on any trim/AOT warning
# (IL2xxx/IL3xxx), then runs the service's process tests against the native binary (KEEL_SERVICE_BINARY): real images,
# the malformed-input corpus (every answer a 4xx problem+json: 415, 413, 422, 400), load shedding and real memory
# pressure in a cgroup (503 + Retry-After, readiness 503, accepted again). Each test starts the binary on 127.0.0.1 and
# stops it by pid. Needs the test project built in Release (.ci/run builds the solution first).
# Usage: eng/service-aot-check.sh [output folder]   (default artifacts/service-aot)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=${1:-artifacts/service-aot}
rm -rf "$out"
mkdir -p "$out"

# Native AOT links with clang and lld against zlib.
if ! command -v clang >/dev/null || ! command -v ld.lld >/dev/null || ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  echo "service-aot: installing clang lld zlib1g-dev"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$out/apt.log" 2>&1
  apt-get install -y -qq --no-install-recommends clang lld zlib1g-dev >>"$out/apt.log" 2>&1 || { cat "$out/apt.log"; exit 1; }
fi

project=samples/Keel.Samples.ImageEmbeddings
echo "service-aot: publishing $project (PublishAot=true, linux-x64)"
start=$SECONDS
status=0
dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out/bin" -nologo >"$out/publish.log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || grep -Eq 'warning IL[23][0-9]{3}|error IL[23][0-9]{3}' "$out/publish.log"; then
  grep -E 'IL[23][0-9]{3}|error|warning' "$out/publish.log" | sort -u | head -n 50 || true
  echo "service-aot: publish failed (exit $status) or reported trim/AOT warnings"
  exit 1
fi
binary="$out/bin/Keel.Samples.ImageEmbeddings"
[ -x "$binary" ] || { echo "service-aot: no native binary at $binary"; exit 1; }
echo "service-aot: published in $((SECONDS - start)) s, 0 IL2xxx/IL3xxx warnings, $(du -h "$binary" | cut -f1) native binary" \
  "(+ $(du -ch "$out"/bin/*.so | tail -n 1 | cut -f1) of ONNX Runtime and Skia, $(du -sh "$out/bin/Models" | cut -f1) of model)"

tests=tests/Keel.Samples.ImageEmbeddings.Tests
build=(--no-build)
[ -f "$tests/bin/Release/net10.0/linux-x64/Keel.Samples.ImageEmbeddings.Tests.dll" ] || build=()
filter="FullyQualifiedName~Keel.Samples.ImageEmbeddings.Tests.EmbeddingTests|FullyQualifiedName~Keel.Samples.ImageEmbeddings.Tests.MalformedInputTests"
filter+="|FullyQualifiedName~Keel.Samples.ImageEmbeddings.Tests.LoadSheddingTests|FullyQualifiedName~Keel.Samples.ImageEmbeddings.Tests.MemoryPressureTests"
echo "service-aot: running the service's process tests against the native binary"
status=0
KEEL_SERVICE_BINARY="$PWD/$binary" dotnet test "$tests" -c Release "${build[@]}" --filter "$filter" \
  --logger "trx;LogFileName=service-aot.trx" --results-directory "$out/results" >"$out/test.log" 2>&1 || status=$?
counters=$(grep -o '<Counters [^>]*>' "$out/results/service-aot.trx" 2>/dev/null | head -n 1 || true)
passed=$(echo "$counters" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
failed=$(echo "$counters" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
if [ "$status" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  tail -n 60 "$out/test.log"
  echo "service-aot: the process tests failed against the native binary ($passed passed, $failed failed)"
  exit 1
fi
echo "service-aot: the native binary passed $passed process tests (200s, the malformed-input corpus, shedding, memory pressure), $failed failed"
