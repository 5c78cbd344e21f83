#!/usr/bin/env bash
# Lints the committed contract with Redocly CLI (recommended rules) and Spectral (spectral:oas); any error
# or warning fails. Called by the root pom in the verify phase; needs Node.js and npm (on the build
# machine; .ci/run installs them if missing). Without npm it skips with a warning, unless CI is set.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
contract="$here/../traceability-api.yaml"
if ! command -v npm >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "contract lint: npm not found (CI is set, so this fails)" >&2
    exit 1
  fi
  echo "contract lint: SKIPPED, npm not found (install Node.js to lint openapi/traceability-api.yaml)" >&2
  exit 0
fi
cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
export NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
# Redocly exits non-zero on errors only: read its totals so that a warning fails too.
npx --no-install redocly lint --config redocly.yaml --format=json "$contract" > "$here/redocly-report.json" 2>/dev/null || true
node -e '
  const totals = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).totals;
  if (totals.errors || totals.warnings) { console.error("Redocly:", JSON.stringify(totals)); process.exit(1); }
' "$here/redocly-report.json" || { npx --no-install redocly lint --config redocly.yaml "$contract" >&2 || true; exit 1; }
npx --no-install spectral lint --ruleset .spectral.yaml --fail-severity hint "$contract"
echo "contract lint: 0 errors, 0 warnings (Redocly recommended, Spectral spectral:oas)"
