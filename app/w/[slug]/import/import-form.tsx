"use client";

import Papa from "papaparse";
import { useState, useTransition } from "react";
import type { ImportJobBody } from "@/lib/ingest/import-upload";
import { checkImportAction, importCsvAction } from "./actions";
import { describeRowError, ImportJobList, useImportJobs } from "./import-jobs";

export type TypeFields = Record<string, { name: string; required: boolean }[]>;

type CheckResult = Extract<Awaited<ReturnType<typeof checkImportAction>>, { ok: true }>["data"];
type Mapping = Record<string, string>;

const button = "rounded-md px-4 py-2 text-sm font-medium disabled:opacity-60";
const primary = `${button} bg-blue-700 text-white hover:bg-blue-800`;
const plain = `${button} border border-gray-300 bg-white text-gray-700 hover:bg-gray-50`;

function toForm(type: string, csv: string, mapping: Mapping | undefined): FormData {
  const form = new FormData();
  form.set("type", type);
  form.set("csv", csv);
  if (mapping) form.set("mapping", JSON.stringify(mapping));
  return form;
}

const count = (n: number) => n.toLocaleString("en-US");

/** The header and the first `rows` data rows of a big file, re-serialized, for the check before the upload. */
function toSample(text: string, rows: number): string {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), {
    header: false,
    skipEmptyLines: "greedy",
    preview: rows + 1,
  });
  return Papa.unparse(parsed.data);
}

/**
 * Choose a type and a file (or paste), check, fix the mapping until no row has an error, then import. Up to
 * `syncMaxBytes`, each check and the import send the CSV text to a server action. A bigger file is checked on its
 * first `sampleRows` rows, then uploaded whole to a background job that checks every row before it writes any.
 */
