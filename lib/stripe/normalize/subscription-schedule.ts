import { z } from "zod";
import type { SubscriptionScheduleRecord } from "../types";
import { currency, idOrObject, loose, parseWith, toInstant, toInstantOrNull } from "./common";

const discountIds = z
  .array(loose({ discount: idOrObject.nullable().optional(), coupon: idOrObject.nullable().optional() }))
  .nullable()
  .optional()
  .transform((ds) => (ds ?? []).map((d) => d.discount ?? d.coupon ?? null).filter((v): v is string => v !== null));

const schema = loose({
  object: z.literal("subscription_schedule"),
  id: z.string(),
  customer: idOrObject,
  subscription: idOrObject.nullable().optional(),
  status: z.enum(["not_started", "active", "completed", "released", "canceled"]),
  end_behavior: z.enum(["release", "cancel", "none", "renew"]),
  created: z.number().int(),
  canceled_at: z.number().int().nullable().optional(),
  completed_at: z.number().int().nullable().optional(),
  released_at: z.number().int().nullable().optional(),
  phases: z.array(
    loose({
      start_date: z.number().int(),
      end_date: z.number().int().nullable().optional(),
      currency: currency.nullable().optional(),
      discounts: discountIds,
      items: z.array(
        loose({ price: idOrObject, quantity: z.number().int().nullable().optional(), discounts: discountIds }),
      ),
    }),
  ),
});

export const normalizeSubscriptionSchedule = (input: unknown) =>
  parseWith(schema, input, (s): SubscriptionScheduleRecord => ({
    id: s.id,
    customerId: s.customer,
    subscriptionId: s.subscription ?? null,
    status: s.status,
    endBehavior: s.end_behavior,
    created: toInstant(s.created),
    canceledAt: toInstantOrNull(s.canceled_at),
    completedAt: toInstantOrNull(s.completed_at),
    releasedAt: toInstantOrNull(s.released_at),
    phases: s.phases.map((p) => ({
      start: toInstant(p.start_date),
      end: toInstantOrNull(p.end_date),
      currency: p.currency ?? null,
      discountIds: p.discounts,
      items: p.items.map((i) => ({ priceId: i.price, quantity: i.quantity ?? 0, discountIds: i.discounts })),
    })),
  }));
