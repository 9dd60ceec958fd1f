// What the connection keeps prepared (db/prepared.ts): drizzle's queries with 1–64 parameters, in and out of
// transactions; not the ones without parameters or with more. Postgres only (PGlite has no named statements).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/db/testing";
import { openDb, type DbHandle } from "./client";
import { MAX_PREPARED_PARAMS } from "./prepared";

const url = process.env.TEST_DATABASE_URL;
let outer: Awaited<ReturnType<typeof createTestDb>>;
let h: DbHandle;

beforeAll(async () => {
  if (!url) return;
  outer = await createTestDb();
  // One connection, so that pg_prepared_statements (per session) sees every statement sent.
  h = await openDb({ kind: "postgres", url: outer.url!, max: 1 });
});
afterAll(async () => {
  await h?.close();
  await outer?.close();
});

const prepared = async (marker: string) =>
  (
    await h.sql!.unsafe<{ statement: string }[]>(
      `select statement from pg_prepared_statements where statement like '%' || $1 || '%' and statement not like '%pg_prepared_statements%'`,
      [marker],
    )
  ).map((r) => r.statement);

describe.skipIf(!url)("prepared statements on Postgres", () => {
  it("prepares a query with parameters once, and reuses it inside a transaction", async () => {
    for (const n of [1, 2, 3]) {
      const rows = await h.db.execute(sql`select ${n}::int + 1 as next /* marker_a */`);
      expect(Number((rows as unknown as { next: number }[])[0]!.next)).toBe(n + 1);
    }
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`select ${7}::int as seven /* marker_a */`);
      await tx.transaction(async (inner) => {
        await inner.execute(sql`select ${8}::int as eight /* marker_b */`);
      });
    });
    const a = await prepared("marker_a");
    expect(a).toHaveLength(2);
    expect(a.every((s) => s.includes("$1"))).toBe(true);
    expect(await prepared("marker_b")).toHaveLength(1);
  });

  it("leaves statements without parameters, or with more than the limit, unnamed", async () => {
    await h.db.execute(sql`select 1 as one /* marker_c */`);
    const many = Array.from({ length: MAX_PREPARED_PARAMS + 1 }, (_, i) => sql`${i}::int`);
    const rows = await h.db.execute(sql`select array[${sql.join(many, sql`, `)}] as xs /* marker_d */`);
    expect((rows as unknown as { xs: number[] }[])[0]!.xs).toHaveLength(MAX_PREPARED_PARAMS + 1);
    expect(await prepared("marker_c")).toEqual([]);
    expect(await prepared("marker_d")).toEqual([]);
  });
});
