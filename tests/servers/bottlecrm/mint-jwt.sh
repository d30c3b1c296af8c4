#!/usr/bin/env bash
# Print a fresh org-bound JWT pair for a BottleCRM user (default admin@peer.test) as
#   BOTTLECRM_JWT=...
#   BOTTLECRM_JWT_REFRESH=...
# Refresh tokens are single-use (POST /api/auth/refresh-token/ blacklists them), so a test
# that refreshes mints its own pair. Uses django-crm's DEBUG-only `devlogin` command in the
# chroot; needs start.sh to have run (state/credentials.env names the org). Writes nothing.
# usage: mint-jwt.sh [email]
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOTFS="$HERE/trixie-root"
CRM_PORT="${CRM_PORT:-8311}"
PG_PORT="${PG_PORT:-55432}"
# shellcheck source=tests/servers/bottlecrm/django-env.sh
. "$HERE/django-env.sh"

org_id=$(sed -n 's/^BOTTLECRM_ORG_ID=//p' "$HERE/state/credentials.env" 2>/dev/null || true)
[ -n "$org_id" ] || { echo "mint-jwt.sh: no BOTTLECRM_ORG_ID in $HERE/state (run start.sh)" >&2; exit 1; }

out=$(chroot "$ROOTFS" env "${DJANGO_ENV[@]}" /opt/venv/bin/django-admin devlogin \
  "${1:-admin@peer.test}" --org "$org_id")
access=$(sed -nE 's/^ *access[^:]*: *//Ip' <<<"$out" | head -n 1)
refresh=$(sed -nE 's/^ *refresh[^:]*: *//Ip' <<<"$out" | head -n 1)
if [ -z "$access" ] || [ -z "$refresh" ]; then
  echo "mint-jwt.sh: devlogin printed no token pair:" >&2
  echo "$out" >&2
  exit 1
fi
echo "BOTTLECRM_JWT=$access"
echo "BOTTLECRM_JWT_REFRESH=$refresh"
