import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { apiKeys, fxRates, memberships, users, workspaces } from "@/db/schema";
import { createTestDb } from "@/db/testing";
import { hashToken } from "@/lib/crypto";

// The operator CLI as its own process: against the run's Postgres when there is one, else against an embedded
// data directory of its own, which this file opens only when no CLI process holds it.
let h: (DbHandle & { url?: string }) | undefined;
let dir: string;
beforeAll(async () => {
  if (inject("testDb").postgresUrl) h = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "northstar-cli-"));
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };
function admin(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", APP_URL: "https://metrics.example.test" };
  delete env.DATABASE_URL;
  if (h?.url) env.DATABASE_URL = h.url;
  else env.DATA_DIR = path.join(dir, "data");
  return new Promise((resolve) => {
    execFile("node_modules/.bin/tsx", ["scripts/admin.ts", ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 2) : 0, stdout, stderr });
    });
  });
}

async function withDb<T>(fn: (db: DbHandle["db"]) => Promise<T>): Promise<T> {
  const handle = h ?? (await openDb({ kind: "pglite", dataDir: path.join(dir, "data"), role: "cli" }));
  try {
    return await fn(handle.db);
  } finally {
    if (handle !== h) await handle.close();
  }
}

const counts = () =>
  withDb(async (db) => ({
    workspaces: (await db.select({ n: count() }).from(workspaces))[0]!.n,
    users: (await db.select({ n: count() }).from(users))[0]!.n,
    memberships: (await db.select({ n: count() }).from(memberships))[0]!.n,
    apiKeys: (await db.select({ n: count() }).from(apiKeys))[0]!.n,
  }));

/** One `error:` line on stderr, nothing on stdout, the exit code of interfaces.md. */
function expectError(run: Run, code: 1 | 2, pattern: RegExp) {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe("");
  const lines = run.stderr
    .trim()
    .split("\n")
    .filter((l) => !l.startsWith("{"));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

describe("npm run admin", { timeout: 180_000 }, () => {
  const slug = `cli-${process.pid}`;
  const owner = ["--owner-email", `owner-${slug}@x.test`, "--owner-password", "long-password1"];

  it("create-workspace prints the workspace and owner as one JSON object", async () => {
    const run = await admin(
      "create-workspace",
      "--name",
      "CLI Co",
      "--slug",
      slug,
      "--currency",
      "eur",
      "--timezone",
      "Europe/Paris",
      ...owner,
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toEqual({
      workspace: { id: expect.stringMatching(/^ws_[0-9a-z]{20}$/), slug, currency: "eur", timezone: "Europe/Paris" },
      user: { id: expect.stringMatching(/^usr_/), email: `owner-${slug}@x.test` },
    });
  });

  it("refuses a missing flag, a taken slug and an unknown role with exit 1 and writes nothing", async () => {
    const before = await counts();
    expectError(await admin("create-workspace", "--slug", `${slug}-2`, ...owner), 1, /--name is required/);
    expectError(
      await admin("create-workspace", "--name", "Again", "--slug", slug, ...owner),
      1,
      new RegExp(`slug "${slug}" is taken`),
    );
    expectError(
      await admin("add-member", "--workspace", slug, "--email", "x@x.test", "--role", "cfo"),
      1,
      /--role .*owner, admin, finance, marketing, success, viewer/,
    );
    expectError(
      await admin("add-member", "--workspace", "no-such-ws", "--email", "x@x.test", "--role", "viewer"),
      1,
      /no workspace with slug "no-such-ws"/,
    );
    expectError(await admin("create-api-key", "--workspace", slug, "--scopes", "metrics:write"), 1, /--scopes/);
    expectError(await admin("frobnicate"), 1, /unknown command "frobnicate"/);
    expectError(
      await admin("create-workspace", "--name", "X", "--slug", "y", "--bogus", "1", ...owner),
      1,
      /unknown flag --bogus/,
    );
    expect(await counts()).toEqual(before);
  });

  it("add-member without a password prints a one-time invitation link on APP_URL; with one it adds an active member", async () => {
    const invited = await admin(
      "add-member",
      "--workspace",
      slug,
      "--email",
      `cfo-${slug}@x.test`,
      "--role",
      "finance",
    );
    expect(invited.code, invited.stderr).toBe(0);
    const out = JSON.parse(invited.stdout);
    expect(out.membership).toEqual({ userId: expect.stringMatching(/^usr_/), role: "finance" });
    expect(out.inviteUrl).toMatch(/^https:\/\/metrics\.example\.test\/invite\/[A-Za-z0-9_-]{43}$/);
    const added = await admin(
      "add-member",
      "--workspace",
      slug,
      "--email",
      `viewer-${slug}@x.test`,
      "--role",
      "viewer",
      "--password",
      "viewer-pass-1",
    );
    expect(JSON.parse(added.stdout)).toEqual({
      membership: { userId: expect.stringMatching(/^usr_/), role: "viewer" },
    });
  });

  it("create-api-key shows the token once and stores only its sha256", async () => {
    const run = await admin(
      "create-api-key",
      "--workspace",
      slug,
      "--scopes",
      "metrics:read,ingest:write",
      "--name",
      "ci",
    );
    expect(run.code, run.stderr).toBe(0);
    const { apiKey } = JSON.parse(run.stdout) as { apiKey: { id: string; token: string } };
    expect(apiKey.token).toMatch(/^ns_[A-Za-z0-9_-]{43}$/);
    const stored = await withDb((db) => db.select().from(apiKeys));
    const row = stored.find((k) => k.id === apiKey.id)!;
    expect(row.tokenHash).toBe(hashToken(apiKey.token));
    expect(JSON.stringify(stored)).not.toContain(apiKey.token);
    expect(row.scopes).toEqual(["metrics:read", "ingest:write"]);
  });

  it("load-fx-rates loads a CSV of rates all or nothing", async () => {
    fs.writeFileSync(path.join(dir, "rates.csv"), "currency,date,rate\neur,2026-06-01,1.1000\nGBP,2026-06-01,1.27\n");
    fs.writeFileSync(path.join(dir, "bad.csv"), "currency,date,rate\njpy,2026-06-01,0.0067\neur,2026-07-01,-1\n");
    const ok = await admin("load-fx-rates", "--workspace", slug, "--file", path.join(dir, "rates.csv"));
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ loaded: 2 });
    expectError(
      await admin("load-fx-rates", "--workspace", slug, "--file", path.join(dir, "bad.csv")),
      1,
      /row 2: rate/,
    );
    const rates = await withDb((db) => db.select().from(fxRates));
    expect(rates.map((r) => [r.currency, r.rateDate, r.rate]).sort()).toEqual([
      ["eur", "2026-06-01", "1.1000"],
      ["gbp", "2026-06-01", "1.27"],
    ]);
  });
});
