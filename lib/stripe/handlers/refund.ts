// refund.created / refund.updated / refund.failed, and charge.refund.updated (which carries a refund object)
import { upsertRefunds } from "@/db/queries/stripe-projection";
import { normalizeRefund } from "../normalize/refund";
import { appliedOrStale, freshness, rejected, type Handler } from "./context";

const RANK: Record<string, number> = { pending: 1, requires_action: 1, succeeded: 2, failed: 3, canceled: 3 };

export const applyRefundEvent: Handler = async (ctx) => {
  const n = normalizeRefund(ctx.event.data.object);
  if (!n.ok) return rejected(n);
  const r = n.value;
  const written = await upsertRefunds(ctx.workspaceId, ctx.tx, [
    { ...r, created: new Date(r.created), ...freshness(ctx, RANK[r.status ?? ""] ?? 0) },
  ]);
  return appliedOrStale(written === 1, []);
};
