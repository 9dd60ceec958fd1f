import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "drizzle-kit";

// `npm run db:generate` only diffs db/schema against db/migrations; `npm run db:migrate` uses scripts/migrate.ts,
// which takes the embedded database's lock first.
const url = process.env.DATABASE_URL;
const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
if (!url) fs.mkdirSync(dataDir, { recursive: true });

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/*.ts",
  out: "./db/migrations",
  casing: "snake_case",
  ...(url ? { dbCredentials: { url } } : { driver: "pglite", dbCredentials: { url: path.join(dataDir, "pglite") } }),
});
