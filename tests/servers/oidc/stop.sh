#!/usr/bin/env bash
# Stop every instance start.sh started from this folder (by state/<instance>/server.pid),
# or only the instances named: stop.sh [instance...]. Safe to repeat.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
if (($#)); then
  instances=("$@")
else
  instances=()
  for dir in "$HERE"/state/*/; do [ -d "$dir" ] && instances+=("$(basename "$dir")"); done
fi
for instance in "${instances[@]}"; do
  pid_file="$HERE/state/$instance/server.pid"
  [ -s "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null && echo "[oidc $instance] stopped (pid $pid)" >&2
  rm -f "$pid_file"
done
