/**
 * Support KPIs of metrics.md §4.3: ticket counts, first response and resolution times, first contact resolution.
 * A ticket is the set of ticket events sharing a `ticketId`; its opening instant is its first `ticket_opened`.
 */
import { isInPeriod, type KpiPeriod, type KpiOutput, type RatioBreakdown, type TicketRecord } from "./kpi-inputs";
import { meanR, medianR, percentileR, roundR, toRational, toRatio, type Rational } from "./kpi-math";
import type { Day } from "./types";

type Ticket = { opened: TicketRecord[]; responses: TicketRecord[]; resolutions: TicketRecord[] };

function groupTickets(records: readonly TicketRecord[], asOf: Day): Map<string, Ticket> {
  const tickets = new Map<string, Ticket>();
  for (const record of records) {
    if (record.day > asOf) continue;
    let ticket = tickets.get(record.ticketId);
    if (!ticket) tickets.set(record.ticketId, (ticket = { opened: [], responses: [], resolutions: [] }));
    const list =
      record.type === "ticket_opened"
        ? ticket.opened
        : record.type === "ticket_first_response"
          ? ticket.responses
          : ticket.resolutions;
    list.push(record);
  }
  for (const ticket of tickets.values()) {
    for (const list of [ticket.opened, ticket.responses, ticket.resolutions])
      list.sort((a, b) => a.occurredAt - b.occurredAt);
  }
  return tickets;
}

/** `supportTickets`: tickets whose first `ticket_opened` falls in P, with a per-day series. Empty → 0. */
export function computeSupportTickets(input: {
  tickets: readonly TicketRecord[];
  period: KpiPeriod;
}): KpiOutput<number, { byDay: Record<Day, number> }> {
  const byDay: Record<Day, number> = {};
  let count = 0;
  for (const ticket of groupTickets(input.tickets, input.period.end).values()) {
    const first = ticket.opened[0];
    if (!first || !isInPeriod(first.day, input.period)) continue;
    count += 1;
    byDay[first.day] = (byDay[first.day] ?? 0) + 1;
  }
  return { value: count, breakdown: { byDay } };
}

/**
 * `openTickets` (a stock at D): tickets opened on or before D with no `ticket_resolved` on or before D. A ticket
 * opened again after its last resolution (a reopen sent as a new `ticket_opened`) is open again. Empty → 0.
 */
export function computeOpenTickets(input: {
  tickets: readonly TicketRecord[];
  asOf: Day;
}): KpiOutput<number, { ticketIds: string[] }> {
  const ticketIds: string[] = [];
  for (const [ticketId, ticket] of groupTickets(input.tickets, input.asOf)) {
    const lastOpened = ticket.opened.at(-1);
    const lastResolved = ticket.resolutions.at(-1);
    if (lastOpened && (!lastResolved || lastOpened.occurredAt > lastResolved.occurredAt)) ticketIds.push(ticketId);
  }
  return { value: ticketIds.length, breakdown: { ticketIds: ticketIds.sort() } };
}

export type DurationStats = { median: number | null; p90: number | null; mean: number | null };
type DurationBreakdown = { count: number; samples: { ticketId: string; seconds: number }[] };

const P90 = toRational(9n, 10n);
const toSeconds = (ms: Rational | null) => (ms === null ? null : roundR({ n: ms.n, d: ms.d * 1000n }));

function toDurationStats(
  durationsMs: readonly { ticketId: string; ms: number }[],
): KpiOutput<DurationStats, DurationBreakdown> {
  const exact = durationsMs.map((d) => toRational(d.ms));
  return {
    value: {
      median: toSeconds(medianR(exact)),
      p90: toSeconds(percentileR(exact, P90)),
      mean: toSeconds(meanR(exact)),
    },
    breakdown: {
      count: durationsMs.length,
      samples: durationsMs.map((d) => ({ ticketId: d.ticketId, seconds: roundR(toRational(d.ms, 1000)) })),
    },
  };
}

/** Durations from opening to the first event of `pick` that falls in P; tickets without an opening are skipped. */
function collectDurations(
  input: { tickets: readonly TicketRecord[]; period: KpiPeriod },
  pick: (t: Ticket) => TicketRecord[],
) {
  const durations: { ticketId: string; ms: number }[] = [];
  for (const [ticketId, ticket] of groupTickets(input.tickets, input.period.end)) {
    const opened = ticket.opened[0];
    const event = pick(ticket).find((record) => isInPeriod(record.day, input.period));
    if (opened && event && event.occurredAt >= opened.occurredAt) {
      durations.push({ ticketId, ms: event.occurredAt - opened.occurredAt });
    }
  }
  return durations;
}

/**
 * `firstResponseTimeMedian` / `P90` / `Mean`, integer seconds of calendar time: for tickets whose first
 * `ticket_first_response` falls in P, response − opened. Median: the middle value or the mean of the two middle
 * values; p90: nearest rank (the ⌈0.9 n⌉-th). Computed exactly from milliseconds and rounded once. None → nulls.
 */
export function computeFirstResponseTime(input: { tickets: readonly TicketRecord[]; period: KpiPeriod }) {
  const durations: { ticketId: string; ms: number }[] = [];
  for (const [ticketId, ticket] of groupTickets(input.tickets, input.period.end)) {
    const opened = ticket.opened[0];
    const response = ticket.responses[0]; // only the ticket's very first response counts, and only if it is in P
    if (opened && response && isInPeriod(response.day, input.period) && response.occurredAt >= opened.occurredAt) {
      durations.push({ ticketId, ms: response.occurredAt - opened.occurredAt });
    }
  }
  return toDurationStats(durations);
}

/**
 * `resolutionTimeMedian` / `P90` / `Mean`, as first response time but to each ticket's first `ticket_resolved`
 * inside P (§4.7: a ticket resolved again in a later period counts there too, once). None → nulls.
 */
export function computeResolutionTime(input: { tickets: readonly TicketRecord[]; period: KpiPeriod }) {
  return toDurationStats(collectDurations(input, (ticket) => ticket.resolutions));
}

/**
 * `firstContactResolutionRate` = #(tickets resolved in P whose first resolution in P has firstContactResolution =
 * true) ÷ #(tickets resolved in P). None resolved → null.
 */
export function computeFirstContactResolutionRate(input: {
  tickets: readonly TicketRecord[];
  period: KpiPeriod;
}): KpiOutput<number | null, RatioBreakdown> {
  let numerator = 0;
  let denominator = 0;
  for (const ticket of groupTickets(input.tickets, input.period.end).values()) {
    const resolution = ticket.resolutions.find((record) => isInPeriod(record.day, input.period));
    if (!resolution) continue;
    denominator += 1;
    if (resolution.firstContactResolution === true) numerator += 1;
  }
  return { value: toRatio(numerator, denominator), breakdown: { numerator, denominator } };
}
