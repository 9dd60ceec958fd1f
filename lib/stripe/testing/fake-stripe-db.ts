// A test file's database and fake Stripe API: opened before its tests, closed after them.
import { afterAll, beforeAll } from "vitest";
import type { DbHandle } from "@/db/client";
import { createTestDb } from "@/db/testing";
import { startFakeStripe, type FakeStripe } from "@/scripts/fake-stripe/server";

/** A test database and a fake Stripe API serving `subscriptions` subscriptions, for the file's tests. */
export function fakeStripeDbForFile(subscriptions: number): { readonly h: DbHandle; readonly fake: FakeStripe } {
  const env = {} as { h: DbHandle; fake: FakeStripe };
  beforeAll(async () => {
    env.h = await createTestDb();
    env.fake = await startFakeStripe({ subscriptions });
  });
  afterAll(async () => {
    await env.fake?.close();
    await env.h?.close();
  });
  return env;
}
