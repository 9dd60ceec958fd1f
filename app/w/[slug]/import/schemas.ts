import { z } from "zod";
import { INGEST_EVENT_TYPES } from "@/lib/ingest/schemas";

/**
 * The largest file checked and imported inside a server action request (whose body Next caps at 1 MB; this leaves
 * room for the rest of the form). A bigger file is previewed from its first rows, uploaded to
 * POST /api/v1/workspaces/<slug>/imports and imported by a background job (docs/api.md, "CSV import").
 */
export const SYNC_IMPORT_MAX_BYTES = 900_000;

/** How many of a big file's first rows the page checks before it uploads the whole file. */
export const SAMPLE_ROWS = 1_000;

const mappingSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "Invalid column mapping." });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.string()).optional())
  // An empty choice means "not mapped".
  .transform((mapping) =>
    mapping ? Object.fromEntries(Object.entries(mapping).filter(([, header]) => header !== "")) : undefined,
  );

export const checkImportSchema = z.object({
  type: z.enum(INGEST_EVENT_TYPES, { error: "Choose a type." }),
  csv: z
    .string()
    .min(1, "Choose a file or paste CSV.")
    .refine((csv) => new TextEncoder().encode(csv).length <= SYNC_IMPORT_MAX_BYTES, {
      message: `Larger than ${SYNC_IMPORT_MAX_BYTES / 1000} KB: import it in the background.`,
    }),
  mapping: mappingSchema,
});
export const importCsvSchema = checkImportSchema;

export const resumeImportSchema = z.object({ jobId: z.string().regex(/^imp_[0-9a-z]{20}$/, "Unknown import.") });