export function ImportForm({
  slug,
  types,
  fields,
  syncMaxBytes,
  uploadMaxBytes,
  sampleRows,
  jobs: initialJobs,
}: {
  slug: string;
  types: string[];
  fields: TypeFields;
  syncMaxBytes: number;
  uploadMaxBytes: number;
  sampleRows: number;
  jobs: ImportJobBody[];
}) {
  const [type, setType] = useState(types[0] ?? "");
  const [csv, setCsv] = useState("");
  /** Set for a file above syncMaxBytes: what the checks see; the upload sends `csv` whole. */
  const [sample, setSample] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const { jobs, add } = useImportJobs(slug, initialJobs);

  const load = (text: string) => {
    const big = new TextEncoder().encode(text).length > syncMaxBytes;
    const nextSample = big ? toSample(text, sampleRows) : null;
    setCsv(text);
    setSample(nextSample);
    return nextSample ?? text;
  };

  const runCheck = (nextType: string, text: string, mapping: Mapping | undefined) =>
    startTransition(async () => {
      setMessage(null);
      const result = await checkImportAction(slug, null, toForm(nextType, text, mapping));
      if (result.ok) setCheck(result.data);
      else {
        setCheck(null);
        const detail = Object.values(result.fieldErrors ?? {}).flat()[0];
        setMessage({ ok: false, text: detail ?? result.message });
      }
    });

  const onFile = async (file: File | undefined) => {
    setCheck(null);
    setMessage(null);
    if (!file) return;
    if (file.size > uploadMaxBytes) {
      setFileName(null);
      setCsv("");
      setSample(null);
      setMessage({
        ok: false,
        text: `${file.name} is larger than ${uploadMaxBytes / 1024 / 1024} MB: split it, or import it with npm run admin -- import.`,
      });
      return;
    }
    const text = await file.text();
    setFileName(file.name);
    runCheck(type, load(text), undefined);
  };

  const checked = sample ?? csv;

  const onMap = (field: string, header: string) => {
    if (!check) return;
    const mapping = { ...check.mapping, [field]: header };
    if (header === "") delete mapping[field];
    runCheck(type, checked, mapping);
  };

  const onUpload = async (mapping: Mapping) => {
    const query = new URLSearchParams({
      type,
      name: (fileName ?? "pasted.csv").slice(0, 200),
      mapping: JSON.stringify(mapping),
    });
    const res = await fetch(`/api/v1/workspaces/${encodeURIComponent(slug)}/imports?${query}`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: new Blob([csv]),
    }).catch(() => null);
    const body = (await res?.json().catch(() => null)) as {
      job?: ImportJobBody;
      error?: { message?: string };
    } | null;
    if (res?.status === 202 && body?.job) {
      add(body.job);
      setMessage({
        ok: true,
        text: "Uploaded. Every row is checked, then the events are imported in the background: see the progress below.",
      });
      setCheck(null);
    } else
      setMessage({
        ok: false,
        text: body?.error?.message ?? `The upload failed${res ? ` (HTTP ${res.status})` : ""}. Try again.`,
      });
  };

  const onImport = () =>
    startTransition(async () => {
      if (!check) return;
      if (sample !== null) return onUpload(check.mapping);
      const result = await importCsvAction(slug, null, toForm(type, csv, check.mapping));
      if (result.ok) {
        const { inserted, duplicates } = result.data;
        setMessage({ ok: true, text: `Imported ${inserted} events (${duplicates} already present).` });
        setCheck(null);
      } else setMessage({ ok: false, text: result.message });
    });

  const canImport = check !== null && check.errorCount === 0 && check.rows > 0 && !pending;

  return (
    <div className="space-y-6">
      <div className="grid gap-4 rounded-lg border border-gray-200 bg-white p-6 md:grid-cols-2">
        <label className="block text-sm">
          <span className="font-medium text-gray-700">Event type</span>
          <select
            data-testid="import-type"
            value={type}
            onChange={(e) => {
              setType(e.target.value);
              if (checked) runCheck(e.target.value, checked, undefined);
            }}
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 shadow-sm"
          >
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="font-medium text-gray-700">CSV file</span>
          <input
            data-testid="import-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void onFile(e.target.files?.[0])}
            className="mt-1 block w-full text-sm"
          />
          {fileName ? <span className="mt-1 block text-xs text-gray-500">{fileName}</span> : null}
        </label>
        <label className="block text-sm md:col-span-2">
          <span className="font-medium text-gray-700">Or paste CSV</span>
          <textarea
            data-testid="import-paste"
            rows={4}
            value={sample === null ? csv : ""}
            onChange={(e) => {
              load(e.target.value);
              setFileName(null);
              setCheck(null);
            }}
            placeholder={"occurred_at,contact_id,source\n2026-06-01T09:00:00Z,c_1,google_ads"}
            className="mt-1 block w-full rounded-md border border-gray-300 px-3 py-2 font-mono text-xs shadow-sm"
          />
        </label>
        <div className="md:col-span-2">
          <button
            type="button"
            className={plain}
            disabled={pending || csv === ""}
            onClick={() => runCheck(type, checked, check?.mapping)}
            data-testid="import-check"
          >
            {pending ? "Working…" : "Check"}
          </button>
        </div>
      </div>

      {message ? (
        <p
          data-testid={message.ok ? "import-result" : "import-error"}
          className={`rounded-md px-3 py-2 text-sm ${message.ok ? "bg-green-50 text-green-700" : "bg-red-50 text-red-700"}`}
        >
          {message.text}
        </p>
      ) : null}

      {check ? (
        <>
          <section className="rounded-lg border border-gray-200 bg-white p-6">
            <h2 className="mb-3 font-medium">Columns</h2>
            <div className="grid gap-3 md:grid-cols-3">
              {(fields[type] ?? []).map((field) => (
                <label key={field.name} className="block text-sm">
                  <span className="font-medium text-gray-700">
                    {field.name}
                    {field.required ? <span className="text-red-600"> *</span> : null}
                  </span>
                  <select
                    data-testid={`map-${field.name}`}
                    aria-label={`Column for ${field.name}`}
                    value={check.mapping[field.name] ?? ""}
                    disabled={pending}
                    onChange={(e) => onMap(field.name, e.target.value)}
                    className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 shadow-sm"
                  >
                    <option value="">{field.name === "id" ? "— derive from the row —" : "— not mapped —"}</option>
                    {check.headers.map((header) => (
                      <option key={header} value={header}>
                        {header}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            {check.unmappedHeaders.length > 0 ? (
              <p className="mt-3 text-xs text-gray-500">Ignored columns: {check.unmappedHeaders.join(", ")}</p>
            ) : null}
          </section>

          <section className="rounded-lg border border-gray-200 bg-white p-6">
            <h2 className="mb-3 font-medium">
              Preview{" "}
              <span className="text-sm font-normal text-gray-500">
                (first 10 of {sample === null ? `${check.rows} rows` : `the ${count(check.rows)} rows checked`})
              </span>
            </h2>
            <div className="overflow-x-auto">
              <table className="w-full text-xs" data-testid="import-preview">
                <thead className="bg-gray-50 text-left text-gray-500">
                  <tr>
                    <th className="px-2 py-1">row</th>
                    {check.headers.map((header) => (
                      <th key={header} className="px-2 py-1">
                        {header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-gray-100 font-mono">
                  {check.preview.map((cells, i) => (
                    <tr key={i}>
                      <td className="px-2 py-1 text-gray-500">{i + 1}</td>
                      {cells.map((cell, j) => (
                        <td key={j} className="px-2 py-1">
                          {cell}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="rounded-lg border border-gray-200 bg-white p-6">
            {check.errorCount > 0 ? (
              <div data-testid="import-errors">
                <h2 className="mb-2 font-medium text-red-700">
                  {check.badRows > 0
                    ? `${check.badRows} of ${sample === null ? "" : "the first "}${check.rows} rows have errors; nothing will be imported until they are fixed.`
                    : "Fix the columns first."}
                </h2>
                <ul className="list-disc space-y-1 pl-5 text-sm text-red-700">
                  {check.errors.map((e, i) => (
                    <li key={i}>{describeRowError(e)}</li>
                  ))}
                </ul>
                {check.errorCount > check.errors.length ? (
                  <p className="mt-2 text-xs text-gray-500">and {check.errorCount - check.errors.length} more errors</p>
                ) : null}
              </div>
            ) : (
              <p className="text-sm text-green-700" data-testid="import-ready">
                {sample === null
                  ? `All ${check.rows} rows are valid.`
                  : `The first ${count(check.rows)} rows are valid. The whole file is checked before anything is written.`}
              </p>
            )}
            <button type="button" className={`${primary} mt-4`} disabled={!canImport} onClick={onImport}>
              {pending
                ? "Working…"
                : check.errorCount > 0
                  ? "Import"
                  : sample === null
                    ? `Import ${check.validRows} events`
                    : "Import in the background"}
            </button>
          </section>
        </>
      ) : null}

      <ImportJobList slug={slug} jobs={jobs} onChange={add} />
    </div>
  );
}
