// Invoices before 2025-03-31: `subscription`, `paid`, `charge` and `discount` on the invoice (legacy-api-2020).
import { z } from "zod";
import { idOrObject, loose, parseWith } from "./common";
import { invoiceBase, toInvoice } from "./invoice-shared";

const schema = loose({ ...invoiceBase, subscription: idOrObject.nullable(), paid: z.boolean().optional() });

export const normalizeInvoiceV1 = (input: unknown) =>
  parseWith(schema, input, (i) => toInvoice(i, "v1", i.subscription, i.paid));
