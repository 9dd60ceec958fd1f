/**
 * CSV import, shared by the UI (app/w/[slug]/import) and `npm run admin -- import`: check every row first, then
 * write all rows in one transaction, or nothing.
 */
import type { Executor } from "@/db/client";
import { AppError } from "@/lib/errors";
import { mapRows, parseCsv, suggestMapping, type CsvMapping, type CsvRowError, type CsvTable } from "./csv";
import { insertIngestEvents, type InsertResult } from "./insert";
import type { IngestEvent, IngestEventType } from "./schemas";

export type CsvCheck = {
  table: CsvTable;
  /** The mapping used: the one given, or the suggested one. */
  mapping: CsvMapping;
  events: IngestEvent[];
  errors: CsvRowError[];
  /** Distinct data rows with at least one error (row 0, the header or mapping, not counted). */
  badRows: number;
};

/** Parses and validates a CSV without writing. Without a mapping, columns are matched to fields by name. */
export function checkCsv(text: string, type: IngestEventType, mapping?: CsvMapping): CsvCheck {
  const parsed = parseCsv(text);
  const table: CsvTable = { headers: parsed.headers, rows: parsed.rows };
  const used = mapping ?? suggestMapping(table.headers, type);
  const mapped = mapRows(table, used, type);
  // A row papaparse could not split is also reported by mapRows (wrong cell count); keep the parser's message first.
  const errors = [...parsed.errors, ...mapped.errors].sort((a, b) => a.row - b.row);
  const badRows = new Set(errors.filter((e) => e.row > 0).map((e) => e.row)).size;
  return { table, mapping: used, events: mapped.events, errors, badRows };
}

/** "row 3: score: Too big…", "header: source: No column…", "row 4: Expected 3 cells, found 2". */
export function formatRowError(error: CsvRowError): string {
  const where = error.row === 0 ? "header" : `row ${error.row}`;
  return error.field ? `${where}: ${error.field}: ${error.message}` : `${where}: ${error.message}`;
}

/** One line naming the first problem and how many rows have one, as the CLI prints it after `error: `. */
export function summarizeCsvErrors(check: Pick<CsvCheck, "errors" | "badRows">): string {
  const first = check.errors[0];
  if (!first) return "";
  const rows = check.badRows === 1 ? "1 row has errors" : `${check.badRows} rows have errors`;
  const tail = check.badRows > 0 ? `${rows}, nothing imported` : "nothing imported";
  return `${formatRowError(first)}; ${tail}`;
}

/**
 * Validates a whole CSV and, only when every row is valid, stores its events in one transaction. Row errors are a
 * VALIDATION AppError (CLI exit 1) whose message is summarizeCsvErrors and whose details list every error.
 * `progress` gets a line per 10,000 rows written.
 */
export async function importCsv({
  db,
  workspaceId,
  type,
  text,
  mapping,
  progress,
}: {
  db: Executor;
  workspaceId: string;
  type: IngestEventType;
  text: string;
  mapping?: CsvMapping;
  progress?: (line: string) => void;
}): Promise<InsertResult & { rows: number }> {
  const check = checkCsv(text, type, mapping);
  if (check.errors.length > 0)
    throw new AppError("VALIDATION", summarizeCsvErrors(check), { details: check.errors.slice(0, 1000) });
  const total = check.events.length;
  progress?.(`validated ${total} rows`);
  let reported = 0;
  const result = await insertIngestEvents(workspaceId, db, check.events, {
    onChunk: (done) => {
      if (done - reported < 10_000 && done < total) return;
      reported = done;
      progress?.(`written ${done}/${total} rows`);
    },
  });
  return { ...result, rows: total };
}
