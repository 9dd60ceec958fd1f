import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { findImportJob, findImportJobWithFile } from "@/db/queries/ingest-imports";
import { countIngestEvents } from "@/db/queries/ingest-events";
import { ingestEvents } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { createTestWorkspace } from "@/db/testing/factories";
import { startQueue } from "@/lib/jobs/queue";
import { createImportJob, resumeImportJob, runImportJob, workImports } from "./import-job";
import { insertIngestEvents } from "./insert";
import { ingestEventSchemas } from "./schemas";

let h: DbHandle;
let boss: PgBoss;
beforeAll(async () => {
  h = await createTestDb();
  boss = await startQueue(h);
  await workImports(boss, h.db);
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await h?.close();
});

const SOURCES = ["Google Ads", "linkedin", "organic", "referral"];

/** `rows` leads l1…lN, a day apart from 2026-01-01 in a cycle of 28, the sources in turn. */
function leadsCsv(rows: number): string {
  const lines = ["id,occurred_at,contact_id,channel,email"];
  for (let i = 1; i <= rows; i++) {
    const day = String(((i - 1) % 28) + 1).padStart(2, "0");
    lines.push(`l${i},2026-01-${day}T09:00:00Z,c${i},${SOURCES[(i - 1) % 4]},u${i}@example.com`);
  }
  return `${lines.join("\n")}\n`;
}

