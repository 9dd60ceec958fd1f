#!/usr/bin/env bash
# Fails when db/schema changed without a migration: drizzle-kit generates into a scratch copy of db/migrations
# and must find nothing to do.
set -euo pipefail
mkdir -p .data
tmp=$(mktemp -d .data/db-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp -r db/migrations "$tmp/migrations"
cat > "$tmp/drizzle.config.ts" <<CFG
export default { dialect: "postgresql", schema: "./db/schema/*.ts", out: "$tmp/migrations", casing: "snake_case" };
CFG
out=$(npx drizzle-kit generate --config "$tmp/drizzle.config.ts" 2>&1)
if ! grep -q "No schema changes" <<<"$out"; then
  echo "$out" >&2
  echo "error: db/schema changed without a migration: run npm run db:generate and commit db/migrations" >&2
  exit 1
fi
npx drizzle-kit check --config "$tmp/drizzle.config.ts" >/dev/null
echo "db:check ok: migrations match db/schema"
