// Resolves a normalized subscription into the KPI engine's SubscriptionState: discount ids become Discounts with
// their Coupon, from inline objects or the projected discounts/coupons; v1 subscriptions without a discount take
// the customer's (N6). What was missing is simply absent and recorded in `refs`, so the row is re-derived when the
// discount or coupon arrives (lifecycle 16 vs 17 in either order end in the same state).
import type { Coupon, Discount, SubscriptionState } from "@/lib/metrics/types";
import type { Executor } from "@/db/client";
import { lockCustomerLedgers } from "@/db/queries/config-lock";
import { sameJson } from "@/lib/metrics/mrr-series";
import {
  listDiscountResolution,
  listRowsByRefs,
  updateDerivedStates,
  type ResolutionRow,
} from "@/db/queries/stripe-projection";
import type { BatchContext } from "./handlers/context";
import type { DiscountRecord, DiscountRef, SubscriptionRecord } from "./types";

type Lookup = {
  discounts: Map<string, DiscountRecord>;
  coupons: Map<string, Coupon>;
  customerDiscount: Map<string, string>;
};

function needs(records: SubscriptionRecord[]) {
  const discountIds = new Set<string>();
  const couponIds = new Set<string>();
  const customerIds = new Set<string>();
  const visit = (refs: DiscountRef[]) => {
    for (const r of refs) {
      if ("inline" in r) {
        if (!r.inline.coupon) couponIds.add(r.inline.couponId);
      } else discountIds.add(r.id);
    }
  };
  for (const s of records) {
    visit(s.discounts);
    for (const i of s.items) visit(i.discounts);
    if (s.useCustomerDiscount) customerIds.add(s.customerId);
  }
  return { discountIds: [...discountIds], couponIds: [...couponIds], customerIds: [...customerIds] };
}

function toLookup(rows: ResolutionRow[]): Lookup {
  const lookup: Lookup = { discounts: new Map(), coupons: new Map(), customerDiscount: new Map() };
  for (const r of rows) {
    if (r.kind === "customer") lookup.customerDiscount.set(r.id, r.discount_id!);
    else if (r.kind === "coupon") lookup.coupons.set(r.id, r.coupon_data as Coupon);
    else {
      const coupon = (r.coupon ?? r.coupon_data ?? null) as Coupon | null;
      lookup.discounts.set(r.id, {
        id: r.id,
        couponId: r.coupon_id!,
        coupon,
        customerId: null,
        subscriptionId: null,
        subscriptionItemId: null,
        promotionCodeId: null,
        start: Number(r.start),
        end: r.end === null || r.end === undefined ? null : Number(r.end),
      });
    }
  }
  return lookup;
}

export async function loadLookup(workspaceId: string, db: Executor, records: SubscriptionRecord[]): Promise<Lookup> {
  const n = needs(records);
  if (n.discountIds.length + n.couponIds.length + n.customerIds.length === 0) return toLookup([]);
  return toLookup(await listDiscountResolution(workspaceId, db, n));
}

/** Pure: the resolved state and the ids it depends on. */
export function resolveState(s: SubscriptionRecord, lookup: Lookup): { state: SubscriptionState; refs: string[] } {
  const refs = new Set<string>();
  const resolveRefs = (list: DiscountRef[]): Discount[] => {
    const out: Discount[] = [];
    for (const r of list) {
      refs.add(r.id);
      const d = "inline" in r ? r.inline : lookup.discounts.get(r.id);
      if (!d) continue;
      refs.add(d.couponId);
      const coupon = d.coupon ?? lookup.coupons.get(d.couponId) ?? null;
      if (!coupon) continue;
      out.push({ id: d.id, coupon, start: d.start, end: d.end });
    }
    return out;
  };
  let discounts = resolveRefs(s.discounts);
  if (s.useCustomerDiscount) {
    refs.add(`cus:${s.customerId}`);
    const id = lookup.customerDiscount.get(s.customerId);
    if (id) discounts = resolveRefs([{ id }]);
  }
  const state: SubscriptionState = {
    subscriptionId: s.id,
    customerId: s.customerId,
    currency: s.currency,
    status: s.status,
    items: s.items.map((i) => ({
      id: i.id,
      price: i.price,
      quantity: i.quantity,
      discounts: resolveRefs(i.discounts),
      inclusiveTaxPercents: i.inclusiveTaxPercents,
    })),
    discounts,
    trialStart: s.trialStart,
    trialEnd: s.trialEnd,
    pauseCollection: s.pauseCollection,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    cancelAt: s.cancelAt,
    canceledAt: s.canceledAt,
    endedAt: s.endedAt,
    pastDueSince: null,
    cancellationReason: s.cancellationReason,
  };
  return { state, refs: [...refs].sort() };
}

/**
 * After discounts, coupons or customer discounts changed: re-resolve every version and latest row that depends on
 * any of them, and write the ones whose state or refs now differ, in a few statements whatever their number. Keeps
 * each version's `pastDueSince`, which depends on history, not on discounts. Returns the customers whose rows
 * changed.
 *
 * The rows are written under their customers' ledger locks (ADR 0016): an event of one of those customers may be
 * in flight, holding its lock from its first statement and about to write a version or the latest row. So the
 * customers are locked first, and the rows are read again under the locks, until no changed row belongs to a
 * customer not yet locked. It starts from `ctx.lockedCustomers`, the customers the transaction locked before it
 * wrote anything (an event's customer, a backfill page's): rows of theirs need no second read. A coupon names no
 * customer, so it starts from none; one that changes nothing (a new name) locks and writes nothing.
 */
export async function rederiveDependents(
  ctx: Pick<BatchContext, "tx" | "workspaceId" | "exclusive" | "lockedCustomers">,
  refs: string[],
): Promise<string[]> {
  if (refs.length === 0) return [];
  const { tx: db, workspaceId } = ctx;
  const locked = new Set(ctx.lockedCustomers);
  for (;;) {
    const changed = await changedDependents(workspaceId, db, refs);
    const customers = [...new Set(changed.map((u) => u.state.customerId))];
    const unlocked = customers.filter((c) => !locked.has(c));
    if (unlocked.length === 0 || ctx.exclusive) {
      await updateDerivedStates(workspaceId, db, changed);
      return customers;
    }
    await lockCustomerLedgers(db, workspaceId, unlocked);
    for (const c of unlocked) locked.add(c);
  }
}

async function changedDependents(workspaceId: string, db: Executor, refs: string[]) {
  const rows = await listRowsByRefs(workspaceId, db, refs);
  if (rows.length === 0) return [];
  const sources = rows.map((r) => r.source as SubscriptionRecord);
  const lookup = await loadLookup(workspaceId, db, sources);
  return rows.flatMap((row, i) => {
    const { state, refs: newRefs } = resolveState(sources[i]!, lookup);
    state.pastDueSince = (row.state as SubscriptionState).pastDueSince;
    // As stored: jsonb keeps no undefined member.
    const same = sameJson(JSON.parse(JSON.stringify(state)), row.state) && sameJson(newRefs, row.refs);
    return same
      ? []
      : [{ table: row.table, subscriptionId: row.subscription_id, eventId: row.event_id, state, refs: newRefs }];
  });
}
