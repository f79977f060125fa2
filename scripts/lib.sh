# Shared by serve.sh and test.sh: installs and starts what BugHunt needs on a Debian 12 machine.
# Everything here is idempotent: what is already installed or running is left as it is.
# shellcheck shell=bash

BUGHUNT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUGHUNT_HOME=${BUGHUNT_HOME:-$BUGHUNT_ROOT/.bughunt}
BUGHUNT_PG_PORT=${BUGHUNT_PG_PORT:-55432}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

log() { echo "[bughunt] $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root for: $*"; return 1; fi
}

apt_updated=false
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ "$apt_updated" = false ]; then as_root apt-get update -qq >&2; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

# A private PostgreSQL: own data folder, loopback only, password auth, started when not running.
# Sets BUGHUNT_PG_URL to a connection string for the given database (created if missing).
ensure_postgres() {
  local database=$1
  ensure_debian_packages postgresql-15
  local data="$BUGHUNT_HOME/pg" pwfile="$BUGHUNT_HOME/pg-password"
  mkdir -p "$BUGHUNT_HOME"
  if [ ! -s "$pwfile" ]; then
    head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$pwfile"
    chmod 600 "$pwfile"
  fi
  local password; password=$(cat "$pwfile")
  local run=()
  if [ "$(id -u)" -eq 0 ]; then run=(runuser -u postgres --); fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising a private PostgreSQL in $data"
    mkdir -p "$data"
    local tmp; tmp=$(mktemp); echo "$password" > "$tmp"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data" "$tmp"; chmod 711 "$BUGHUNT_HOME"; fi
    "${run[@]}" "$PG_BIN/initdb" -D "$data" -U bughunt --pwfile="$tmp" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$tmp"
  fi
  if ! "${run[@]}" "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    if (exec 3<>"/dev/tcp/127.0.0.1/$BUGHUNT_PG_PORT") 2>/dev/null; then
      log "port $BUGHUNT_PG_PORT is taken by another server; set BUGHUNT_PG_PORT to a free port or BUGHUNT_DATABASE to your own PostgreSQL"
      return 1
    fi
    log "starting PostgreSQL on 127.0.0.1:$BUGHUNT_PG_PORT"
    "${run[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $BUGHUNT_PG_PORT -c unix_socket_directories='$data' -c max_connections=200 -c fsync=on" \
      start >/dev/null
  fi
  local base="Host=127.0.0.1;Port=$BUGHUNT_PG_PORT;Username=bughunt;Password=$password"
  if ! PGPASSWORD=$password psql -h 127.0.0.1 -p "$BUGHUNT_PG_PORT" -U bughunt -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    PGPASSWORD=$password psql -h 127.0.0.1 -p "$BUGHUNT_PG_PORT" -U bughunt -d postgres -qc "CREATE DATABASE \"$database\"" >/dev/null
  fi
  BUGHUNT_PG_URL="$base;Database=$database"
}

# The Docker engine: installed from Debian's docker.io and started without networking for
# containers (sandboxes run with network mode none) when no engine answers.
ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  ensure_debian_packages docker.io
  if ! docker info >/dev/null 2>&1; then
    log "starting dockerd (log: $BUGHUNT_HOME/dockerd.log)"
    mkdir -p "$BUGHUNT_HOME"
    as_root sh -c "nohup dockerd --bridge=none --iptables=false --ip-masq=false > '$BUGHUNT_HOME/dockerd.log' 2>&1 &"
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { log "dockerd did not start; see $BUGHUNT_HOME/dockerd.log"; return 1; }
  fi
}

ensure_sandbox_image() {
  BUGHUNT_SANDBOX_IMAGE=$("$BUGHUNT_ROOT/sandbox/build-image.sh" | tail -n 1)
  export BUGHUNT_SANDBOX_IMAGE
}

# npm packages of a folder, installed from its package-lock.json, again only when the lock changes.
ensure_npm_packages() {
  local dir="$1" what="$2" stamp="$1/node_modules/.bughunt-lock"
  command -v npm >/dev/null || ensure_debian_packages nodejs npm
  if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    log "installing $what"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
    cp "$dir/package-lock.json" "$stamp"
  fi
}

# The browser pages: their npm packages, then bundled by esbuild into src/BugHunt.Api/wwwroot,
# which the API build copies.
ensure_web() {
  ensure_npm_packages "$BUGHUNT_ROOT/web" "the web pages' npm packages"
  (cd "$BUGHUNT_ROOT/web" && node build.mjs >&2)
}

# The OpenAPI linters the tests run over the API's document (tools/openapi-lint).
ensure_openapi_lint() {
  ensure_npm_packages "$BUGHUNT_ROOT/tools/openapi-lint" "the OpenAPI linters"
}

# Debian's Chromium for the browser tests (driven headless by Playwright over DevTools).
ensure_chromium() {
  ensure_debian_packages chromium
}
