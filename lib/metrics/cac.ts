/**
 * Acquisition cost and return (metrics.md §4.2, plus `cacPaybackMonths` of §4.1, which shares its inputs):
 * attribution of new customers to channels, CAC blended / paid / by channel, channel and traffic ROI.
 */
import type { CustomerLinker } from "./customer-linking";
import type {
  KpiPeriod,
  KpiOutput,
  KpiSettings,
  LeadRecord,
  NewCustomer,
  RatioBreakdown,
  SignupRecord,
  SpendConverter,
  SpendRecord,
} from "./kpi-inputs";
import { divR, mulR, roundR, subR, toRationalFromNumber } from "./kpi-math";
import { computeMarketingSpend, toChannelKey } from "./marketing";

export const UNATTRIBUTED = "unattributed";

export type AcquisitionInput = {
  period: KpiPeriod;
  /** N: customers with a `new` movement in P. */
  newCustomers: readonly NewCustomer[];
  spend: readonly SpendRecord[];
  reportingCurrency: string;
  convert?: SpendConverter;
  /** Leads and signups up to D that may link to customers in N (any age: first touch can be old). */
  leads: readonly LeadRecord[];
  signups: readonly SignupRecord[];
  linker: CustomerLinker;
  settings: Pick<KpiSettings, "attribution" | "overheadChannels" | "grossMargin" | "roiHorizonMonths">;
};

export type CustomerAttribution = { customerId: string; firstTouch: string; lastTouch: string; newMrr: number };

/**
 * Attribution (§4.2): a customer's channel is the source of its earliest linked `lead` or `signup` with a source
 * (`firstTouch`), or of the latest such record on or before its first paid day (`lastTouch`); `unattributed` without
 * one. Records after D are ignored. The value counts customers of N per channel under both models.
 */
export function computeAttribution(
  input: Pick<AcquisitionInput, "newCustomers" | "leads" | "signups" | "linker" | "period">,
): KpiOutput<
  { firstTouch: Record<string, number>; lastTouch: Record<string, number> },
  { customers: CustomerAttribution[] }
> {
  const touches = new Map<string, { occurredAt: number; day: string; source: string }[]>();
  for (const record of [...input.leads, ...input.signups]) {
    if (!record.source || record.day > input.period.end) continue;
    const customerId = input.linker.link(record);
    if (customerId === null) continue;
    const list = touches.get(customerId) ?? [];
    list.push({ occurredAt: record.occurredAt, day: record.day, source: toChannelKey(record.source) });
    touches.set(customerId, list);
  }
  const customers = input.newCustomers.map((customer) => {
    const list = (touches.get(customer.customerId) ?? []).sort((a, b) => a.occurredAt - b.occurredAt);
    const beforePaid = list.filter((touch) => touch.day <= customer.firstPaidDay);
    return {
      customerId: customer.customerId,
      firstTouch: list[0]?.source ?? UNATTRIBUTED,
      lastTouch: beforePaid.at(-1)?.source ?? UNATTRIBUTED,
      newMrr: customer.newMrr,
    };
  });
  const tally = (key: "firstTouch" | "lastTouch") => {
    const counts: Record<string, number> = {};
    for (const customer of customers) counts[customer[key]] = (counts[customer[key]] ?? 0) + 1;
    return counts;
  };
  return { value: { firstTouch: tally("firstTouch"), lastTouch: tally("lastTouch") }, breakdown: { customers } };
}

type ChannelRow = { channel: string; spend: number; customers: number; newMrr: number; paid: boolean };

/** Spend, attributed customers and their new MRR per channel, under the `attribution` setting. */
function toChannelRows(input: AcquisitionInput) {
  const spend = computeMarketingSpend(input);
  const overhead = new Set(input.settings.overheadChannels.map(toChannelKey));
  const rows = new Map<string, ChannelRow>();
  const rowOf = (channel: string) => {
    let row = rows.get(channel);
    if (!row) rows.set(channel, (row = { channel, spend: 0, customers: 0, newMrr: 0, paid: false }));
    return row;
  };
  for (const [channel, amount] of Object.entries(spend.breakdown.byChannel)) {
    const row = rowOf(channel);
    row.spend = amount;
    row.paid = amount > 0 && !overhead.has(channel);
  }
  const attribution = computeAttribution(input).breakdown.customers;
  for (const customer of attribution) {
    const row = rowOf(customer[input.settings.attribution]);
    row.customers += 1;
    row.newMrr += customer.newMrr;
  }
  return { rows: [...rows.values()], totalSpend: spend.value, spend: spend.breakdown };
}

/**
 * `cacBlended` = all spend in P ÷ #N, in minor units (rounded half away from zero). #N = 0 → null, even with spend
 * (Z1). Overhead channels (salaries, tools) count here.
 */
