// Stripe event envelopes (fixtures/stripe/lifecycle/*.json): key order, `request` for API-made changes, and
// `previous_attributes` as Stripe computes it: the old value of every top-level field that changed.
import type { Shape } from "./models";
import type { Rng } from "./random";

const API_VERSIONS: Record<Shape, string> = { v1: "2020-03-02", v2: "2026-10-28.endive" };

export type StripeEventEnvelope = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

/** The old values of the top-level fields that differ, or undefined when nothing changed. */
export function previousAttributes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(after)) {
    const a = before[key];
    const b = after[key];
    if (a === b) continue;
    if (typeof a === "object" && typeof b === "object" && JSON.stringify(a) === JSON.stringify(b)) continue;
    (out ??= {})[key] = a === undefined ? null : a;
  }
  return out;
}

const uuidLike = (rng: Rng) => {
  const hex = rng
    .base62(32)
    .replace(/[^0-9a-f]/gi, "a")
    .toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export function buildEvent(input: {
  rng: Rng;
  shape: Shape;
  type: string;
  created: number;
  object: Record<string, unknown>;
  previous?: Record<string, unknown>;
  /** "api": made by a request (with an idempotency key); "auto": Stripe's own doing (renewals, retries). */
  origin: "api" | "auto";
}): StripeEventEnvelope {
  const { rng } = input;
  return {
    id: rng.id("evt", 24),
    object: "event",
    api_version: API_VERSIONS[input.shape],
    created: input.created,
    data: input.previous ? { object: input.object, previous_attributes: input.previous } : { object: input.object },
    livemode: false,
    pending_webhooks: 1,
    request:
      input.origin === "api"
        ? { id: rng.id("req", 14), idempotency_key: uuidLike(rng) }
        : { id: null, idempotency_key: null },
    type: input.type,
  };
}
