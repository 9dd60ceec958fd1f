/**
 * Customer health (metrics.md §4.3 `healthScore`, `healthDistribution`, `atRiskMrr`; the rule in §4.5).
 */
import type { CustomerLinker } from "./customer-linking";
import type { HealthComponent, KpiOutput, KpiSettings, NpsResponseRecord, TicketRecord } from "./kpi-inputs";
import { addDays, addR, divR, mulR, roundR, sumR, toRational, toRationalFromNumber, type Rational } from "./kpi-math";
import { toNpsExact } from "./success";
import type { Day } from "./types";

/** The billing facts of one paying customer as of D, fed from the Stripe projection. */
export type HealthCustomer = {
  customerId: string;
  /** m(D), minor units of the reporting currency. */
  mrr: number;
  /** m(D − 90 days); 0 when the customer wasn't paying then. */
  mrr90DaysAgo: number;
  /** A subscription is past_due or unpaid at D. */
  pastDueOrUnpaid: boolean;
  /** An invoice with a failed payment attempt is still open at D. */
  openFailedInvoice: boolean;
  /** A payment attempt failed in D−89…D. */
  failedAttemptInLast90Days: boolean;
  /** cancel_at_period_end or a future cancel_at is set at D. */
  cancellationScheduled: boolean;
};

export type HealthBand = "green" | "yellow" | "red";
export type HealthComponentWhy = { value: number; weight: number; points: number };
export type HealthRow = {
  customerId: string;
  mrr: number;
  score: number;
  band: HealthBand;
  /** The "why" tooltip: each component's value 0–100, weight and points (value × weight), to 4 decimals. */
  components: Record<HealthComponent, HealthComponentWhy>;
};

export type HealthInput = {
  asOf: Day;
  customers: readonly HealthCustomer[];
  /** Exact engagement scores (`toEngagementRows` of engagement.ts); a customer without one has usage 0. */
  engagement: readonly { customerId: string; exact: Rational }[];
  /** NPS responses of D−179…D (older ones are ignored); employee responses are ignored. */
  npsResponses: readonly NpsResponseRecord[];
  /** Ticket events of D−29…D; only `ticket_opened` is read. */
  tickets: readonly TicketRecord[];
  linker: CustomerLinker;
  settings: Pick<KpiSettings, "healthWeights" | "healthBands">;
};

const HEALTH_COMPONENTS: readonly HealthComponent[] = ["usage", "nps", "tickets", "payments", "mrrTrend"];

/** The band of an integer health score: green ≥ bands.green, red < bands.red, else yellow. */
export function toHealthBand(score: number, bands: KpiSettings["healthBands"]): HealthBand {
  return score >= bands.green ? "green" : score < bands.red ? "red" : "yellow";
}

/**
 * `healthScore` per paying customer: round(Σ weight × component), each component 0–100:
 * - usage: the exact engagement score;
 * - nps: (NPS of the latest response of each of the customer's respondents in D−179…D + 100) ÷ 2; none → 50;
 * - tickets: max(0, 100 − 20 × tickets the customer opened in D−29…D);
 * - payments: 0 if a failed invoice is still open or a subscription is past_due/unpaid; 50 if an attempt failed in
 *   the last 90 days and all is paid; else 100;
 * - mrrTrend: 0 if a cancellation is scheduled; else m(D) vs m(D − 90): higher 100, equal 75, lower 25; not paying
 *   90 days ago → 75.
 * Bands: green ≥ healthBands.green (70), red < healthBands.red (40), yellow between. The workspace value is the mean
 * exact score, 4 decimals (no paying customers → null). Reads `healthWeights`, `healthBands`.
 */
