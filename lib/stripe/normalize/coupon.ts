import { z } from "zod";
import type { Coupon } from "../types";
import { currency, decimalString, loose, parseWith } from "./common";

export const couponSchema = loose({
  id: z.string(),
  percent_off: decimalString.nullable().optional(),
  amount_off: z.number().int().nullable().optional(),
  currency: currency.nullable().optional(),
  currency_options: z
    .record(z.string(), loose({ amount_off: z.number().int() }))
    .nullable()
    .optional(),
  duration: z.enum(["once", "repeating", "forever"]),
  duration_in_months: z.number().int().nullable().optional(),
}).refine(
  (c) => (c.percent_off ?? null) !== null || (c.amount_off ?? null) !== null,
  "coupon has neither percent_off nor amount_off",
);

export const toCoupon = (c: z.output<typeof couponSchema>): Coupon => ({
  id: c.id,
  percentOff: c.percent_off ?? null,
  amountOff: c.amount_off ?? null,
  currency: c.currency ?? null,
  currencyOptions: Object.fromEntries(
    Object.entries(c.currency_options ?? {}).map(([cur, o]) => [cur.toLowerCase(), o.amount_off]),
  ),
  duration: c.duration,
  durationInMonths: c.duration === "repeating" ? (c.duration_in_months ?? null) : null,
});

export const normalizeCoupon = (input: unknown) => parseWith(couponSchema, input, toCoupon);
