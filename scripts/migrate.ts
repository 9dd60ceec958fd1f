// `npm run db:migrate`: applies pending migrations from db/migrations to DATABASE_URL or the embedded database.
import { bootDb } from "@/db/boot";
import { DataDirBusyError } from "@/db/lock";
import { EnvError } from "@/lib/env";

try {
  const handle = await bootDb("migrate");
  await handle.close();
  process.stdout.write(`${JSON.stringify({ migrated: true, driver: handle.driver })}\n`);
} catch (err) {
  if (err instanceof DataDirBusyError) {
    process.stderr.write(`error: ${err.message}; the server applies migrations itself at start\n`);
  } else if (err instanceof EnvError) {
    process.stderr.write(`error: ${err.message}\n`);
  } else {
    process.stderr.write(`error: migration failed: ${(err as Error).message}\n`);
  }
  process.exit(2);
}
