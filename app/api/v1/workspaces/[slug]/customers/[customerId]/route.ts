// GET /api/v1/workspaces/[slug]/customers/[customerId] – a customer, its subscriptions and its MRR history
import { z } from "zod";
import { getDb } from "@/db/client";
import { findCustomerDetail } from "@/db/queries/api-customers";
import { apiRoute, isoDay, parseQuery } from "@/lib/auth/api";
import { checkApiKey } from "@/lib/auth/check";
import { AppError } from "@/lib/errors";
import { getMetricConfig } from "@/lib/kpi/settings";
import { todayIn } from "@/lib/kpi/today";
import { toPoliciesObject } from "@/lib/metrics/policy";
import { endOfLocalDay } from "@/lib/metrics/time";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const isoMs = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const GET = apiRoute(
  async (req: Request, { params }: RouteContext<"/api/v1/workspaces/[slug]/customers/[customerId]">) => {
    const db = await getDb();
    const { slug, customerId } = await params;
    const { workspace } = await checkApiKey(req, slug, "metrics:read", db);
    const { date } = parseQuery(req, z.strictObject({ date: isoDay.optional() }));
    const asOf = date ?? todayIn(workspace.timezone);
    const before = new Date(endOfLocalDay(asOf, workspace.timezone));
    const [detail, config] = await Promise.all([
      findCustomerDetail(workspace.id, db, customerId, before),
      getMetricConfig(workspace.id, db),
    ]);
    if (!detail) throw new AppError("NOT_FOUND", "No such customer in this workspace.");
    // As of the end of `asOf`: the history up to that day, the subscriptions as they stood then (interfaces.md).
    const history = detail.history.filter((h) => h.day <= asOf);
    const current = history.at(-1);
    const unconverted = current?.unconverted ?? {};
    return Response.json(
      {
        workspace: workspace.slug,
        date: asOf,
        currency: workspace.currency,
        customer: {
          id: customerId,
          email: detail.customer?.email ?? null,
          name: detail.customer?.name ?? null,
          currency: detail.customer?.currency ?? null,
          created: iso(detail.customer?.created),
          // Deleted by then: a deletion is the customer's last event.
          deleted: !!detail.customer?.deleted && detail.customer.lastEventCreated < before,
          mrr: current?.mrr ?? 0,
          // The part of its MRR in a currency without a rate, left out of `mrr` (metrics.md §1.1).
          incomplete: Object.keys(unconverted).length > 0,
          unconverted,
          warnings: current?.warnings ?? [],
        },
        subscriptions: detail.subscriptions.map(({ state, source, created }) => ({
          id: state.subscriptionId,
          status: state.status,
          currency: state.currency,
          created: iso(created),
          currentPeriodEnd: isoMs(source.currentPeriodEnd),
          cancelAtPeriodEnd: state.cancelAtPeriodEnd,
          cancelAt: isoMs(state.cancelAt),
          canceledAt: isoMs(state.canceledAt),
          endedAt: isoMs(state.endedAt),
          trialEnd: isoMs(state.trialEnd),
          items: state.items.map((i) => ({
            id: i.id,
            priceId: i.price.id,
            productId: i.price.productId,
            quantity: i.quantity,
            unitAmountDecimal: i.price.unitAmountDecimal,
            currency: i.price.currency,
            interval: i.price.interval,
            intervalCount: i.price.intervalCount,
          })),
          discounts: state.discounts.map((d) => ({
            id: d.id,
            couponId: d.coupon.id,
            percentOff: d.coupon.percentOff,
            amountOff: d.coupon.amountOff,
            duration: d.coupon.duration,
            start: isoMs(d.start),
            end: isoMs(d.end),
          })),
        })),
        mrrHistory: history.map((h) => ({
          day: h.day,
          mrr: h.mrr,
          movement: h.kind,
          amount: h.amount,
          // Under `fxRate: daily`, the change of the converted MRR that no movement explains: previous + amount +
          // fxImpact = mrr.
          fxImpact: h.fxImpact,
          eventIds: h.eventIds,
        })),
        policies: toPoliciesObject(config.policy),
      },
      { headers: { "cache-control": "private, no-store", vary: "authorization" } },
    );
  },
);
