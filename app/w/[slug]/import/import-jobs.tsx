"use client";

import { useEffect, useState, useTransition } from "react";
import type { ImportJobBody } from "@/lib/ingest/import-upload";
import { resumeImportAction } from "./actions";

const ACTIVE = new Set(["queued", "validating", "importing"]);
/** A failed job is retried by the queue for a while; keep watching it that long. */
const RETRY_WINDOW_MS = 5 * 60_000;

const count = (n: number) => n.toLocaleString("en-US");

const isWatched = (job: ImportJobBody) =>
  ACTIVE.has(job.status) || (job.status === "failed" && Date.now() - Date.parse(job.updatedAt) < RETRY_WINDOW_MS);

/**
 * The workspace's latest import jobs, polled once a second from GET /api/v1/workspaces/<slug>/imports while one is
 * still running. `add` shows a job just uploaded (at the top) or resumed (in place) without waiting for the poll.
 */
export function useImportJobs(slug: string, initial: ImportJobBody[]) {
  const [jobs, setJobs] = useState(initial);
  const watching = jobs.some(isWatched);
  useEffect(() => {
    if (!watching) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const res = await fetch(`/api/v1/workspaces/${encodeURIComponent(slug)}/imports`, { cache: "no-store" }).catch(
        () => null,
      );
      if (!res?.ok || stopped) return;
      const body = (await res.json()) as { jobs: ImportJobBody[] };
      if (!stopped) setJobs(body.jobs);
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [slug, watching]);
  const add = (job: ImportJobBody) =>
    setJobs((list) =>
      list.some((j) => j.id === job.id) ? list.map((j) => (j.id === job.id ? job : j)) : [job, ...list],
    );
  return { jobs, add };
}

const statusStyle: Record<string, string> = {
  queued: "bg-gray-100 text-gray-700",
  validating: "bg-blue-50 text-blue-700",
  importing: "bg-blue-50 text-blue-700",
  succeeded: "bg-green-50 text-green-700",
  invalid: "bg-red-50 text-red-700",
  failed: "bg-amber-50 text-amber-800",
};

const statusLabel: Record<string, string> = {
  queued: "Queued",
  validating: "Checking rows",
  importing: "Importing",
  succeeded: "Done",
  invalid: "Rows have errors",
  failed: "Stopped",
};

/** "row 3, score: …"; row 0 is the header or the column mapping. */
export const describeRowError = (e: { row: number; field: string; message: string }) =>
  `${e.row === 0 ? "Columns" : `row ${e.row}`}${e.field ? `, ${e.field}` : ""}: ${e.message}`;

export function ImportJobList({
  slug,
  jobs,
  onChange,
}: {
  slug: string;
  jobs: ImportJobBody[];
  onChange: (job: ImportJobBody) => void;
}) {
  if (jobs.length === 0) return null;
  return (
    <section className="rounded-lg border border-gray-200 bg-white p-6" data-testid="import-jobs">
      <h2 className="mb-3 font-medium">Background imports</h2>
      <ul className="space-y-4">
        {jobs.map((job) => (
          <ImportJobItem key={job.id} slug={slug} job={job} onChange={onChange} />
        ))}
      </ul>
    </section>
  );
}

function ImportJobItem({
  slug,
  job,
  onChange,
}: {
  slug: string;
  job: ImportJobBody;
  onChange: (job: ImportJobBody) => void;
}) {
  const [pending, startTransition] = useTransition();
  const [resumeError, setResumeError] = useState<string | null>(null);
  const resume = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("jobId", job.id);
      const result = await resumeImportAction(slug, null, form);
      if (result.ok) onChange(result.data);
      setResumeError(result.ok ? null : result.message);
    });
  const percent = job.rows ? Math.floor((job.done / job.rows) * 100) : job.status === "succeeded" ? 100 : 0;
  return (
    <li className="text-sm" data-testid="import-job" data-status={job.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{job.fileName}</span>
        <span className="font-mono text-xs text-gray-500">{job.type}</span>
        <span className={`rounded px-1.5 py-0.5 text-xs ${statusStyle[job.status] ?? ""}`}>
          {statusLabel[job.status] ?? job.status}
        </span>
        <span className="ml-auto text-xs text-gray-500">{job.createdAt.slice(0, 16).replace("T", " ")} UTC</span>
      </div>
      {job.status !== "invalid" ? (
        <div className="mt-2 flex items-center gap-3">
          <div
            role="progressbar"
            aria-label={`Progress of ${job.fileName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="h-2 flex-1 overflow-hidden rounded bg-gray-100"
          >
            <div className="h-full bg-blue-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <span className="w-48 text-right text-xs text-gray-600" data-testid="import-job-progress">
            {job.rows === null ? "counting rows…" : `${count(job.done)} of ${count(job.rows)} rows`}
          </span>
        </div>
      ) : null}
      {job.status === "succeeded" ? (
        <p className="mt-1 text-green-700" data-testid="import-job-result">
          Imported {count(job.inserted)} events ({count(job.duplicates)} already present).
        </p>
      ) : null}
      {job.status === "failed" ? (
        <div className="mt-1 flex flex-wrap items-center gap-3 text-amber-800">
          {job.failure ? <p>{job.failure}</p> : null}
          <button
            type="button"
            onClick={resume}
            disabled={pending}
            className="rounded-md border border-gray-300 bg-white px-3 py-1 text-xs font-medium text-gray-700 hover:bg-gray-50 disabled:opacity-60"
          >
            {pending ? "Resuming…" : "Resume"}
          </button>
          {resumeError ? <p className="text-red-700">{resumeError}</p> : null}
        </div>
      ) : null}
      {job.status === "invalid" ? (
        <div className="mt-1 text-red-700" data-testid="import-job-errors">
          <p>
            {job.badRows > 0
              ? `${count(job.badRows)} of ${count(job.rows ?? 0)} rows have errors; nothing was imported.`
              : "The columns don't fit; nothing was imported."}{" "}
            Fix the mapping or the file and upload it again.
          </p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {job.errors.map((e, i) => (
              <li key={i}>{describeRowError(e)}</li>
            ))}
          </ul>
          {job.errorCount > job.errors.length ? (
            <p className="mt-1 text-xs text-gray-500">and {count(job.errorCount - job.errors.length)} more errors</p>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
