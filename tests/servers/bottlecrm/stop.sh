#!/usr/bin/env bash
# Stop what start.sh started: gunicorn (by state/gunicorn.pid), the private PostgreSQL
# cluster in pgdata/, and the chroot's bind mounts. Safe to repeat.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOTFS="$HERE/trixie-root"
PID_FILE="$HERE/state/gunicorn.pid"
log() { echo "[bottlecrm] $*" >&2; }

if [ -s "$PID_FILE" ]; then
  pid=$(cat "$PID_FILE")
  if kill "$pid" 2>/dev/null; then
    log "stopping gunicorn (pid $pid)"
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
  fi
  rm -f "$PID_FILE"
fi
if [ -f "$HERE/pgdata/postmaster.pid" ]; then
  log "stopping PostgreSQL"
  su postgres -s /bin/sh -c "/usr/lib/postgresql/15/bin/pg_ctl -D '$HERE/pgdata' -m fast stop" >/dev/null || true
fi
for mount in sys dev proc; do
  if mountpoint -q "$ROOTFS/$mount" 2>/dev/null; then umount "$ROOTFS/$mount" || umount -l "$ROOTFS/$mount"; fi
done
