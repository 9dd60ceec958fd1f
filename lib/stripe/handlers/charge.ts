// charge.* (succeeded, failed, captured, refunded, updated, pending, expired), and backfill.charge. The charge's
// embedded refunds are projected too, each with its own freshness. A backfill page goes through in one batch.
import { upsertCharges, upsertRefunds } from "@/db/queries/stripe-projection";
import type { StripeEvent } from "../event";
import { normalizeCharge } from "../normalize/charge";
import type { ChargeRecord } from "../types";
import { freshness, rejected, single, type BatchHandler, type HandlerResult } from "./context";

const RANK: Record<string, number> = { pending: 1, failed: 2, succeeded: 3 };

type Planned = { c: ChargeRecord; fresh: ReturnType<typeof freshness> };

export const applyChargeEvents: BatchHandler = async (ctx, events) => {
  const results: (HandlerResult | Planned)[] = events.map((event: StripeEvent) => {
    const n = normalizeCharge(event.data.object);
    if (!n.ok) return rejected(n);
    const c = n.value;
    const rank = (RANK[c.status] ?? 0) * 10 + (c.refunded ? 2 : c.amountRefunded > 0 ? 1 : 0);
    return { c, fresh: freshness({ ...ctx, event }, rank) };
  });
  const planned = results.filter((r): r is Planned => "c" in r);
  const applied = await upsertCharges(
    ctx.workspaceId,
    ctx.tx,
    planned.map(({ c: { refunds: _refunds, ...charge }, fresh }) => ({
      ...charge,
      created: new Date(charge.created),
      ...fresh,
    })),
  );
  await upsertRefunds(
    ctx.workspaceId,
    ctx.tx,
    planned.flatMap(({ c, fresh }) => c.refunds.map((r) => ({ ...r, created: new Date(r.created), ...fresh }))),
  );
  return results.map((r) =>
    "c" in r
      ? { outcome: applied.has(r.c.id) ? "applied" : "stale", customerIds: r.c.customerId ? [r.c.customerId] : [] }
      : r,
  );
};

export const applyChargeEvent = single(applyChargeEvents);
