#!/usr/bin/env bash
# The real servers crmtpl's end-to-end tests talk to, and the Go reference oracle.
#
#   .ci/services.sh start WORK    copy the repository's tests/servers/* into WORK/servers
#                                 (the servers write their state beside their scripts),
#                                 start them all, build WORK/oracle/oracle from
#                                 tests/oracle, write WORK/services.env
#   .ci/services.sh stop WORK     stop every server started from WORK (safe to repeat)
#   .ci/services.sh status WORK   say which ports answer
#
# Servers (127.0.0.1 only): BottleCRM 8311 (+PostgreSQL 55432), Request Tracker 5 8313,
# Prism mocks of HubSpot 8314 / Zoho 8315 / Pipedrive 8316, oidc-provider 8317 and a
# second oidc-provider with 5-second access tokens on 8318. See docs/ci.md.
#
# `start` is idempotent: what is installed or running already is kept, and the scripts in
# WORK/servers are refreshed from the repository. A server that does not come up makes
# `start` fail with the tail of its logs. If the services already run from another WORK
# folder and all answer, `start` reuses them (its env file points at them) and `stop` on
# this WORK leaves them alone.
# A developer: .ci/services.sh start /tmp/crmtpl-services &&
#              set -a && . /tmp/crmtpl-services/services.env && set +a
set -euo pipefail

CI_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$CI_DIR")"
SERVERS_SRC="$ROOT/tests/servers"
ORACLE_BUILD="$ROOT/tests/oracle/build.sh"
REGISTRY="${CRMTPL_SERVICES_REGISTRY:-/tmp/crmtpl-services.active}"

BOTTLECRM_PORT=8311
POSTGRES_PORT=55432
RT_PORT=8313
HUBSPOT_PORT=8314
ZOHO_PORT=8315
PIPEDRIVE_PORT=8316
OIDC_PORT=8317
OIDC_SHORT_PORT=8318
OIDC_SHORT_TTL=5
OIDC_CLIENT_ID=crmtpl
OIDC_CLIENT_SECRET=crmtpl-secret
OIDC_REDIRECT_URI=http://127.0.0.1:9999/callback
GALLERY_MOCKS="$SERVERS_SRC/prism/gallery.tsv" # the gallery's Prism mocks: NAME PORT SPEC...

# Debian packages, installed before the servers start so that no two apt-get run at once.
# Phase A: what BottleCRM's start.sh needs (with recommends, as that script installs them).
APT_PHASE_A=(debootstrap postgresql)
# Phase B: Request Tracker (no recommends, as rt5/start.sh), the oracle's Go toolchain and
# neovim (tests/acceptance/test_neovim.py drives its LSP client);
# installed while BottleCRM builds its chroot (debootstrap uses its own dpkg database).
APT_PHASE_B=(request-tracker5 rt5-db-sqlite rt5-standalone golang-go
  golang-github-tidwall-gjson-dev golang-github-tidwall-match-dev
  golang-github-tidwall-pretty-dev tzdata neovim)