export function computeCacBlended(
  input: AcquisitionInput,
): KpiOutput<number | null, RatioBreakdown & { incomplete: boolean }> {
  const { totalSpend, spend } = toChannelRows(input);
  const customers = new Set(input.newCustomers.map((c) => c.customerId)).size;
  const cac = divR(totalSpend, customers);
  return {
    value: cac === null ? null : roundR(cac),
    breakdown: { numerator: totalSpend, denominator: customers, incomplete: spend.incomplete },
  };
}

/**
 * `cacPaid` = spend on paid channels ÷ #(N attributed to paid channels). A paid channel has spend > 0 in P and is not
 * in `overheadChannels`. Reads `attribution`, `overheadChannels`. No customers on paid channels → null.
 */
export function computeCacPaid(
  input: AcquisitionInput,
): KpiOutput<number | null, RatioBreakdown & { channels: string[] }> {
  const paid = toChannelRows(input).rows.filter((row) => row.paid);
  const numerator = paid.reduce((sum, row) => sum + row.spend, 0);
  const denominator = paid.reduce((sum, row) => sum + row.customers, 0);
  const cac = divR(numerator, denominator);
  return {
    value: cac === null ? null : roundR(cac),
    breakdown: { numerator, denominator, channels: paid.map((row) => row.channel).sort() },
  };
}

/**
 * `cacByChannel`: spend_ch(P) ÷ #(N attributed to ch), per channel with spend or customers (`unattributed`
 * included). No spend → 0 (organic traffic costs nothing); spend without customers → null. Reads `attribution`.
 */
export function computeCacByChannel(
  input: AcquisitionInput,
): KpiOutput<Record<string, number | null>, { rows: ChannelRow[] }> {
  const { rows } = toChannelRows(input);
  const value: Record<string, number | null> = {};
  for (const row of rows) {
    const cac = row.spend === 0 ? 0 : divR(row.spend, row.customers);
    value[row.channel] = cac === null ? null : roundR(cac);
  }
  return { value, breakdown: { rows } };
}

const toReturn = (newMrr: number, spend: number, settings: AcquisitionInput["settings"]) => {
  const gain = mulR(mulR(newMrr, settings.roiHorizonMonths), toRationalFromNumber(settings.grossMargin));
  const roi = divR(subR(gain, spend), spend);
  return roi === null ? null : roundR(roi, 4);
};

/**
 * `channelRoi` = (newMrr_ch × roiHorizonMonths × grossMargin − spend_ch) ÷ spend_ch, where newMrr_ch is the `new`
 * MRR of N attributed to ch. A channel without spend → null (its return has no cost). Reads `attribution`,
 * `roiHorizonMonths`, `grossMargin`.
 */
export function computeChannelRoi(
  input: AcquisitionInput,
): KpiOutput<Record<string, number | null>, { rows: ChannelRow[] }> {
  const { rows } = toChannelRows(input);
  const value: Record<string, number | null> = {};
  for (const row of rows) value[row.channel] = toReturn(row.newMrr, row.spend, input.settings);
  return { value, breakdown: { rows } };
}

/**
 * `trafficRoi`: the channelRoi formula over the paid channels together: (Σ newMrr × horizon × margin − Σ spend) ÷
 * Σ spend. No paid spend → null. Reads `overheadChannels` plus the channelRoi settings.
 */
export function computeTrafficRoi(
  input: AcquisitionInput,
): KpiOutput<number | null, { spend: number; newMrr: number }> {
  const paid = toChannelRows(input).rows.filter((row) => row.paid);
  const spend = paid.reduce((sum, row) => sum + row.spend, 0);
  const newMrr = paid.reduce((sum, row) => sum + row.newMrr, 0);
  return { value: toReturn(newMrr, spend, input.settings), breakdown: { spend, newMrr } };
}

/**
 * `cacPaybackMonths` = spend(P) ÷ (newMrr(P) × grossMargin), 4 decimals. newMrr = 0 or margin = 0 → null.
 * (Catalogued under finance, §4.1; it lives here because it shares CAC's inputs.)
 */
export function computeCacPaybackMonths(
  input: Pick<AcquisitionInput, "period" | "spend" | "reportingCurrency" | "convert" | "newCustomers" | "settings">,
): KpiOutput<number | null, { spend: number; newMrr: number; grossMargin: number }> {
  const spend = computeMarketingSpend(input).value;
  const newMrr = input.newCustomers.reduce((sum, customer) => sum + customer.newMrr, 0);
  const months = divR(spend, mulR(newMrr, toRationalFromNumber(input.settings.grossMargin)));
  return {
    value: months === null ? null : roundR(months, 4),
    breakdown: { spend, newMrr, grossMargin: input.settings.grossMargin },
  };
}
