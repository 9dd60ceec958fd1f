import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { importCsv } from "@/lib/ingest/import";
import { INGEST_EVENT_TYPES } from "@/lib/ingest/schemas";
import { slugSchema } from "@/lib/workspaces/schemas";
import { defineCommand } from "./registry";
import { resolveWorkspaceFlag } from "./workspace-commands";

/** Big enough for millions of short rows; a bigger file should be split (the import is one transaction). */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

// `npm run` changes into the project root; INIT_CWD is where the person typed the command, which is what a
// relative --file means to them.
const resolveFile = (file: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), file);

async function readCsvFile(file: string): Promise<string> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError("VALIDATION", `--file ${file}: no such file`);
  if (stat.size > MAX_FILE_BYTES) throw new AppError("VALIDATION", `--file ${file}: larger than 512 MB; split it`);
  return fs.readFile(file, "utf8");
}

export const importCommand = defineCommand({
  description: "Import a CSV of one ingest event type (all rows or none)",
  flags: z.strictObject({
    workspace: slugSchema,
    type: z.enum(INGEST_EVENT_TYPES, { error: `must be one of ${INGEST_EVENT_TYPES.join(", ")}` }),
    file: z.string().min(1, "must not be empty").transform(resolveFile),
  }),
  async run({ handle, flags, progress }) {
    const workspace = await resolveWorkspaceFlag(flags.workspace, handle.db);
    const text = await readCsvFile(flags.file);
    progress(`read ${flags.file}`);
    const result = await importCsv({ db: handle.db, workspaceId: workspace.id, type: flags.type, text, progress });
    return { imported: result.inserted, duplicates: result.duplicates };
  },
});