T0=$SECONDS
log() { printf '[services %4ds] %s\n' "$((SECONDS - T0))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() { echo "usage: $0 start|stop|status WORK" >&2; exit 2; }

# --- helpers -------------------------------------------------------------------------

answers() { # URL: true when an HTTP server answers at all (any status)
  curl -s -o /dev/null --max-time 5 "$1"
}

gallery_mocks() { # NAME PORT lines of the gallery's Prism mocks
  grep -vE '^[[:space:]]*(#|$)' "$GALLERY_MOCKS" | awk '{print $1, $2}' || true
}

service_urls() { # name URL lines: one probe per service
  echo "bottlecrm http://127.0.0.1:$BOTTLECRM_PORT/healthz/"
  echo "rt5 http://127.0.0.1:$RT_PORT/REST/2.0/"
  echo "hubspot http://127.0.0.1:$HUBSPOT_PORT/"
  echo "zoho http://127.0.0.1:$ZOHO_PORT/"
  echo "pipedrive http://127.0.0.1:$PIPEDRIVE_PORT/"
  echo "oidc http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration"
  echo "oidc_short http://127.0.0.1:$OIDC_SHORT_PORT/.well-known/openid-configuration"
  local name port
  while read -r name port; do echo "gallery-$name http://127.0.0.1:$port/"; done < <(gallery_mocks)
}

count_answering() {
  local n=0 name url
  while read -r name url; do answers "$url" && n=$((n + 1)); done < <(service_urls)
  echo "$n"
}

missing_debs() { # packages of "$@" that are not installed
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

apt_install() { # [--no-install-recommends] packages...: wait for the dpkg lock, never ask
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "$@"
}

tail_logs() { # folder...: the tail of each server log written since this start
  local f
  while IFS= read -r -d '' f; do
    echo "----- tail $f" >&2
    tail -n 15 "$f" >&2 || true
  done < <(find "$@" -maxdepth 3 \( -name trixie-root -o -name node_modules \) -prune -o -name '*.log' \
    -newer "$WORK/.start-stamp" -print0 2>/dev/null)
}

server_folders() { # job or service name: the server folders whose logs tell about it
  case $1 in
    bottlecrm) echo "$WORK/servers/bottlecrm" ;;
    rt5 | rt5+oracle) echo "$WORK/servers/rt5" ;;
    prism | hubspot | zoho | pipedrive | gallery-*) echo "$WORK/servers/prism" ;;
    oidc | oidc_short) echo "$WORK/servers/oidc" ;;
  esac
}

SERVICE_PORTS=("$BOTTLECRM_PORT" "$POSTGRES_PORT" "$RT_PORT" "$HUBSPOT_PORT" "$ZOHO_PORT"
  "$PIPEDRIVE_PORT" "$OIDC_PORT" "$OIDC_SHORT_PORT")
mapfile -t -O "${#SERVICE_PORTS[@]}" SERVICE_PORTS < <(gallery_mocks | awk '{print $2}')

foreign_listeners() { # DIR: "port pid cwd" for each service port served from outside DIR
  command -v ss >/dev/null || return 0
  local port pid cwd
  for port in "${SERVICE_PORTS[@]}"; do
    pid=$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
    [ -n "$pid" ] || continue
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || echo '?')
    case "$cwd/" in "$1"/*) ;; *) echo "port $port: pid $pid (cwd $cwd)" ;; esac
  done
}

unmount_chroot() { # WORK: BottleCRM's bind mounts (never delete a chroot with them)
  local root="$1/servers/bottlecrm/trixie-root" m
  for m in sys dev proc; do
    if mountpoint -q "$root/$m" 2>/dev/null; then umount "$root/$m" || umount -l "$root/$m"; fi
  done
}

# --- jobs run in parallel (each in its own subshell, with set -e, output to a log) -------

declare -A JOB_NAME=() JOB_START=()
start_job() { # name function args...
  local name=$1
  shift
  ("$@") >"$WORK/logs/$name.log" 2>&1 &
  JOB_NAME[$!]=$name
  JOB_START[$name]=$SECONDS
  log "$name: started (log $WORK/logs/$name.log)"
}

wait_jobs() { # wait for every job; report each as it ends; fail if one failed
  local pid rc name failed=()
  while ((${#JOB_NAME[@]})); do
    pid=""
    if wait -n -p pid; then rc=0; else rc=$?; fi
    [ -n "$pid" ] || break
    name=${JOB_NAME[$pid]:-}
    [ -n "$name" ] || continue # not one of ours
    unset "JOB_NAME[$pid]"
    if [ "$rc" = 0 ]; then
      log "$name: ready in $((SECONDS - JOB_START[$name]))s"
    else
      log "$name: FAILED (exit $rc) after $((SECONDS - JOB_START[$name]))s; log tail:"
      tail -n 30 "$WORK/logs/$name.log" >&2 || true
      failed+=("$name")
    fi
  done
  if ((${#failed[@]})); then
    local folders=()
    for name in "${failed[@]}"; do mapfile -t -O "${#folders[@]}" folders < <(server_folders "$name"); done
    tail_logs "${folders[@]}"
    die "could not start: ${failed[*]} (full logs in $WORK/logs and $WORK/servers/*/state)"
  fi
}