/** Polls the job until it leaves queued/validating/importing (up to 3 minutes); `seen` collects `done` meanwhile. */
async function waitForJob(workspaceId: string, jobId: string, seen: number[] = []) {
  for (let i = 0; i < 720; i++) {
    const job = await findImportJob(workspaceId, h.db, jobId);
    if (job && !["queued", "validating", "importing"].includes(job.status)) return job;
    if (job) seen.push(job.done);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${jobId} did not finish`);
}

const mapping = { id: "id", occurredAt: "occurred_at", contactId: "contact_id", source: "channel", email: "email" };

describe("background CSV import", () => {
  it("imports 100,000 leads through the queue: 99,750 new + 250 already stored; the 250 keep their first source", async () => {
    const ws = await createTestWorkspace(h.db);
    // 250 of the file's ids (l1…l250) are already stored, e.g. from an earlier partial export.
    const earlier = Array.from({ length: 250 }, (_, i) =>
      ingestEventSchemas.lead.parse({
        id: `l${i + 1}`,
        type: "lead",
        occurredAt: "2026-01-01T09:00:00Z",
        contactId: `c${i + 1}`,
        source: "organic",
      }),
    );
    await insertIngestEvents(ws.id, h.db, earlier);

    const started = Date.now();
    const { jobId } = await createImportJob({
      db: h.db,
      boss,
      workspaceId: ws.id,
      userId: null,
      type: "lead",
      fileName: "leads.csv",
      csv: leadsCsv(100_000),
      mapping,
    });
    const seen: number[] = [];
    const job = await waitForJob(ws.id, jobId, seen);
    process.stderr.write(`100,000-row import job on ${(h as { label?: string }).label}: ${Date.now() - started} ms\n`);

    expect(job).toMatchObject({
      status: "succeeded",
      rows: 100_000,
      done: 100_000,
      inserted: 99_750,
      errorCount: 0,
      failure: null,
    });
    // Progress was readable while the job ran (the poll was not starved), and only ever at whole batches.
    expect(seen.some((done) => done > 0 && done < 100_000)).toBe(true);
    expect(seen.every((done) => done % 1_000 === 0)).toBe(true);
    expect(await countIngestEvents(ws.id, h.db, { type: "lead" })).toBe(100_000);
    // 25,000 rows per source in the file; of l1…l250 (63, 63, 62, 62 per source in turn) the stored "organic" wins.
    const bySource = await h.db
      .select({ source: sql<string>`${ingestEvents.payload}->>'source'`, n: count() })
      .from(ingestEvents)
      .where(eq(ingestEvents.workspaceId, ws.id))
      .groupBy(sql`1`)
      .orderBy(sql`1`);
    expect(bySource).toEqual([
      { source: "google_ads", n: 25_000 - 63 },
      { source: "linkedin", n: 25_000 - 63 },
      { source: "organic", n: 25_000 - 62 + 250 },
      { source: "referral", n: 25_000 - 62 },
    ]);
    // The file is dropped once imported.
    expect((await findImportJobWithFile(ws.id, h.db, jobId))!.csv).toBeNull();
  }, 240_000); // 100,000 rows on PGlite on a busy machine: a minute or more

  it("writes nothing for 20,000 NPS rows of which row 12,345 has score 11, and reports that row and the count 1", async () => {
    const ws = await createTestWorkspace(h.db);
    const lines = ["id,occurred_at,respondent_id,score"];
    for (let i = 1; i <= 20_000; i++) lines.push(`n${i},2026-02-01T10:00:00Z,r${i},${i === 12_345 ? 11 : i % 11}`);
    const { jobId } = await createImportJob({
      db: h.db,
      boss,
      workspaceId: ws.id,
      userId: null,
      type: "nps_response",
      fileName: "nps.csv",
      csv: lines.join("\n"),
      mapping: { id: "id", occurredAt: "occurred_at", respondentId: "respondent_id", score: "score" },
    });
    const job = await waitForJob(ws.id, jobId);
    expect(job).toMatchObject({ status: "invalid", rows: 20_000, done: 0, inserted: 0, errorCount: 1, badRows: 1 });
    expect(job.errors).toEqual([{ row: 12_345, field: "score", message: "Too big: expected number to be <=10" }]);
    expect(await countIngestEvents(ws.id, h.db)).toBe(0);
  });

  it("reports a required field without a column as one header error (row 0), writing nothing", async () => {
    const ws = await createTestWorkspace(h.db);
    const { jobId } = await createImportJob({
      db: h.db,
      boss,
      workspaceId: ws.id,
      userId: null,
      type: "lead",
      fileName: "leads.csv",
      csv: leadsCsv(10),
      mapping: { id: "id", occurredAt: "occurred_at", contactId: "contact_id" },
    });
    const job = await waitForJob(ws.id, jobId);
    expect(job).toMatchObject({ status: "invalid", errorCount: 1, badRows: 0 });
    expect(job.errors).toEqual([{ row: 0, field: "source", message: 'No column for required field "source"' }]);
    expect(await countIngestEvents(ws.id, h.db)).toBe(0);
  });

  it("resumes a run stopped after 10 of 23 batches: 10,000 rows committed, resumed, then 13,000 more, none twice", async () => {
    const ws = await createTestWorkspace(h.db);
    // Queued without the worker's queue, so only the runs below touch it.
    const { jobId } = await createImportJob({
      db: h.db,
      boss: { send: async () => null } as unknown as PgBoss,
      workspaceId: ws.id,
      userId: null,
      type: "lead",
      fileName: "leads.csv",
      csv: leadsCsv(23_000),
      mapping,
    });
    const crash = new Error("connection lost");
    await expect(
      runImportJob(
        h.db,
        { workspaceId: ws.id, jobId },
        {
          afterBatch: (done) => {
            if (done === 10_000) throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    const stopped = await findImportJob(ws.id, h.db, jobId);
    expect(stopped).toMatchObject({ status: "failed", rows: 23_000, done: 10_000, inserted: 10_000 });
    expect(stopped!.failure).toMatch(/^The import stopped \(ref \w+\)\. It is retried automatically, or resume it/);
    expect(await countIngestEvents(ws.id, h.db)).toBe(10_000);

    // Resumed by hand (as after pg-boss's last retry): queued again, then run.
    const sends: unknown[] = [];
    const recorder = { send: async (_q: string, data: unknown) => void sends.push(data) } as unknown as PgBoss;
    await resumeImportJob({ db: h.db, boss: recorder, workspaceId: ws.id, jobId });
    expect(sends).toEqual([{ workspaceId: ws.id, jobId }]);
    expect(await findImportJob(ws.id, h.db, jobId)).toMatchObject({ status: "queued", done: 10_000, failure: null });
    const batches: number[] = [];
    await runImportJob(h.db, { workspaceId: ws.id, jobId }, { afterBatch: (done) => void batches.push(done) });
    expect(batches).toEqual(Array.from({ length: 13 }, (_, i) => 11_000 + i * 1_000)); // batches 11…23
    expect(await findImportJob(ws.id, h.db, jobId)).toMatchObject({
      status: "succeeded",
      done: 23_000,
      inserted: 23_000,
      failure: null,
    });
    expect(await countIngestEvents(ws.id, h.db)).toBe(23_000);

    // A late retry of the finished job changes nothing, and a finished job cannot be resumed.
    await runImportJob(h.db, { workspaceId: ws.id, jobId });
    expect(await findImportJob(ws.id, h.db, jobId)).toMatchObject({ status: "succeeded", inserted: 23_000 });
    await expect(resumeImportJob({ db: h.db, boss: recorder, workspaceId: ws.id, jobId })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const other = await createTestWorkspace(h.db);
    await expect(resumeImportJob({ db: h.db, boss: recorder, workspaceId: other.id, jobId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("marks a job the queue refused as failed, with its file kept, so Resume can queue it again", async () => {
    const ws = await createTestWorkspace(h.db);
    const down = {
      send: async () => {
        throw new Error("queue unavailable");
      },
    } as unknown as PgBoss;
    const { jobId } = await createImportJob({
      db: h.db,
      boss: down,
      workspaceId: ws.id,
      userId: null,
      type: "lead",
      fileName: "leads.csv",
      csv: leadsCsv(3),
      mapping,
    });
    const job = await findImportJobWithFile(ws.id, h.db, jobId);
    expect(job).toMatchObject({ status: "failed", csv: leadsCsv(3) });
    expect(job!.failure).toMatch(/^The import could not be queued \(ref \w+\)\. Resume it to try again\.$/);
    await resumeImportJob({ db: h.db, boss, workspaceId: ws.id, jobId });
    expect(await waitForJob(ws.id, jobId)).toMatchObject({ status: "succeeded", rows: 3, inserted: 3 });
  });

  it("keeps jobs per workspace: another workspace finds none of them", async () => {
    const a = await createTestWorkspace(h.db);
    const b = await createTestWorkspace(h.db);
    const { jobId } = await createImportJob({
      db: h.db,
      boss: { send: async () => null } as unknown as PgBoss,
      workspaceId: a.id,
      userId: null,
      type: "lead",
      fileName: "leads.csv",
      csv: leadsCsv(3),
      mapping,
    });
    expect(await findImportJob(b.id, h.db, jobId)).toBeUndefined();
    await runImportJob(h.db, { workspaceId: b.id, jobId });
    expect(await findImportJob(a.id, h.db, jobId)).toMatchObject({ status: "queued", done: 0 });
    expect(await countIngestEvents(b.id, h.db)).toBe(0);
  });
});
