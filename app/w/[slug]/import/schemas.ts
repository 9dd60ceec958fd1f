import { z } from "zod";
import { INGEST_EVENT_TYPES } from "@/lib/ingest/schemas";

/**
 * Uploads in the UI travel in a server action body, which Next caps at 1 MB by default; this leaves room for the
 * rest of the form. Bigger files go through `npm run admin -- import` (docs/api.md, "CSV import").
 */
export const MAX_UI_CSV_BYTES = 900_000;

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
    .refine((csv) => new TextEncoder().encode(csv).length <= MAX_UI_CSV_BYTES, {
      message: `Larger than ${MAX_UI_CSV_BYTES / 1000} KB: use npm run admin -- import for big files.`,
    }),
  mapping: mappingSchema,
});
export const importCsvSchema = checkImportSchema;
