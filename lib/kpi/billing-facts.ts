/**
 * The billing inputs of the marketing and customer-success KPIs (lib/metrics/marketing-cs-kpis.ts), built from the
 * MRR ledger and the Stripe projection: customers for linking, the MRR series, N and #S of a period, expansion_S
 * and startMrr_S, and per paying customer the facts behind engagement and health (metrics.md §4.5).
 */
import type { Executor } from "@/db/client";
import {
  listLinkableCustomers,
  listPaymentFailures,
  listSubscriptionStatesAsOf,
  type PaymentFailureRow,
} from "@/db/queries/billing-facts";
import { listMrrChanges } from "@/db/queries/mrr";
import type { HealthCustomer } from "@/lib/metrics/health";
import type {
  KpiPeriod,
  KpiSettings as MetricKpiSettings,
  LinkableCustomer,
  MrrSeries,
  NewCustomer,
} from "@/lib/metrics/kpi-inputs";
import {
  groupLedgerByCustomer,
  indexLedger,
  isPayingRow,
  rowAsOf,
  summarizeWindow,
  type LedgerIndex,
} from "@/lib/metrics/ledger";
import type { KpiSettings, MetricPolicy } from "@/lib/metrics/policy";
import { isRecurringLicensed } from "@/lib/metrics/price-amount";
import { findExclusion } from "@/lib/metrics/subscription-mrr";
import { addDays, endOfLocalDay, toLocalDay } from "@/lib/metrics/time";
import type { Day, SubscriptionState } from "@/lib/metrics/types";
import type { Workspace } from "@/lib/workspaces/context";

/** A customer paying at D with everything engagement and health read about it. */
export type PayingCustomerFacts = HealthCustomer & {
  seats: number;
  /** The MRR at D left out of `mrr` for lack of an FX rate, per currency (minor units; {} when none). */
  unconverted: Record<string, number>;
};

export type BillingFacts = {
  customers: LinkableCustomer[];
  /** Display names and emails, for tables. */
  names: ReadonlyMap<string, { name: string | null; email: string | null }>;
  ledger: LedgerIndex;
  mrrSeries: MrrSeries;
  /** Paying customers with their facts, per requested stock day (`stockDays`). */
  payingByDay: ReadonlyMap<Day, PayingCustomerFacts[]>;
};

/**
 * Reads the billing facts once: the customers, the ledger up to `asOf`, and for each of `stockDays` (each ≤ asOf)
 * the subscription states at the end of that day, plus the payment failures up to `asOf`. Marketing passes no
 * stock days (it needs no per-customer payment facts).
 */
export async function loadBillingFacts(
  workspace: Pick<Workspace, "id" | "timezone">,
  db: Executor,
  opts: { asOf: Day; stockDays: readonly Day[]; policy: MetricPolicy },
): Promise<BillingFacts> {
  const tz = workspace.timezone;
  const days = [...new Set(opts.stockDays)];
  const [customerRows, changes, failures, ...states] = await Promise.all([
    listLinkableCustomers(workspace.id, db),
    listMrrChanges(workspace.id, db, { to: opts.asOf }),
    days.length > 0
      ? listPaymentFailures(workspace.id, db, { before: new Date(endOfLocalDay(opts.asOf, tz)) })
      : Promise.resolve([]),
    ...days.map((day) => listSubscriptionStatesAsOf(workspace.id, db, { before: new Date(endOfLocalDay(day, tz)) })),
  ]);
  const ledger = indexLedger(changes);
  const payingByDay = new Map(
    days.map((day, i) => [
      day,
      toPayingCustomerFacts({
        ledger,
        states: states[i] ?? [],
        failures,
        asOf: day,
        timeZone: tz,
        policy: opts.policy,
      }),
    ]),
  );
  return {
    customers: customerRows.map((c) => ({ customerId: c.customerId, email: c.email })),
    names: new Map(customerRows.map((c) => [c.customerId, { name: c.name, email: c.email }])),
    ledger,
    mrrSeries: groupLedgerByCustomer(changes),
    payingByDay,
  };
}

/**
 * N and #S of a period from the ledger: customers with a `new` movement in P (first paid day = the day of the
 * first one in P; newMrr = Σ of their `new` amounts in P, as the finance `newMrr` sums them) and the number of
 * customers paying at the end of the day before P (the finance S: an MRR without an FX rate still counts).
 */
export function toAcquisitionFacts(
  ledger: LedgerIndex,
  period: KpiPeriod,
): { newCustomers: NewCustomer[]; startPayingCustomers: number } {
  const newCustomers: NewCustomer[] = [];
  let startPayingCustomers = 0;
  for (const window of summarizeWindow(ledger, period.start, period.end)) {
    if (window.startPaying) startPayingCustomers += 1;
    const news = window.rows.filter((row) => row.kind === "new");
    const first = news[0];
    if (first)
      newCustomers.push({
        customerId: window.customerId,
        firstPaidDay: first.day,
        newMrr: news.reduce((sum, row) => sum + row.amount, 0),
      });
  }
  return { newCustomers, startPayingCustomers };
}

/**
 * expansion_S and startMrr_S of P (customers paying at the start only, metrics.md §4 notation), the finance
 * `expansionMrr` (every customer's expansion in P) and the customers that expanded, largest expansion first.
 */
