import { z } from "zod";
import type { RefundRecord } from "../types";
import { currency, idOrObject, loose, money, parseWith, toInstant } from "./common";

export const refundSchema = loose({
  object: z.literal("refund"),
  id: z.string(),
  charge: idOrObject.nullable().optional(),
  amount: money,
  currency,
  status: z.string().nullable().optional(),
  created: z.number().int(),
});

export const toRefund = (r: z.output<typeof refundSchema>): RefundRecord => ({
  id: r.id,
  chargeId: r.charge ?? null,
  amount: r.amount,
  currency: r.currency,
  status: r.status ?? null,
  created: toInstant(r.created),
});

export const normalizeRefund = (input: unknown) => parseWith(refundSchema, input, toRefund);
