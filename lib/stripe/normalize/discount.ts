import type { DiscountRecord, DiscountRef, Normalized } from "../types";
import { isRecord } from "./common";
import { normalizeDiscountV1 } from "./discount-v1";
import { normalizeDiscountV2 } from "./discount-v2";

/** Picks the shape from the object itself: `source` (2025-09-30+) or `coupon` (older). */
export function normalizeDiscount(input: unknown): Normalized<DiscountRecord> {
  if (isRecord(input) && "source" in input && !("coupon" in input)) return normalizeDiscountV2(input);
  return normalizeDiscountV1(input);
}

/** An entry of a `discounts` array: an id, or an expanded discount object. */
export function normalizeDiscountRef(input: unknown): Normalized<DiscountRef> {
  if (typeof input === "string") return { ok: true, value: { id: input } };
  const d = normalizeDiscount(input);
  return d.ok ? { ok: true, value: { id: d.value.id, inline: d.value } } : d;
}

export function normalizeDiscountRefs(input: unknown[] | null | undefined, path: string): Normalized<DiscountRef[]> {
  const out: DiscountRef[] = [];
  for (const [i, entry] of (input ?? []).entries()) {
    const r = normalizeDiscountRef(entry);
    if (!r.ok) return { ok: false, reason: `${path}.${i}: ${r.reason}` };
    out.push(r.value);
  }
  return { ok: true, value: out };
}
