#!/usr/bin/env bash
# Runs every test: installs and starts PostgreSQL and the Docker engine when missing, builds the
# sandbox image, builds and lints the browser pages, installs Chromium for the browser tests and the
# OpenAPI linters, then runs the test projects against them, one at a time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$BUGHUNT_ROOT"

if [ -z "${BUGHUNT_TEST_DATABASE:-}" ]; then
  ensure_postgres bughunt_test
  export BUGHUNT_TEST_DATABASE=$BUGHUNT_PG_URL
fi
ensure_docker
ensure_sandbox_image
ensure_web
# The pages' lint rules (web/biome.jsonc): an error there fails the run before any test starts.
(cd web && npm run --silent lint >&2)
ensure_chromium
ensure_openapi_lint
dotnet build BugHunt.sln -c Release -nologo -v quiet >&2
mkdir -p "$BUGHUNT_HOME"
results="$BUGHUNT_HOME/test-results"
rm -rf "$results"
status=0
packs_passed=0
packs_failed=0
run_tests() {
  dotnet test "$@" -c Release --no-build --logger "console;verbosity=normal" --logger trx --results-directory "$results" "${args[@]}" || status=$?
}
args=("$@")
# One test project at a time: the grader tests measure sandbox time limits, and on a small machine
# the sandboxes of a neighbouring project (or its Chromium) would eat into them.
for project in tests/*/*.Tests.csproj; do
  run_tests "$project"
done
# Every pack in challenges/ must prove itself sound through the sandbox (see challenges/README.md).
if [ "$status" -eq 0 ] && [ -z "${BUGHUNT_SKIP_PACK_VALIDATION:-}" ]; then
  for manifest in challenges/*/pack.yaml; do
    dir=$(dirname "$manifest")
    log "validating pack $dir"
    if dotnet src/BugHunt.Cli/bin/Release/net10.0/bughunt.dll pack validate "$dir"; then
      packs_passed=$((packs_passed + 1))
    else
      status=1
      packs_failed=$((packs_failed + 1))
    fi
  done
fi
# One closing line over all test projects (from their result files) and the pack validations.
python3 - "$results" "$packs_passed" "$packs_failed" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
totals = {"passed": 0, "failed": 0, "notExecuted": 0}
for f in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(f).getroot().find(".//{*}Counters")
    for k in totals:
        totals[k] += int(counters.get(k, 0))
totals["passed"] += int(sys.argv[2])
totals["failed"] += int(sys.argv[3])
print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['notExecuted']} skipped")
# The failures again, last, so that the tail of a long log names them.
for f in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for r in ET.parse(f).getroot().iter("{*}UnitTestResult"):
        if r.get("outcome") != "Failed":
            continue
        message = r.find(".//{*}ErrorInfo/{*}Message")
        first = (message.text or "").strip().splitlines()[:3] if message is not None else []
        print(f"FAILED {r.get('testName')} ({r.get('duration')})")
        for line in first:
            print(f"    {line[:300]}")
PY
exit $status
