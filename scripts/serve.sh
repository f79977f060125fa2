#!/usr/bin/env bash
# Serves BugHunt on this machine: installs and starts what is missing (PostgreSQL, Docker engine),
# builds the sandbox image, the browser pages (npm) and the solution, migrates, imports the packs in challenges/, and prints
# the URL and a demo invite. Set BUGHUNT_DATABASE to use your own PostgreSQL instead of the private one.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$BUGHUNT_ROOT"

if [ -z "${BUGHUNT_DATABASE:-}" ]; then
  ensure_postgres bughunt
  export BUGHUNT_DATABASE=$BUGHUNT_PG_URL
fi
if [ -z "${BUGHUNT_ADMIN_KEY:-}" ]; then
  # One admin key per installation, kept across restarts.
  keyfile="$BUGHUNT_HOME/admin-key"
  mkdir -p "$BUGHUNT_HOME"
  [ -s "$keyfile" ] || { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$keyfile"; chmod 600 "$keyfile"; }
  BUGHUNT_ADMIN_KEY=$(cat "$keyfile")
  export BUGHUNT_ADMIN_KEY
fi
ensure_docker
ensure_sandbox_image
ensure_web
log "building BugHunt"
dotnet build BugHunt.sln -c Release -nologo -v quiet >&2
exec dotnet src/BugHunt.Cli/bin/Release/net10.0/bughunt.dll serve "$@"
