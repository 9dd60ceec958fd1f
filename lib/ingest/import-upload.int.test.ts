import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type PgBoss from "pg-boss";
import type { DbHandle } from "@/db/client";
import { findImportJobWithFile, listImportJobs } from "@/db/queries/ingest-imports";
import { createTestDb } from "@/db/testing";
import { createTestUser, createTestWorkspace } from "@/db/testing/factories";
import { apiRoute } from "@/lib/auth/api";
import { IMPORT_QUEUE } from "./import-job";
import { listImportJobsForMember, receiveImportUpload } from "./import-upload";

// The route's logic, called as a function with the signed-in user's id (the route reads it from the session).
let h: DbHandle;
const sent: unknown[] = [];
const boss = { send: async (queue: string, data: unknown) => void sent.push({ queue, data }) } as unknown as PgBoss;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h?.close();
});

const csv = "occurred_at,contact_id,source\n2026-06-01T09:00:00Z,c1,google_ads\n2026-06-02T09:00:00Z,c2,organic\n";

function upload(
  slug: string,
  userId: string | undefined,
  { body = csv, query = "type=lead&name=leads.csv", headers = {}, maxBytes = undefined as number | undefined } = {},
) {
  const req = new Request(`http://localhost/api/v1/workspaces/${slug}/imports?${query}`, {
    method: "POST",
    headers: { "content-type": "text/csv", ...headers },
    body,
  });
  const handler = apiRoute((r: Request) =>
    receiveImportUpload({ req: r, slug, userId, db: h.db, boss: () => boss, maxBytes }),
  );
  return handler(req, {});
}

async function member(workspaceId: string, role: "owner" | "admin" | "finance" | "marketing" | "success" | "viewer") {
  return (await createTestUser(h.db, { workspaceId, role })).id;
}

describe("POST /api/v1/workspaces/<slug>/imports", () => {
  it.each(["owner", "admin", "marketing", "success"] as const)(
    "takes an upload by a member whose role is %s: 202, the job queued with the file, type and mapping",
    async (role) => {
      const ws = await createTestWorkspace(h.db);
      const mapping = encodeURIComponent(
        JSON.stringify({ occurredAt: "occurred_at", contactId: "contact_id", source: "source" }),
      );
      const res = await upload(ws.slug, await member(ws.id, role), {
        query: `type=lead&name=leads.csv&mapping=${mapping}`,
      });
      expect(res.status).toBe(202);
      const { job } = (await res.json()) as { job: { id: string; status: string; bytes: number; fileName: string } };
      expect(job).toMatchObject({ status: "queued", bytes: csv.length, fileName: "leads.csv" });
      const stored = await findImportJobWithFile(ws.id, h.db, job.id);
      expect(stored).toMatchObject({
        type: "lead",
        csv,
        mapping: { occurredAt: "occurred_at", contactId: "contact_id", source: "source" },
      });
      expect(sent.at(-1)).toEqual({ queue: IMPORT_QUEUE, data: { workspaceId: ws.id, jobId: job.id } });
    },
  );

  it.each(["finance", "viewer"] as const)("refuses a %s with 403 and stores nothing", async (role) => {
    const ws = await createTestWorkspace(h.db);
    const res = await upload(ws.slug, await member(ws.id, role));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    expect(await listImportJobs(ws.id, h.db)).toEqual([]);
  });

  it("answers 404 to a member of another workspace, and 401 to the signed-out; nothing stored", async () => {
    const ws = await createTestWorkspace(h.db);
    const other = await createTestWorkspace(h.db);
    const stranger = await member(other.id, "owner");
    const res = await upload(ws.slug, stranger);
    expect([res.status, await res.json()]).toEqual([404, { error: { code: "NOT_FOUND", message: "Not found." } }]);
    expect((await upload(ws.slug, undefined)).status).toBe(401);
    expect((await upload("no-such-workspace", stranger)).status).toBe(404);
    expect(await listImportJobs(ws.id, h.db)).toEqual([]);
  });

  it("answers 413 TOO_LARGE to a body past the limit (2,001 bytes over a 2,000 limit), storing nothing", async () => {
    const ws = await createTestWorkspace(h.db);
    const owner = await member(ws.id, "owner");
    const body = `occurred_at,contact_id,source\n${"x".repeat(2001 - 30)}`;
    expect(Buffer.byteLength(body)).toBe(2001);
    const res = await upload(ws.slug, owner, { body, maxBytes: 2000 });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("TOO_LARGE");
    expect(await listImportJobs(ws.id, h.db)).toEqual([]);
    // Exactly at the limit is accepted.
    expect((await upload(ws.slug, owner, { body: body.slice(0, 2000), maxBytes: 2000 })).status).toBe(202);
  });

  it("answers 400 to an unknown type, a bad mapping, another content type, an empty file; 403 cross-site", async () => {
    const ws = await createTestWorkspace(h.db);
    const owner = await member(ws.id, "owner");
    const cases = [
      { query: "type=pageview" },
      { query: "type=lead&mapping=%7Bnope" },
      { headers: { "content-type": "text/plain" } },
      { body: "\n\n" },
    ];
    for (const c of cases) expect((await upload(ws.slug, owner, c)).status).toBe(400);
    const cross = await upload(ws.slug, owner, { headers: { origin: "https://evil.example", host: "localhost" } });
    expect(cross.status).toBe(403);
    expect(await listImportJobs(ws.id, h.db)).toEqual([]);
  });
});

describe("GET /api/v1/workspaces/<slug>/imports", () => {
  it("lists a workspace's jobs to its importers only, never another workspace's", async () => {
    const ws = await createTestWorkspace(h.db);
    const other = await createTestWorkspace(h.db);
    const marketer = await member(ws.id, "marketing");
    expect((await upload(ws.slug, marketer)).status).toBe(202);
    const jobs = await listImportJobsForMember({ slug: ws.slug, userId: marketer, db: h.db });
    expect(jobs.map((j) => [j.fileName, j.status, j.rows, j.duplicates])).toEqual([["leads.csv", "queued", null, 0]]);
    expect(jobs[0]).not.toHaveProperty("csv");
    const viewer = await member(ws.id, "viewer");
    await expect(listImportJobsForMember({ slug: ws.slug, userId: viewer, db: h.db })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const outsider = await member(other.id, "owner");
    await expect(listImportJobsForMember({ slug: ws.slug, userId: outsider, db: h.db })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await listImportJobsForMember({ slug: other.slug, userId: outsider, db: h.db })).toEqual([]);
  });
});
