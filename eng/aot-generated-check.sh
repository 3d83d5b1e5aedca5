#!/usr/bin/env bash
# Publishes samples/Keel.Samples.AotGenerated (Keel's decorators written as attributes, both forms the source generator
# compiles) with Native AOT, fails on any trim/AOT warning (IL2xxx/IL3xxx), then runs the native binary, which checks
# each decorator's behaviour and exits with the number of failed checks. Bounded: the publish is capped at 10 minutes and
# the run at 60 seconds. Prints how long the publish took and how large the binary is.
# Usage: eng/aot-generated-check.sh [output folder]   (default artifacts/aot-generated)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

out=${1:-artifacts/aot-generated}
rm -rf "$out"
mkdir -p "$out"

# Native AOT links with clang and lld against zlib.
if ! command -v clang >/dev/null || ! command -v ld.lld >/dev/null || ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  echo "aot-generated: installing clang lld zlib1g-dev"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$out/apt.log" 2>&1
  apt-get install -y -qq --no-install-recommends clang lld zlib1g-dev >>"$out/apt.log" 2>&1 || { cat "$out/apt.log"; exit 1; }
fi

project=samples/Keel.Samples.AotGenerated
echo "aot-generated: publishing $project (PublishAot=true, linux-x64)"
start=$(date +%s)
status=0
timeout 600 dotnet publish "$project" -c Release -r linux-x64 -p:PublishAot=true -o "$out/bin" -nologo >"$out/publish.log" 2>&1 || status=$?
seconds=$(($(date +%s) - start))
# TreatWarningsAsErrors already fails the publish on a warning; the grep also catches one that was not promoted.
if [ "$status" -ne 0 ] || grep -Eq 'warning IL[23][0-9]{3}|error IL[23][0-9]{3}' "$out/publish.log"; then
  grep -E 'IL[23][0-9]{3}|error|warning' "$out/publish.log" | sort -u | head -n 50 || true
  echo "aot-generated: publish failed (exit $status) or reported trim/AOT warnings"
  exit 1
fi
binary="$out/bin/Keel.Samples.AotGenerated"
[ -x "$binary" ] || { echo "aot-generated: no native binary at $binary"; exit 1; }
echo "aot-generated: published in ${seconds}s, 0 IL2xxx/IL3xxx warnings, $(du -h "$binary" | cut -f1) native binary"

status=0
timeout 60 "$binary" >"$out/run.log" 2>&1 || status=$?
cat "$out/run.log"
if [ "$status" -ne 0 ] || ! grep -q '^aot-generated: [1-9][0-9]* passed, 0 failed$' "$out/run.log"; then
  echo "aot-generated: the native binary failed (exit $status)"
  exit 1
fi
echo "aot-generated: every decorator behaved under Native AOT as under the JIT"
