import { z } from "zod";
import type { CreditNoteRecord } from "../types";
import { currency, idOrObject, loose, money, parseWith, toInstant, toInstantOrNull } from "./common";

const schema = loose({
  object: z.literal("credit_note"),
  id: z.string(),
  invoice: idOrObject.nullable().optional(),
  customer: idOrObject.nullable().optional(),
  status: z.string(),
  currency,
  amount: money,
  total: money,
  created: z.number().int(),
  voided_at: z.number().int().nullable().optional(),
});

export const normalizeCreditNote = (input: unknown) =>
  parseWith(schema, input, (c): CreditNoteRecord => ({
    id: c.id,
    invoiceId: c.invoice ?? null,
    customerId: c.customer ?? null,
    status: c.status,
    currency: c.currency,
    amount: c.amount,
    total: c.total,
    created: toInstant(c.created),
    voidedAt: toInstantOrNull(c.voided_at),
  }));
