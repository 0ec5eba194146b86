#!/usr/bin/env bash
# Makes sure the services the tests use are installed and answering:
# PostgreSQL (127.0.0.1:5432), Redis (127.0.0.1:6379), PgBouncer (127.0.0.1:6432, transaction mode)
# and Debian's Chromium for the browser tests. Safe to run repeatedly. Needs root (apt-get).
set -euo pipefail

log() { printf '[services] %s\n' "$*"; }

need_pkgs=()
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || need_pkgs+=(pgbouncer)
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
command -v pg_isready >/dev/null 2>&1 || need_pkgs+=(postgresql-client)
command -v redis-cli >/dev/null 2>&1 || need_pkgs+=(redis-tools)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

wait_for() { # name, command...
  local name=$1; shift
  for _ in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then log "$name is up"; return 0; fi
    sleep 1
  done
  log "$name did not come up"; return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  log 'starting PostgreSQL'
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  log 'starting Redis'
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi
wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping

# PgBouncer in transaction mode in front of the local Postgres, any database name, trust auth like the server.
PGB_DIR=${PGB_DIR:-/tmp/agi-tracker-pgbouncer}
if ! pg_isready -h 127.0.0.1 -p 6432 -q 2>/dev/null; then
  log 'starting PgBouncer on 6432 (transaction mode)'
  mkdir -p "$PGB_DIR"
  printf '"postgres" ""\n' > "$PGB_DIR/userlist.txt"
  cat > "$PGB_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
unix_socket_dir =
auth_type = trust
auth_file = $PGB_DIR/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options,application_name
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
admin_users = postgres
INI
  chmod -R a+rwX "$PGB_DIR"
  PGB_BIN=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    su postgres -s /bin/sh -c "$PGB_BIN -d $PGB_DIR/pgbouncer.ini"
  else
    "$PGB_BIN" -d "$PGB_DIR/pgbouncer.ini"
  fi
fi
wait_for PgBouncer pg_isready -h 127.0.0.1 -p 6432
