#!/usr/bin/env bash
# Packs every package (every project under src/) into a local folder feed, then builds and runs tests/PackageConsumer,
# a console project outside the solution that references the packages from that feed by version.
# Usage: eng/pack.sh [--no-consumer]   Feed: artifacts/packages (emptied first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

feed=artifacts/packages
rm -rf "$feed" artifacts/consumer-packages
mkdir -p "$feed"
dotnet pack Keel.slnx -c Release -o "$feed" -nologo -clp:ErrorsOnly
echo "pack: $(find "$feed" -name '*.nupkg' | wc -l) packages and $(find "$feed" -name '*.snupkg' | wc -l) symbol packages in $feed:"
(cd "$feed" && ls -1 ./*.nupkg | sed 's|^\./|  |')
# The generator ships inside the Keel package (a zip stores its file names uncompressed, so grep finds them)..
keel_package=$(find "$feed" -name 'Keel.[0-9]*.nupkg' | head -n 1)
grep -aq 'analyzers/dotnet/cs/Keel.Generators.dll' "$keel_package" || { echo "pack: $keel_package lacks analyzers/dotnet/cs/Keel.Generators.dll"; exit 1; }
echo "pack: $(basename "$keel_package") carries the source generator (analyzers/dotnet/cs/Keel.Generators.dll)"
[ "${1:-}" = "--no-consumer" ] && exit 0

version() { dotnet msbuild "src/$1/$1.csproj" -getProperty:PackageVersion -p:Configuration=Release; }
keel_version=$(version Keel)
aspnetcore_version=$(version Keel.AspNetCore)
consumer=tests/PackageConsumer
echo "pack: building $consumer against Keel $keel_version and Keel.AspNetCore $aspnetcore_version from $feed"
dotnet build "$consumer" -c Release -nologo -clp:ErrorsOnly -p:KeelVersion="$keel_version" -p:KeelAspNetCoreVersion="$aspnetcore_version"
dotnet run --project "$consumer" -c Release --no-build
