#!/usr/bin/env bash
# The servers Keel's tests run: redis-server (the cache's shared level) and prometheus with promtool (metrics checks).
#   eng/servers.sh install   installs them with apt-get when they are missing (what eng/test.sh does first)
#   eng/servers.sh check     installs them, then starts redis-server on a free 127.0.0.1 port, pings it and stops it
#                            by pid, and runs promtool once, so a broken install fails before any test runs
# The test fixtures start their own servers, each on a free 127.0.0.1 port, and stop them by pid.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

install() {
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v prometheus >/dev/null && command -v promtool >/dev/null; then
    return
  fi

  echo "servers: installing redis-server and prometheus (apt-get)"
  local sudo= log
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends redis-server prometheus; } >"$log" 2>&1 \
    || { cat "$log"; echo "servers: could not install redis-server and prometheus; install them and run again"; exit 1; }
  rm -f "$log"
}

check() {
  install
  local dir port
  dir=$(mktemp -d)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 6391)
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  local ok=1
  for _ in $(seq 1 50); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then ok=0; break; fi
    sleep 0.1
  done
  for _ in $(seq 1 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  [ -s "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  [ "$ok" -eq 0 ] || { echo "servers: redis-server did not answer on 127.0.0.1:$port"; cat "$dir/redis.log"; rm -rf "$dir"; exit 1; }
  rm -rf "$dir"
  echo "servers: $(redis-server --version | cut -d' ' -f1-3) answered on 127.0.0.1; $(promtool --version 2>&1 | head -n 1)"
}

case "${1:-check}" in
  install) install ;;
  check) check ;;
  *) echo "usage: eng/servers.sh [install|check]"; exit 2 ;;
esac
