// The event envelope as we use it (verify.ts checks it), and the freshness key that orders events per object.
import { z } from "zod";

export const eventEnvelopeSchema = z.looseObject({
  id: z.string().regex(/^evt_[A-Za-z0-9_]+$/, "must be an evt_… id"),
  object: z.literal("event").optional(),
  type: z.string().min(1),
  created: z.number().int().positive(),
  api_version: z.string().nullable().optional(),
  livemode: z.boolean().optional(),
  account: z.string().optional(),
  data: z.looseObject({
    object: z.looseObject({}),
    previous_attributes: z.looseObject({}).optional(),
  }),
});

/** A Stripe event, or a backfill pseudo-event (`backfill:<object id>:<run>`), as the projection sees it. */
export type StripeEvent = {
  id: string;
  type: string;
  /** Unix seconds, as Stripe sends it. */
  created: number;
  api_version?: string | null;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [key: string]: unknown;
};

/**
 * `<created>.<rank>.<event id>`, fixed width, compared as text. `created` decides; within one second the rank (a
 * state-derived progression, see docs/decisions/0003-stripe-event-ordering.md) decides; the event id breaks ties.
 */
export function eventKey(createdSeconds: number, rank: number, eventId: string): string {
  return `${String(createdSeconds).padStart(11, "0")}.${String(Math.max(0, Math.min(rank, 999_999))).padStart(6, "0")}.${eventId}`;
}

/** The event type's contribution to the rank: a `.deleted` beats an `.updated` beats a `.created` in one second. */
export function typeRank(type: string): number {
  if (type.endsWith(".deleted") || type.endsWith(".voided")) return 9;
  if (type.endsWith(".created")) return 0;
  return 1;
}
