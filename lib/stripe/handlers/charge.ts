// charge.* (succeeded, failed, captured, refunded, updated, pending, expired). The charge's embedded refunds are
// projected too, each with its own freshness.
import { upsertCharge, upsertRefunds } from "@/db/queries/stripe-projection";
import { normalizeCharge } from "../normalize/charge";
import { appliedOrStale, freshness, rejected, type Handler } from "./context";

const RANK: Record<string, number> = { pending: 1, failed: 2, succeeded: 3 };

export const applyChargeEvent: Handler = async (ctx) => {
  const n = normalizeCharge(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const c = n.value;
  const fresh = freshness(ctx, (RANK[c.status] ?? 0) * 10 + (c.refunded ? 2 : c.amountRefunded > 0 ? 1 : 0));
  const { refunds, ...charge } = c;
  const applied = await upsertCharge(ctx.workspaceId, ctx.tx, { ...charge, created: new Date(c.created), ...fresh });
  await upsertRefunds(
    ctx.workspaceId,
    ctx.tx,
    refunds.map((r) => ({ ...r, created: new Date(r.created), ...fresh })),
  );
  return appliedOrStale(applied, c.customerId ? [c.customerId] : []);
};
