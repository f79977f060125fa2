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
mkdir -p "$BUGHUNT_HOME"
results="$BUGHUNT_HOME/test-results"
rm -rf "$results"
status=0
dotnet test BugHunt.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?
# Every pack in challenges/ must prove itself sound through the sandbox (see challenges/README.md).
if [ "$status" -eq 0 ] && [ -z "${BUGHUNT_SKIP_PACK_VALIDATION:-}" ]; then
  for manifest in challenges/*/pack.yaml; do
    dir=$(dirname "$manifest")
    log "validating pack $dir"
    dotnet src/BugHunt.Cli/bin/Release/net10.0/bughunt.dll pack validate "$dir" || status=$?
  done
fi
# One closing line over all test projects, counted from their result files.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
totals = {"passed": 0, "failed": 0, "notExecuted": 0}
for f in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(f).getroot().find(".//{*}Counters")
    for k in totals:
        totals[k] += int(counters.get(k, 0))
print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['notExecuted']} skipped")
PY
exit $status
