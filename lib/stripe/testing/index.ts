// Test helpers for the Stripe projection: fixtures (copied into the repository), a canonical dump of every
// projection table, deterministic shuffles, and signed webhook requests.
import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Executor } from "@/db/client";
import { projectionTables } from "@/db/queries/stripe-projection";
import type { StripeEvent } from "../event";

// The Stripe fixtures live once, in fixtures/stripe at the repository root (copied from the shared material).
const FIXTURES = path.resolve(import.meta.dirname, "../../../fixtures/stripe");

export function loadLifecycle(): StripeEvent[] {
  return fs
    .readFileSync(path.join(FIXTURES, "lifecycle", "lifecycle.ndjson"), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as StripeEvent);
}

export function loadFixture<T = StripeEvent>(folder: "legacy-api-2020" | "openapi-fixtures3", name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, folder, `${name}.json`), "utf8")) as T;
}

/** mulberry32: a small seeded PRNG so every shuffle is reproducible from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle with about a third of the events delivered twice. */
export function shuffleWithDuplicates<T>(items: T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...items, ...items.filter(() => r() < 0.35)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const OMIT = new Set(["workspaceId", "connectionId", "receivedAt", "updatedAt"]);

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .filter((k) => !OMIT.has(k))
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Every projection table of a workspace (rows sorted, columns sorted, ids of workspace/connection left out). */
export async function dumpProjection(workspaceId: string, db: Executor): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, table] of Object.entries(projectionTables)) {
    const t = table as unknown as typeof projectionTables.customers;
    const rows: unknown[] = await db
      .select()
      .from(t)
      .where(eq(t.workspaceId, workspaceId))
      .orderBy(sql`1`);
    // Each row's JSON is computed once: comparing rows by JSON.stringify inside the sort took seconds at 10,000 rows.
    out[name] = rows
      .map((r) => {
        const row = canonical(r);
        return { row, key: JSON.stringify(row) };
      })
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((r) => r.row);
  }
  return out;
}

const stripe = new Stripe("sk_test_unused");

export function signedRequest(
  url: string,
  payload: string,
  secret: string,
  init: { timestamp?: number; header?: string } = {},
): Request {
  const header =
    init.header ??
    stripe.webhooks.generateTestHeaderString({
      payload,
      secret,
      ...(init.timestamp ? { timestamp: init.timestamp } : {}),
    });
  return new Request(url, {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", "stripe-signature": header },
  });
}

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
