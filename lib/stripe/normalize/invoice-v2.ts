// Invoices from 2025-03-31: the subscription moved to `parent.subscription_details.subscription`.
import { z } from "zod";
import { idOrObject, loose, parseWith } from "./common";
import { invoiceBase, toInvoice } from "./invoice-shared";

const schema = loose({
  ...invoiceBase,
  parent: loose({
    type: z.string().optional(),
    subscription_details: loose({ subscription: idOrObject.nullable().optional() }).nullable().optional(),
  }).nullable(),
});

export const normalizeInvoiceV2 = (input: unknown) =>
  parseWith(schema, input, (i) => toInvoice(i, "v2", i.parent?.subscription_details?.subscription ?? null, undefined));
