import type { InvoiceRecord, Normalized } from "../types";
import { isRecord } from "./common";
import { normalizeInvoiceV1 } from "./invoice-v1";
import { normalizeInvoiceV2 } from "./invoice-v2";

/** A top-level `subscription` key only exists before 2025-03-31; `parent` only after. */
export function normalizeInvoice(input: unknown): Normalized<InvoiceRecord> {
  if (isRecord(input) && "subscription" in input && !("parent" in input)) return normalizeInvoiceV1(input);
  return normalizeInvoiceV2(input);
}
