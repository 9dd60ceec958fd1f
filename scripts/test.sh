#!/usr/bin/env bash
# `npm test`: every check and every test. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s\033[0m\n' "$1"; }

step "format";    npx prettier --check . --log-level warn
step "lint";      npx eslint --max-warnings 0 .
step "typecheck"; npx next typegen >/dev/null && npx tsc --noEmit
step "db:check";  bash scripts/db-check.sh
step "unit";      npx vitest run --project unit
step "integration (PGlite)"; env -u TEST_DATABASE_URL npx vitest run --project int
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "integration (Postgres)"; npx vitest run --project int
fi
step "end to end"
bash scripts/ensure-chromium.sh
npx next build
npx playwright test -c e2e
