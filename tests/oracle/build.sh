#!/usr/bin/env bash
# Build the Go reference oracle from main.go with Debian's packages only (no module proxy,
# no download): golang-go (bookworm: Go 1.19) and the source of tidwall/gjson, tidwall/match
# and tidwall/pretty under /usr/share/gocode, compiled in GOPATH mode.
#
# usage: build.sh [OUTPUT]     OUTPUT defaults to tests/oracle/oracle (git-ignored)
# Installs the packages when missing (needs root, or sudo). Re-running is cheap: Go's build
# cache (GOCACHE, default $TMPDIR/crmtpl-oracle-gocache) keeps what did not change.
# Ends by printing the versions the binary was built with.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUTPUT="${1:-$HERE/oracle}"
PACKAGES=(golang-go golang-github-tidwall-gjson-dev golang-github-tidwall-match-dev
  golang-github-tidwall-pretty-dev tzdata)

log() { echo "[oracle] $*" >&2; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
version_of() { dpkg-query -W -f='${Version}' "$1"; }

missing=()
for package in "${PACKAGES[@]}"; do installed "$package" || missing+=("$package"); done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

# GOPATH mode against Debian's Go sources; nothing may reach the network
export GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= GONOSUMDB='*'
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE="${GOCACHE:-${TMPDIR:-/tmp}/crmtpl-oracle-gocache}"

mkdir -p "$(dirname "$OUTPUT")"
log "go build -> $OUTPUT"
go build -trimpath -o "$OUTPUT" -ldflags "\
-X main.gjsonVersion=$(version_of golang-github-tidwall-gjson-dev) \
-X main.matchVersion=$(version_of golang-github-tidwall-match-dev) \
-X main.prettyVersion=$(version_of golang-github-tidwall-pretty-dev)" \
  "$HERE/main.go"
echo '{"kind":"version"}' | TZ=UTC "$OUTPUT"
