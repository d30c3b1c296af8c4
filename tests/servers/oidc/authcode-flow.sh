#!/usr/bin/env bash
# Walk oidc-provider's dev login and consent pages with curl, as a browser would, and print
# the redirect the server answers with: REDIRECT_URI?code=...&state=... (not requested).
# usage: authcode-flow.sh [scope] [login]
#   scope  default "openid offline_access crm" (offline_access: a refresh token is issued)
#   login  default agent (any name is accepted; it becomes the subject)
# env: OIDC_URL (http://127.0.0.1:8317), CLIENT_ID (crmtpl), REDIRECT_URI
#      (http://127.0.0.1:9999/callback), STATE (random), EXTRA (more curl arguments for the
#      authorization request, e.g. PKCE: "--data-urlencode code_challenge=...").
# Writes nothing but a temporary cookie jar, removed on exit.
set -euo pipefail

BASE="${OIDC_URL:-http://127.0.0.1:8317}"
CLIENT="${CLIENT_ID:-crmtpl}"
REDIRECT="${REDIRECT_URI:-http://127.0.0.1:9999/callback}"
SCOPE="${1:-openid offline_access crm}"
LOGIN="${2:-agent}"
FLOW_STATE="${STATE:-st$RANDOM$RANDOM}"
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT

location() { { grep -i '^location:' || true; } | tr -d '\r' | sed 's/^[Ll]ocation: *//'; }
absolute() { case $1 in http*) echo "$1" ;; *) echo "$BASE$1" ;; esac }
fetch() { curl -s --noproxy '*' -c "$JAR" -b "$JAR" "$@"; }
next_of() { # curl arguments: the Location the server answers with ("" if none)
  local headers
  headers=$(fetch -D - -o /dev/null "$@") || {
    echo "authcode-flow.sh: no answer from $BASE (curl exit $?)" >&2
    exit 1
  }
  location <<<"$headers"
}

# shellcheck disable=SC2086 # EXTRA is a list of curl arguments on purpose
url=$(next_of -G "$BASE/auth" --data-urlencode "client_id=$CLIENT" \
  --data-urlencode response_type=code --data-urlencode "redirect_uri=$REDIRECT" \
  --data-urlencode "scope=$SCOPE" --data-urlencode "state=$FLOW_STATE" \
  --data-urlencode prompt=consent ${EXTRA:-})
for _ in 1 2 3 4 5 6; do
  case $url in
    "$REDIRECT"*)
      echo "$url"
      exit 0
      ;;
    */interaction/*)
      url=$(absolute "$url")
      page=$(fetch "$url")
      if [[ $page == *'name="prompt" value="login"'* ]]; then
        url=$(next_of "$url" --data-urlencode prompt=login --data-urlencode "login=$LOGIN" --data-urlencode password=x)
      else
        url=$(next_of "$url" --data-urlencode prompt=consent)
      fi
      ;;
    '')
      echo "authcode-flow.sh: the server answered without a redirect (is it at $BASE?)" >&2
      exit 1
      ;;
    *) url=$(next_of "$(absolute "$url")") ;;
  esac
done
echo "authcode-flow.sh: the flow did not reach $REDIRECT (last: $url)" >&2
exit 1
