#!/usr/bin/env bash
# The tests, on a fresh machine with only the .NET SDK: installs the servers the tests run (redis-server; prometheus,
# which brings promtool) with apt-get when they are missing, runs every test project of Keel.slnx in Release, and
# prints "tests: N passed, N failed, N skipped". Fails on a failed test, or when no test ran.
# The test fixtures start those servers themselves, each on a free 127.0.0.1 port, and stop them by pid.
# Usage: eng/test.sh [extra dotnet test arguments, e.g. --no-build]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

bash eng/servers.sh install
echo "test: $(redis-server --version | cut -d' ' -f1-3), $(promtool --version 2>&1 | head -n 1)"

status=0
dotnet test Keel.slnx -c Release --logger trx --results-directory "$results" --blame-hang --blame-hang-timeout 5m "$@" || status=$?

passed=0 failed=0 skipped=0 files=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(value total); executed=$(value executed)
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + total - executed))
done

summary="tests: $passed passed, $failed failed, $skipped skipped"
echo "$summary" >"$results/summary.txt"
echo "$summary"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  [ "$passed" -eq 0 ] && echo "test: no test ran ($files result files)"
  exit 1
fi
