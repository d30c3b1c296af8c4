#!/usr/bin/env bash
# Request Tracker 5 for the end-to-end tests: Debian bookworm's request-tracker5 (5.0.3) with
# its SQLite database, served by the Starlet standalone server with the REST2 API at
# http://127.0.0.1:${RT_PORT:-8313}/REST/2.0 (no /rt prefix).
#
# Writes:
#   /etc/request-tracker5/RT_SiteConfig.d/90-crmtpl-e2e.pm   loopback URL and port
#   state/credentials.env   RT_URL, RT_TOKEN ("Authorization: token ..."), RT_USER and
#                           RT_PASSWORD (root, basic auth), RT_AGENT_USER, RT_AGENT_PASSWORD
#   state/setup.err, state/rt-server.log, state/rt-server.pid (beside this script)
# Idempotent: installs the packages only when missing, runs setup.pl only while
# state/credentials.env is missing, starts the server only when the port does not answer.
# Needs root. Stop: stop.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
STATE="$HERE/state"
RT_PORT="${RT_PORT:-8313}"
BASE_URL="http://127.0.0.1:$RT_PORT"
ROOT_PASSWORD=PeerRoot-123
AGENT_PASSWORD=PeerAgent-123
PACKAGES=(request-tracker5 rt5-db-sqlite rt5-standalone)
mkdir -p "$STATE"

log() { echo "[rt5] $*" >&2; }
healthy() { curl -fs -o /dev/null --max-time 5 -u "root:$ROOT_PASSWORD" "$BASE_URL/REST/2.0/queues/all"; }

install_packages() {
  dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1 && return
  log "apt-get install ${PACKAGES[*]} (about 265 packages; log: $STATE/apt.log)"
  # keep package scripts from starting daemons (exim4 comes along as the MTA)
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  # dbconfig-common creates and initialises the SQLite database
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    --no-install-recommends "${PACKAGES[@]}" >"$STATE/apt.log" 2>&1
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}

configure() {
  cat >/etc/request-tracker5/RT_SiteConfig.d/90-crmtpl-e2e.pm <<CFG
# written by crmtpl's tests/servers/rt5/start.sh: RT on loopback, no /rt prefix
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $RT_PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, '$BASE_URL');
Set(\$CanonicalizeRedirectURLs, 0);
Set(\$LogToSTDERR, 'warning');
Set(\$LogToSyslog, undef);
CFG
}

write_credentials() {
  [ -s "$STATE/credentials.env" ] && return
  log "set root's password, create the agent and root's auth token (setup.pl)"
  local token
  token=$(ROOT_PASSWORD=$ROOT_PASSWORD AGENT_PASSWORD=$AGENT_PASSWORD \
    perl "$HERE/setup.pl" 2>"$STATE/setup.err" | sed -n 's/^RT_TOKEN=//p')
  [ -n "$token" ] || { log "setup.pl printed no token (see $STATE/setup.err)"; exit 1; }
  {
    echo "RT_URL=$BASE_URL/REST/2.0"
    echo "RT_TOKEN=$token"
    echo "RT_USER=root"
    echo "RT_PASSWORD=$ROOT_PASSWORD"
    echo "RT_AGENT_USER=agent"
    echo "RT_AGENT_PASSWORD=$AGENT_PASSWORD"
  } >"$STATE/credentials.env"
}

start_server() {
  if healthy; then
    log "already answering on $BASE_URL"
    return
  fi
  log "start rt-server (Starlet) on 127.0.0.1:$RT_PORT (log: $STATE/rt-server.log)"
  nohup /usr/share/request-tracker5/libexec/rt-server --server Starlet \
    --host 127.0.0.1 --port "$RT_PORT" --max-workers 2 >"$STATE/rt-server.log" 2>&1 &
  echo $! >"$STATE/rt-server.pid"
  local _
  for _ in $(seq 1 180); do
    healthy && return
    sleep 1
  done
}

install_packages
configure
write_credentials
start_server
healthy || { log "not healthy at $BASE_URL/REST/2.0 (see $STATE/rt-server.log)"; exit 1; }
log "healthy: $BASE_URL/REST/2.0 (credentials in $STATE/credentials.env)"
