#!/usr/bin/env bash
# Prism 5.14.2 (npm @stoplight/prism-cli) contract mocks of three vendors' real APIs, each
# serving the vendor's own OpenAPI files from specs/ (see specs/PROVENANCE.md):
#   hubspot    HubSpot CRM v3 (contacts, calls, tickets, owners)   127.0.0.1:${HUBSPOT_PORT:-8314}
#   zoho       Zoho CRM v8 (records of any module, users)          127.0.0.1:${ZOHO_PORT:-8315}
#   pipedrive  Pipedrive v1 under /api/v1 + v2 under /api/v2       127.0.0.1:${PIPEDRIVE_PORT:-8316}
# Prism checks each request (path, query, headers, body, security) against the spec: an
# invalid one gets a 4xx with an `sl-violations` header saying what was wrong, a valid one the
# spec's example. It is stateless and accepts any token.
#
# Writes, beside this script: node_modules/ (npm install of package.json), state/ (the merged
# HubSpot and Pipedrive specs, <name>.log, <name>.pid, npm.log). Idempotent: a mock whose port
# already answers is left alone.
# usage: start.sh [hubspot] [zoho] [pipedrive]   (default: all three)    Stop: stop.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="$HERE/state"
HUBSPOT_PORT="${HUBSPOT_PORT:-8314}"
ZOHO_PORT="${ZOHO_PORT:-8315}"
PIPEDRIVE_PORT="${PIPEDRIVE_PORT:-8316}"
mkdir -p "$STATE"
cd "$HERE"

log() { echo "[prism] $*" >&2; }
answers() { curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$1/"; }

install_prism() {
  # 5.14.2 runs on Debian's node 20 (5.16 wants node >= 24)
  [ -x node_modules/.bin/prism ] && return
  log "npm install @stoplight/prism-cli (log: $STATE/npm.log)"
  npm install --no-audit --no-fund --no-save >"$STATE/npm.log" 2>&1
}

build_specs() { # the merged specs Prism serves, from the vendors' files
  if [ ! -s "$STATE/hubspot-crm.json" ]; then
    python3 normalize_spec.py "$STATE/hubspot-crm.json" \
      specs/src/hubspot/contacts.json specs/src/hubspot/calls.json \
      specs/src/hubspot/tickets.json specs/src/hubspot/crmOwners.json \
      --relax PublicObjectSearchRequest:after,sorts \
      --relax SimplePublicObjectInputForCreate:associations \
      --server "http://127.0.0.1:$HUBSPOT_PORT" 2>"$STATE/normalize-hubspot.log"
  fi
  if [ ! -s "$STATE/pipedrive-api.json" ]; then
    node_modules/.bin/js-yaml specs/src/pipedrive/v1.yaml >"$STATE/pipedrive-v1.json"
    node_modules/.bin/js-yaml specs/src/pipedrive/v2.yaml >"$STATE/pipedrive-v2.json"
    python3 normalize_spec.py "$STATE/pipedrive-api.json" \
      "$STATE/pipedrive-v1.json::/api/v1::V1" "$STATE/pipedrive-v2.json::/api/v2::V2" \
      --server "http://127.0.0.1:$PIPEDRIVE_PORT" 2>"$STATE/normalize-pipedrive.log"
  fi
}

start_mock() { # name port spec
  local name=$1 port=$2 spec=$3 pid _
  if answers "$port"; then
    log "$name: already answering on 127.0.0.1:$port"
    return
  fi
  nohup node node_modules/.bin/prism mock -h 127.0.0.1 -p "$port" "$spec" >"$STATE/$name.log" 2>&1 &
  pid=$!
  echo "$pid" >"$STATE/$name.pid"
  for _ in $(seq 1 120); do
    if grep -q "Prism is listening" "$STATE/$name.log"; then
      log "$name: healthy on http://127.0.0.1:$port"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name: exited; the end of $STATE/$name.log:"
      tail -n 5 "$STATE/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
  log "$name: not listening after 60 s (see $STATE/$name.log)"
  return 1
}

install_prism
build_specs
targets=("$@")
((${#targets[@]})) || targets=(hubspot zoho pipedrive)
for target in "${targets[@]}"; do
  case $target in
    hubspot) start_mock hubspot "$HUBSPOT_PORT" "$STATE/hubspot-crm.json" ;;
    zoho) start_mock zoho "$ZOHO_PORT" specs/zoho-crm.json ;;
    pipedrive) start_mock pipedrive "$PIPEDRIVE_PORT" "$STATE/pipedrive-api.json" ;;
    *)
      log "unknown mock $target (known: hubspot zoho pipedrive)"
      exit 2
      ;;
  esac
done
