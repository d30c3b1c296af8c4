#!/usr/bin/env bash
# A strict OAuth2/OIDC authorization server (npm oidc-provider 9.13.3 + server.mjs) on
# http://127.0.0.1:${OIDC_PORT:-8317}. Client crmtpl / crmtpl-secret, redirect URI
# http://127.0.0.1:9999/callback; override with OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
# OIDC_REDIRECT_URIS, OIDC_ACCESS_TTL, OIDC_REFRESH_TTL, OIDC_ROTATE_REFRESH (server.mjs).
#
# Several instances can run from this folder, one per name and port:
#   start.sh                                     instance "main" on 8317
#   OIDC_PORT=8318 OIDC_ACCESS_TTL=5 start.sh short
# Writes, beside this script: node_modules/ (npm install of package.json), state/npm.log,
# state/<instance>/server.log and server.pid. Idempotent: an instance whose port already
# answers is left alone. authcode-flow.sh walks the login and consent pages. Stop: stop.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
INSTANCE="${1:-main}"
PORT="${OIDC_PORT:-8317}"
STATE="$HERE/state/$INSTANCE"
DISCOVERY="http://127.0.0.1:$PORT/.well-known/openid-configuration"
mkdir -p "$STATE"
cd "$HERE"

log() { echo "[oidc $INSTANCE] $*" >&2; }
healthy() { curl -fs -o /dev/null --max-time 5 "$DISCOVERY"; }

# two instances may start at once: one npm install at a time
if [ ! -d node_modules/oidc-provider ]; then
  exec 9>"$HERE/state/npm.lock"
  flock 9
  if [ ! -d node_modules/oidc-provider ]; then
    log "npm install oidc-provider (log: $HERE/state/npm.log)"
    npm install --no-audit --no-fund --no-save >"$HERE/state/npm.log" 2>&1
  fi
  flock -u 9
fi

if healthy; then
  log "already answering on 127.0.0.1:$PORT"
  exit 0
fi
OIDC_PORT=$PORT nohup node server.mjs >"$STATE/server.log" 2>&1 &
echo $! >"$STATE/server.pid"
for _ in $(seq 1 60); do
  if healthy; then
    log "healthy: http://127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.5
done
log "not answering at $DISCOVERY after 30 s; the end of $STATE/server.log:"
tail -n 10 "$STATE/server.log" >&2
exit 1