export function toExpansionFacts(
  ledger: LedgerIndex,
  period: KpiPeriod,
): {
  expansionMrr: number;
  expansionMrrS: number;
  startMrrS: number;
  expanded: { customerId: string; expansion: number }[];
} {
  let expansionMrr = 0;
  let expansionMrrS = 0;
  let startMrrS = 0;
  const expanded: { customerId: string; expansion: number }[] = [];
  for (const window of summarizeWindow(ledger, period.start, period.end)) {
    expansionMrr += window.moves.expansion;
    if (window.moves.expansion > 0) expanded.push({ customerId: window.customerId, expansion: window.moves.expansion });
    if (window.startMrr <= 0) continue;
    startMrrS += window.startMrr;
    expansionMrrS += window.moves.expansion;
  }
  expanded.sort((a, b) => b.expansion - a.expansion || a.customerId.localeCompare(b.customerId));
  return { expansionMrr, expansionMrrS, startMrrS, expanded };
}

/**
 * The facts of every customer paying at the end of `asOf` (MRR > 0, §1.4):
 * - seats: Σ quantity of the licensed recurring items of its subscriptions that count in MRR at D;
 * - mrr and mrr90DaysAgo: m(D) and m(D − 90 days) from the ledger;
 * - pastDueOrUnpaid: a subscription not yet ended is past_due or unpaid at D;
 * - cancellationScheduled: a counting subscription has cancel_at_period_end, or a cancel_at after D;
 * - openFailedInvoice: an invoice with a failed attempt by D was neither paid, voided nor marked uncollectible by D;
 * - failedAttemptInLast90Days: a failed attempt on a local day in D−89…D.
 */
export function toPayingCustomerFacts(input: {
  ledger: LedgerIndex;
  states: readonly SubscriptionState[];
  failures: readonly PaymentFailureRow[];
  asOf: Day;
  timeZone: string;
  policy: MetricPolicy;
}): PayingCustomerFacts[] {
  const end = endOfLocalDay(input.asOf, input.timeZone);
  const at = end - 1; // the last instant of D: "as of D" is the state at the end of the day
  const statesByCustomer = new Map<string, SubscriptionState[]>();
  for (const state of input.states) {
    const list = statesByCustomer.get(state.customerId) ?? [];
    list.push(state);
    statesByCustomer.set(state.customerId, list);
  }
  const since90 = addDays(input.asOf, -89);
  const payment = new Map<string, { open: boolean; recent: boolean }>();
  for (const failure of input.failures) {
    const failedAt = failure.failedAt.getTime();
    if (failedAt >= end) continue;
    const settled = [failure.paidAt, failure.voidedAt, failure.markedUncollectibleAt].some(
      (t) => t !== null && t.getTime() < end,
    );
    const entry = payment.get(failure.customerId) ?? { open: false, recent: false };
    if (!settled) entry.open = true;
    if (toLocalDay(failedAt, input.timeZone) >= since90) entry.recent = true;
    payment.set(failure.customerId, entry);
  }
  const out: PayingCustomerFacts[] = [];
  for (const [customerId, rows] of input.ledger) {
    const now = rowAsOf(rows, input.asOf);
    // Paying in its own currencies: a customer whose MRR has no FX rate is counted, with 0 of converted MRR.
    if (!now || !isPayingRow(now)) continue;
    const mrr = Math.max(now.mrr, 0);
    const subs = statesByCustomer.get(customerId) ?? [];
    const counting = subs.filter((s) => findExclusion(s, input.policy, at) === null);
    const live = subs.filter((s) => s.status !== "canceled" && (s.endedAt === null || s.endedAt > at));
    const facts = payment.get(customerId);
    out.push({
      customerId,
      mrr,
      mrr90DaysAgo: rowAsOf(rows, addDays(input.asOf, -90))?.mrr ?? 0,
      seats: counting.reduce(
        (sum, s) => sum + s.items.reduce((n, item) => n + (isRecurringLicensed(item.price) ? item.quantity : 0), 0),
        0,
      ),
      pastDueOrUnpaid: live.some((s) => s.status === "past_due" || s.status === "unpaid"),
      cancellationScheduled: counting.some((s) => s.cancelAtPeriodEnd || (s.cancelAt !== null && s.cancelAt > at)),
      openFailedInvoice: facts?.open ?? false,
      failedAttemptInLast90Days: facts?.recent ?? false,
      unconverted: Object.fromEntries(Object.entries(now.unconverted ?? {}).filter(([, amount]) => amount > 0)),
    });
  }
  return out.sort((a, b) => a.customerId.localeCompare(b.customerId));
}

/**
 * The stored KPI settings (lib/metrics/policy.ts) in the shape the pure KPI functions read (kpi-inputs.ts). The
 * settings hold one current monthly amount per retention-cost category, without a history, so each applies to
 * every month: changing it restates past CRC too.
 */
export function toMetricSettings(settings: KpiSettings): MetricKpiSettings {
  const retentionCosts: MetricKpiSettings["retentionCosts"] = {};
  for (const [category, amount] of Object.entries(settings.retentionCosts) as [
    keyof KpiSettings["retentionCosts"],
    number | undefined,
  ][]) {
    if (amount !== undefined) retentionCosts[category] = [{ fromMonth: "0000-01", amount }];
  }
  return { ...settings, retentionCosts };
}