job_bottlecrm() {
  cd "$WORK/servers/bottlecrm"
  CRM_PORT=$BOTTLECRM_PORT PG_PORT=$POSTGRES_PORT ./start.sh
}

job_rt5_and_oracle() {
  local missing created_policy=0
  mapfile -t missing < <(missing_debs "${APT_PHASE_B[@]}")
  if ((${#missing[@]})); then
    echo "apt-get install --no-install-recommends ${missing[*]}"
    # keep package scripts from starting daemons (exim4 comes with RT)
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      created_policy=1
    fi
    apt_install --no-install-recommends "${missing[@]}"
    if [ "$created_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  fi
  echo "build the Go oracle into $WORK/oracle"
  "$ORACLE_BUILD" "$WORK/oracle/oracle"
  echo "start Request Tracker"
  cd "$WORK/servers/rt5" # its server keeps this working directory: that tells whose it is
  RT_PORT=$RT_PORT ./start.sh
}

job_prism() {
  HUBSPOT_PORT=$HUBSPOT_PORT ZOHO_PORT=$ZOHO_PORT PIPEDRIVE_PORT=$PIPEDRIVE_PORT \
    "$WORK/servers/prism/start.sh" hubspot zoho pipedrive gallery
}

job_oidc() { # two instances from one folder (one npm install): 1-hour and short-lived tokens
  local client=(OIDC_CLIENT_ID="$OIDC_CLIENT_ID" OIDC_CLIENT_SECRET="$OIDC_CLIENT_SECRET"
    OIDC_REDIRECT_URIS="$OIDC_REDIRECT_URI")
  env -u OIDC_ACCESS_TTL "${client[@]}" OIDC_PORT=$OIDC_PORT "$WORK/servers/oidc/start.sh" main
  env "${client[@]}" OIDC_PORT=$OIDC_SHORT_PORT OIDC_ACCESS_TTL=$OIDC_SHORT_TTL \
    "$WORK/servers/oidc/start.sh" short
}

# --- start ---------------------------------------------------------------------------

SERVERS=(bottlecrm rt5 prism oidc)

copy_servers() { # the repository's scripts and data into WORK/servers; state there is kept
  mkdir -p "$WORK/servers" "$WORK/logs" "$WORK/oracle"
  local name src
  for name in "${SERVERS[@]}"; do
    src="$SERVERS_SRC/$name"
    [ -x "$src/start.sh" ] || die "missing $src/start.sh"
    mkdir -p "$WORK/servers/$name"
    # never what a server wrote, should someone have run it inside the repository
    tar -C "$src" --exclude=./state --exclude=./trixie-root --exclude=./pgdata \
      --exclude=./node_modules --exclude=./package-lock.json -cf - . |
      tar -C "$WORK/servers/$name" -xf -
  done
}

install_host_packages() { # phase A now; apt-get update once for both phases
  local missing_a missing_b
  mapfile -t missing_a < <(missing_debs "${APT_PHASE_A[@]}")
  mapfile -t missing_b < <(missing_debs "${APT_PHASE_B[@]}")
  if ((${#missing_a[@]} + ${#missing_b[@]})); then
    log "apt-get update (missing: ${missing_a[*]} ${missing_b[*]})"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >"$WORK/logs/apt-update.log" 2>&1 ||
      { tail -n 20 "$WORK/logs/apt-update.log" >&2; die "apt-get update failed"; }
  fi
  if ((${#missing_a[@]})); then
    log "apt-get install ${missing_a[*]}"
    apt_install "${missing_a[@]}" >"$WORK/logs/apt-phase-a.log" 2>&1 ||
      { tail -n 30 "$WORK/logs/apt-phase-a.log" >&2; die "apt-get install ${missing_a[*]} failed"; }
    log "installed ${missing_a[*]}"
  fi
}

let_postgres_in() { # BottleCRM's PostgreSQL runs as user postgres, with its data in WORK
  # mktemp -d makes WORK 0700: open it (and the server folders) for traversal only
  chmod a+x "$WORK" "$WORK/servers" "$WORK/servers/bottlecrm"
  if ! su postgres -s /bin/sh -c "cd '$WORK/servers/bottlecrm'" 2>/dev/null; then
    die "user postgres cannot enter $WORK/servers/bottlecrm: give its parent folders o+x"
  fi
}

env_line_ok() { [[ $1 =~ ^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_./:+@%,=-]*$ ]]; }

write_env() { # WORK/services.env, NAME=value lines (no export), written atomically
  local out="$WORK/services.env" tmp="$WORK/services.env.tmp" line file
  {
    echo "# written by .ci/services.sh start $WORK; load with: set -a && . $out && set +a"
    echo "CRMTPL_SERVERS_DIR=$WORK/servers"
    echo "CRMTPL_ORACLE=$WORK/oracle/oracle"
    for file in "$WORK/servers/bottlecrm/state/credentials.env" "$WORK/servers/rt5/state/credentials.env"; do
      while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] || continue
        env_line_ok "$line" || die "unexpected line in $file: ${line%%=*}=..."
        echo "$line"
      done <"$file"
    done
    echo "HUBSPOT_URL=http://127.0.0.1:$HUBSPOT_PORT"
    echo "ZOHO_URL=http://127.0.0.1:$ZOHO_PORT"
    echo "PIPEDRIVE_URL=http://127.0.0.1:$PIPEDRIVE_PORT"
    echo "OIDC_URL=http://127.0.0.1:$OIDC_PORT"
    echo "OIDC_SHORT_TTL_URL=http://127.0.0.1:$OIDC_SHORT_PORT"
    echo "OIDC_SHORT_TTL_SECONDS=$OIDC_SHORT_TTL"
    echo "OIDC_CLIENT_ID=$OIDC_CLIENT_ID"
    echo "OIDC_CLIENT_SECRET=$OIDC_CLIENT_SECRET"
    echo "OIDC_REDIRECT_URI=$OIDC_REDIRECT_URI"
    local name port
    while read -r name port; do
      name=${name^^}
      echo "GALLERY_${name//-/_}_URL=http://127.0.0.1:$port"
    done < <(gallery_mocks)
  } >"$tmp"
  mv "$tmp" "$out"
}

check_credentials() {
  local file="$WORK/servers/bottlecrm/state/credentials.env" var
  for var in BOTTLECRM_URL BOTTLECRM_PAT BOTTLECRM_ORG_API_KEY BOTTLECRM_ORG_ID; do
    grep -qE "^$var=.+" "$file" 2>/dev/null || die "BottleCRM wrote no $var in $file"
  done
  grep -qE '^BOTTLECRM_JWT=.+' "$file" || log "warning: no BOTTLECRM_JWT (mint one with $WORK/servers/bottlecrm/mint-jwt.sh)"
  file="$WORK/servers/rt5/state/credentials.env"
  if ! grep -qE '^RT_TOKEN=.+' "$file" 2>/dev/null; then
    tail -n 20 "$WORK/servers/rt5/state/setup.err" >&2 || true
    rm -f "$file" # so that the next start runs setup.pl again
    die "Request Tracker wrote no RT_TOKEN (setup.pl failed)"
  fi
}

verify_all_answer() { # every port answers, and from a server started out of WORK
  local name url down=() folders=() foreign
  while read -r name url; do
    answers "$url" && continue
    down+=("$name ($url)")
    mapfile -t -O "${#folders[@]}" folders < <(server_folders "$name")
  done < <(service_urls)
  if ((${#down[@]})); then
    tail_logs "${folders[@]}"
    die "not answering after start: ${down[*]}"
  fi
  foreign=$(foreign_listeners "$WORK")
  if [ -n "$foreign" ]; then
    echo "$foreign" >&2
    die "these ports are served by processes that $WORK did not start (stop them, then start again)"
  fi
}

reuse_running() { # true (and env written) when every service already runs from another WORK
  local owner
  owner=$(cat "$REGISTRY" 2>/dev/null || true)
  [ -n "$owner" ] && [ "$owner" != "$WORK" ] || return 1
  local up
  up=$(count_answering)
  if [ "$up" = "$(service_urls | wc -l)" ] && [ -s "$owner/services.env" ] &&
    [ -z "$(foreign_listeners "$owner")" ]; then
    log "all services already run from $owner: reusing them (stop them with: $0 stop $owner)"
    mkdir -p "$WORK/logs"
    "$ORACLE_BUILD" "$WORK/oracle/oracle" >"$WORK/logs/oracle.log" 2>&1 ||
      { tail -n 30 "$WORK/logs/oracle.log" >&2; die "oracle build failed"; }
    {
      echo "# reuses the services started from $owner (.ci/services.sh stop $owner stops them)"
      grep -v '^CRMTPL_ORACLE=' "$owner/services.env"
    } >"$WORK/services.env.tmp"
    echo "CRMTPL_ORACLE=$WORK/oracle/oracle" >>"$WORK/services.env.tmp"
    mv "$WORK/services.env.tmp" "$WORK/services.env"
    echo "$owner" >"$WORK/reused-from"
    return 0
  fi
  if [ "$up" = 0 ]; then
    log "services recorded for $owner are not running (stale record); starting afresh"
    unmount_chroot "$owner"
  else
    log "services from $owner only partly answer ($up up): stopping them first"
    do_stop "$owner"
  fi
  rm -f "$REGISTRY"
  return 1
}

do_start() {
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  log "start: services for $WORK (scripts: $SERVERS_SRC)"
  if reuse_running; then
    log "start: done in $((SECONDS - T0))s; env: $WORK/services.env"
    return 0
  fi
  rm -f "$WORK/reused-from"
  copy_servers
  touch "$WORK/.start-stamp"
  install_host_packages
  let_postgres_in
  start_job bottlecrm job_bottlecrm
  start_job rt5+oracle job_rt5_and_oracle
  start_job prism job_prism
  start_job oidc job_oidc
  wait_jobs
  verify_all_answer
  check_credentials
  write_env
  echo "$WORK" >"$REGISTRY"
  log "start: all services answer; done in $((SECONDS - T0))s"
  log "env: $WORK/services.env (load with: set -a && . $WORK/services.env && set +a)"
}

# --- stop / status -------------------------------------------------------------------

do_stop() { # WORK
  local work=$1 name
  if [ ! -d "$work" ]; then
    log "stop: $work does not exist; nothing to stop"
    return 0
  fi
  work=$(cd "$work" && pwd)
  if [ -f "$work/reused-from" ]; then
    log "stop: $work reused the services of $(cat "$work/reused-from"); left running"
    return 0
  fi
  for name in oidc prism rt5 bottlecrm; do
    if [ -x "$work/servers/$name/stop.sh" ]; then
      log "stop: $name"
      "$work/servers/$name/stop.sh" || log "stop: $name/stop.sh exited $? (ignored)"
    fi
  done
  unmount_chroot "$work"
  if [ "$(cat "$REGISTRY" 2>/dev/null || true)" = "$work" ]; then rm -f "$REGISTRY"; fi
  local left _
  for _ in $(seq 1 20); do
    left=$(count_answering)
    [ "$left" = 0 ] && break
    sleep 0.5
  done
  if [ "$left" = 0 ]; then
    log "stop: done in $((SECONDS - T0))s"
  else
    log "stop: warning: $left service port(s) still answer (started from elsewhere?)"
  fi
}

do_status() {
  local name url
  while read -r name url; do
    if answers "$url"; then echo "up    $name $url"; else echo "down  $name $url"; fi
  done < <(service_urls)
  echo "recorded owner: $(cat "$REGISTRY" 2>/dev/null || echo none)"
}

[ $# -eq 2 ] || usage
WORK=$2
case $1 in
  start) do_start ;;
  stop) do_stop "$WORK" ;;
  status) do_status ;;
  *) usage ;;
esac
