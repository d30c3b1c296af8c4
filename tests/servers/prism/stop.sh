#!/usr/bin/env bash
# Stop every Prism mock start.sh started (by state/<name>.pid). Safe to repeat.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
for pid_file in "$HERE"/state/*.pid; do
  [ -s "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null && echo "[prism] stopped $(basename "$pid_file" .pid) (pid $pid)" >&2
  rm -f "$pid_file"
done
