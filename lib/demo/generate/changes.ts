// Mid-period changes a customer makes: upgrades and downgrades along Starter → Pro → Team, seat changes on Team,
// a coupon, a goodwill refund. Drawn per month of the period, at increasing times, so each builds on the last.
import type { CouponDef, PlanKey } from "./catalog";
import type { SubscriptionModel } from "./models";
import type { Rng } from "./random";
import { DAY, MINUTE } from "./time";

export type Change =
  | { at: number; kind: "plan"; planKey: PlanKey; quantity: number }
  | { at: number; kind: "seats"; quantity: number }
  | { at: number; kind: "coupon"; coupon: CouponDef }
  | { at: number; kind: "refund" };

/** Stripe's cancellation feedback options, with a comment a customer might leave beside each. */
export const FEEDBACK = [
  "too_expensive",
  "missing_features",
  "switched_service",
  "unused",
  "low_quality",
  "other",
] as const;
export const COMMENTS: Record<(typeof FEEDBACK)[number], string> = {
  too_expensive: "Budget cuts this quarter",
  missing_features: "We need SSO and custom reports",
  switched_service: "Moving to another tool",
  unused: "The team stopped using it",
  low_quality: "Too many sync issues",
  other: "Company restructuring",
};

export function drawChanges(
  rng: Rng,
  coupons: readonly CouponDef[],
  sub: SubscriptionModel,
  from: number,
  to: number,
): Change[] {
  if (to <= from) return [];
  const months = Math.max(1, Math.round((to - from) / (30 * DAY)));
  const changes: Change[] = [];
  let planKey = sub.planKey as PlanKey;
  let quantity = sub.items[0]!.quantity;
  let hasDiscount = sub.discount !== null;
  let cursor = from;
  let slotEnd = from;
  const when = () => {
    const t = cursor + Math.floor(rng.float() * Math.max(0, slotEnd - cursor));
    cursor = t + MINUTE;
    return t;
  };
  for (let m = 0; m < months; m++) {
    slotEnd = from + Math.floor(((m + 1) * (to - from)) / months);
    cursor = Math.max(cursor, from + Math.floor((m * (to - from)) / months));
    if (planKey !== "team" && rng.chance(0.022)) {
      planKey = planKey === "starter" ? "pro" : "team";
      quantity = planKey === "team" ? rng.int(3, 8) : 1;
      changes.push({ at: when(), kind: "plan", planKey, quantity });
    } else if (planKey !== "starter" && rng.chance(0.01)) {
      planKey = planKey === "team" ? "pro" : "starter";
      quantity = 1;
      changes.push({ at: when(), kind: "plan", planKey, quantity });
    }
    if (planKey === "team" && rng.chance(0.12)) {
      const delta = rng.chance(0.7) ? rng.int(1, 3) : -rng.int(1, 2);
      const next = Math.max(2, quantity + delta);
      if (next !== quantity) changes.push({ at: when(), kind: "seats", quantity: (quantity = next) });
    }
    if (!hasDiscount && rng.chance(0.025)) {
      hasDiscount = true;
      changes.push({
        at: when(),
        kind: "coupon",
        coupon: rng.weighted(coupons.map((c) => [c, c.duration === "forever" ? 1 : 2] as const)),
      });
    }
    if (rng.chance(0.015)) changes.push({ at: when(), kind: "refund" });
  }
  return changes.filter((c) => c.at < to);
}
