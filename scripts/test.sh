#!/usr/bin/env bash
# Runs every test: installs and starts PostgreSQL and the Docker engine when missing, builds the
# sandbox image, then runs the whole solution's tests against them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$BUGHUNT_ROOT"

if [ -z "${BUGHUNT_TEST_DATABASE:-}" ]; then
  ensure_postgres bughunt_test
  export BUGHUNT_TEST_DATABASE=$BUGHUNT_PG_URL
fi
ensure_docker
ensure_sandbox_image
dotnet build BugHunt.sln -c Release -nologo -v quiet >&2
dotnet test BugHunt.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