export function computeHealthScores(input: HealthInput): KpiOutput<number | null, { customers: HealthRow[] }> {
  const usage = new Map(input.engagement.map((row) => [row.customerId, row.exact]));
  const npsFrom = addDays(input.asOf, -179);
  const responsesByCustomer = new Map<string, NpsResponseRecord[]>();
  for (const response of input.npsResponses) {
    if (response.audience !== "customer" || response.day < npsFrom || response.day > input.asOf) continue;
    const customerId = input.linker.link(response);
    if (customerId === null) continue;
    const list = responsesByCustomer.get(customerId) ?? [];
    list.push(response);
    responsesByCustomer.set(customerId, list);
  }
  const ticketsFrom = addDays(input.asOf, -29);
  const ticketsByCustomer = new Map<string, Set<string>>();
  for (const ticket of input.tickets) {
    if (ticket.type !== "ticket_opened" || ticket.day < ticketsFrom || ticket.day > input.asOf) continue;
    const customerId = input.linker.link(ticket);
    if (customerId === null) continue;
    const set = ticketsByCustomer.get(customerId) ?? new Set<string>();
    set.add(ticket.ticketId);
    ticketsByCustomer.set(customerId, set);
  }

  const exactScores: Rational[] = [];
  const customers = input.customers.map((customer): HealthRow => {
    const nps = toNpsExact(responsesByCustomer.get(customer.customerId) ?? []).nps;
    const tickets = ticketsByCustomer.get(customer.customerId)?.size ?? 0;
    const values: Record<HealthComponent, Rational> = {
      usage: usage.get(customer.customerId) ?? toRational(0n),
      nps: nps === null ? toRational(50n) : (divR(addR(nps, 100), 2) as Rational),
      tickets: toRational(Math.max(0, 100 - 20 * tickets)),
      payments: toRational(
        customer.openFailedInvoice || customer.pastDueOrUnpaid ? 0 : customer.failedAttemptInLast90Days ? 50 : 100,
      ),
      mrrTrend: toRational(toMrrTrend(customer)),
    };
    const points = HEALTH_COMPONENTS.map((c) => mulR(values[c], toRationalFromNumber(input.settings.healthWeights[c])));
    const exact = sumR(points);
    exactScores.push(exact);
    const score = roundR(exact);
    return {
      customerId: customer.customerId,
      mrr: customer.mrr,
      score,
      band: toHealthBand(score, input.settings.healthBands),
      components: Object.fromEntries(
        HEALTH_COMPONENTS.map((c, i) => [
          c,
          {
            value: roundR(values[c], 4),
            weight: input.settings.healthWeights[c],
            points: roundR(points[i] as Rational, 4),
          },
        ]),
      ) as Record<HealthComponent, HealthComponentWhy>,
    };
  });
  const mean = divR(sumR(exactScores), exactScores.length);
  return { value: mean === null ? null : roundR(mean, 4), breakdown: { customers } };
}

function toMrrTrend(customer: HealthCustomer): number {
  if (customer.cancellationScheduled) return 0;
  if (customer.mrr90DaysAgo <= 0 || customer.mrr === customer.mrr90DaysAgo) return 75;
  return customer.mrr > customer.mrr90DaysAgo ? 100 : 25;
}

/** `healthDistribution`: paying customers per band, from computeHealthScores' rows. */
export function computeHealthDistribution(
  rows: readonly HealthRow[],
): KpiOutput<Record<HealthBand, number>, Record<string, never>> {
  const value: Record<HealthBand, number> = { green: 0, yellow: 0, red: 0 };
  for (const row of rows) value[row.band] += 1;
  return { value, breakdown: {} };
}

/** `atRiskMrr` = Σ MRR of red customers; the breakdown lists them by MRR, largest first (ties by id). Empty → 0. */
export function computeAtRiskMrr(rows: readonly HealthRow[]): KpiOutput<number, { customers: HealthRow[] }> {
  const red = rows
    .filter((row) => row.band === "red")
    .sort((a, b) => b.mrr - a.mrr || a.customerId.localeCompare(b.customerId));
  return { value: red.reduce((sum, row) => sum + row.mrr, 0), breakdown: { customers: red } };
}
