#!/usr/bin/env bash
# e2e: the running gateway's /openapi.json passes `redocly lint` with the
# recommended rules (tools/npm/redocly.yaml) with no error and no warning.
# Usage: openapi_lint_test.sh SOURCE_DIR; needs SPORTELLO_TEST_GATEWAY_URL
# (./sportello test sets it) and tools/npm installed (./sportello does it).
set -euo pipefail
root="$1"
url="${SPORTELLO_TEST_GATEWAY_URL:-}"
[[ -n "$url" ]] || { echo "SPORTELLO_TEST_GATEWAY_URL is not set: run the tests with ./sportello test" >&2; exit 1; }
redocly="$root/tools/npm/node_modules/.bin/redocly"
[[ -x "$redocly" ]] || { echo "$redocly is missing: ./sportello test installs it (npm ci in tools/npm)" >&2; exit 1; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
curl -fsS --max-time 10 "$url/openapi.json" -o "$dir/openapi.json"
# No telemetry and no update check: the linter talks to nobody.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
"$redocly" lint --config "$root/tools/npm/redocly.yaml" --format=json --max-problems=1000 "$dir/openapi.json" \
  >"$dir/report.json" 2>"$dir/stderr.txt" || true
node -e '
  const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const t = report.totals;
  for (const p of report.problems) {
    console.log(`${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map(l => l.pointer).join(", ")}`);
  }
  console.log(`redocly ${report.version} lint of /openapi.json: ${t.errors} errors, ${t.warnings} warnings`);
  process.exit(t.errors + t.warnings === 0 ? 0 : 1);
' "$dir/report.json" || { cat "$dir/stderr.txt" >&2; exit 1; }
