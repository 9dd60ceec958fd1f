/**
 * CSV import helpers, shared by the UI upload and `npm run admin -- import`. Pure: text in, validated events and
 * row errors out; the caller writes nothing unless `errors` is empty. Every row goes through the same zod schema as
 * the ingest API, so a CSV row and a JSON event are accepted or rejected alike.
 */
import { createHash } from "node:crypto";
import Papa from "papaparse";
import { INGEST_FIELDS, type IngestFieldMeta } from "./fields";
import { ingestEventSchemas, type IngestEventOf, type IngestEventType } from "./schemas";

export type CsvTable = {
  headers: string[];
  /** Data rows (the header excluded), each a list of cells in header order. */
  rows: string[][];
};

/** field name → header (column name) it is read from. Unmapped fields are read as absent. */
export type CsvMapping = Partial<Record<string, string>>;

export type CsvRowError = {
  /** 1-based data row (the first line after the header is 1); 0 for problems with the file or the mapping. */
  row: number;
  /** Field name, or "" when the problem is the row itself (e.g. a wrong number of cells). */
  field: string;
  message: string;
};

export type CsvMapResult<T extends IngestEventType> = {
  events: IngestEventOf<T>[];
  errors: CsvRowError[];
};

/**
 * Parses CSV text into a header and data rows. A leading BOM and blank lines are dropped; quoting follows RFC 4180
 * (papaparse). Parse problems (an unclosed quote) are reported with their 1-based data row.
 */
export function parseCsv(text: string): CsvTable & { errors: CsvRowError[] } {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { header: false, skipEmptyLines: "greedy" });
  const [headerRow = [], ...rows] = result.data;
  const errors: CsvRowError[] = result.errors.map((error) => ({
    // papaparse counts rows from 0 including the header, which is exactly our 1-based data row number.
    row: error.row ?? 0,
    field: "",
    message: error.message,
  }));
  return { headers: headerRow.map((header) => header.trim()), rows, errors };
}

const toMatchKey = (name: string) => name.toLowerCase().replace(/[\s_\-.]/g, "");

/**
 * Suggests a column for each field of `type`: a header matches a field when they are equal ignoring case, spaces,
 * underscores, hyphens and dots (`occurred_at`, `Occurred At` and `occurredAt` all map to `occurredAt`). The first
 * matching header wins; fields without a match are left out.
 */
export function suggestMapping(headers: readonly string[], type: IngestEventType): CsvMapping {
  const byKey = new Map<string, string>();
  for (const header of headers) {
    const key = toMatchKey(header);
    if (!byKey.has(key)) byKey.set(key, header);
  }
  const mapping: CsvMapping = {};
  for (const field of INGEST_FIELDS[type]) {
    const header = byKey.get(toMatchKey(field.name));
    if (header !== undefined) mapping[field.name] = header;
  }
  return mapping;
}

/** Headers that no field reads, so the UI can show them and the CLI can warn about them. */
export function listUnmappedHeaders(headers: readonly string[], mapping: CsvMapping): string[] {
  const used = new Set(Object.values(mapping));
  return headers.filter((header) => !used.has(header));
}

const BOOLEAN_CELLS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, 1: true, 0: false };

/**
 * Turns a CSV cell into the value the schema expects. Cells that don't look like the kind are passed on as strings,
 * so the schema's own message ("expected number, received string") reaches the person.
 */
function coerceCell(cell: string, field: IngestFieldMeta): unknown {
  if (cell === "") return undefined;
  const wantsNumber = field.kind === "integer" || (field.kind === "enum" && typeof field.example === "number");
  if (wantsNumber) return /^[+-]?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
  if (field.kind === "boolean") return BOOLEAN_CELLS[cell.toLowerCase()] ?? cell;
  return cell;
}

/**
 * A deterministic id for a row without an `id` column: sha-256 of the type and the mapped cells, plus the ordinal of
 * identical rows. Re-importing the same file gives the same ids (so the import is idempotent), and two identical rows
 * in one file stay two events, as they would if the caller had numbered them.
 */
function deriveRowId(type: IngestEventType, cells: readonly string[], seen: Map<string, number>): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([type, ...cells]))
    .digest("hex")
    .slice(0, 32);
  const ordinal = (seen.get(digest) ?? 0) + 1;
  seen.set(digest, ordinal);
  return ordinal === 1 ? `csv_${digest}` : `csv_${digest}_${ordinal}`;
}

/**
 * Maps CSV rows onto events of one type and validates each with the ingest schema. `type` comes from the import, not
 * from a column. Cells are trimmed; empty cells mean "absent"; integers and booleans (true/false, yes/no, 1/0) are
 * coerced. Without an `id` mapping, ids are derived per row (see deriveRowId). When a required field has no column,
 * one row-0 error per field is returned instead of an error on every row. Linear in the number of cells.
 */
export function mapRows<T extends IngestEventType>(table: CsvTable, mapping: CsvMapping, type: T): CsvMapResult<T> {
  const fields = INGEST_FIELDS[type];
  const schema = ingestEventSchemas[type];
  const errors: CsvRowError[] = [];
  const columnOf = new Map(table.headers.map((header, index) => [header, index] as const));

  const mapped: { field: IngestFieldMeta; column: number }[] = [];
  for (const field of fields) {
    const header = mapping[field.name];
    const column = header === undefined ? undefined : columnOf.get(header);
    if (header !== undefined && column === undefined) {
      errors.push({ row: 0, field: field.name, message: `Column "${header}" is not in the file` });
    } else if (column !== undefined) {
      mapped.push({ field, column });
    } else if (field.required && field.name !== "id") {
      errors.push({ row: 0, field: field.name, message: `No column for required field "${field.name}"` });
    }
  }
  if (errors.length > 0) return { events: [], errors };

  const hasId = mapped.some(({ field }) => field.name === "id");
  const seen = new Map<string, number>();
  const events: IngestEventOf<T>[] = [];
  table.rows.forEach((row, rowIndex) => {
    const rowNumber = rowIndex + 1;
    if (row.length !== table.headers.length) {
      errors.push({
        row: rowNumber,
        field: "",
        message: `Expected ${table.headers.length} cells, found ${row.length}`,
      });
      return;
    }
    const cells = mapped.map(({ column }) => (row[column] ?? "").trim());
    const candidate: Record<string, unknown> = { type };
    mapped.forEach(({ field }, i) => {
      const value = coerceCell(cells[i] ?? "", field);
      if (value !== undefined) candidate[field.name] = value;
    });
    if (!hasId) candidate.id = deriveRowId(type, cells, seen);
    const parsed = schema.safeParse(candidate);
    if (parsed.success) {
      events.push(parsed.data as IngestEventOf<T>);
      return;
    }
    for (const issue of parsed.error.issues) {
      errors.push({ row: rowNumber, field: issue.path.map(String).join("."), message: issue.message });
    }
  });
  return { events, errors };
}
