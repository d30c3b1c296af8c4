#!/usr/bin/env bash
# BottleCRM for the end-to-end tests: PyPI django-crm 1.35.0 (a real CRM with a Django REST
# API) served by gunicorn on http://127.0.0.1:${CRM_PORT:-8311}, with a private PostgreSQL 15
# cluster on 127.0.0.1:${PG_PORT:-55432}.
#
# django-crm needs Python >= 3.12 and this machine (Debian 12) has 3.11, so the server runs
# in a minimal Debian trixie chroot (Python 3.13) built with debootstrap from the mirror the
# host's apt uses. PostgreSQL is required (row-level security isolates the tenants); it runs
# from the host's packages as user postgres. Celery uses memory://: background tasks never
# run, the REST API works.
#
# Writes, beside this script:
#   trixie-root/              the chroot (proc and dev are bind mounts while it runs:
#                             run stop.sh before deleting it)
#   pgdata/                   the PostgreSQL cluster
#   state/credentials.env     BOTTLECRM_URL, BOTTLECRM_PAT (Bearer personal access token),
#                             BOTTLECRM_ORG_API_KEY ("Token:" header, read-only),
#                             BOTTLECRM_ORG_ID, BOTTLECRM_ADMIN_EMAIL, BOTTLECRM_JWT,
#                             BOTTLECRM_JWT_REFRESH
#   state/*.log, state/gunicorn.pid
# Idempotent: what exists or runs already is kept. Needs root. Stop: stop.sh
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOTFS="$HERE/trixie-root"
STATE="$HERE/state"
PGDATA="$HERE/pgdata"
CRM_PORT="${CRM_PORT:-8311}"
PG_PORT="${PG_PORT:-55432}"
PGBIN=/usr/lib/postgresql/15/bin
BASE_URL="http://127.0.0.1:$CRM_PORT"
mkdir -p "$STATE"

log() { echo "[bottlecrm] $*" >&2; }
healthy() { curl -fs -o /dev/null --max-time 5 "$BASE_URL/healthz/"; }
as_postgres() { su postgres -s /bin/sh -c "$1"; }
sql() { as_postgres "psql -h 127.0.0.1 -p $PG_PORT -U postgres -v ON_ERROR_STOP=1 -qAt -c \"$1\""; }

# shellcheck source=tests/servers/bottlecrm/django-env.sh
. "$HERE/django-env.sh"

install_host_packages() {
  if command -v debootstrap >/dev/null && [ -x "$PGBIN/postgres" ]; then return; fi
  log "apt-get install debootstrap postgresql"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
    debootstrap postgresql >"$STATE/apt.log" 2>&1
}

host_mirror() { # the Debian mirror the host's apt uses
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || { log "no Debian mirror found in /etc/apt"; return 1; }
  echo "$mirror"
}

build_chroot() {
  if [ ! -x "$ROOTFS/usr/bin/python3.13" ]; then
    log "debootstrap trixie into $ROOTFS (log: $STATE/debootstrap.log)"
    debootstrap --variant=minbase \
      --include=python3,python3-venv,ca-certificates,libpango-1.0-0,libpangoft2-1.0-0,libharfbuzz-subset0,fonts-dejavu-core \
      trixie "$ROOTFS" "$(host_mirror)" >"$STATE/debootstrap.log" 2>&1
  fi
  mountpoint -q "$ROOTFS/proc" || mount -t proc proc "$ROOTFS/proc"
  mountpoint -q "$ROOTFS/dev" || mount --bind /dev "$ROOTFS/dev"
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  # the host's extra CA certificates (a proxy on the way to PyPI may re-sign TLS)
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
    chroot "$ROOTFS" update-ca-certificates >/dev/null 2>&1
  fi
}

install_django_crm() {
  [ -x "$ROOTFS/opt/venv/bin/gunicorn" ] && return
  log "pip install django-crm==1.35.0 in the chroot (log: $STATE/pip.log)"
  chroot "$ROOTFS" python3 -m venv /opt/venv
  chroot "$ROOTFS" env -u PIP_CERT -u PIP_FIND_LINKS /opt/venv/bin/pip install -q \
    'django-crm==1.35.0' >"$STATE/pip.log" 2>&1
}

start_postgres() {
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "initdb $PGDATA"
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    as_postgres "$PGBIN/initdb -D '$PGDATA' -U postgres -A trust >/dev/null"
  fi
  if ! as_postgres "$PGBIN/pg_ctl -D '$PGDATA' status" >/dev/null 2>&1; then
    log "start PostgreSQL on 127.0.0.1:$PG_PORT"
    as_postgres "$PGBIN/pg_ctl -D '$PGDATA' -l '$PGDATA/server.log' -w \
      -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PGDATA'\" start" >/dev/null
  fi
  if [ "$(sql "select 1 from pg_roles where rolname = 'crm'")" != 1 ]; then
    # the owner is no superuser, so row-level security is really enforced
    sql "create role crm login password 'crm' nosuperuser createdb"
    sql "create database bottlecrm owner crm"
  fi
}

write_credentials() {
  [ -s "$STATE/credentials.env" ] && return
  log "create the org, its admin and agent, and their tokens"
  cp "$HERE/bootstrap.py" "$ROOTFS/tmp/crmtpl_bootstrap.py"
  chroot "$ROOTFS" env "${DJANGO_ENV[@]}" /opt/venv/bin/python /tmp/crmtpl_bootstrap.py \
    >"$STATE/credentials.env.tmp" 2>"$STATE/bootstrap.log"
  echo "BOTTLECRM_URL=$BASE_URL" >>"$STATE/credentials.env.tmp"
  mv "$STATE/credentials.env.tmp" "$STATE/credentials.env"
  # a first JWT pair; refresh tokens are single-use, so tests mint their own with mint-jwt.sh
  "$HERE/mint-jwt.sh" >>"$STATE/credentials.env" 2>"$STATE/mint-jwt.log" ||
    log "warning: no JWT minted (see $STATE/mint-jwt.log)"
}

start_gunicorn() {
  if healthy; then
    log "already answering on $BASE_URL"
    return
  fi
  log "start gunicorn on 127.0.0.1:$CRM_PORT (log: $STATE/gunicorn.log)"
  nohup chroot "$ROOTFS" env "${DJANGO_ENV[@]}" /opt/venv/bin/gunicorn crm.wsgi:application \
    --bind "127.0.0.1:$CRM_PORT" --workers 2 --timeout 60 >"$STATE/gunicorn.log" 2>&1 &
  echo $! >"$STATE/gunicorn.pid"
  local _
  for _ in $(seq 1 60); do
    healthy && return
    sleep 1
  done
}

install_host_packages
build_chroot
install_django_crm
start_postgres
log "django migrate (log: $STATE/migrate.log)"
chroot "$ROOTFS" env "${DJANGO_ENV[@]}" /opt/venv/bin/django-admin migrate --noinput >"$STATE/migrate.log" 2>&1
write_credentials
start_gunicorn
healthy || { log "not healthy at $BASE_URL/healthz/ (see $STATE/gunicorn.log)"; exit 1; }
log "healthy: $BASE_URL (credentials in $STATE/credentials.env)"
