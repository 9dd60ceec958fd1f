// Prices and legacy plans (a recurring price has a plan with the same id; fixture lifecycle/03_plan.created).
import { z } from "zod";
import type { Price } from "../types";
import { currency, idOrObject, isRecord, loose, parseWith } from "./common";

const tier = loose({
  up_to: z.union([z.number().int(), z.literal("inf")]).nullable(),
  unit_amount: z.number().int().nullable().optional(),
  unit_amount_decimal: z.string().nullable().optional(),
  flat_amount: z.number().int().nullable().optional(),
});
const billingScheme = z.enum(["per_unit", "tiered"]);
const interval = z.enum(["day", "week", "month", "year"]);
const usageType = z.enum(["licensed", "metered"]);
const tiersMode = z.enum(["graduated", "volume"]).nullable().optional();

const priceSchema = loose({
  object: z.literal("price"),
  id: z.string(),
  product: idOrObject.nullable().optional(),
  currency,
  type: z.enum(["recurring", "one_time"]),
  recurring: loose({
    interval,
    interval_count: z.number().int().positive(),
    usage_type: usageType.default("licensed"),
    meter: z.string().nullable().optional(),
  }).nullable(),
  billing_scheme: billingScheme.default("per_unit"),
  unit_amount: z.number().int().nullable().optional(),
  unit_amount_decimal: z.string().nullable().optional(),
  tiers_mode: tiersMode,
  tiers: z.array(tier).nullable().optional(),
  transform_quantity: loose({ divide_by: z.number().int().positive(), round: z.enum(["up", "down"]) })
    .nullable()
    .optional(),
  tax_behavior: z.enum(["exclusive", "inclusive", "unspecified"]).nullable().optional(),
  custom_unit_amount: z.unknown().optional(),
  nickname: z.string().nullable().optional(),
});

const planSchema = loose({
  object: z.literal("plan"),
  id: z.string(),
  product: idOrObject.nullable().optional(),
  currency,
  interval,
  interval_count: z.number().int().positive(),
  usage_type: usageType.default("licensed"),
  meter: z.string().nullable().optional(),
  billing_scheme: billingScheme.default("per_unit"),
  amount: z.number().int().nullable().optional(),
  amount_decimal: z.string().nullable().optional(),
  tiers_mode: tiersMode,
  tiers: z.array(tier).nullable().optional(),
  transform_usage: loose({ divide_by: z.number().int().positive(), round: z.enum(["up", "down"]) })
    .nullable()
    .optional(),
  nickname: z.string().nullable().optional(),
});

type Tier = z.output<typeof tier>;
const toTiers = (tiers: Tier[] | null | undefined) =>
  (tiers ?? []).map((t) => ({
    upTo: t.up_to === "inf" ? null : t.up_to,
    unitAmountDecimal:
      t.unit_amount_decimal ?? (t.unit_amount === null || t.unit_amount === undefined ? null : String(t.unit_amount)),
    flatAmount: t.flat_amount ?? null,
  }));

/** A `price` object, or a legacy `plan` (always recurring; plans carry no tax behavior). */
export function normalizePrice(input: unknown) {
  if (isRecord(input) && input.object === "plan") {
    return parseWith(planSchema, input, (p): Price => ({
      id: p.id,
      productId: p.product ?? null,
      currency: p.currency,
      type: "recurring",
      interval: p.interval,
      intervalCount: p.interval_count,
      usageType: p.meter ? "metered" : p.usage_type,
      billingScheme: p.billing_scheme,
      unitAmountDecimal: p.amount_decimal ?? (p.amount === null || p.amount === undefined ? null : String(p.amount)),
      tiersMode: p.tiers_mode ?? null,
      tiers: toTiers(p.tiers),
      transformQuantity: p.transform_usage
        ? { divideBy: p.transform_usage.divide_by, round: p.transform_usage.round }
        : null,
      taxBehavior: "unspecified",
      customUnitAmount: false,
      nickname: p.nickname ?? null,
    }));
  }
  return parseWith(priceSchema, input, (p): Price => {
    const recurring = p.type === "recurring" ? p.recurring : null;
    return {
      id: p.id,
      productId: p.product ?? null,
      currency: p.currency,
      type: p.type,
      interval: recurring?.interval ?? "month",
      intervalCount: recurring?.interval_count ?? 1,
      usageType: recurring?.meter ? "metered" : (recurring?.usage_type ?? "licensed"),
      billingScheme: p.billing_scheme,
      unitAmountDecimal:
        p.unit_amount_decimal ?? (p.unit_amount === null || p.unit_amount === undefined ? null : String(p.unit_amount)),
      tiersMode: p.tiers_mode ?? null,
      tiers: toTiers(p.tiers),
      transformQuantity: p.transform_quantity
        ? { divideBy: p.transform_quantity.divide_by, round: p.transform_quantity.round }
        : null,
      taxBehavior: p.tax_behavior ?? "unspecified",
      customUnitAmount: p.custom_unit_amount !== null && p.custom_unit_amount !== undefined,
      nickname: p.nickname ?? null,
    };
  });
}
