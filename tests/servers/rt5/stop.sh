#!/usr/bin/env bash
# Stop the rt-server start.sh started (by state/rt-server.pid). Safe to repeat.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
PID_FILE="$HERE/state/rt-server.pid"

if [ -s "$PID_FILE" ]; then
  pid=$(cat "$PID_FILE")
  if kill "$pid" 2>/dev/null; then
    echo "[rt5] stopping rt-server (pid $pid)" >&2
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  rm -f "$PID_FILE"
fi
