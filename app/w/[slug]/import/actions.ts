"use server";

import { revalidatePath } from "next/cache";
import { findImportJob } from "@/db/queries/ingest-imports";
import { action } from "@/lib/actions";
import { listUnmappedHeaders } from "@/lib/ingest/csv";
import { checkCsv, importCsv } from "@/lib/ingest/import";
import { resumeImportJob } from "@/lib/ingest/import-job";
import { toImportJobBody } from "@/lib/ingest/import-upload";
import { getQueue } from "@/lib/server/services";
import { checkImportSchema, importCsvSchema, resumeImportSchema } from "./schemas";

/** How much of a check travels back to the browser: enough to fix a file, not a copy of it. */
const PREVIEW_ROWS = 10;
const SHOWN_ERRORS = 100;

export const checkImportAction = action({
  permission: "imports.write",
  schema: checkImportSchema,
  run: async ({ input }) => {
    const check = checkCsv(input.csv, input.type, input.mapping);
    return {
      headers: check.table.headers,
      mapping: check.mapping as Record<string, string>,
      unmappedHeaders: listUnmappedHeaders(check.table.headers, check.mapping),
      preview: check.table.rows.slice(0, PREVIEW_ROWS),
      rows: check.table.rows.length,
      validRows: check.events.length,
      badRows: check.badRows,
      errorCount: check.errors.length,
      errors: check.errors.slice(0, SHOWN_ERRORS),
    };
  },
});

export const importCsvAction = action({
  permission: "imports.write",
  schema: importCsvSchema,
  run: async ({ ctx, db, input }) => {
    const result = await importCsv({
      db,
      workspaceId: ctx.workspace.id,
      type: input.type,
      text: input.csv,
      mapping: input.mapping,
    });
    revalidatePath(`/w/${ctx.workspace.slug}`, "layout");
    return { inserted: result.inserted, duplicates: result.duplicates };
  },
});

/** Queues a stopped background import again; it continues after its last committed batch. */
export const resumeImportAction = action({
  permission: "imports.write",
  schema: resumeImportSchema,
  run: async ({ ctx, db, input }) => {
    await resumeImportJob({ db, boss: getQueue(), workspaceId: ctx.workspace.id, jobId: input.jobId });
    return toImportJobBody((await findImportJob(ctx.workspace.id, db, input.jobId))!);
  },
});
