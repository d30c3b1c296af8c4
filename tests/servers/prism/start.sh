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
# The gallery's mocks are listed in gallery.tsv (name, port, spec, how to normalize it):
# `start.sh gallery` starts them all, `start.sh NAME` one of them.
# usage: start.sh [hubspot] [zoho] [pipedrive] [gallery] [NAME...]   (default: the three)
# Stop: stop.sh
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

gallery_lines() { # NAME PORT SPEC [ARGS...] lines of gallery.tsv, comments dropped
  grep -vE '^[[:space:]]*(#|$)' "$HERE/gallery.tsv" || true
}

start_gallery_mock() { # name port spec [normalize arguments...]
  local name=$1 port=$2 spec=specs/$3 served
  shift 3
  served=$spec
  # normalized when the line has normalize arguments ("-": none) or SPEC is FILE::PREFIX
  if (($#)) || [[ $spec == *::* ]]; then
    if (($#)) && [ "$1" = "-" ]; then shift; fi
    served="$STATE/$name.json"
    if [ ! -s "$served" ]; then
      local input=$spec
      case $spec in
        *.yaml | *.yml)
          input="$STATE/$name.source.json"
          node_modules/.bin/js-yaml "$spec" >"$input"
          ;;
      esac
      python3 normalize_spec.py "$served" "$input" "$@" --server "http://127.0.0.1:$port" \
        2>"$STATE/normalize-$name.log"
    fi
  fi
  start_mock "$name" "$port" "$served"
}

start_gallery() { # [name]: every mock of gallery.tsv, or the one called name
  local found=0 line
  while read -r line; do
    # shellcheck disable=SC2086 # the line's words are the arguments
    set -- $line
    [ -z "${1-}" ] && continue
    if [ -z "${want-}" ] || [ "$1" = "$want" ]; then
      start_gallery_mock "$@"
      found=1
    fi
  done < <(gallery_lines)
  [ "$found" = 1 ] || [ -z "${want-}" ] || { log "unknown mock $want"; return 2; }
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
    gallery) want="" start_gallery ;;
    *) want="$target" start_gallery || exit 2 ;;
  esac
done
